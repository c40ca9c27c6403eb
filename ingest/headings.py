"""Heading detection for text without markup, and the levels that make paths.

A heading in extracted text is a short line that does not end a sentence,
standing where a paragraph may start, and followed by text that starts a
sentence. Around that core, the reports add their own signals: numbered
sections (``3.1 …``), ALL CAPS titles, two-line headings held together by a
forced line break (two trailing spaces), and small-caps chapter titles whose
case the extraction corrupted (``samarBejdets syv PLager``). Levels come from
the style: chapters on top, numbered sections by their depth, plain headings
one below the section they sit in. Overrides settle what the rules miss.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from tvaers.ingest.dehyphenate import ends_in_hyphen, join_hyphenated
from tvaers.ingest.lines import Line
from tvaers.ingest.overrides import DocumentOverrides
from tvaers.ingest.profile import Profile

__all__ = ["FACTBOX_LABELS", "PROPER_NOUNS", "HeadingMark", "detect_headings", "repair_small_caps"]

log = logging.getLogger(__name__)

# Proper nouns that lower-casing a small-caps title would damage.
PROPER_NOUNS = ("Psykiatriens Hus", "Silkeborg", "Randers", "Fyn", "Viborg", "Danmark")

# Box labels of project fact boxes: labels on their own line, never headings or body text.
FACTBOX_LABELS = re.compile(
    r"^(Projektdeltagere|Hovedaktiviteter|Eksterne partnere|Ekstern partner|Deltagere)\s*:?$"
)
_SMALL_CAPS = re.compile(r"[a-zæøå][BCLPØ]")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(\S.*)$")
_CAPS = re.compile(r"^[A-ZÆØÅ][A-ZÆØÅ \-–]{7,}$")
_SENTENCE_END = re.compile(r"[.!?:”)…]$")
_NO_HEADING_END = re.compile(r"[.,;:”!\-–]$")
_NO_HEADING_START = ("•", "”", "–", "(", "o ", "- ", "…")
_BYLINE = re.compile(r"^[A-ZÆØÅ][\w.-]*(?:(?:,| &| og)? [A-ZÆØÅ][\w.-]*)+$")
_CONT_MAX = 30  # continuation lines of a chapter title are short


@dataclass
class HeadingMark:
    """A heading spanning ordered lines ``first..last`` (indices into the line list)."""

    first: int
    last: int
    text: str
    style: str  # title | chapter | numbered | caps | plain | forced | structured
    depth: int = 1
    level: int = 1
    nest: bool = False  # detected headings that follow sit one level below this one


def repair_small_caps(text: str) -> str:
    """``samarBejdets syv PLager`` → ``Samarbejdets syv plager``, proper nouns restored."""
    fixed = text.lower()
    fixed = fixed[:1].upper() + fixed[1:]
    for noun in PROPER_NOUNS:
        fixed = re.sub(rf"\b{re.escape(noun)}\b", noun, fixed, flags=re.IGNORECASE)
    return fixed


def detect_headings(
    lines: list[Line], profile: Profile, overrides: DocumentOverrides | None = None
) -> list[HeadingMark]:
    """Find headings, mark their lines and give each a level."""
    overrides = overrides or DocumentOverrides()
    marks = _forced(lines, overrides)
    taken = {i for m in marks for i in range(m.first, m.last + 1)}
    never = set(overrides.not_headings)
    content = [i for i, ln in enumerate(lines) if ln.text]
    title = _title(lines, content, profile)
    if (
        title
        and lines[title.first].page_start
        and _is_chapter(lines[title.first], title.text, lines, None)
    ):
        title = None  # a lower-case small-caps opener: handled as a chapter below
    if title and not taken & set(range(title.first, title.last + 1)):
        marks.append(title)
        taken.update(range(title.first, title.last + 1))
    pos = 0
    while pos < len(content):
        i = content[pos]
        if i in taken or lines[i].no in never:
            pos += 1
            continue
        mark = _detect_at(lines, content, pos, profile, marks, taken)
        if mark is None:
            pos += 1
            continue
        log.debug("line %d: %s heading %r", lines[i].no, mark.style, mark.text)
        marks.append(mark)
        taken.update(range(mark.first, mark.last + 1))
        pos = next((k for k, j in enumerate(content) if j > mark.last), len(content))
    marks.sort(key=lambda m: m.first)
    _assign_levels(lines, marks)
    for m in marks:
        lines[m.first].heading = m.level
        for j in range(m.first + 1, m.last + 1):
            lines[j].heading_cont = True
    return marks


def _forced(lines: list[Line], overrides: DocumentOverrides) -> list[HeadingMark]:
    index = {ln.no: i for i, ln in enumerate(lines)}
    marks = []
    for h in overrides.headings:
        span = [index[n] for n in range(h.start, h.end + 1) if n in index]
        if not span:
            log.warning("heading override %s: lines not found", h)
            continue
        text = h.text or _join_text([lines[i] for i in span if lines[i].text])
        if _SMALL_CAPS.search(text):
            text = repair_small_caps(text)
        marks.append(HeadingMark(span[0], span[-1], text, "forced", level=h.level, nest=h.nest))
    return marks


def _title(lines: list[Line], content: list[int], profile: Profile) -> HeadingMark | None:
    """The first one or two lines, when they stand apart and do not end a sentence."""
    if not content or content[0] != next(i for i, ln in enumerate(lines) if ln.text):
        return None
    first = content[0]
    span = [first]
    if len(content) > 1 and _continues_title(lines, first, content[1]):
        span.append(content[1])
    last = span[-1]
    text = _join_text([lines[i] for i in span])
    if len(text) > 150 or _NO_HEADING_END.search(text) or text.startswith(_NO_HEADING_START):
        return None
    after = lines[last + 1] if last + 1 < len(lines) else None
    if after is not None and after.text and not after.spacer:
        return None
    if profile.double_spaced and not (text.endswith("?") or after is None or after.spacer):
        nxt = next((j for j in content if j > last), None)
        if nxt is None or not lines[nxt].text[:1].isupper():
            return None
    return HeadingMark(span[0], last, text, "title")


def _continues_title(lines: list[Line], first: int, second: int) -> bool:
    between = lines[first + 1 : second]
    if any(ln.spacer for ln in between) or len(between) > 1:
        return False
    return lines[second].text[:1].islower() and not _SENTENCE_END.search(lines[first].text)


def _detect_at(
    lines: list[Line],
    content: list[int],
    pos: int,
    profile: Profile,
    marks: list[HeadingMark],
    taken: set[int],
) -> HeadingMark | None:
    i = content[pos]
    ln = lines[i]
    text = _plain(ln.text)
    prev_i = content[pos - 1] if pos else None
    next_i = content[pos + 1] if pos + 1 < len(content) else None
    if _is_chapter(ln, text, lines, prev_i):
        return _chapter(lines, content, pos, taken)
    if not _boundary_before(lines, i, prev_i, profile, marks):
        return None
    if text.startswith(_NO_HEADING_START) or FACTBOX_LABELS.match(text) or next_i is None:
        return None
    if (
        prev_i is not None
        and _BYLINE.match(text)
        and any(m.style == "title" and m.last == prev_i for m in marks)
    ):
        return None  # the authors under the title
    nxt = lines[next_i]
    numbered = _NUMBERED.match(text)
    if numbered and (numbered.group(2) or "." in numbered.group(1)):
        return _numbered(lines, i, next_i, text, numbered, profile)
    max_len = 70 if not profile.typeset else max(40, int(profile.width * 0.75))
    if len(text) > max_len or not text[:1].isupper() or _NO_HEADING_END.search(text):
        return None
    if _CAPS.match(text) and _starts_sentence(nxt.text):
        return HeadingMark(i, i, text, "caps")
    last, text = _extend(lines, content, pos, text, max_len)
    after = next((j for j in content if j > last), None)
    if after is None or not _starts_sentence(lines[after].text):
        return None
    blank_after = after > last + 1
    if text.endswith("?") and blank_after and not profile.double_spaced:
        return None  # a question followed by a gap is a (lost) list item
    if profile.typeset and not profile.double_spaced and not (blank_after or ln.forced_break):
        return None
    return HeadingMark(i, last, text, "plain")


def _numbered(
    lines: list[Line], i: int, next_i: int, text: str, m: re.Match[str], profile: Profile
) -> HeadingMark | None:
    limit = 95 if not profile.typeset else max(45, int(profile.width * 0.8))
    if len(text) > limit or not m.group(3)[:1].isupper() or text.endswith((",", ";", ".")):
        return None
    nxt = lines[next_i].text
    last = i
    if nxt[:1].islower() and not _SENTENCE_END.search(text):
        if len(nxt) > _CONT_MAX or next_i > i + 2:
            return None  # a numbered list item that wraps
        text, last = f"{text} {nxt}", next_i
    elif (
        lines[i].forced_break
        and next_i <= i + 2
        and len(nxt) <= 45
        and not _SENTENCE_END.search(nxt)
    ):
        text, last = _join_text([lines[i], lines[next_i]]), next_i
    depth = m.group(1).count(".") + 1
    return HeadingMark(i, last, text, "numbered", depth=depth)


def _is_chapter(ln: Line, text: str, lines: list[Line], prev_i: int | None) -> bool:
    """A page-start title in corrupted small caps, or a lower-case page-start title."""
    bare = text.removesuffix("...").removesuffix("…").rstrip()
    if not ln.page_start or len(text) > 40 or _NO_HEADING_END.search(bare):
        return False
    if _SMALL_CAPS.search(text):
        return True
    prev_ends = prev_i is None or bool(_SENTENCE_END.search(lines[prev_i].text))
    return text[:1].islower() and prev_ends and text.split()[0].isalpha()


def _chapter(lines: list[Line], content: list[int], pos: int, taken: set[int]) -> HeadingMark:
    span = [content[pos]]
    for j in content[pos + 1 :]:
        t = lines[j].text
        if j in taken or j > span[-1] + 2 or len(t) > _CONT_MAX or _NO_HEADING_END.search(t):
            break
        if not (_SMALL_CAPS.search(t) or t[:1].islower() or len(t.split()) <= 3):
            break
        span.append(j)
    text = repair_small_caps(_join_text([lines[j] for j in span]))
    return HeadingMark(span[0], span[-1], text, "chapter")


def _extend(
    lines: list[Line], content: list[int], pos: int, text: str, max_len: int
) -> tuple[int, str]:
    """Follow forced line breaks and hyphens onto the heading's next short lines."""
    parts = [lines[content[pos]]]
    k = pos
    while k + 1 < len(content) and (parts[-1].forced_break or ends_in_hyphen(parts[-1].text)):
        j = content[k + 1]
        nxt = lines[j]
        if j > content[k] + 2 or len(nxt.text) > max_len or _NO_HEADING_END.search(nxt.text):
            break
        if nxt.text.startswith("•"):
            break
        parts.append(nxt)
        k += 1
    return content[k], _join_text(parts)


def _boundary_before(
    lines: list[Line], i: int, prev_i: int | None, profile: Profile, marks: list[HeadingMark]
) -> bool:
    if prev_i is None or any(m.last == prev_i for m in marks):
        return True
    between = lines[prev_i + 1 : i]
    if any(ln.spacer for ln in between):
        return True
    prev = _plain(lines[prev_i].text)
    if not _SENTENCE_END.search(prev):
        return False
    return profile.double_spaced or profile.typeset or bool(between) or lines[i].page_start


def _starts_sentence(text: str) -> bool:
    first = text[:1]
    return first.isupper() or first.isdigit() or first in "•–"


def _plain(text: str) -> str:
    return re.sub("\ue000[^\ue001]*\ue001", "", text)


def _join_text(parts: list[Line]) -> str:
    out = ""
    for ln in parts:
        t = ln.text
        if out and ends_in_hyphen(out):
            out = join_hyphenated(out, t, typeset=True) or f"{out} {t}"
        else:
            out = f"{out} {t}" if out else t
    return out


def _assign_levels(lines: list[Line], marks: list[HeadingMark]) -> None:
    """Chapters on top; numbered runs by depth under their anchor; plain one below.

    A stated heading with ``nest`` opens a scope: detected headings after it
    go one level below it until a stated heading of its level or higher.
    """
    chapter = 0
    scope = 0
    numbered_level: int | None = None
    anchor = 0
    prev: HeadingMark | None = None
    for m in marks:
        adjacent = prev is not None and not any(
            lines[j].text for j in range(prev.last + 1, m.first) if not lines[j].is_heading
        )
        if m.style in ("title", "chapter"):
            m.level, chapter, numbered_level = 1, 1 if m.style == "chapter" else 0, None
            scope = 0
        elif m.style in ("forced", "structured"):
            if m.level <= chapter or chapter == 0:
                chapter = m.level if m.level == 1 else chapter
            if m.nest:
                scope = m.level
            elif m.level <= scope:
                scope = 0
            numbered_level = None
        elif m.style == "numbered":
            number = _NUMBERED.match(m.text)
            first_of_run = number is not None and number.group(1) == "1"
            if first_of_run:
                anchor = (
                    prev.level
                    if adjacent and prev and prev.style != "title"
                    else max(chapter, scope)
                )
            m.level = anchor + m.depth
            numbered_level = m.level
        elif m.style == "caps":
            m.level, numbered_level = max(chapter, scope) + 1, None
        else:
            m.level = (numbered_level or max(chapter, scope)) + 1
        prev = m
