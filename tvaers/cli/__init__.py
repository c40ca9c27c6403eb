"""The ``tvaers`` command line: thin commands over the library.

Each command parses its arguments, builds ``Settings`` once, calls one library
function and prints the result; ``--json`` prints one JSON document to stdout,
while logs and progress bars go to stderr.
"""

from __future__ import annotations

import logging

import click

from tvaers import __version__
from tvaers.cli._common import LazyGroup

COMMANDS = {
    "ingest": "tvaers.cli.ingest_cmd:ingest",
    "model": "tvaers.cli.model_cmd:model",
    "search": "tvaers.cli.search_cmd:search",
    "ask": "tvaers.cli.ask_cmd:ask",
    "exercise": "tvaers.cli.exercise_cmd:exercise",
    "eval": "tvaers.cli.eval_cmd:eval_group",
    "serve": "tvaers.cli.serve_cmd:serve",
    "bench": "tvaers.cli.bench_cmd:bench",
}


@click.group(cls=LazyGroup, lazy_commands=COMMANDS)
@click.version_option(__version__, prog_name="tvaers")
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages to stderr.")
def main(verbose: bool) -> None:
    """Tværs: cited guidance on cross-sector leadership from Danish texts.

    \b
    Examples:
      tvaers model prepare
      tvaers ingest
      tvaers search "Hvordan håndterer vi en privat partner, der ikke leverer?"
      tvaers serve --port 8000
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("tvaers").setLevel(logging.DEBUG if verbose else logging.INFO)
