from __future__ import annotations

import pytest
from toy_corpus import DOC_A_TEXT, DOC_B_TEXT, item, make_hit

from tvaers.contracts import Document, Hit
from tvaers.eval.retrieval import RetrievalEvaluator

TRUST = "Det kræver tillid"
CONTRACT = "en tydelig kontrakt"


def span_hit(doc: str, text: str, quote: str) -> Hit:
    start = text.index(quote)
    return make_hit(doc, start, start + len(quote))


A_HIT = span_hit("doc-a", DOC_A_TEXT, TRUST)
B_HIT = span_hit("doc-b", DOC_B_TEXT, CONTRACT)
NOISE = make_hit("doc-a", 0, 6)

ITEMS = [
    item("q1", "Hvad kræver samarbejdet?", relevant=[("doc-a", TRUST)]),
    item("q2", "What makes a partnership work?", lang="en", kind="paraphrase",
         relevant=[("doc-b", CONTRACT)]),
    item("q3", "Tillid og kontrakter?", kind="crossdoc", split="test",
         relevant=[("doc-a", TRUST), ("doc-b", CONTRACT)]),
    item("q4", "Hvad koster en bil?", kind="out_of_scope"),
    item("q5", "Og i regionerne?", kind="followup", follows="q1", relevant=[("doc-a", TRUST)]),
]

RESULTS = {
    "Hvad kræver samarbejdet?": [A_HIT, NOISE],
    "What makes a partnership work?": [NOISE, B_HIT],
    "Tillid og kontrakter?": [A_HIT, NOISE],
    "Hvad koster en bil?": [NOISE],
    "Hvad kræver samarbejdet? Og i regionerne?": [NOISE, NOISE, NOISE, NOISE, NOISE, A_HIT],
}


def toy_search(question: str, k: int, mode: str, focus: str | None = None) -> list[Hit]:
    hits = RESULTS[question]
    return hits[::-1] if mode == "reversed" else hits[:k]


def test_evaluator_returns_hand_computed_overall_metrics(docs: list[Document]) -> None:
    metrics = RetrievalEvaluator(ITEMS, docs)(toy_search, "hybrid")
    # scored: q1 rank 1, q2 rank 2, q3 rank 1, q5 rank 6; q4 out of scope
    assert metrics["n"] == 4 and metrics["n_out_of_scope"] == 1 and metrics["n_unscored"] == 0
    assert metrics["recall@1"] == 0.5
    assert metrics["recall@5"] == 0.75
    assert metrics["recall@10"] == 1.0
    assert metrics["mrr@10"] == pytest.approx(round((1 + 0.5 + 1 + 1 / 6) / 4, 4))
    assert metrics["crossdoc_full@10"] == 0.0


def test_evaluator_reports_groups_by_lang_kind_and_split(docs: list[Document]) -> None:
    metrics = RetrievalEvaluator(ITEMS, docs)(toy_search)
    assert metrics["lang=en/n"] == 1 and metrics["lang=en/mrr@10"] == 0.5
    assert metrics["lang=da/n"] == 3
    assert metrics["kind=paraphrase/recall@1"] == 0.0
    assert metrics["kind=crossdoc/crossdoc_full@10"] == 0.0
    assert metrics["split=test/n"] == 1 and metrics["split=tune/n"] == 3
    assert "kind=out_of_scope/n" not in metrics  # never scored
    assert "lang=en/crossdoc_full@10" not in metrics  # no crossdoc item there


def test_evaluator_measures_latency_per_query(docs: list[Document]) -> None:
    metrics = RetrievalEvaluator(ITEMS, docs)(toy_search)
    assert 0 <= metrics["latency_p50_ms"] <= metrics["latency_p95_ms"]


def test_name_prefixes_every_metric_and_the_primary_metric(docs: list[Document]) -> None:
    ev = RetrievalEvaluator(ITEMS, docs, name="dev", k_values=(1, 3))
    metrics = ev(toy_search)
    assert ev.primary_metric == "dev_mrr@3"
    assert ev.primary_metric in metrics
    assert all(key.startswith("dev_") for key in metrics)


def test_follow_up_is_searched_with_the_previous_question_in_front(docs: list[Document]) -> None:
    run = RetrievalEvaluator(ITEMS, docs).evaluate(toy_search)
    follow = next(o for o in run.items if o.item.id == "q5")
    assert follow.query == "Hvad kræver samarbejdet? Og i regionerne?"
    assert follow.first_rank == 6
    assert len(follow.above) == 5


def test_details_hold_gold_text_and_hits_above_the_first_relevant(docs: list[Document]) -> None:
    run = RetrievalEvaluator(ITEMS, docs).evaluate(toy_search)
    q2 = next(o for o in run.items if o.item.id == "q2")
    assert q2.passages == [CONTRACT]
    assert q2.first_rank == 2 and q2.above == [NOISE]
    oos = next(o for o in run.items if o.item.id == "q4")
    assert not oos.scored and oos.hits == [NOISE]
    assert run.to_dict()["items"][1]["relevant_ranks"] == [2]


def test_split_filter_keeps_follow_up_context_from_other_splits(docs: list[Document]) -> None:
    items = [*ITEMS[:4], item("q5", "Og i regionerne?", kind="followup", follows="q1",
                              split="test", relevant=[("doc-a", TRUST)])]
    run = RetrievalEvaluator(items, docs, splits={"test"}).evaluate(toy_search)
    assert [o.item.id for o in run.items] == ["q3", "q5"]
    assert run.items[1].query.startswith("Hvad kræver samarbejdet?")


def test_a_follow_up_is_searched_with_its_own_words_as_focus(docs: list[Document]) -> None:
    calls: list[tuple[str, str | None]] = []

    def search(question: str, k: int, mode: str, focus: str | None = None) -> list[Hit]:
        calls.append((question, focus))
        return toy_search(question, k, mode)

    RetrievalEvaluator(ITEMS, docs).evaluate(search)
    assert calls[-1] == ("Hvad kræver samarbejdet? Og i regionerne?", "Og i regionerne?")
    assert all(focus is None for _, focus in calls[:-1])


def test_unresolved_items_are_counted_not_scored(docs: list[Document]) -> None:
    items = [item("q1", "Hvad kræver samarbejdet?", relevant=[("doc-a", "helt andet indhold her")])]
    metrics = RetrievalEvaluator(items, docs)(toy_search)
    assert metrics["n"] == 0 and metrics["n_unscored"] == 1


def test_evaluate_modes_runs_each_mode_side_by_side(docs: list[Document]) -> None:
    ev = RetrievalEvaluator(ITEMS, docs)
    seen: list[str] = []
    runs = ev.evaluate_modes(["hybrid", "reversed"], lambda mode: seen.append(mode) or toy_search)
    assert seen == ["hybrid", "reversed"] and list(runs) == ["hybrid", "reversed"]
    assert runs["hybrid"].primary == runs["hybrid"].metrics["mrr@10"]
    assert runs["reversed"].metrics["mrr@10"] == 0.75  # (1/2 + 1 + 1/2 + 1) / 4
