from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tvaers.cli import main
from tvaers.errors import StaleIndexError
from tvaers.index import Retriever, build_index, load_index

_spec = importlib.util.spec_from_file_location(
    "toy_index_for_cli", Path(__file__).resolve().parents[1] / "index" / "toy_index.py"
)
toy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(toy)


class FakeRuntime:
    def __init__(self, retriever: Retriever) -> None:
        self.retriever = retriever


@pytest.fixture
def runtime_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """A toy index behind ``load_runtime``; returns the list of its calls."""
    documents, chunks = toy.make_corpus()
    embedder = toy.HashEmbedder()
    index_dir = tmp_path / "index"
    build_index(documents, chunks, embedder, index_dir, fingerprint="c", overrides_hash="o")
    calls: list[object] = []

    def fake_load_runtime(settings):
        calls.append(settings)
        return FakeRuntime(Retriever(load_index(settings.resolved_index_dir), embedder))

    monkeypatch.setattr("tvaers.runtime.load_runtime", fake_load_runtime)
    monkeypatch.setenv("TVAERS_INDEX_DIR", str(index_dir))
    return calls


def test_help_shows_examples() -> None:
    result = CliRunner().invoke(main, ["search", "--help"])
    assert result.exit_code == 0
    assert "tvaers search --json - < questions.txt" in result.output


def test_missing_index_fails_before_loading_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TVAERS_INDEX_DIR", str(tmp_path / "none"))
    monkeypatch.setattr("tvaers.runtime.load_runtime", lambda s: pytest.fail("model loaded"))
    result = CliRunner().invoke(main, ["search", "tillid"])
    assert result.exit_code == 1
    assert "no index at" in result.output
    assert "run `tvaers ingest`" in result.output


def test_listing_shows_rank_score_title_heading_pages_and_snippet(
    runtime_loads: list[object],
) -> None:
    result = CliRunner().invoke(main, ["search", "privat partner leverer ikke", "-k", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "privat partner leverer ikke"
    assert lines[1].startswith("  1. ")
    assert "Menings- og tillidsskabelse i tværsektoriel ledelse, p. 2" in lines[1]
    top = json.loads(CliRunner().invoke(
        main, ["search", "privat partner leverer ikke", "-k", "1", "--json"]).output)["hits"][0]
    parts = [f"{n} {v:.4g}" for n, v in top["scores"].items() if v is not None]
    assert len(parts) >= 2 and lines[1].endswith("  [" + " · ".join(parts) + "]")  # fused
    assert lines[2].strip() == "6. Risisi"
    assert lines[3].strip().startswith("Ved kontortieledelse")
    assert sum(line.startswith("  2. ") for line in lines) == 1


def test_json_prints_the_question_and_its_hits(runtime_loads: list[object]) -> None:
    result = CliRunner().invoke(main, ["search", "ildsjæle", "--json", "--mode", "bm25"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["question"] == "ildsjæle"
    top = payload["hits"][0]
    assert top["heading_path"] == ["Ildsjæle ombord"]
    assert top["scores"]["dense"] is None
    assert top["score"] == top["scores"]["bm25"]


def test_stdin_gives_one_json_line_per_question_with_one_model_load(
    runtime_loads: list[object],
) -> None:
    result = CliRunner().invoke(
        main, ["search", "-", "--json", "-k", "3"], input="tillid\n\nWho are the enthusiasts?\n"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["question"] for line in lines] == ["tillid", "Who are the enthusiasts?"]
    assert all(len(line["hits"]) <= 3 for line in lines)
    assert len(runtime_loads) == 1


def test_a_stdin_line_without_words_gets_its_error_line_and_the_rest_is_searched(
    runtime_loads: list[object],
) -> None:
    result = CliRunner().invoke(
        main, ["search", "-", "--json", "-k", "2"], input="tillid\n?!…\nildsjæle\n"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["question"] for line in lines] == ["tillid", "?!…", "ildsjæle"]
    assert lines[1] == {"question": "?!…", "hits": [], "error": lines[1]["error"]}
    assert "no words" in lines[1]["error"]
    assert lines[0]["hits"] and lines[2]["hits"]
    assert len(runtime_loads) == 1


def test_a_question_without_words_is_refused_before_loading_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tvaers.runtime.load_runtime", lambda s: pytest.fail("model loaded"))
    result = CliRunner().invoke(main, ["search", " ... !!! "])
    assert result.exit_code == 2
    assert "the question has no words" in result.output


def test_empty_stdin_is_a_usage_error(runtime_loads: list[object]) -> None:
    result = CliRunner().invoke(main, ["search", "-"], input="\n")
    assert result.exit_code == 2
    assert "no question given" in result.output


def test_stale_index_is_shown_as_a_one_line_error(
    runtime_loads: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    def stale(settings):
        raise StaleIndexError("the index is stale: corpus 'a' → 'b'; run `tvaers ingest`")

    monkeypatch.setattr("tvaers.runtime.load_runtime", stale)
    result = CliRunner().invoke(main, ["search", "tillid"])
    assert result.exit_code == 1
    assert "Error: the index is stale" in result.output
    assert "Traceback" not in result.output


def test_unknown_mode_lists_the_valid_ones() -> None:
    result = CliRunner().invoke(main, ["search", "tillid", "--mode", "fuzzy"])
    assert result.exit_code == 2
    assert "hybrid" in result.output and "bm25" in result.output
