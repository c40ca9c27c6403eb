"""Metric functions on cases small enough to check by hand."""

from __future__ import annotations

import pytest
from toy_corpus import make_hit

from tvaers.eval.metrics import (
    Span,
    all_docs_hit,
    covers,
    first_hit_rank,
    hit_at_k,
    judge,
    mean,
    ndcg_at_k,
    percentile,
    reciprocal_rank,
)

E: frozenset[int] = frozenset()


@pytest.mark.parametrize(
    ("chunk", "span", "expected"),
    [
        ((0, 100), (10, 20), True),  # chunk contains the span
        ((15, 100), (10, 20), True),  # exactly half of 10 chars: counts
        ((16, 100), (10, 20), False),  # 4 of 10 chars
        ((0, 14), (10, 20), False),  # 4 of 10 chars at the other edge
        ((12, 18), (10, 20), True),  # chunk inside a longer quote, 6 of 10
        ((20, 30), (10, 20), False),  # touching is not overlapping
        ((0, 100), (10, 10), False),  # an empty span is never hit
    ],
)
def test_covers_requires_at_least_half_of_the_quote(
    chunk: tuple[int, int], span: tuple[int, int], expected: bool
) -> None:
    assert covers(*chunk, *span) is expected


def test_judge_ignores_chunks_of_other_documents_at_the_same_offsets() -> None:
    spans = [Span("a", 10, 20), Span("b", 50, 60)]
    hits = [make_hit("b", 0, 30), make_hit("a", 0, 30), make_hit("b", 45, 70)]
    assert judge(hits, spans) == [E, frozenset({0}), frozenset({1})]


def test_first_hit_rank_and_recall_respect_the_cutoff() -> None:
    judged = [E, E, frozenset({0})]
    assert first_hit_rank(judged) == 3
    assert first_hit_rank(judged, 2) is None
    assert hit_at_k(judged, 3) and not hit_at_k(judged, 2)


def test_reciprocal_rank_is_one_over_the_first_relevant_rank() -> None:
    assert reciprocal_rank([E, frozenset({0}), frozenset({1})]) == 0.5
    assert reciprocal_rank([E] * 10 + [frozenset({0})], k=10) == 0.0


def test_mrr_over_three_items_by_hand() -> None:
    # ranks 1, 3 and a miss: (1 + 1/3 + 0) / 3 = 0.4444
    items = [[frozenset({0})], [E, E, frozenset({0})], [E, E]]
    assert mean([reciprocal_rank(j) for j in items]) == pytest.approx(4 / 9)


def test_ndcg_credits_each_quote_once() -> None:
    # quote 0 at ranks 2 and 3 (credited once), quote 1 at rank 4:
    # DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068; IDCG = 1 + 0.63093
    judged = [E, frozenset({0}), frozenset({0}), frozenset({1})]
    assert ndcg_at_k(judged, n_spans=2) == pytest.approx(1.06161 / 1.63093, abs=1e-4)


def test_ndcg_is_one_for_a_perfect_ranking_and_zero_for_a_miss() -> None:
    assert ndcg_at_k([frozenset({1}), frozenset({0}), E], n_spans=2) == pytest.approx(1.0)
    assert ndcg_at_k([E, E], n_spans=1) == 0.0


def test_ndcg_chunk_covering_two_quotes_gains_once() -> None:
    # one gain at rank 1 against an ideal of two: 1 / 1.63093
    assert ndcg_at_k([frozenset({0, 1})], n_spans=2) == pytest.approx(0.61315, abs=1e-4)
    # ...and the second quote can still be credited by a later hit
    assert ndcg_at_k([frozenset({0, 1}), frozenset({1})], n_spans=2) == pytest.approx(1.0)


def test_ndcg_ideal_is_capped_at_k() -> None:
    # 5 quotes but k=2: two hits at the top are ideal
    assert ndcg_at_k([frozenset({0}), frozenset({3})], n_spans=5, k=2) == pytest.approx(1.0)


def test_all_docs_hit_needs_every_gold_document_in_the_top_k() -> None:
    spans = [Span("a", 0, 10), Span("a", 20, 30), Span("b", 0, 10)]
    assert all_docs_hit([frozenset({1}), E, frozenset({2})], spans, k=3)
    assert not all_docs_hit([frozenset({1}), E, frozenset({2})], spans, k=2)
    assert not all_docs_hit([frozenset({0, 1})], spans)


def test_percentile_interpolates_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([], 50) == 0.0
