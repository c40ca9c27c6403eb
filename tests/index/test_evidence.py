"""The evidence score and the not-covered threshold."""

from __future__ import annotations

import pytest

from tvaers.index.evidence import choose_threshold


def test_threshold_flags_at_most_the_allowed_share_of_in_scope_scores() -> None:
    scores = [float(s) for s in range(40)]  # 5 % of 40 = 2 may be flagged
    threshold = choose_threshold(scores, max_wrong=0.05)
    assert sum(s < threshold for s in scores) == 2


def test_threshold_is_rounded_down_so_the_chosen_score_is_not_flagged() -> None:
    threshold = choose_threshold([0.123456, 5.0], max_wrong=0.0)
    assert threshold is not None and threshold <= 0.123456


def test_threshold_needs_in_scope_scores() -> None:
    assert choose_threshold([]) is None
    with pytest.raises(ValueError, match=r"max_wrong must be in \[0, 1\)"):
        choose_threshold([1.0], max_wrong=1.5)


@pytest.mark.slow
def test_off_topic_question_is_not_covered_and_corpus_question_is(bundled_settings) -> None:
    from tvaers.runtime import load_runtime

    scorer = load_runtime(bundled_settings).evidence
    lasagne, partner = scorer.assess_many(
        ["Hvordan laver jeg en god lasagne?",
         "Hvordan skaber man tillid mellem sygehus og kommune?"])
    assert lasagne.not_covered and lasagne.signals["term_coverage"] < 0.5
    assert not partner.not_covered
    english = scorer.assess("What is the capital of Australia?")
    assert english.lang == "en" and english.not_covered
