from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_retrieval import ITEMS, toy_search
from toy_corpus import item

from tvaers.contracts import Document
from tvaers.eval.report_html import build_context, render_retrieval_report, write_retrieval_report
from tvaers.eval.retrieval import RetrievalEvaluator, RetrievalRun


@pytest.fixture
def runs(docs: list[Document]) -> dict[str, RetrievalRun]:
    evil = item("x1", "<script>alert('x')</script> & co?", relevant=[("doc-a", "Det kræver")])
    ev = RetrievalEvaluator([*ITEMS, evil], docs)

    def search(question: str, k: int, mode: str, focus: str | None = None):
        return [] if question.startswith("<script>") else toy_search(question, k, mode)

    return ev.evaluate_modes(["hybrid", "bm25"], lambda mode: search)


def test_report_is_self_contained(runs: dict[str, RetrievalRun]) -> None:
    html = render_retrieval_report(runs, gold_path="dev.jsonl")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "<script" not in html
    assert "<style>" in html


def test_report_draws_one_svg_chart_per_metric(runs: dict[str, RetrievalRun]) -> None:
    html = render_retrieval_report(runs)
    assert html.count("<svg") == len(build_context(runs).charts) == 6
    assert "<rect" in html


def test_report_escapes_question_text(runs: dict[str, RetrievalRun]) -> None:
    html = render_retrieval_report(runs)
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert" not in html


def test_report_shows_modes_side_by_side_and_the_gold_passage(
    runs: dict[str, RetrievalRun], docs: list[Document]
) -> None:
    ctx = build_context(runs, documents={d.doc_id: d for d in docs})
    assert ctx.modes == ["hybrid", "bm25"]
    assert [s.group for s in ctx.sections][:3] == ["overall", "lang=da", "lang=en"]
    q2 = next(q for q in ctx.questions if q.id == "q2")
    assert q2.gold[0].title == "Partnerskaber" and q2.gold[0].text == "en tydelig kontrakt"
    assert [m.rank for m in q2.modes] == [2, 2]
    assert q2.modes[0].above[0].rank == 1
    assert next(q for q in ctx.questions if q.id == "x1").missed


def test_write_retrieval_report_creates_the_file(
    runs: dict[str, RetrievalRun], tmp_path: Path
) -> None:
    path = write_retrieval_report(tmp_path / "out" / "report.html", runs)
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
