"""What a reader hands to the cleaner: raw lines with their pages.

Readers (txt, md, pdf, docx) differ in what they know. A txt file only has
lines; a PDF knows its pages; md and docx know their headings. ``SourceText``
carries whatever is known so that one cleaning pipeline serves all formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Layout(StrEnum):
    """How line ends must be read; decides dehyphenation and paragraph joins."""

    UNKNOWN = "unknown"  # decide from the text (line-end hyphen density)
    TYPESET = "typeset"  # justified, auto-hyphenated: a line-end '-' is a break
    RAGGED = "ragged"  # author-typed line ends: a line-end '-' is a real hyphen
    STRUCTURED = "structured"  # md/docx: one line per paragraph, headings known


@dataclass
class SourceText:
    """Raw text of one file, before any cleaning.

    ``lines`` keep trailing whitespace (a heading signal) but page-start
    markers are already stripped; ``pages[i]`` is the 1-based page of
    ``lines[i]`` or ``None`` where pages are unknown. ``headings`` maps a line
    index to a heading level (1 = top) where the format says so (md, docx).
    """

    path: str
    format: str
    lines: list[str]
    pages: list[int | None]
    layout: Layout = Layout.UNKNOWN
    headings: dict[int, int] = field(default_factory=dict)
    title: str | None = None

    def __post_init__(self) -> None:
        if len(self.lines) != len(self.pages):
            raise ValueError("lines and pages must have the same length")
