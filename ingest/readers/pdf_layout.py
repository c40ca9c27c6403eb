"""Reading order for positioned PDF words: lines, column gutters, paragraph gaps.

A PDF's text layer is a bag of positioned words. This module groups them
into lines, finds column gutters (a vertical band that no line, or only a
few full-width ones, crosses) and reads each column top to bottom before the
next; lines crossing a gutter (titles, wide boxes) split the page into tiers
read in turn. A blank line marks a vertical gap or a change of font size,
the only paragraph signals a PDF gives.
"""

from __future__ import annotations

import itertools
import math
import statistics
from dataclasses import dataclass

__all__ = ["Line", "Word", "physical_lines", "reading_order"]

MAX_COLUMN_DEPTH = 2  # split at most twice: up to four columns
MIN_COLUMN_EMS = 12  # a column of running text is at least ~25 characters wide


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class Line:
    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in sorted(self.words, key=lambda w: w.x0))


def physical_lines(words: list[Word]) -> list[Line]:
    """Cluster words by vertical position; words of one line share (nearly) one top."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            last = lines[-1]
            tolerance = max(1.0, 0.4 * min(word.size, last.words[0].size))
            if abs(word.top - last.words[0].top) <= tolerance:
                last.words.append(word)
                continue
        lines.append(Line([word]))
    return lines


def reading_order(lines: list[Line]) -> list[str]:
    """Text lines in reading order, with a blank line where a paragraph gap shows."""
    ordered = _order(lines, depth=0)
    pitch = _median_pitch(ordered)
    out: list[str] = []
    prev: Line | None = None
    for line in ordered:
        if prev is not None and _paragraph_gap(prev, line, pitch):
            out.append("")
        out.append(line.text)
        prev = line
    return out


def _order(lines: list[Line], depth: int) -> list[Line]:
    words = [w for line in lines for w in line.words]
    if not words:
        return []
    if depth >= MAX_COLUMN_DEPTH:
        return lines
    gutter = _find_gutter(lines)
    if gutter is None:
        return lines
    g0, g1 = gutter
    out: list[Line] = []
    left: list[Word] = []
    right: list[Word] = []

    def flush() -> None:
        out.extend(_order(physical_lines(left), depth + 1))
        out.extend(_order(physical_lines(right), depth + 1))
        left.clear()
        right.clear()

    for line in lines:
        if any(w.x0 < g1 and w.x1 > g0 for w in line.words):  # crosses the gutter
            flush()
            out.append(line)
            continue
        for w in line.words:
            (left if w.x1 <= g0 else right).append(w)
    flush()
    return out


def _find_gutter(lines: list[Line]) -> tuple[float, float] | None:
    """A vertical band that (almost) no line crosses, with a real column on each side.

    Bands crossed by no line are preferred; a few crossing lines (a full-width
    title or box) are allowed when no clean band exists. Both columns must be
    wide enough for running text (``MIN_COLUMN_EMS``), which keeps aligned
    word gaps inside one justified column from passing for a gutter.
    """
    if len(lines) < 4:
        return None
    x0 = min(w.x0 for ln in lines for w in ln.words)
    x1 = max(w.x1 for ln in lines for w in ln.words)
    em = statistics.median(w.size for ln in lines for w in ln.words)
    min_column = MIN_COLUMN_EMS * em
    lo, hi = math.ceil(x0 + min_column), math.floor(x1 - min_column)
    if hi - lo < 2:
        return None
    cover = [0] * (hi - lo)
    for line in lines:
        hit = [False] * (hi - lo)
        for w in line.words:
            for x in range(max(lo, math.floor(w.x0)), min(hi, math.ceil(w.x1))):
                hit[x - lo] = True
        for i, h in enumerate(hit):
            cover[i] += h
    min_gap = max(6.0, 0.8 * em)
    for allowance in range(max(1, len(lines) // 8) + 1):
        band = _widest_run(cover, allowance)
        if band is None or band[1] - band[0] < min_gap:
            continue
        g0, g1 = float(lo + band[0]), float(lo + band[1])
        return (g0, g1) if _side_by_side(lines, g0, g1) else None
    return None


def _widest_run(cover: list[int], allowance: int) -> tuple[int, int] | None:
    best: tuple[int, int] | None = None
    start = None
    for i, c in enumerate([*cover, allowance + 1]):
        if c <= allowance and start is None:
            start = i
        elif c > allowance and start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def _side_by_side(lines: list[Line], g0: float, g1: float) -> bool:
    """Columns hold text on both sides of the gutter, at the same heights."""
    left = right = both = 0
    for line in lines:
        if any(w.x0 < g1 and w.x1 > g0 for w in line.words):
            continue
        has_left = any(w.x1 <= g0 for w in line.words)
        has_right = any(w.x0 >= g1 for w in line.words)
        left += has_left
        right += has_right
        both += has_left and has_right
    return left >= 3 and right >= 3 and both >= 2


def _median_pitch(lines: list[Line]) -> float:
    steps = [b.top - a.top for a, b in itertools.pairwise(lines) if b.top > a.top]
    return statistics.median(steps) if steps else 0.0


def _paragraph_gap(prev: Line, line: Line, pitch: float) -> bool:
    if line.top <= prev.top:  # a new column or tier starts higher up: no paragraph signal
        return False
    if pitch and line.top - prev.top > 1.6 * pitch:
        return True
    return abs(line.size - prev.size) > 0.15 * max(line.size, prev.size)
