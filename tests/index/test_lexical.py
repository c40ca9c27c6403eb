from __future__ import annotations

import math
from pathlib import Path

import pytest

from tvaers.index.lexical import BM25Index

CORPUS = [
    ["tillid", "kommune", "region"],
    ["tillid", "tillid", "konflikt"],
    ["ildsjæl", "samarbejde"],
]


def lucene_bm25(query: list[str], corpus: list[list[str]], k1=1.5, b=0.75) -> list[float]:
    """Reference: Lucene BM25, idf = ln(1 + (N - df + .5) / (df + .5)), no (k1 + 1) factor."""
    n = len(corpus)
    avgdl = sum(map(len, corpus)) / n
    scores = []
    for doc in corpus:
        score = 0.0
        for term in set(query):
            df = sum(term in d for d in corpus)
            if df == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = doc.count(term)
            score += idf * tf / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        scores.append(score)
    return scores


def test_scores_match_hand_computed_lucene_bm25() -> None:
    bm25 = BM25Index.build(CORPUS)
    query = ["tillid", "konflikt"]
    expected = lucene_bm25(query, CORPUS)
    hits = dict(bm25.search(query, k=3))
    assert set(hits) == {0, 1}
    for idx, score in hits.items():
        assert score == pytest.approx(expected[idx], rel=1e-5)
    # by hand: N=3, avgdl=8/3; "tillid" df=2 -> idf=ln(1.6); doc 1 has tf=2, dl=3
    by_hand = math.log(1.6) * 2 / (2 + 1.5 * (0.25 + 0.75 * 3 / (8 / 3)))
    by_hand += math.log(1 + 2.5 / 1.5) * 1 / (1 + 1.5 * (0.25 + 0.75 * 3 / (8 / 3)))
    assert hits[1] == pytest.approx(by_hand, rel=1e-5)


def test_results_are_ranked_best_first_and_cut_at_k() -> None:
    bm25 = BM25Index.build(CORPUS)
    hits = bm25.search(["tillid", "konflikt"], k=1)
    assert [idx for idx, _ in hits] == [1]


def test_unknown_terms_and_empty_queries_return_nothing() -> None:
    bm25 = BM25Index.build(CORPUS)
    assert bm25.search(["ukendt"], k=5) == []
    assert bm25.search([], k=5) == []
    assert [i for i, _ in bm25.search(["ukendt", "ildsjæl"], k=5)] == [2]


def test_repeated_query_terms_count_once() -> None:
    bm25 = BM25Index.build(CORPUS)
    assert bm25.search(["tillid", "tillid"], k=3) == bm25.search(["tillid"], k=3)


def test_save_and_load_give_the_same_scores(tmp_path: Path) -> None:
    bm25 = BM25Index.build(CORPUS)
    bm25.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25", len(CORPUS))
    assert loaded.search(["tillid", "region"], k=3) == bm25.search(["tillid", "region"], k=3)


def test_invalid_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="b must be in"):
        BM25Index.build(CORPUS, b=1.5)
