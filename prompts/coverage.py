"""Whether the material covers a question: the seam to the evidence scorer.

The decision (an evidence score against a per-language threshold) is made by
``tvaers.index.evidence.EvidenceScorer``, built from the settings once per
runtime (``Runtime.evidence``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tvaers.contracts import Hit

if TYPE_CHECKING:
    from tvaers.runtime import Runtime

__all__ = ["assess_coverage"]


def assess_coverage(
    runtime: Runtime,
    question: str,
    hits: list[Hit] | None,
    lang: str,
    *,
    vector: np.ndarray | None = None,
) -> tuple[float, bool]:
    """``(evidence, not_covered)``; without ``hits`` the scorer searches for its own."""
    evidence = runtime.evidence.assess(question, lang=lang, hits=hits, vector=vector)
    return float(evidence.score), bool(evidence.not_covered)
