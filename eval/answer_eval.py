"""The answer evaluator: answers in, named metrics and calibration controls out.

Controls (reported with every run, computed from the gold set itself):

* ``reference_own``: reference answers against their own key points (>= 0.9);
* ``reference_shuffled``: each reference against another item's key points,
  same language, next in the file (<= 0.3);
* ``empty`` and ``off_topic``: an empty answer and a fixed off-topic text
  (key points, ROUGE-L and rescaled similarity near 0).

``similarity`` rescales the embedding cosine so that unrelated text scores 0:
``max(0, (cos - base) / (1 - base))``, with ``base`` the mean cosine between
shuffled reference answers (raw e5 cosines bunch around 0.75-0.9).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tvaers.contracts import GoldItem
from tvaers.eval.answers import (
    SCORED_METRICS,
    AnswerScore,
    AnswerScorer,
    SubmittedAnswer,
    reference_answers,
)
from tvaers.eval.metrics import mean

__all__ = ["CONTROL_LIMITS", "OFF_TOPIC", "AnswerEvaluator", "AnswerRun"]

OFF_TOPIC = {
    "da": "Bland hakket oksekød med tomat og løg, læg lasagneplader i lag og bag dem i en time.",
    "en": "Mix minced beef with tomato and onion, layer the lasagne sheets and bake for an hour.",
}
#: (metric, bound, "min" | "max") each control must hold.
CONTROL_LIMITS = {
    "reference_own/key_points": (0.9, "min"),
    "reference_shuffled/key_points": (0.3, "max"),
    "empty/key_points": (0.05, "max"),
    "empty/rouge_l": (0.05, "max"),
    "off_topic/key_points": (0.1, "max"),
    "off_topic/rouge_l": (0.1, "max"),
    "off_topic/similarity": (0.15, "max"),
}
METRICS = SCORED_METRICS


@dataclass
class AnswerRun:
    metrics: dict[str, float]
    scores: list[AnswerScore]
    controls: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def controls_hold(self) -> dict[str, bool]:
        out = {}
        for key, (bound, kind) in CONTROL_LIMITS.items():
            if key in self.controls:
                value = self.controls[key]
                out[key] = value >= bound if kind == "min" else value <= bound
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "metrics": self.metrics,
            "controls": self.controls,
            "controls_hold": self.controls_hold,
            "missing": self.missing,
            "items": [s.to_dict() for s in self.scores],
        }


class AnswerEvaluator:
    """Scores a set of answers against gold items.

    Example:
        >>> scorer = AnswerScorer(documents, embedder=e)          # doctest: +SKIP
        >>> ev = AnswerEvaluator(items, scorer, name="dev")      # doctest: +SKIP
        >>> ev(answers)["dev_key_points"]  # doctest: +SKIP
        0.97
    """

    def __init__(self, items: Sequence[GoldItem], scorer: AnswerScorer, *, name: str = "") -> None:
        self.items = list(items)
        self.scorer = scorer
        self.name = name
        self.primary_metric = self._key("key_points")
        self._base: float | None = None

    def _key(self, metric: str) -> str:
        return f"{self.name}_{metric}" if self.name else metric

    @property
    def cosine_base(self) -> float:
        """Mean cosine between reference answers of different items (same language)."""
        if self._base is None:
            pairs = self._shuffled()
            cos = [self.scorer.cosine(a.reference_answer, b.reference_answer) for a, b in pairs]
            self._base = float(np.mean([c for c in cos if c is not None])) if pairs else 0.0
        return self._base

    def similarity(self, cosine: float | None) -> float | None:
        if cosine is None:
            return None
        base = self.cosine_base
        return max(0.0, (cosine - base) / (1 - base)) if base < 1 else 0.0

    def __call__(self, answers: Sequence[SubmittedAnswer]) -> dict[str, float]:
        return self.evaluate(answers).metrics

    def evaluate(self, answers: Sequence[SubmittedAnswer], *, controls: bool = True) -> AnswerRun:
        given = {a.id: a for a in answers}
        scores = [self.scorer.score(i, given[i.id]) for i in self.items if i.id in given]
        missing = [i.id for i in self.items if i.id not in given]
        run = AnswerRun(self._summary(scores), scores, missing=missing)
        if controls:
            run.controls = self.controls()
        return run

    def _summary(self, scores: Sequence[AnswerScore], prefix: str = "") -> dict[str, float]:
        out: dict[str, float] = {self._key(f"{prefix}n"): len(scores)}
        for metric in METRICS:
            values = [self._value(s, metric) for s in scores]
            present = [float(v) for v in values if v is not None]
            if present:
                out[self._key(f"{prefix}{metric}")] = round(mean(present), 4)
        if not prefix:
            split = {i.id: i.split for i in self.items}
            for name in ("tune", "test"):
                group = [s for s in scores if split.get(s.id) == name]
                if group and len(group) < len(scores):
                    out.update(self._summary(group, f"split={name}/"))
            for lang in ("da", "en"):
                group = [s for s in scores if s.lang == lang]
                if group:
                    out.update(self._summary(group, f"lang={lang}/"))
        return out

    def _value(self, score: AnswerScore, metric: str) -> float | bool | None:
        if metric == "similarity":
            return self.similarity(score.cosine)
        return getattr(score, metric)

    def _shuffled(self) -> list[tuple[GoldItem, GoldItem]]:
        pairs = []
        for lang in ("da", "en"):
            group = [
                i
                for i in self.items
                if i.lang == lang and i.key_points and i.kind != "out_of_scope"
            ]
            pairs += [
                (a, group[(n + 1) % len(group)]) for n, a in enumerate(group) if len(group) > 1
            ]
        return pairs

    def controls(self) -> dict[str, float]:
        """The calibration controls of this scorer on this gold set."""
        scored = [i for i in self.items if i.key_points and i.kind != "out_of_scope"]
        if not scored:
            return {}
        refs = {a.id: a for a in reference_answers(scored)}
        out: dict[str, float] = {}
        own = [self.scorer.score(i, refs[i.id]) for i in scored]
        out["reference_own/key_points"] = mean([s.key_points or 0.0 for s in own])
        out["reference_own/rouge_l"] = mean([s.rouge_l or 0.0 for s in own])
        shuffled = [
            self.scorer.key_points_hit(a.reference_answer, b.key_points, b.lang)
            for a, b in self._shuffled()
        ]
        out["reference_shuffled/key_points"] = mean([sum(h) / len(h) for h in shuffled if h])
        for name, text_for in (("empty", lambda i: ""), ("off_topic", lambda i: OFF_TOPIC[i.lang])):
            runs = [
                self.scorer.score(i, SubmittedAnswer(id=i.id, answer=text_for(i))) for i in scored
            ]
            out[f"{name}/key_points"] = mean([s.key_points or 0.0 for s in runs])
            out[f"{name}/rouge_l"] = mean([s.rouge_l or 0.0 for s in runs])
            sims = [self.similarity(s.cosine) for s in runs]
            if all(v is not None for v in sims):
                out[f"{name}/similarity"] = mean([float(v or 0.0) for v in sims])
        return {k: round(v, 4) for k, v in out.items()}


def summary_rows(
    run: AnswerRun,
    evaluator: AnswerEvaluator,
    overrides: Mapping[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """Per-item rows for the table and the CSV, with the evaluator overrides in force.

    An override replaces its metric's score in the row (an evaluator's verdict is
    what the export should count); the ``overrides`` column keeps the automatic
    score beside it, and who said so and why. The summary stays automatic.
    """
    rows = []
    for s in run.scores:
        row = s.to_dict()
        row["key_points_hit"] = "".join("✓" if h else "✗" for h in s.key_points_hit)
        sim = evaluator.similarity(s.cosine)
        row["similarity"] = None if sim is None else round(sim, 4)
        notes = []
        for o in (overrides or {}).get(s.id, []):
            metric = o["metric"]
            value: Any = bool(o["value"]) if metric == "declined" else float(o["value"])
            notes.append(
                f"{metric} {_shown(row.get(metric))} → {_shown(value)} "
                f"({o['evaluator'] or 'anon'}: {o['comment']})"
            )
            row[metric] = value
        row["overrides"] = "; ".join(notes)
        rows.append(row)
    return rows


def _shown(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, float) else str(value)
