"""``tvaers exercise`` on the real index: the done-means sheet as DOCX pair and GIFT."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tvaers.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "prompts" / "exercises"))
from gift_syntax import parse_gift

pytestmark = pytest.mark.slow

DONE = ["exercise", "--topic", "Private Partnere og Konsortier", "--kind", "case,dilemma,quiz",
        "--n", "6", "--seed", "1"]


@pytest.fixture
def env(bundled_settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("TVAERS_DATA_DIR", str(bundled_settings.data_dir))
    monkeypatch.setenv("TVAERS_MODEL_CACHE_DIR", str(bundled_settings.model_cache_dir))
    monkeypatch.setenv("TVAERS_DB_PATH", str(tmp_path / "cli.sqlite"))
    return bundled_settings


def test_done_sheet_as_docx_pair_and_gift(env, tmp_path: Path) -> None:
    out = tmp_path / "ark.docx"
    result = CliRunner().invoke(main, [*DONE, "--format", "docx", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    sheet = json.loads(result.stdout)
    assert [i["kind"] for i in sheet["items"]] == ["case", "dilemma"] + ["quiz"] * 4
    key = tmp_path / "ark-key.docx"
    handout_text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    key_text = "\n".join(p.text for p in docx.Document(key).paragraphs)
    assert "Private partnere og konsortier" in handout_text and "Svar:" in key_text
    for item in sheet["items"]:
        for citation in item["citations"]:
            assert citation["chunk_id"] in key_text  # the key locates every passage

    gift = tmp_path / "quiz.gift.txt"
    result = CliRunner().invoke(main, [*DONE, "--format", "gift", "-o", str(gift)])
    assert result.exit_code == 0, result.output
    questions = parse_gift(gift.read_text("utf-8"))
    assert [q.right[0] for q in questions] == [
        i["answer"] for i in sheet["items"] if i["kind"] == "quiz"
    ]
    assert not (tmp_path / "quiz.gift-key.txt").exists()


def test_markdown_to_stdout_is_deterministic_and_the_key_has_answers(env) -> None:
    first = CliRunner().invoke(main, [*DONE, "--part", "key"])
    second = CliRunner().invoke(main, [*DONE, "--part", "key"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    assert first.stdout.startswith("# Øvelsesark: Private partnere og konsortier")
    assert first.stdout.count("**Svar:**") == 4


def test_user_errors_are_clear(env) -> None:
    unknown = CliRunner().invoke(main, ["exercise", "--topic", "ledelse", "--kind", "quiz"])
    assert unknown.exit_code == 2
    assert "unknown topic 'ledelse'" in unknown.output and "private-partnere" in unknown.output
    case = CliRunner().invoke(main, ["exercise", "--case", "Odense", "--kind", "case"])
    assert case.exit_code == 2 and "sam-bo" in case.output
    no_path = CliRunner().invoke(main, [*DONE, "--format", "docx"])
    assert no_path.exit_code == 2 and "give -o PATH" in no_path.output
    kinds = CliRunner().invoke(main, ["exercise", "--kind", "case,essay"])
    assert kinds.exit_code == 2 and "case, dilemma, discussion, quiz" in kinds.output
    few = CliRunner().invoke(main, ["exercise", "--kind", "case,quiz", "--n", "1"])
    assert few.exit_code == 2 and "fewer than the 2 kinds" in few.output
    gift = CliRunner().invoke(main, ["exercise", "--kind", "case", "--format", "gift"])
    assert gift.exit_code == 2 and "GIFT holds only quiz questions" in gift.output
    assert "Examples:" in CliRunner().invoke(main, ["exercise", "--help"]).output
