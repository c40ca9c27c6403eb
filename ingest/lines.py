"""The cleaner's working unit: one raw line with the signals read from it.

Whitespace carries meaning in extracted text (a whitespace-only line is a
deliberate separator, two trailing spaces a forced line break, a page change
a possible mid-sentence break), so those signals are recorded once here,
before normalisation strips them. Overrides then drop and reorder lines by
their raw 1-based number, which stays attached to each line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tvaers.contracts import BlockType
from tvaers.ingest.normalize import normalize_line
from tvaers.ingest.overrides import DocumentOverrides
from tvaers.ingest.source import SourceText

__all__ = ["Line", "apply_order", "build_lines"]

log = logging.getLogger(__name__)

NOTE_SEPARATOR_MIN = 20  # Word's footnote rule survives as a line of many spaces


@dataclass
class Line:
    """One raw line. ``text`` is normalised and stripped; empty for blank lines."""

    no: int  # 1-based raw line number
    raw: str
    text: str
    page: int | None
    page_start: bool = False
    spacer: bool = False  # whitespace-only: a deliberate separator, unlike an empty line
    note_rule: bool = False  # a long run of spaces: Word's footnote separator
    forced_break: bool = False  # two trailing spaces: shift-return in headings and boxes
    heading: int | None = None  # level, on the first line of a heading
    heading_cont: bool = False  # a further line of the heading above
    kind: BlockType | None = None  # block type stated by an override
    break_before: bool = False  # an override says a paragraph starts here

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def is_heading(self) -> bool:
        return self.heading is not None or self.heading_cont


def build_lines(source: SourceText) -> list[Line]:
    """Lines of ``source`` with their whitespace signals and normalised text."""
    out: list[Line] = []
    prev_page: int | None = None
    for i, (raw, page) in enumerate(zip(source.lines, source.pages, strict=True)):
        stripped = raw.strip()
        out.append(
            Line(
                no=i + 1,
                raw=raw,
                text=normalize_line(raw) if stripped else "",
                page=page,
                page_start=page is not None and page != prev_page,
                spacer=bool(raw) and not stripped,
                note_rule=not stripped and len(raw) >= NOTE_SEPARATOR_MIN,
                forced_break=bool(stripped) and raw.endswith("  "),
            )
        )
        prev_page = page
    return out


def apply_order(lines: list[Line], overrides: DocumentOverrides) -> list[Line]:
    """Drop and move lines as the overrides say; flag forced breaks and block kinds."""
    dropped = overrides.dropped()
    if dropped:
        log.debug("dropping %d lines by override", len(dropped))
    kept = [ln for ln in lines if ln.no not in dropped]
    for move in overrides.moves:
        block = [ln for ln in kept if move.start <= ln.no <= move.end]
        rest = [ln for ln in kept if not move.start <= ln.no <= move.end]
        anchor = next((i for i, ln in enumerate(rest) if ln.no == move.after), None)
        if not block or anchor is None:
            log.warning("move %s skipped: lines or anchor not found", move)
            continue
        log.debug("moving lines %d-%d after %d", move.start, move.end, move.after)
        kept = rest[: anchor + 1] + block + rest[anchor + 1 :]
    breaks = set(overrides.breaks_before)
    for ln in kept:
        ln.kind = overrides.kind_of(ln.no)
        ln.break_before = ln.no in breaks
    return kept
