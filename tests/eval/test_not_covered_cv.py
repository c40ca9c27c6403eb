"""Cross-validating the not-covered rule within the tune split (no model needed)."""

from __future__ import annotations

import pytest
from toy_corpus import item

from tvaers.eval.not_covered import choose_budget, cross_validate


def _signals(score: float) -> dict[str, float]:
    return {"dense_z": score, "term_coverage": 0.0}


def test_separable_scores_cross_validate_without_mistakes() -> None:
    tune = [item(f"in{n}") for n in range(20)] + [
        item(f"out{n}", kind="out_of_scope") for n in range(10)
    ]
    signals = {i.id: _signals(10.0 if i.id.startswith("in") else -n) for n, i in enumerate(tune)}
    cv = cross_validate(tune, signals, folds=5, repeats=3)
    assert (cv.flagged, cv.wrongly_flagged) == (1.0, 0.0)


def test_a_threshold_at_the_edge_flags_more_new_in_scope_questions_than_tune_ones() -> None:
    # in-scope scores 0..59, out-of-scope 0.5..19.5: on all of tune, a budget of 0.05
    # flags 3 of 60 in-scope questions; judged by rules chosen on the other folds,
    # the lowest in-scope questions are flagged more often than that
    tune = [item(f"in{n}") for n in range(60)] + [
        item(f"out{n}", kind="out_of_scope") for n in range(20)
    ]
    scores = {f"in{n}": float(n) for n in range(60)} | {f"out{n}": n + 0.5 for n in range(20)}
    signals = {k: _signals(v) for k, v in scores.items()}
    cv = cross_validate(tune, signals, max_wrong=0.05, folds=5, repeats=10)
    assert cv.wrongly_flagged is not None and cv.wrongly_flagged > 0.05
    again = cross_validate(tune, signals, max_wrong=0.05, folds=5, repeats=10)
    assert again == cv  # seeded: a rerun prints the same
    strict = cross_validate(tune, signals, max_wrong=0.0, folds=5, repeats=10)
    assert strict.wrongly_flagged is not None and strict.wrongly_flagged < cv.wrongly_flagged


def test_without_out_of_scope_items_only_the_wrong_share_is_estimated() -> None:
    tune = [item(f"in{n}", lang="en") for n in range(10)]
    cv = cross_validate(tune, {i.id: _signals(float(n)) for n, i in enumerate(tune)})
    assert cv.flagged is None and cv.wrongly_flagged is not None
    with pytest.raises(ValueError, match="folds"):
        cross_validate(tune, {}, folds=1)


def test_the_budget_is_the_largest_whose_cross_validated_share_keeps_the_promise() -> None:
    tune = [item(f"in{n}") for n in range(60)] + [
        item(f"out{n}", kind="out_of_scope") for n in range(20)
    ]
    scores = {f"in{n}": float(n) for n in range(60)} | {f"out{n}": n + 0.5 for n in range(20)}
    signals = {k: _signals(v) for k, v in scores.items()}
    budget, cv = choose_budget(tune, signals, max_wrong=0.05)
    assert budget < 0.05  # the tune share itself would flag more new questions
    assert cv == cross_validate(tune, signals, max_wrong=budget)
    assert cv.wrongly_flagged is not None and cv.wrongly_flagged <= 0.05
    larger = [round(b / 100, 2) for b in range(round(budget * 100) + 1, 6)]
    for b in larger:  # each larger budget breaks the promise on held-out items
        wrong = cross_validate(tune, signals, max_wrong=b).wrongly_flagged
        assert wrong is not None and wrong > 0.05
    # nothing keeps a promise of 0 here: the strictest budget is taken
    assert choose_budget(tune, signals, max_wrong=0.0)[0] == 0.0


def test_calibrate_says_when_no_budget_keeps_the_promise() -> None:
    from types import SimpleNamespace

    from tvaers.cli.eval_calibrate_cmd import _estimate_warnings
    from tvaers.eval.not_covered import CrossValidation

    result = SimpleNamespace(budget=0.0, cross_validation=CrossValidation(5, 20, 0.75, 0.039))
    [warning] = _estimate_warnings(result, 0.0, given=False)  # type: ignore[arg-type]
    assert "no budget keeps new questions within --max-wrong 0.0" in warning
    assert _estimate_warnings(result, 0.05, given=False) == []  # type: ignore[arg-type]


class _ScoreByQuestion:
    """An evidence scorer whose score is read from the question text (no model)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def assess_many(self, questions, *, lang, hits=None):
        from tvaers.index.evidence import Evidence

        self.asked += questions
        return [Evidence(lang, 0.0, 1.0, "ude" in q) for q in questions]

    def or_alone(self, evidence, followup, lang=None):
        return evidence


def test_a_split_narrows_the_not_covered_shares_and_items_to_its_own() -> None:
    from tvaers.eval.not_covered import NotCoveredEvaluator

    items = [
        item("t1", "Hvad med tillid?", split="tune"),
        item("t2", "ude af emnet?", kind="out_of_scope", split="tune"),
        item("s1", "Og partneren?", split="test"),
        item("s2", "Og hvis vi går videre?", split="test", follows="s1"),
        item("s3", "ude igen?", kind="out_of_scope", split="test"),
    ]
    scorer = _ScoreByQuestion()
    run = NotCoveredEvaluator(items, splits={"test"}).evaluate(scorer)  # type: ignore[arg-type]
    assert sorted(run.evidence) == ["s1", "s2", "s3"]
    assert run.metrics["not_covered/n_in_scope"] == 2
    assert run.metrics["not_covered/flagged"] == 1.0
    assert not any(k.startswith("split=tune") for k in run.metrics)
    assert "Og partneren? Og hvis vi går videre?" in scorer.asked  # the thread still reads
    everything = NotCoveredEvaluator(items).evaluate(_ScoreByQuestion())  # type: ignore[arg-type]
    assert everything.metrics["split=tune/not_covered/n_out_of_scope"] == 1


def test_shares_are_rounded_once_for_the_table() -> None:
    """6 of 174 is 0.0345 to four places, but 0.034 to three, as the table prints it."""
    from tvaers.cli.eval_calibrate_cmd import format_shares
    from tvaers.eval.not_covered import NotCoveredEvaluator

    items = [item(f"in{n}", "ude?" if n < 6 else "inde?") for n in range(174)]
    run = NotCoveredEvaluator(items).evaluate(_ScoreByQuestion())  # type: ignore[arg-type]
    assert run.to_dict()["metrics"]["not_covered/wrongly_flagged"] == 0.0345
    line = next(x for x in format_shares(run.metrics).splitlines() if x.startswith("# all"))
    assert line.split()[3] == "0.034"
