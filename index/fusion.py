"""Fusion of ranked lists from several retrievers into one ranking.

Reciprocal rank fusion needs no score calibration, which matters here because
BM25 scores and cosines live on different scales. Weights are per retriever
and may depend on the question's language: measured on this corpus, BM25 at
equal weight pulled e5 down, while BM25 at 0.3-0.5 helped, and BM25 is weaker
on English questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["FusedHit", "Fusion", "FusionMode"]

Ranking = list[tuple[int, float]]


class FusionMode(StrEnum):
    #: score = sum of weight / (k + rank), rank from 1.
    RRF = "rrf"
    #: score = sum of weight * min-max normalised score within each list.
    RELATIVE_SCORE = "relative_score"


@dataclass(frozen=True)
class FusedHit:
    """One row of the fused ranking, with each retriever's raw score (None = not found)."""

    idx: int
    score: float
    scores: dict[str, float | None]
    ranks: dict[str, int | None] = field(default_factory=dict)


DEFAULT_WEIGHTS: dict[str, float] = {"dense": 1.0, "bm25": 0.4}


class Fusion:
    """Fuses ``{retriever: [(row, score), ...]}`` rankings, best first.

    Example:
        >>> fusion = Fusion(weights={"dense": 1.0, "bm25": 0.5})
        >>> [h.idx for h in fusion.fuse({"dense": [(3, 0.9), (1, 0.8)], "bm25": [(1, 7.0)]})]
        [1, 3]
    """

    def __init__(
        self,
        mode: FusionMode = FusionMode.RRF,
        *,
        k: int = 60,
        weights: Mapping[str, float] | None = None,
        weights_by_lang: Mapping[str, Mapping[str, float]] | None = None,
    ) -> None:
        self.mode = FusionMode(mode)
        if k < 0:
            raise ValueError(f"RRF constant k must be >= 0, got {k}")
        self.k = k
        self.weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
        self.weights_by_lang = {lang: dict(w) for lang, w in (weights_by_lang or {}).items()}
        for table in [self.weights, *self.weights_by_lang.values()]:
            bad = {name: w for name, w in table.items() if w < 0}
            if bad:
                raise ValueError(f"fusion weights must be >= 0, got {bad}")

    def weights_for(self, lang: str | None) -> dict[str, float]:
        """The language's weights, falling back to the default per retriever."""
        return {**self.weights, **self.weights_by_lang.get(lang or "", {})}

    def fuse(
        self,
        rankings: Mapping[str, Ranking],
        *,
        lang: str | None = None,
        limit: int | None = None,
    ) -> list[FusedHit]:
        weights = self.weights_for(lang)
        names = list(rankings)
        scores: dict[int, dict[str, float | None]] = {}
        ranks: dict[int, dict[str, int | None]] = {}
        fused: dict[int, float] = {}
        for name, ranking in rankings.items():
            weight = weights.get(name, 1.0)
            contributions = self._contributions(ranking)
            for rank, ((idx, raw), part) in enumerate(
                zip(ranking, contributions, strict=True), start=1
            ):
                if idx in scores and scores[idx][name] is not None:
                    continue  # a retriever listing a row twice counts once
                scores.setdefault(idx, dict.fromkeys(names))[name] = raw
                ranks.setdefault(idx, dict.fromkeys(names))[name] = rank
                fused[idx] = fused.get(idx, 0.0) + weight * part
        order = sorted(fused, key=lambda i: (-fused[i], _best_rank(ranks[i]), i))
        return [FusedHit(i, fused[i], scores[i], ranks[i]) for i in order[:limit]]

    def _contributions(self, ranking: Ranking) -> list[float]:
        if self.mode is FusionMode.RRF:
            return [1.0 / (self.k + rank) for rank in range(1, len(ranking) + 1)]
        if not ranking:
            return []
        raw = [score for _, score in ranking]
        low, high = min(raw), max(raw)
        if high == low:
            return [1.0] * len(raw)
        return [(s - low) / (high - low) for s in raw]


def _best_rank(ranks: Mapping[str, int | None]) -> int:
    return min((r for r in ranks.values() if r is not None), default=1 << 30)
