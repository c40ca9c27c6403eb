"""``tvaers eval retrieval`` with the model and index stubbed: wiring and output only."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from tvaers import runtime
from tvaers.cli import main
from tvaers.contracts import Document, Hit

TEXT = "Indledning. Det kræver tillid, fælles mål og en klar aftale. Slut."
QUOTE = "Det kræver tillid, fælles mål"


class FakeRetriever:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, str]] = []

    def search(self, query: str, k: int = 10, mode: str = "hybrid", lang: str | None = None,
               focus: str | None = None):
        self.calls.append((query, k, str(mode)))
        start = TEXT.index(QUOTE)
        good = Hit(chunk_id="notat#1", doc_id="notat", title="Notat", heading_path=["Indledning"],
                   text=QUOTE, char_start=start, char_end=start + len(QUOTE), score=1.0)
        noise = good.model_copy(update={"chunk_id": "notat#0", "char_start": 0, "char_end": 11,
                                        "text": "Indledning."})
        return [good, noise] if mode == "hybrid" else [noise, good]


@pytest.fixture
def retriever(monkeypatch: pytest.MonkeyPatch) -> FakeRetriever:
    fake = FakeRetriever()
    doc = Document(doc_id="notat", title="Notat", source_file="notat.txt",
                   source_sha256="0" * 64, clean_text=TEXT)
    loaded: list[object] = []

    def fake_runtime(settings):
        loaded.append(settings)
        return SimpleNamespace(retriever=fake, index=SimpleNamespace(documents={"notat": doc}))

    monkeypatch.setattr(runtime, "load_runtime", fake_runtime)
    fake.loaded = loaded  # type: ignore[attr-defined]
    return fake


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    items = [
        {"id": "q1", "question": "Hvad kræver samarbejdet?", "lang": "da", "kind": "fact",
         "relevant": [{"doc": "notat", "quote": QUOTE}], "split": "tune"},
        {"id": "q2", "question": "What does it take?", "lang": "en", "kind": "paraphrase",
         "relevant": [{"doc": "notat", "quote": QUOTE}], "split": "test"},
        {"id": "q3", "question": "Hvad koster en bil?", "lang": "da", "kind": "out_of_scope"},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in items), encoding="utf-8")
    return path


def test_retrieval_prints_modes_side_by_side(retriever: FakeRetriever, gold: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "retrieval", "--no-not-covered", "--gold", str(gold),
                                       "--modes", "hybrid,bm25"])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "hybrid", "bm25"]
    assert any(line.split()[:3] == ["mrr@10", "1.000", "0.500"]
               for line in result.stdout.splitlines())
    assert len(retriever.loaded) == 1  # model and index loaded once for all modes
    assert {c[2] for c in retriever.calls} == {"hybrid", "bm25"}


def test_retrieval_json_and_split_filter(retriever: FakeRetriever, gold: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "retrieval", "--no-not-covered", "--gold", str(gold),
                                       "--json",
                                       "--split", "test", "--modes", "dense", "-k", "5"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["primary_metric"] == "mrr@5"
    metrics = payload["modes"]["dense"]["metrics"]
    assert metrics["n"] == 1 and metrics["lang=en/n"] == 1 and "recall@5" in metrics
    assert [i["id"] for i in payload["modes"]["dense"]["items"]] == ["q2"]


def test_retrieval_writes_html_only_when_asked(
    retriever: FakeRetriever, gold: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["eval", "retrieval", "--no-not-covered", "--gold", str(gold),
                                       "--html",
                                       str(report)])
    assert result.exit_code == 0, result.output
    assert "<svg" in report.read_text(encoding="utf-8")
    assert list(tmp_path.glob("*.html")) == [report]


def test_retrieval_rejects_an_unknown_mode_naming_the_valid_ones(gold: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "retrieval", "--no-not-covered", "--gold", str(gold),
                                       "--modes", "hybrid,sparse"])
    assert result.exit_code == 2
    assert "unknown mode 'sparse'; choose from hybrid, dense, bm25" in result.output
