"""The not-covered decision measured on a gold set, and its calibration.

Two shares, over the items of each split: ``flagged`` (out-of-scope items
judged not covered; target >= 0.80) and ``wrongly_flagged`` (in-scope items
judged not covered; target <= 0.05).

Calibration (``tvaers eval calibrate``), for a new corpus or model:

1. Per language, the dense background is the mean and standard deviation of
   the cosines between every *tune* question of that language and every
   passage.
2. With that background every tune item gets its evidence signals. Per
   language, the rescue level (the top passages' term coverage that makes a
   question covered whatever its score) is tried from a short grid; for each,
   the threshold is the highest that flags at most ``max_wrong`` of the
   in-scope tune items, and the pair that flags the most out-of-scope tune
   items wins (:func:`~tvaers.index.evidence.choose_rule`).
3. The test split is then scored with those thresholds, untouched, to
   confirm them. Write the printed values into ``tvaers.toml``.

Example:
    >>> ev = NotCoveredEvaluator(items, name="dev")        # doctest: +SKIP
    >>> ev(scorer)                                          # doctest: +SKIP
    {'dev_not_covered/flagged': 0.71, 'dev_not_covered/wrongly_flagged': 0.047, ...}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tvaers.contracts import GoldItem, Hit
from tvaers.eval.retrieval import query_for
from tvaers.index.evidence import Background, Evidence, EvidenceScorer, choose_rule

if TYPE_CHECKING:
    pass

__all__ = [
    "Calibration",
    "NotCoveredEvaluator",
    "NotCoveredRun",
    "calibrate",
    "settings_snippet",
]

LANGS = ("da", "en")


@dataclass
class NotCoveredRun:
    """Flat metrics plus each item's evidence."""

    metrics: dict[str, float]
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def to_dict(self, items: Sequence[GoldItem] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"metrics": self.metrics}
        if items is not None:
            out["items"] = [
                {
                    "id": i.id,
                    "lang": i.lang,
                    "split": i.split,
                    "out_of_scope": i.kind == "out_of_scope",
                    **self.evidence[i.id].to_dict(),
                }
                for i in items
                if i.id in self.evidence
            ]
        return out


class NotCoveredEvaluator:
    """Scores the not-covered decision on gold items, overall and by split and language."""

    def __init__(self, items: Sequence[GoldItem], *, name: str = "") -> None:
        self.items = list(items)
        self._by_id = {i.id: i for i in self.items}
        self.name = name
        self.primary_metric = self._key("not_covered/flagged")

    def _key(self, metric: str) -> str:
        return f"{self.name}_{metric}" if self.name else metric

    def __call__(
        self, scorer: EvidenceScorer, hits: Mapping[str, Sequence[Hit]] | None = None
    ) -> dict[str, float]:
        return self.evaluate(scorer, hits).metrics

    def evaluate(
        self, scorer: EvidenceScorer, hits: Mapping[str, Sequence[Hit]] | None = None
    ) -> NotCoveredRun:
        """``hits`` (by item id) adds the diagnostic signals to each item's evidence."""
        queries = [query_for(i, self._by_id) for i in self.items]
        per_hits = [list(hits.get(i.id, [])) for i in self.items] if hits else None
        evidence: dict[str, Evidence] = {}
        for lang in LANGS:
            idx = [n for n, i in enumerate(self.items) if i.lang == lang]
            found = scorer.assess_many(
                [queries[n] for n in idx],
                lang=lang,
                hits=[per_hits[n] for n in idx] if per_hits else None,
            )
            for n, found_n in zip(idx, found, strict=True):
                item = self.items[n]
                # as the chat decides: a follow-up may also be covered on its own
                evidence[item.id] = (
                    scorer.or_alone(found_n, item.question, lang) if item.follows else found_n
                )
        return NotCoveredRun(self.metrics_for(evidence), evidence)

    def metrics_for(self, evidence: Mapping[str, Evidence]) -> dict[str, float]:
        out: dict[str, float] = {}
        groups: list[tuple[str, list[GoldItem]]] = [("", self.items)]
        groups += [
            (f"split={s}/", [i for i in self.items if i.split == s]) for s in ("tune", "test")
        ]
        groups += [(f"lang={g}/", [i for i in self.items if i.lang == g]) for g in LANGS]
        groups += [
            (f"split={s},lang={g}/", [i for i in self.items if i.split == s and i.lang == g])
            for s in ("tune", "test")
            for g in LANGS
        ]
        for prefix, group in groups:
            oos = [i for i in group if i.kind == "out_of_scope"]
            ins = [i for i in group if i.kind != "out_of_scope"]
            if not group:
                continue
            out[self._key(f"{prefix}not_covered/n_out_of_scope")] = len(oos)
            out[self._key(f"{prefix}not_covered/n_in_scope")] = len(ins)
            out[self._key(f"{prefix}not_covered/flagged")] = _share(oos, evidence)
            out[self._key(f"{prefix}not_covered/wrongly_flagged")] = _share(ins, evidence)
        return out


def _share(items: Sequence[GoldItem], evidence: Mapping[str, Evidence]) -> float:
    if not items:
        return 0.0
    return round(sum(evidence[i.id].not_covered for i in items) / len(items), 4)


@dataclass
class Calibration:
    """Background and thresholds per language, with the shares they give on each split."""

    background: dict[str, Background]
    thresholds: dict[str, float]
    rescue: dict[str, float | None]
    max_wrong: float
    run: NotCoveredRun
    #: Languages whose background was measured here (they have tune questions).
    measured: frozenset[str] = frozenset()

    def to_dict(self, items: Sequence[GoldItem] | None = None) -> dict[str, Any]:
        return {
            "max_wrong": self.max_wrong,
            "background": {
                k: [round(b.mean, 4), round(b.std, 4)] for k, b in self.background.items()
            },
            "thresholds": self.thresholds,
            "rescue": self.rescue,
            **self.run.to_dict(items),
        }


def calibrate(
    scorer: EvidenceScorer, items: Sequence[GoldItem], *, max_wrong: float = 0.05
) -> Calibration:
    """Measure the background and choose thresholds on the tune split; score both splits.

    The scorer is updated in place with the new background and thresholds.
    """
    by_id = {i.id: i for i in items}
    tune = [i for i in items if i.split == "tune"]
    background: dict[str, Background] = dict(scorer.background)
    measured: set[str] = set()
    for lang in LANGS:
        questions = [query_for(i, by_id) for i in tune if i.lang == lang]
        if questions:
            measured.add(lang)
            cosines = scorer.cosines(questions)
            background[lang] = Background(
                round(float(np.mean(cosines)), 4), round(float(np.std(cosines)), 4)
            )
    scorer.background = background
    scorer.thresholds, scorer.rescue = {}, {}
    evaluator = NotCoveredEvaluator(items)
    unthresholded = evaluator.evaluate(scorer).evidence
    thresholds: dict[str, float] = {}
    rescue: dict[str, float | None] = {}
    for lang in LANGS:
        signals = [(i, unthresholded[i.id].signals) for i in tune if i.lang == lang]
        threshold, level = choose_rule(
            [s for i, s in signals if i.kind != "out_of_scope"],
            [s for i, s in signals if i.kind == "out_of_scope"],
            max_wrong=max_wrong,
            lexical_weight=scorer.lexical_weight,
        )
        if threshold is not None:
            thresholds[lang] = threshold
            rescue[lang] = level
    scorer.thresholds = thresholds
    scorer.rescue = {k: v for k, v in rescue.items() if v is not None}
    decided = {
        i.id: scorer.decide(unthresholded[i.id].lang, unthresholded[i.id].signals)
        for i in items
        if i.id in unthresholded
    }
    run = NotCoveredRun(evaluator.metrics_for(decided), decided)
    return Calibration(background, thresholds, rescue, max_wrong, run, frozenset(measured))


def settings_snippet(calibration: Calibration) -> str:
    """The ``tvaers.toml`` lines that make the service use this calibration."""
    lines = []
    for lang in LANGS:
        if lang in calibration.thresholds:
            lines.append(f"evidence_threshold_{lang} = {calibration.thresholds[lang]}")
            level = calibration.rescue.get(lang)
            lines.append(
                f"evidence_rescue_{lang} = {level}"
                if level is not None
                else f"evidence_rescue_{lang} = 2.0  # above 1: no rescue"
            )
        b = calibration.background.get(lang)
        if b is not None and lang in calibration.measured:
            lines.append(f"evidence_background_{lang} = [{b.mean}, {b.std}]")
    return "\n".join(lines)
