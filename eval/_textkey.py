"""Chunking-independent text keys for matching gold quotes to clean text.

A quote is copied from the raw document, so it may carry line-break hyphens
(``behand- ling``), other quote marks or spacing than the cleaned text. Both
sides are reduced to the same key (lower-cased letters and digits only, NFKC,
so æøå stay and PDF ligatures such as ``ﬁ`` become ``fi``), and each key
character remembers the clean-text offsets it came from, so a key match maps
back to an exact ``(char_start, char_end)`` span.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

__all__ = ["FuzzyMatch", "TextKey", "text_key"]

#: Length of the n-grams that anchor a fuzzy search.
_ANCHOR_N = 8
#: n-grams more frequent than this in a document are too common to anchor on.
_MAX_ANCHOR_FREQ = 16
#: How many best candidate alignments get the (slower) SequenceMatcher pass.
_CANDIDATES = 4


@dataclass(frozen=True)
class FuzzyMatch:
    """A best-effort alignment: ``ratio`` is difflib's 2·M/T over the two keys."""

    char_start: int
    char_end: int
    ratio: float


def _clusters(text: str) -> list[tuple[int, int]]:
    """Split into (start, end) runs of a base character plus its combining marks,
    so an NFD ``å`` normalises as one letter instead of losing its ring."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            spans.append((start, i))
            start = i
    return spans if text else []


@dataclass
class TextKey:
    """The key of one text plus, per key character, its source offsets."""

    key: str
    starts: list[int]
    ends: list[int]
    _grams: dict[str, list[int]] | None = field(default=None, repr=False)

    def span(self, key_start: int, key_end: int) -> tuple[int, int]:
        """Map a key range back to a source-text range."""
        return self.starts[key_start], self.ends[key_end - 1]

    def find_all(self, needle: str) -> list[int]:
        found: list[int] = []
        pos = self.key.find(needle)
        while pos != -1 and needle:
            found.append(pos)
            pos = self.key.find(needle, pos + 1)
        return found

    def _gram_index(self) -> dict[str, list[int]]:
        if self._grams is None:
            grams: dict[str, list[int]] = defaultdict(list)
            key = self.key
            for i in range(len(key) - _ANCHOR_N + 1):
                grams[key[i : i + _ANCHOR_N]].append(i)
            self._grams = dict(grams)
        return self._grams

    def fuzzy_find(self, needle: str) -> FuzzyMatch | None:
        """Best approximate occurrence of ``needle`` (a key), or None without anchors.

        Rare n-grams shared with the needle vote for an alignment (diagonal);
        only the few best-voted windows are compared with SequenceMatcher, which
        keeps this fast on a 100k-character document.
        """
        n = min(_ANCHOR_N, len(needle))
        if n < 3:
            return None
        votes: dict[int, int] = defaultdict(int)
        if n == _ANCHOR_N:
            grams = self._gram_index()
            for j in range(len(needle) - n + 1):
                positions = grams.get(needle[j : j + n], ())
                if 0 < len(positions) <= _MAX_ANCHOR_FREQ:
                    for p in positions:
                        votes[(p - j) // n] += 1
        else:  # a very short needle: scan directly
            for j in range(len(needle) - n + 1):
                for p in self.find_all(needle[j : j + n])[:_MAX_ANCHOR_FREQ]:
                    votes[(p - j) // n] += 1
        if not votes:
            return None
        best: FuzzyMatch | None = None
        slack = max(n * 2, len(needle) // 4)
        for bucket, _ in sorted(votes.items(), key=lambda kv: -kv[1])[:_CANDIDATES]:
            lo = max(0, bucket * n - slack)
            hi = min(len(self.key), bucket * n + len(needle) + slack)
            match = self._align(needle, lo, hi)
            if match is not None and (best is None or match.ratio > best.ratio):
                best = match
        return best

    def _align(self, needle: str, lo: int, hi: int) -> FuzzyMatch | None:
        window = self.key[lo:hi]
        blocks = [
            b for b in SequenceMatcher(None, needle, window, autojunk=False).get_matching_blocks()
            if b.size
        ]
        if not blocks:
            return None
        # Stray one-letter matches at the window's edges would stretch the span:
        # keep the run of blocks with the best ratio instead of all of them.
        best = (0.0, 0, 0)
        for i in range(len(blocks)):
            matched = 0
            for j in range(i, len(blocks)):
                matched += blocks[j].size
                length = blocks[j].b + blocks[j].size - blocks[i].b
                ratio = 2 * matched / (len(needle) + length)
                if ratio > best[0]:
                    best = (ratio, lo + blocks[i].b, lo + blocks[j].b + blocks[j].size)
        ratio, key_start, key_end = best
        start, end = self.span(key_start, key_end)
        return FuzzyMatch(start, end, ratio)


def text_key(text: str) -> TextKey:
    """Reduce ``text`` to its matching key, keeping the offset map."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        for ch in unicodedata.normalize("NFKC", text[start:end]).lower():
            if ch.isalnum():
                chars.append(ch)
                starts.append(start)
                ends.append(end)
    return TextKey("".join(chars), starts, ends)
