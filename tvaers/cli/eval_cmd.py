"""``tvaers eval``: check gold sets and measure retrieval and answers."""

from __future__ import annotations

import click

from tvaers.cli._common import LazyGroup

EVAL_COMMANDS = {
    "check": "tvaers.cli.eval_check_cmd:check",
    "retrieval": "tvaers.cli.eval_retrieval_cmd:retrieval",
}


@click.group(name="eval", cls=LazyGroup, lazy_commands=EVAL_COMMANDS)
def eval_group() -> None:
    """Validate gold sets and score retrieval against them.

    \b
    Examples:
      tvaers eval check eval/gold/dev.jsonl
      tvaers eval retrieval --gold eval/gold/dev.jsonl --html report.html
    """
