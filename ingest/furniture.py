"""Page furniture and footnotes: text that belongs to the page, not the prose.

A stray page number or a printed URL line would otherwise be glued into a
sentence. Footnotes are taken out of the flow (Word prints them at the page
foot, after a long rule of spaces) and their markers, which the extraction
glued onto words (``20051formulerede``, ``emne2.``), are replaced by a
sentinel so the cleaner can record where in the clean text each note hangs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from tvaers.ingest.lines import Line
from tvaers.ingest.overrides import FootnoteBlock

__all__ = [
    "NOTE_CLOSE",
    "NOTE_OPEN",
    "RawNote",
    "drop_page_furniture",
    "extract_footnotes",
    "strip_note_markers",
]

log = logging.getLogger(__name__)

NOTE_OPEN = "\ue000"
NOTE_CLOSE = "\ue001"
_PAGE_NUMBER = re.compile(r"^(?:side\s+)?\d{1,3}$", re.IGNORECASE)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$")
_NOTE_LINE = re.compile(r"^(\d{1,2}) (\S.*)$")
_MARKER_SEARCH_LINES = 200
_SENTINEL = re.compile(f"{NOTE_OPEN}([^{NOTE_CLOSE}]*){NOTE_CLOSE}")


@dataclass
class RawNote:
    marker: str
    text: str
    line: int  # raw line of the note text


def drop_page_furniture(lines: list[Line]) -> tuple[list[Line], str | None]:
    """Drop bare page-number lines and URL-only lines; return the first URL found.

    A number line counts as a page number only when blank lines or a page
    boundary surround it, so a list of numbers inside prose survives.
    """
    out: list[Line] = []
    url: str | None = None
    for i, ln in enumerate(lines):
        if _URL_LINE.match(ln.text) and _alone(lines, i):
            log.debug("line %d: URL line moved to metadata: %s", ln.no, ln.text)
            url = url or ln.text
            continue
        if _PAGE_NUMBER.match(ln.text) and _alone(lines, i):
            log.debug("line %d: page number %s dropped", ln.no, ln.text)
            continue
        out.append(ln)
    return out, url


def extract_footnotes(
    lines: list[Line], stated: list[FootnoteBlock]
) -> tuple[list[Line], list[RawNote]]:
    """Take note blocks out of the text and glue-free their markers in the body.

    Stated blocks (overrides) are used when given; otherwise a Word rule of
    spaces followed by ``N text`` lines up to the next page start is a block.
    """
    notes: list[RawNote] = []
    remove: set[int] = set()
    if stated:
        by_no = {ln.no: ln for ln in lines}
        for block in stated:
            text = " ".join(by_no[n].text for n in range(block.start, block.end + 1) if n in by_no)
            text = re.sub(rf"^{re.escape(block.marker)}\s+", "", text)
            notes.append(RawNote(block.marker, text, block.start))
            remove.update(range(block.start, block.end + 1))
    else:
        notes, remove = _detect_blocks(lines)
    body = [ln for ln in lines if ln.no not in remove and not ln.note_rule]
    for note in notes:
        _mark(body, note)
    return body, notes


def strip_note_markers(text: str) -> tuple[str, list[tuple[str, int]]]:
    """Remove sentinels from ``text``; return it with (marker, offset) pairs."""
    found: list[tuple[str, int]] = []
    parts: list[str] = []
    pos = 0
    length = 0
    for m in _SENTINEL.finditer(text):
        parts.append(text[pos : m.start()])
        length += m.start() - pos
        found.append((m.group(1), length))
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), found


def _detect_blocks(lines: list[Line]) -> tuple[list[RawNote], set[int]]:
    notes: list[RawNote] = []
    remove: set[int] = set()
    for i, ln in enumerate(lines):
        if not ln.note_rule:
            continue
        j = i + 1
        current: RawNote | None = None
        while j < len(lines) and not lines[j].page_start:
            text = lines[j].text
            m = _NOTE_LINE.match(text)
            if m:
                current = RawNote(m.group(1), m.group(2), lines[j].no)
                notes.append(current)
            elif current is not None and text:
                current.text += " " + text
            elif text:
                break
            remove.add(lines[j].no)
            j += 1
        log.debug("line %d: footnote block of %d lines", ln.no, j - i - 1)
    return notes, remove


def _mark(body: list[Line], note: RawNote) -> None:
    """Replace the glued marker nearest before the note by a sentinel."""
    n = re.escape(note.marker)
    year_glued = re.compile(rf"(?<=\b\d{{4}}){n}(?=[a-zæøå])")
    word_glued = re.compile(rf"(?<=[a-zæøåA-ZÆØÅ]){n}(?=[.,;:)]|\s|$)")
    before = [ln for ln in body if ln.no < note.line][-_MARKER_SEARCH_LINES:]
    sentinel = f"{NOTE_OPEN}{note.marker}{NOTE_CLOSE}"
    for ln in reversed(before):
        m = year_glued.search(ln.text)
        if m:
            ln.text = ln.text[: m.start()] + sentinel + " " + ln.text[m.end() :]
            log.debug("line %d: note %s marker unglued from a year", ln.no, note.marker)
            return
        matches = list(word_glued.finditer(ln.text))
        if matches:
            m = matches[-1]
            ln.text = ln.text[: m.start()] + sentinel + ln.text[m.end() :]
            log.debug("line %d: note %s marker unglued from a word", ln.no, note.marker)
            return
    log.warning("note %s (line %d): marker not found in the text", note.marker, note.line)


def _alone(lines: list[Line], i: int) -> bool:
    """On a line of its own: at a page boundary, or between blank lines."""
    last = i + 1 >= len(lines)
    if lines[i].page_start or last or lines[i + 1].page_start:
        return True
    return (i == 0 or lines[i - 1].blank) and lines[i + 1].blank
