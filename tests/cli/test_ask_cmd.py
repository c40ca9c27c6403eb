"""``tvaers ask`` on the real index: the same answer as the API, in the terminal."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tvaers.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture
def env(bundled_settings, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TVAERS_DATA_DIR", str(bundled_settings.data_dir))
    monkeypatch.setenv("TVAERS_MODEL_CACHE_DIR", str(bundled_settings.model_cache_dir))
    return bundled_settings


def test_ask_json_gives_quoted_cited_advice(env) -> None:
    result = CliRunner().invoke(
        main, ["ask", "How do we handle a private partner who does not deliver?", "--json"]
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["lang"] == "en" and answer["advice"]["actions"]
    by_n = {c["n"]: c for c in answer["citations"]}
    for line in answer["advice"]["actions"]:
        citation = by_n[line["citations"][0]]
        assert citation["text"][line["sentence_start"] : line["sentence_end"]] == line["text"]


def test_ask_prints_the_text_with_the_standing_line(env) -> None:
    result = CliRunner().invoke(main, ["ask", "Hvordan skaber vi tillid på tværs?"])
    assert result.exit_code == 0, result.output
    assert "Det kan I gøre" in result.stdout
    assert "ikke genereret, og er ikke juridisk rådgivning" in result.stdout


def test_ask_refuses_an_empty_question_and_a_bad_conversation_id(env) -> None:
    assert "the question is empty" in CliRunner().invoke(main, ["ask", " "]).output
    punctuation = CliRunner().invoke(main, ["ask", "???"])
    assert punctuation.exit_code == 2 and "the question has no words" in punctuation.output
    bad = CliRunner().invoke(main, ["ask", "tillid", "--conversation", "a b"])
    assert bad.exit_code != 0 and "letters, digits" in bad.output
