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
    from tvaers.index.evidence import Evidence
    from tvaers.runtime import Runtime

__all__ = ["assess_coverage"]


def assess_coverage(
    runtime: Runtime,
    question: str,
    hits: list[Hit] | None,
    lang: str,
    *,
    vector: np.ndarray | None = None,
    followup: str | None = None,
) -> Evidence:
    """The decision and its score; without ``hits`` the scorer searches for its own.

    ``followup``: when ``question`` is a follow-up searched with its thread's
    question, the follow-up as typed, which may also be covered on its own.
    """
    evidence = runtime.evidence.assess(question, lang=lang, hits=hits, vector=vector)
    if followup is not None and followup != question:
        evidence = runtime.evidence.or_alone(evidence, followup, lang)
    return evidence
