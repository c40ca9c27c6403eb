"""Vectors for the sentences the composer weighs, without embedding them per question.

The index already holds one late-chunked vector per sentence of every passage
(:mod:`tvaers.index.segments`), pooled from the passage's own forward pass at
ingest. The composer's sentence splitter differs a little from the index's,
so each of its sentences takes the vector of the index sentence it overlaps
most. Embedding the candidate sentences afresh instead took 2.5–7 s per
answer on two cores; a lookup takes about a millisecond. An index built
without segment vectors falls back to embedding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from tvaers.index.segments import sentence_spans

if TYPE_CHECKING:
    from tvaers.runtime import Runtime

__all__ = ["SentenceVectors"]


class SentenceVectors:
    """Looks up (or, without segment vectors, embeds) sentence vectors of passages."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._rows = {c.chunk_id: n for n, c in enumerate(runtime.index.chunks)}
        self._cache: dict[int, tuple[list[tuple[int, int]], np.ndarray] | None] = {}

    def __call__(self, sentences: Sequence[tuple[str, int, int, str]]) -> np.ndarray:
        """Vectors for ``(chunk_id, start, end, text)`` sentences (spans in the chunk text)."""
        out: list[np.ndarray | None] = [self._lookup(*s[:3]) for s in sentences]
        missing = [n for n, v in enumerate(out) if v is None]
        if missing:
            embedded = self.runtime.embedder.embed_passages([sentences[n][3] for n in missing])
            for n, vector in zip(missing, embedded, strict=True):
                out[n] = vector
        if not out:
            return np.zeros((0, self.runtime.embedder.dimension), dtype=np.float32)
        return np.vstack([np.asarray(v, dtype=np.float32) for v in out])

    def _lookup(self, chunk_id: str, start: int, end: int) -> np.ndarray | None:
        row = self._rows.get(chunk_id)
        if row is None or self.runtime.index.segments is None:
            return None
        if row not in self._cache:
            self._cache[row] = self._passage(row)
        cached = self._cache[row]
        if cached is None:
            return None
        spans, vectors = cached
        overlaps = [min(end, b) - max(start, a) for a, b in spans]
        best = int(np.argmax(overlaps))
        return vectors[best] if overlaps[best] > 0 else None

    def _passage(self, row: int) -> tuple[list[tuple[int, int]], np.ndarray] | None:
        segments = self.runtime.index.segments
        assert segments is not None
        spans = sentence_spans(self.runtime.index.chunks[row].text)
        vectors = segments.passage_vectors(row)
        # a passage whose sentences were not all pooled (a token limit) is embedded instead
        return (spans, vectors) if len(spans) == len(vectors) and len(spans) else None
