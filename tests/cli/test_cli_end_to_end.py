"""The CLI on the real model and the real index of the bundled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tvaers.cli import main
from tvaers.settings import Settings

pytestmark = pytest.mark.slow

PARTNER = {
    "da": "Hvordan håndterer vi en privat partner, der ikke leverer?",
    "en": "How do we handle a private partner who does not deliver?",
}


@pytest.fixture
def bundled_env(bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("TVAERS_DATA_DIR", str(bundled_settings.data_dir))
    monkeypatch.setenv("TVAERS_MODEL_CACHE_DIR", str(bundled_settings.model_cache_dir))
    return bundled_settings


@pytest.mark.parametrize("lang", ["da", "en"])
def test_search_ranks_the_horsens_consortium_passage_in_top_three(
    bundled_env: Settings, lang: str
) -> None:
    result = CliRunner().invoke(main, ["search", PARTNER[lang], "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert any(
        "horsens-paa-forkant" in h["cases"] and "konsorti" in h["text"].lower() for h in hits
    ), [h["heading_path"] for h in hits]


def test_search_from_stdin_writes_one_json_line_per_question(bundled_env: Settings) -> None:
    questions = f"{PARTNER['da']}\n{PARTNER['en']}\n"
    result = CliRunner().invoke(main, ["search", "-", "--json", "-k", "2"], input=questions)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [PARTNER["da"], PARTNER["en"]]
    assert all(len(line["hits"]) == 2 for line in lines)


def test_eval_retrieval_writes_a_self_contained_html_report(
    bundled_env: Settings, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        ["eval", "retrieval", "--split", "test", "--json", "--no-details", "--html", str(report)],
    )
    assert result.exit_code == 0, result.output
    modes = json.loads(result.stdout)["modes"]
    assert set(modes) == {"hybrid", "dense", "bm25"}
    assert modes["hybrid"]["metrics"]["recall@10"] > 0.5
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "src=\"http" not in html and "href=\"http" not in html
