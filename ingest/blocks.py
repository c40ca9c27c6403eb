"""Structured text between cleaning and chunking.

The cleaner turns a ``SourceText`` into ``Block`` objects (headings,
paragraphs, quotes with their lead-in and attribution, lists, fact boxes);
``assemble`` joins them into the document's ``clean_text`` and records each
block's offsets, so that every chunk can point back into that text exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tvaers.contracts import BlockType, Footnote, Heading

BLOCK_SEPARATOR = "\n\n"


@dataclass
class Block:
    """One heading or body block of cleaned text.

    ``heading_path`` is the path of the section the block belongs to; for a
    heading block it ends with the heading itself. ``level`` is only set on
    headings (1 = top).
    """

    text: str
    kind: BlockType | None  # None marks a heading
    heading_path: list[str]
    page_start: int | None = None
    page_end: int | None = None
    level: int | None = None
    speaker_role: str | None = None
    char_start: int = -1
    char_end: int = -1

    @property
    def is_heading(self) -> bool:
        return self.kind is None


@dataclass
class CleanedText:
    """A cleaned document: its text, its blocks (with offsets) and its outline."""

    clean_text: str
    blocks: list[Block]
    outline: list[Heading] = field(default_factory=list)
    notes: list[Footnote] = field(default_factory=list)
    title: str | None = None
    source_url: str | None = None


def assemble(blocks: list[Block]) -> str:
    """Join blocks with blank lines and set their offsets in the joined text."""
    parts: list[str] = []
    offset = 0
    for i, block in enumerate(blocks):
        if i:
            parts.append(BLOCK_SEPARATOR)
            offset += len(BLOCK_SEPARATOR)
        block.char_start = offset
        parts.append(block.text)
        offset += len(block.text)
        block.char_end = offset
    return "".join(parts)
