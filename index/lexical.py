"""BM25 over analyser tokens, with bm25s doing the scoring and the files.

Tokens come in already analysed (:mod:`tvaers.index.analyzer`), so this module
knows nothing about Danish; it only maps terms to the index's vocabulary and
returns ``(row, score)`` pairs for the retriever to fuse.
"""

from __future__ import annotations

import logging
from pathlib import Path

import bm25s
import numpy as np

__all__ = ["BM25Index"]

log = logging.getLogger(__name__)
# bm25s sets its logger to DEBUG when imported, which printed "Building index from
# tokens" on every ingest; its warnings still show
logging.getLogger("bm25s").setLevel(logging.WARNING)


class BM25Index:
    """Okapi BM25 (Lucene variant) over pre-tokenised passages.

    Example:
        >>> bm25 = BM25Index.build([["tillid", "kommune"], ["konflikt"]])
        >>> bm25.search(["tillid"], k=5)[0][0]
        0
    """

    def __init__(self, model: bm25s.BM25, n_docs: int) -> None:
        self._model = model
        self._vocab: dict[str, int] = model.vocab_dict
        self.n_docs = n_docs

    @classmethod
    def build(
        cls,
        corpus_tokens: list[list[str]],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        method: str = "lucene",
    ) -> BM25Index:
        if not 0.0 <= b <= 1.0:
            raise ValueError(f"BM25 b must be in [0, 1], got {b}")
        if k1 < 0:
            raise ValueError(f"BM25 k1 must be >= 0, got {k1}")
        model = bm25s.BM25(k1=k1, b=b, method=method)
        model.index(corpus_tokens, show_progress=False)
        return cls(model, len(corpus_tokens))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """Every row's score (all zeros when no term is in the vocabulary)."""
        known = [t for t in dict.fromkeys(query_tokens) if t in self._vocab]
        if not known or self.n_docs == 0:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._model.get_scores(known), dtype=np.float32)

    def search(self, query_tokens: list[str], k: int) -> list[tuple[int, float]]:
        """Best ``k`` rows with a positive score; unknown terms are ignored."""
        return self.top(self.scores(query_tokens), k) if k > 0 else []

    @staticmethod
    def top(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` best rows of a :meth:`scores` array that scored above zero."""
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._model.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path, n_docs: int) -> BM25Index:
        model = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        return cls(model, n_docs)
