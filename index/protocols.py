"""The swappable parts of the index, as protocols.

The retriever depends on these, not on sentence-transformers, bm25s or FAISS
directly, so a component can be replaced by changing one setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np


class Embedder(Protocol):
    """Turns questions and passages into L2-normalised float32 vectors.

    Implementations add the model's own query/passage prefixes and
    NFC-normalise their input, so NFC and NFD text embed the same.
    """

    @property
    def model_id(self) -> str:
        """Stable name of the model and its prefixes, stored in the index manifest."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray: ...


class SegmentEmbedder(Embedder, Protocol):
    """An embedder that can also pool vectors for character spans of each passage."""

    def embed_passages_with_segments(
        self,
        texts: list[str],
        spans: list[list[tuple[int, int]]],
        *,
        show_progress: bool = False,
    ) -> tuple[np.ndarray, list[np.ndarray]]: ...


class TokenEmbedder(Embedder, Protocol):
    """An embedder that also gives content-token vectors, for late interaction."""

    def encode_passages(
        self,
        texts: list[str],
        spans: list[list[tuple[int, int]]],
        *,
        tokens: bool = False,
        show_progress: bool = False,
    ) -> Any: ...

    def embed_queries_with_tokens(
        self, texts: list[str], focus: Sequence[str | None] | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]: ...
