"""Retrieval metrics over gold spans, independent of how the corpus is chunked.

A retrieved chunk counts as a hit for a gold quote when it lies in the same
document and covers at least half of the quote's characters: a long quote cut
in two by chunking is then found by the chunk holding most of it, and a chunk
that merely touches a quote's edge is not credited.

Each function takes one item's ranked judgements, ``judge(hits, spans)``: per
rank, the indices of the gold spans that hit covers. Ranks are 1-based.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "Judged",
    "Located",
    "Span",
    "all_docs_hit",
    "covers",
    "first_hit_rank",
    "hit_at_k",
    "judge",
    "mean",
    "ndcg_at_k",
    "percentile",
    "reciprocal_rank",
]


class Located(Protocol):
    """Anything with a document and a clean-text range, e.g. ``Hit`` or ``Chunk``."""

    @property
    def doc_id(self) -> str: ...
    @property
    def char_start(self) -> int: ...
    @property
    def char_end(self) -> int: ...


@dataclass(frozen=True)
class Span:
    """A gold quote's location in its document's ``clean_text``."""

    doc_id: str
    char_start: int
    char_end: int


#: Per rank, the indices of the gold spans the hit at that rank covers.
Judged = Sequence[frozenset[int]]


def covers(chunk_start: int, chunk_end: int, span_start: int, span_end: int) -> bool:
    """True when ``[chunk_start, chunk_end)`` holds at least half of the span."""
    length = span_end - span_start
    if length <= 0:
        return False
    overlap = min(chunk_end, span_end) - max(chunk_start, span_start)
    return 2 * overlap >= length


def judge(hits: Sequence[Located], spans: Sequence[Located]) -> list[frozenset[int]]:
    """Which gold spans each ranked hit covers (same document, half-coverage rule)."""
    return [
        frozenset(
            i for i, s in enumerate(spans)
            if s.doc_id == h.doc_id and covers(h.char_start, h.char_end, s.char_start, s.char_end)
        )
        for h in hits
    ]


def first_hit_rank(judged: Judged, k: int | None = None) -> int | None:
    """1-based rank of the first hit covering any gold span within the top k."""
    for rank, covered in enumerate(judged[:k] if k else judged, start=1):
        if covered:
            return rank
    return None


def hit_at_k(judged: Judged, k: int) -> bool:
    """At least one gold span is hit in the top k: one item's share of recall@k."""
    return first_hit_rank(judged, k) is not None


def reciprocal_rank(judged: Judged, k: int = 10) -> float:
    """1/rank of the first hit within the top k, else 0: one item's share of MRR@k."""
    rank = first_hit_rank(judged, k)
    return 1.0 / rank if rank else 0.0


def ndcg_at_k(judged: Judged, n_spans: int, k: int = 10) -> float:
    """nDCG@k with binary gains, each gold span credited at most once.

    A hit gains 1 when it covers a span not yet credited, and then credits one
    such span (the lowest index); a second chunk covering an already credited
    span gains nothing. The ideal DCG is that of ``min(n_spans, k)`` hits at
    the top, so an item whose quotes all fall in one chunk cannot reach 1.
    """
    if n_spans <= 0:
        return 0.0
    credited: set[int] = set()
    dcg = 0.0
    for rank, covered in enumerate(judged[:k], start=1):
        fresh = covered - credited
        if fresh:
            credited.add(min(fresh))
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_spans, k) + 1))
    return dcg / ideal


def all_docs_hit(judged: Judged, spans: Sequence[Located], k: int = 10) -> bool:
    """Every gold document has at least one of its spans hit in the top k (crossdoc)."""
    wanted = {s.doc_id for s in spans}
    found = {spans[i].doc_id for covered in judged[:k] for i in covered}
    return bool(wanted) and wanted <= found


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without numpy."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
