"""FAISS inner-product search over L2-normalised float32 embeddings.

With normalised vectors the inner product is the cosine, so dense scores are
comparable across questions. Flat search is exact and fast enough for tens of
thousands of passages; HNSW trades a little recall for speed on larger corpora.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from tvaers.settings import HNSW_EF_SEARCH, VectorIndexKind

__all__ = ["VectorStore"]


class VectorStore:
    """A FAISS index of one kind, chosen by :class:`VectorIndexKind`.

    Example:
        >>> store = VectorStore(VectorIndexKind.FLAT)
        >>> store.add(np.eye(3, dtype=np.float32))
        >>> store.search(np.eye(3, dtype=np.float32)[:1], k=1)
        [[(0, 1.0)]]
    """

    def __init__(
        self,
        kind: VectorIndexKind = VectorIndexKind.FLAT,
        *,
        hnsw_m: int = 32,
        ef_construction: int = 200,
        ef_search: int = HNSW_EF_SEARCH,
    ) -> None:
        self.kind = VectorIndexKind(kind)
        if hnsw_m < 4 or ef_construction < 1 or ef_search < 1:
            raise ValueError(
                f"HNSW parameters out of range: m={hnsw_m} (>= 4), "
                f"ef_construction={ef_construction}, ef_search={ef_search} (>= 1)"
            )
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self._index: faiss.Index | None = None

    @property
    def size(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    @property
    def dimension(self) -> int | None:
        return None if self._index is None else int(self._index.d)

    def add(self, vectors: np.ndarray) -> None:
        vectors = _as_matrix(vectors)
        if self._index is None:
            self._index = self._new(vectors.shape[1])
        elif vectors.shape[1] != self._index.d:
            raise ValueError(f"vectors have dimension {vectors.shape[1]}, index {self._index.d}")
        self._index.add(vectors)

    def search(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Per query, up to ``k`` ``(row, cosine)`` pairs, best first."""
        queries = _as_matrix(queries)
        if self._index is None or self.size == 0 or k <= 0:
            return [[] for _ in range(len(queries))]
        scores, ids = self._index.search(queries, min(k, self.size))
        return [
            [(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i >= 0]
            for row_ids, row_scores in zip(ids, scores, strict=True)
        ]

    def reconstruct(self, rows: np.ndarray) -> np.ndarray:
        """The stored vectors of ``rows`` (exact for flat and HNSW-flat indexes)."""
        rows = np.ascontiguousarray(rows, dtype=np.int64).ravel()
        if self._index is None or not len(rows):
            return np.zeros((len(rows), self.dimension or 0), dtype=np.float32)
        return np.asarray(self._index.reconstruct_batch(rows), dtype=np.float32)

    def set_ef_search(self, ef_search: int) -> None:
        """Change the HNSW search depth of a built or loaded index (no effect on flat)."""
        if ef_search < 1:
            raise ValueError(f"ef_search must be >= 1, got {ef_search}")
        self.ef_search = ef_search
        if self._index is not None and self.kind is VectorIndexKind.HNSW:
            self._index.hnsw.efSearch = ef_search

    def save(self, path: Path) -> None:
        if self._index is None:
            raise ValueError("cannot save an empty vector store")
        faiss.write_index(self._index, str(path))

    def load(self, path: Path) -> VectorStore:
        index = faiss.read_index(str(path))
        if self.kind is VectorIndexKind.HNSW:
            index.hnsw.efSearch = self.ef_search
        self._index = index
        return self

    def _new(self, dimension: int) -> faiss.Index:
        if self.kind is VectorIndexKind.FLAT:
            return faiss.IndexFlatIP(dimension)
        index = faiss.IndexHNSWFlat(dimension, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = self.ef_construction
        index.hnsw.efSearch = self.ef_search
        return index


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {vectors.shape}")
    return vectors
