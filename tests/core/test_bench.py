"""``tvaers bench`` end to end on the real model and corpus: every figure is measured.

Speed itself is not asserted (that is what the benchmark reports); this checks
that each measurement runs and lands in the report and its Markdown table.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_bench_measures_ingest_queries_answers_exercises_and_hnsw(bundled_settings) -> None:
    from tvaers.bench import run_bench
    from tvaers.ingest.pipeline import load_documents
    from tvaers.runtime import overrides_path

    corpus = load_documents(
        bundled_settings.corpus_dir, overrides_path=overrides_path(bundled_settings)
    )

    questions = [
        "Hvordan håndterer vi en privat partner, der ikke leverer?",
        "How do we handle a private partner who does not deliver?",
        "Hvordan laver jeg en god lasagne?",
    ]
    report = run_bench(bundled_settings, questions, ann_vectors=2_000, ann_queries=20, repeats=1)

    assert (report.documents, report.chunks) == (5, len(corpus.chunks))
    assert report.chunks > 100
    assert report.ingest_seconds > report.read_clean_chunk_seconds > 0
    assert report.index_bytes > 1_000_000
    assert {lat.mode.value for lat in report.latency} == {"hybrid", "dense", "bm25"}
    assert all(lat.queries == len(questions) and lat.p95_ms >= lat.p50_ms > 0
               for lat in report.latency)
    assert report.answer_p95_ms >= report.answer_p50_ms > 0
    assert report.exercise_first_seconds > 0 and report.exercise_warm_seconds > 0
    ann = report.ann
    assert ann is not None and 0.5 <= ann.recall_at_10 <= 1.0
    assert ann.ef_search == bundled_settings.hnsw_ef_search
    depths = [p.ef_search for p in ann.sweep]
    assert depths == sorted(depths) and ann.ef_search in depths and len(depths) >= 5
    assert ann.sweep[-1].recall_at_10 >= ann.sweep[0].recall_at_10
    table = report.render_markdown()
    for row in ("cold ingest", "query latency, hybrid", "answer (retrieve", "exercise sheet",
                "HNSW vs exact", "HNSW at ef_search 32"):
        assert row in table
