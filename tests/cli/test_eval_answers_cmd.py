"""``tvaers eval answers``: argument errors that need no model."""

from __future__ import annotations

from click.testing import CliRunner

from tvaers.cli import main


def test_answers_file_or_system_is_required() -> None:
    result = CliRunner().invoke(main, ["eval", "answers"])
    assert result.exit_code != 0
    assert "give either --answers FILE.jsonl or --system" in result.output


def test_answers_file_and_system_exclude_each_other(tmp_path) -> None:
    answers = tmp_path / "a.jsonl"
    answers.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "answers", "--answers", str(answers), "--system"])
    assert result.exit_code != 0
    assert "either --answers FILE.jsonl or --system" in result.output


def test_output_needs_system(tmp_path) -> None:
    answers = tmp_path / "a.jsonl"
    answers.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["eval", "answers", "--answers", str(answers), "-o", str(tmp_path / "o.jsonl")]
    )
    assert result.exit_code != 0
    assert "it needs --system" in result.output
