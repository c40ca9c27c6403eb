"""Paragraph reconstruction: join a document's lines into paragraphs and headings.

Line ends in extracted text are layout, not structure. Where a paragraph
ends has to be read from weaker signals, weighed per document (see
``Profile``): a whitespace-only separator line, an empty line after a
sentence end (unless the document is double-spaced, or the empty line falls
mid-sentence at a column break), a short line ending a sentence, a bullet, a
quote after a colon. Hyphenated line ends are joined by the Danish rules of
``dehyphenate``, across blank lines, and a page start is never a break.
"""

from __future__ import annotations

import logging
import re
import statistics
from dataclasses import dataclass, field

from tvaers.contracts import BlockType
from tvaers.ingest.dehyphenate import FLOW_BREAK, Vocabulary, ends_in_hyphen, hyphen_joiner
from tvaers.ingest.headings import FACTBOX_LABELS, HeadingMark
from tvaers.ingest.lines import Line
from tvaers.ingest.profile import Profile
from tvaers.ingest.source import Layout

__all__ = ["BULLET", "Paragraph", "build_paragraphs", "is_bullet"]

log = logging.getLogger(__name__)

BULLET = "• "
_BULLET = re.compile(r"^(?:[•▪●◦■\-*]|o(?= ))\s+")
_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[a-h][.)])\s+\S")
_SENTENCE_END = re.compile(r"[.!?:”)…]$")
_SHORT_END = re.compile(r"[.!?:”]$")
_STANDFIRST_RATIO = 1.2  # standfirst lines run this much wider than the body column
_SENTENCE_START = re.compile(r"(^|[.!?] )([a-zæøå])")


@dataclass
class Paragraph:
    """A heading or a run of lines read as one paragraph."""

    text: str
    lines: list[Line] = field(default_factory=list)
    heading: HeadingMark | None = None
    bullet: bool = False
    kind: BlockType | None = None  # stated by an override, or standfirst by width

    @property
    def first_no(self) -> int:
        return self.lines[0].no

    @property
    def last_no(self) -> int:
        return self.lines[-1].no

    @property
    def page_start(self) -> int | None:
        return next((ln.page for ln in self.lines if ln.page is not None), None)

    @property
    def page_end(self) -> int | None:
        return next((ln.page for ln in reversed(self.lines) if ln.page is not None), None)


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def build_paragraphs(
    lines: list[Line], marks: list[HeadingMark], profile: Profile
) -> list[Paragraph]:
    """Paragraphs and headings in reading order."""
    by_first = {m.first: m for m in marks}
    vocab = Vocabulary(ln.text for ln in lines) if profile.typeset else None
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    spacer = False
    blanks = 0
    for i, ln in enumerate(lines):
        if ln.is_heading:
            if i in by_first:
                mark = by_first[i]
                span = lines[mark.first : mark.last + 1]
                out.append(Paragraph(mark.text, [x for x in span if x.text], heading=mark))
            cur, spacer, blanks = None, False, 0
            continue
        if ln.blank:
            spacer = spacer or ln.spacer
            blanks += 1
            continue
        text, bullet = _strip_bullet(ln.text)
        if cur is not None and profile.layout != Layout.STRUCTURED:
            joined = _join(cur, ln, text, bullet, profile, vocab, spacer, blanks)
            if joined is not None:
                cur.text = joined
                cur.lines.append(ln)
                spacer, blanks = False, 0
                continue
        cur = Paragraph(BULLET + text if bullet else text, [ln], bullet=bullet, kind=ln.kind)
        out.append(cur)
        spacer, blanks = False, 0
    for para in out:
        _mark_standfirst(para, profile)
    return out


def _join(
    cur: Paragraph,
    ln: Line,
    text: str,
    bullet: bool,
    profile: Profile,
    vocab: Vocabulary | None,
    spacer: bool,
    blanks: int,
) -> str | None:
    """``cur`` extended by ``ln``, or ``None`` when ``ln`` starts a new paragraph."""
    prev = cur.lines[-1]
    if ln.kind != cur.kind or ln.break_before or bullet:
        return None
    if FACTBOX_LABELS.match(text) or FACTBOX_LABELS.match(cur.text):
        return None
    if ends_in_hyphen(cur.text):
        joiner = hyphen_joiner(cur.text, text, typeset=profile.typeset, vocabulary=vocab)
        if joiner is FLOW_BREAK:
            log.debug("line %d: flow break after %r", ln.no, cur.text[-30:])
            return None
        return cur.text[:-1] + joiner + text
    if cur.kind is BlockType.STANDFIRST and not spacer:
        return f"{cur.text} {text}"  # a stated standfirst is one lead paragraph
    if spacer or _breaks(cur, prev, ln, text, profile, blanks):
        return None
    return f"{cur.text} {text}"


def _breaks(cur: Paragraph, prev: Line, ln: Line, text: str, profile: Profile, blanks: int) -> bool:
    ends = bool(_SENTENCE_END.search(cur.text))
    if text.startswith("”") and cur.text.endswith(":"):
        return True
    if _ITEM.match(text) and (ends or cur.text.endswith(":")):
        return True
    if blanks and not profile.double_spaced and ends:
        return True
    if prev.forced_break and ends:
        return True
    return bool(_SHORT_END.search(cur.text)) and len(prev.text) < profile.short_line


def _strip_bullet(text: str) -> tuple[str, bool]:
    m = _BULLET.match(text)
    if not m:
        return text, False
    return text[m.end() :], True


def _mark_standfirst(para: Paragraph, profile: Profile) -> None:
    """Wide single-spaced lead paragraphs of typeset documents; repair lost capitals."""
    if para.kind is BlockType.STANDFIRST:  # stated by an override
        _repair_capitals(para)
        return
    if para.heading or para.kind or para.bullet or not profile.typeset or len(para.lines) < 2:
        return
    width = statistics.median(len(ln.text) for ln in para.lines)
    if width < profile.width * _STANDFIRST_RATIO:
        return
    para.kind = BlockType.STANDFIRST
    _repair_capitals(para)


def _repair_capitals(para: Paragraph) -> None:
    """A standfirst starting lower-case lost its sentence capitals: restore them."""
    if para.text[:1].islower():
        log.debug("line %d: standfirst lost its capitals; restoring them", para.first_no)
        para.text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), para.text)
