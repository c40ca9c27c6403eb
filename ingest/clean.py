"""The cleaning pipeline: a reader's ``SourceText`` in, structured ``CleanedText`` out.

Order matters and follows the corpus notes: overrides first (they address
raw line numbers), then page furniture and footnotes, then the document
profile (typeset or ragged, double-spaced or not), headings (they need the
trailing-space signal), paragraphs with dehyphenation, pull-quote removal,
and finally typed blocks, whose offsets ``assemble`` fixes in the clean text.
Documents without overrides (any new .txt, PDF, md or docx) go through the
same rules; md and docx bring their own headings.

Example::

    source = source_from_text("x.txt", Path("x.txt").read_text())
    cleaned = clean_source(source)
    block = cleaned.blocks[0]
    assert cleaned.clean_text[block.char_start : block.char_end] == block.text
"""

from __future__ import annotations

import logging
from pathlib import Path

from tvaers.contracts import Footnote, Heading
from tvaers.ingest.blocks import Block, CleanedText, assemble
from tvaers.ingest.furniture import (
    RawNote,
    drop_page_furniture,
    extract_footnotes,
    strip_note_markers,
)
from tvaers.ingest.headings import HeadingMark, detect_headings
from tvaers.ingest.lines import Line, apply_order, build_lines
from tvaers.ingest.overrides import DocumentOverrides, file_sha256
from tvaers.ingest.paragraphs import build_paragraphs
from tvaers.ingest.profile import profile_lines
from tvaers.ingest.pullquotes import drop_pull_quotes
from tvaers.ingest.segment import segment
from tvaers.ingest.source import Layout, SourceText

__all__ = ["clean_source"]

log = logging.getLogger(__name__)


def clean_source(source: SourceText, overrides: DocumentOverrides | None = None) -> CleanedText:
    """Clean one document; ``overrides`` apply only if pinned to this file's bytes."""
    overrides = _checked(source, overrides)
    lines = apply_order(build_lines(source), overrides)
    lines, url = drop_page_furniture(lines)
    lines, raw_notes = extract_footnotes(lines, overrides.footnotes)
    profile = profile_lines(lines, source.layout)
    log.debug("%s: %s", source.path, profile)
    if source.layout == Layout.STRUCTURED:
        marks = _structured_headings(source, lines)
    else:
        marks = detect_headings(lines, profile, overrides)
    paras = drop_pull_quotes(build_paragraphs(lines, marks, profile))
    blocks = segment(paras)
    markers = _strip_markers(blocks)
    text = assemble(blocks)
    outline = [
        Heading(path=b.heading_path, char_start=b.char_start, page=b.page_start)
        for b in blocks
        if b.is_heading
    ]
    title = next((b.text for b in blocks if b.is_heading), None) or source.title
    return CleanedText(
        clean_text=text,
        blocks=blocks,
        outline=outline,
        notes=_notes(raw_notes, markers),
        title=title,
        source_url=url,
    )


def _checked(source: SourceText, overrides: DocumentOverrides | None) -> DocumentOverrides:
    if overrides is None:
        return DocumentOverrides()
    digest = file_sha256(source.path) if Path(source.path).is_file() else None
    if not overrides.matches(digest):
        log.warning(
            "%s: overrides ignored: written for sha256 %s, file has %s; "
            "re-check the line numbers in overrides.yaml and update the hash",
            source.path,
            overrides.sha256,
            digest,
        )
        return DocumentOverrides()
    return overrides


def _structured_headings(source: SourceText, lines: list[Line]) -> list[HeadingMark]:
    """md/docx state their headings: take them as they are, by raw line number."""
    marks = []
    for i, ln in enumerate(lines):
        level = source.headings.get(ln.no - 1)
        if level is not None and ln.text:
            ln.heading = level
            marks.append(HeadingMark(i, i, ln.text, "structured", level=level))
    return marks


def _strip_markers(blocks: list[Block]) -> dict[str, tuple[Block, int]]:
    """Take note sentinels out of block texts; remember where each marker was."""
    found: dict[str, tuple[Block, int]] = {}
    for block in blocks:
        block.text, markers = strip_note_markers(block.text)
        for marker, offset in markers:
            found.setdefault(marker, (block, offset))
    return found


def _notes(raw: list[RawNote], markers: dict[str, tuple[Block, int]]) -> list[Footnote]:
    notes = []
    for note in raw:
        where = markers.get(note.marker)
        start = where[0].char_start + where[1] if where else None
        notes.append(Footnote(marker=note.marker, text=note.text, char_start=start))
    return notes
