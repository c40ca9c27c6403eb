"""``tvaers eval answers``: argument errors that need no model."""

from __future__ import annotations

from click.testing import CliRunner

from tvaers.cli import main


def test_system_answers_fail_saying_the_chat_does_not_exist_yet() -> None:
    result = CliRunner().invoke(main, ["eval", "answers", "--system"])
    assert result.exit_code != 0
    assert "--system needs the project's chat" in result.output
    assert "--answers FILE.jsonl" in result.output


def test_answers_file_is_required() -> None:
    result = CliRunner().invoke(main, ["eval", "answers"])
    assert result.exit_code != 0
    assert "give --answers FILE.jsonl" in result.output
