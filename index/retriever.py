"""Hybrid search: dense and BM25 candidates fused into ranked :class:`Hit` s."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tvaers.contracts import Hit
from tvaers.errors import StaleIndexError
from tvaers.index.fusion import Fusion, Ranking
from tvaers.index.language import detect_language
from tvaers.index.protocols import Embedder
from tvaers.index.store import Index
from tvaers.settings import SearchMode

__all__ = ["Retriever"]


class Retriever:
    """Searches one loaded index with one embedder.

    ``candidates`` rows come from each retriever before fusion; a passage the
    other retriever ranks far down still gets its raw score when it is among
    them. Hit scores: the fused score in hybrid mode, else the raw score;
    ``Hit.scores`` always holds ``{"dense": cosine, "bm25": score}`` (None when
    that retriever did not return the passage or was not run).

    When the index has segment vectors and ``segment_weight`` > 0, dense
    search ranks passages by ``(1 - w) * passage cosine + w * best sentence
    cosine`` (:mod:`tvaers.index.segments`); candidates are the best passages
    by either, scored exactly. ``Hit.scores["dense"]`` stays the passage
    cosine, and is the dense-mode ``Hit.score`` only without segments.

    Example:
        >>> retriever = Retriever(load_index(path), embedder)  # doctest: +SKIP
        >>> retriever.search("Hvordan skaber man tillid på tværs?", k=5)  # doctest: +SKIP
    """

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        *,
        fusion: Fusion | None = None,
        candidates: int = 50,
        segment_weight: float = 0.0,
    ) -> None:
        if candidates < 1:
            raise ValueError(f"candidates must be >= 1, got {candidates}")
        if not 0.0 <= segment_weight <= 1.0:
            raise ValueError(f"segment_weight must be in [0, 1], got {segment_weight}")
        if embedder.model_id != index.manifest.model_id:
            raise StaleIndexError(
                f"the index at {index.path} was built with {index.manifest.model_id!r}, "
                f"the loaded model is {embedder.model_id!r}; run `tvaers ingest` to rebuild"
            )
        self.index = index
        self.embedder = embedder
        self.fusion = fusion or Fusion()
        self.candidates = candidates
        self.segment_weight = segment_weight

    def search(
        self,
        query: str,
        k: int = 10,
        mode: SearchMode = SearchMode.HYBRID,
        lang: str | None = None,
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """``vector``: the query's embedding when the caller already has it."""
        vectors = None if vector is None else np.asarray(vector, dtype=np.float32).reshape(1, -1)
        return self.search_many([query], k=k, mode=mode, lang=lang, vectors=vectors)[0]

    def search_many(
        self,
        queries: Sequence[str],
        k: int = 10,
        mode: SearchMode = SearchMode.HYBRID,
        lang: str | None = None,
        vectors: np.ndarray | None = None,
    ) -> list[list[Hit]]:
        """Search several questions, embedding them in one batch (unless ``vectors`` given)."""
        mode = SearchMode(mode)
        if k < 1:
            raise ValueError(f"k must be >= 1, got {k}")
        if not queries:
            return []
        depth = max(k, self.candidates)
        langs = [lang or detect_language(q) for q in queries]
        dense: list[Ranking] = [[] for _ in queries]
        cosines: list[dict[int, float]] = [{} for _ in queries]
        lexical: list[Ranking] = [[] for _ in queries]
        if mode is not SearchMode.BM25:
            if vectors is None:
                vectors = np.asarray(self.embedder.embed_queries(list(queries)), dtype=np.float32)
            dense = self.index.vectors.search(vectors, depth)
            cosines = [dict(ranking) for ranking in dense]
            if self.index.segments is not None and self.segment_weight > 0:
                dense, cosines = self._with_segments(vectors, dense, depth)
        if mode is not SearchMode.DENSE:
            analyzer = self.index.analyzer
            lexical = [
                self.index.lexical.search(analyzer.analyze_query(q, lang=ql), depth)
                for q, ql in zip(queries, langs, strict=True)
            ]
        return [
            self._hits(d, b, c, mode, ql, k)
            for d, b, c, ql in zip(dense, lexical, cosines, langs, strict=True)
        ]

    def _with_segments(
        self, vectors: np.ndarray, dense: list[Ranking], depth: int
    ) -> tuple[list[Ranking], list[dict[int, float]]]:
        """Re-rank each query's passages by the passage/best-sentence mix."""
        segments = self.index.segments
        assert segments is not None
        weight = self.segment_weight
        by_segment = segments.candidates(vectors, depth * 4)
        rankings: list[Ranking] = []
        cosines: list[dict[int, float]] = []
        for vector, ranking, extra in zip(vectors, dense, by_segment, strict=True):
            rows = list(dict.fromkeys([idx for idx, _ in ranking] + extra))
            cos = dict(ranking)
            missing = [r for r in rows if r not in cos]
            if missing:
                found = self.index.vectors.reconstruct(np.array(missing)) @ vector
                cos.update(zip(missing, (float(x) for x in found), strict=True))
            best = segments.best_per_passage(vector, rows)
            mixed = {
                r: (1 - weight) * cos[r] + weight * best.get(r, cos[r]) for r in rows
            }
            order = sorted(rows, key=lambda r: (-mixed[r], r))[:depth]
            rankings.append([(r, mixed[r]) for r in order])
            cosines.append(cos)
        return rankings, cosines

    def _hits(
        self,
        dense: Ranking,
        lexical: Ranking,
        cosines: dict[int, float],
        mode: SearchMode,
        lang: str,
        k: int,
    ) -> list[Hit]:
        if mode is SearchMode.HYBRID:
            fused = self.fusion.fuse({"dense": dense, "bm25": lexical}, lang=lang, limit=k)
            rows = [
                (h.idx, h.score, {**h.scores, "dense": cosines.get(h.idx)}) for h in fused
            ]
        else:
            ranking = dense if mode is SearchMode.DENSE else lexical
            name = "dense" if mode is SearchMode.DENSE else "bm25"
            rows = [
                (idx, score, {"dense": cosines.get(idx), "bm25": None})
                if name == "dense"
                else (idx, score, {"dense": None, "bm25": score})
                for idx, score in ranking[:k]
            ]
        hits = []
        for idx, score, scores in rows:
            chunk = self.index.chunks[idx]
            hits.append(
                Hit.from_chunk(chunk, self.index.title(chunk.doc_id), score=score, scores=scores)
            )
        return hits
