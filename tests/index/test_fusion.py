from __future__ import annotations

import pytest

from tvaers.index.fusion import Fusion, FusionMode

DENSE = [(10, 0.91), (11, 0.88), (12, 0.85), (13, 0.80)]
BM25 = [(20, 14.0), (12, 9.5), (21, 7.0)]


def test_rrf_puts_passage_found_by_both_retrievers_first() -> None:
    fused = Fusion(weights={"dense": 1.0, "bm25": 1.0}).fuse({"dense": DENSE, "bm25": BM25})
    assert fused[0].idx == 12


def test_rrf_score_is_the_weighted_sum_of_reciprocal_ranks() -> None:
    fusion = Fusion(k=60, weights={"dense": 1.0, "bm25": 0.5})
    by_idx = {h.idx: h for h in fusion.fuse({"dense": DENSE, "bm25": BM25})}
    assert by_idx[12].score == pytest.approx(1 / 63 + 0.5 / 62)
    assert by_idx[10].score == pytest.approx(1 / 61)
    assert by_idx[20].score == pytest.approx(0.5 / 61)


def test_fused_hits_keep_each_retrievers_raw_score_or_none() -> None:
    by_idx = {h.idx: h for h in Fusion().fuse({"dense": DENSE, "bm25": BM25})}
    assert by_idx[12].scores == {"dense": 0.85, "bm25": 9.5}
    assert by_idx[12].ranks == {"dense": 3, "bm25": 2}
    assert by_idx[10].scores == {"dense": 0.91, "bm25": None}
    assert by_idx[21].scores == {"dense": None, "bm25": 7.0}


def test_weights_decide_between_the_two_top_passages() -> None:
    rankings = {"dense": [(1, 0.9)], "bm25": [(2, 12.0)]}
    assert Fusion(weights={"dense": 1.0, "bm25": 0.4}).fuse(rankings)[0].idx == 1
    assert Fusion(weights={"dense": 0.4, "bm25": 1.0}).fuse(rankings)[0].idx == 2


def test_language_weights_override_the_defaults() -> None:
    fusion = Fusion(weights={"dense": 1.0, "bm25": 0.4}, weights_by_lang={"da": {"bm25": 2.0}})
    rankings = {"dense": [(1, 0.9)], "bm25": [(2, 12.0)]}
    assert fusion.fuse(rankings, lang="da")[0].idx == 2
    assert fusion.fuse(rankings, lang="en")[0].idx == 1
    assert fusion.weights_for("da") == {"dense": 1.0, "bm25": 2.0}


def test_relative_score_mode_uses_min_max_normalised_scores() -> None:
    fusion = Fusion(FusionMode.RELATIVE_SCORE, weights={"dense": 1.0, "bm25": 1.0})
    by_idx = {h.idx: h.score for h in fusion.fuse({"dense": DENSE, "bm25": BM25})}
    assert by_idx[10] == pytest.approx(1.0)
    assert by_idx[13] == pytest.approx(0.0)
    assert by_idx[12] == pytest.approx((0.85 - 0.80) / 0.11 + (9.5 - 7.0) / 7.0)


def test_ties_break_by_best_rank_then_row() -> None:
    fused = Fusion(weights={"dense": 1.0, "bm25": 1.0}).fuse(
        {"dense": [(5, 0.9), (6, 0.8)], "bm25": [(6, 3.0), (5, 2.0)]}
    )
    assert [h.idx for h in fused] == [5, 6]


def test_limit_and_empty_rankings() -> None:
    assert len(Fusion().fuse({"dense": DENSE, "bm25": BM25}, limit=2)) == 2
    assert Fusion().fuse({"dense": [], "bm25": []}) == []


def test_negative_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="weights must be >= 0"):
        Fusion(weights={"dense": 1.0, "bm25": -1.0})
