"""``tvaers eval``: check gold sets and measure retrieval and answers."""

from __future__ import annotations

import click

from tvaers.cli._common import LazyGroup

EVAL_COMMANDS = {
    "check": "tvaers.cli.eval_check_cmd:check",
    "retrieval": "tvaers.cli.eval_retrieval_cmd:retrieval",
    "calibrate": "tvaers.cli.eval_calibrate_cmd:calibrate",
    "answers": "tvaers.cli.eval_answers_cmd:answers",
}


@click.group(name="eval", cls=LazyGroup, lazy_commands=EVAL_COMMANDS)
def eval_group() -> None:
    """Validate gold sets; score retrieval, the not-covered decision and answers.

    \b
    Examples:
      tvaers eval check eval/gold/dev.jsonl
      tvaers eval retrieval --gold eval/gold/dev.jsonl --html report.html
      tvaers eval calibrate
      tvaers eval answers --gold eval/gold/dev.jsonl --answers answers.jsonl --csv scores.csv
    """
