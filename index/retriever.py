"""Hybrid search: dense and BM25 candidates fused into ranked :class:`Hit` s."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tvaers.contracts import Hit
from tvaers.errors import StaleIndexError
from tvaers.index.fusion import Fusion, Ranking
from tvaers.index.language import detect_language
from tvaers.index.protocols import Embedder, TokenEmbedder
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

    When the index has token vectors and ``late_bm25_weight`` is not None,
    hybrid mode scores the union of both retrievers' candidates by late
    interaction instead of RRF: ``late + late_bm25_weight * bm25 / max bm25``
    (:mod:`tvaers.index.token_vectors`), over the best ``late_candidates`` of
    each (20 scored as well as 50 on the tune split, in a third of the time),
    and ``Hit.scores`` adds ``"late"``.
    Such a search needs the question's token vectors, from one torch pass
    (:meth:`embed_questions`). A follow-up searched with its thread's question
    in front names its own words as ``focus``: the thread's tokens then count
    half (:data:`~tvaers.index.token_vectors.CONTEXT_WEIGHT`).

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
        late_bm25_weight: float | None = None,
        late_candidates: int = 20,
    ) -> None:
        if candidates < 1:
            raise ValueError(f"candidates must be >= 1, got {candidates}")
        if not 0.0 <= segment_weight <= 1.0:
            raise ValueError(f"segment_weight must be in [0, 1], got {segment_weight}")
        if late_candidates < 1:
            raise ValueError(f"late_candidates must be >= 1, got {late_candidates}")
        if late_bm25_weight is not None and late_bm25_weight < 0:
            raise ValueError(f"late_bm25_weight must be >= 0, got {late_bm25_weight}")
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
        self.late_bm25_weight = late_bm25_weight
        self.late_candidates = late_candidates

    @property
    def late_interaction(self) -> bool:
        """True when hybrid search scores by late interaction (index and settings allow)."""
        return self.index.tokens is not None and self.late_bm25_weight is not None

    def embed_questions(
        self,
        queries: Sequence[str],
        mode: SearchMode = SearchMode.HYBRID,
        focus: Sequence[str | None] | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Question vectors, plus token vectors when ``mode`` will score with them.

        Callers that also need the vector (the evidence score) embed once here
        and pass both to :meth:`search`. ``focus``: per query, the follow-up
        it ends with, or None.
        """
        if SearchMode(mode) is SearchMode.HYBRID and self.late_interaction:
            token_embedder: TokenEmbedder = self.embedder  # type: ignore[assignment]
            return token_embedder.embed_queries_with_tokens(list(queries), focus)
        return np.asarray(self.embedder.embed_queries(list(queries)), dtype=np.float32), None

    def search(
        self,
        query: str,
        k: int = 10,
        mode: SearchMode = SearchMode.HYBRID,
        lang: str | None = None,
        vector: np.ndarray | None = None,
        tokens: np.ndarray | None = None,
        focus: str | None = None,
    ) -> list[Hit]:
        """``vector``, ``tokens``: the query's embeddings when the caller already has them.
        ``focus``: the follow-up that ``query`` ends with, after its thread's question."""
        vectors = None if vector is None else np.asarray(vector, dtype=np.float32).reshape(1, -1)
        return self.search_many(
            [query], k=k, mode=mode, lang=lang, vectors=vectors,
            tokens=None if tokens is None else [tokens], focus=[focus],
        )[0]

    def search_many(
        self,
        queries: Sequence[str],
        k: int = 10,
        mode: SearchMode = SearchMode.HYBRID,
        lang: str | None = None,
        vectors: np.ndarray | None = None,
        tokens: Sequence[np.ndarray] | None = None,
        focus: Sequence[str | None] | None = None,
    ) -> list[list[Hit]]:
        """Search several questions, embedding them in one batch (unless ``vectors`` given;
        late interaction also needs ``tokens``, else it embeds them again)."""
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
        bm25: list[np.ndarray] = []
        late = mode is SearchMode.HYBRID and self.late_interaction
        if mode is not SearchMode.BM25:
            if vectors is None or (late and tokens is None):
                vectors, tokens = self.embed_questions(queries, mode, focus)
            dense = self.index.vectors.search(vectors, depth)
            cosines = [dict(ranking) for ranking in dense]
            if self.index.segments is not None and self.segment_weight > 0:
                dense, cosines = self._with_segments(vectors, dense, depth)
        if mode is not SearchMode.DENSE:
            analyzer = self.index.analyzer
            bm25 = [
                self.index.lexical.scores(analyzer.analyze_query(q, lang=ql))
                for q, ql in zip(queries, langs, strict=True)
            ]
            lexical = [self.index.lexical.top(row, depth) for row in bm25]
        if late:
            assert tokens is not None
            return [
                self._late_hits(d, b, c, t, s, k)
                for d, b, c, t, s in zip(dense, lexical, cosines, tokens, bm25, strict=True)
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

    def _late_hits(
        self,
        dense: Ranking,
        lexical: Ranking,
        cosines: dict[int, float],
        tokens: np.ndarray,
        bm25: np.ndarray,
        k: int,
    ) -> list[Hit]:
        """Both retrievers' candidates, scored by late interaction plus normalised BM25."""
        assert self.index.tokens is not None and self.late_bm25_weight is not None
        depth = max(k, self.late_candidates)
        rows = list(dict.fromkeys([i for i, _ in dense[:depth]] + [i for i, _ in lexical[:depth]]))
        late = dict(zip(rows, self.index.tokens.maxsim(tokens, rows), strict=True))
        top = float(bm25.max()) if len(bm25) else 0.0
        weight = self.late_bm25_weight / top if top > 0 else 0.0
        fused = {r: late[r] + weight * float(bm25[r]) for r in rows}
        order = sorted(rows, key=lambda r: (-fused[r], r))[:k]
        return [
            self._hit(
                r,
                fused[r],
                {
                    "dense": cosines.get(r),
                    "bm25": float(bm25[r]) if bm25[r] > 0 else None,
                    "late": late[r],
                },
            )
            for r in order
        ]

    def _hit(self, idx: int, score: float, scores: dict[str, float | None]) -> Hit:
        chunk = self.index.chunks[idx]
        return Hit.from_chunk(chunk, self.index.title(chunk.doc_id), score=score, scores=scores)

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
        return [self._hit(idx, score, scores) for idx, score, scores in rows]
