"""``tvaers bench``: speed figures for the README."""

from __future__ import annotations

import signal
from types import FrameType

import click

from tvaers.cli._common import echo_json, user_errors
from tvaers.settings import Settings


@click.command()
@click.option(
    "--ann-vectors",
    type=click.IntRange(min=0),
    default=100_000,
    show_default=True,
    help="Size of the synthetic corpus for HNSW vs exact search (0 skips it).",
)
@click.option(
    "--repeats",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Passes over the questions.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@user_errors
def bench(ann_vectors: int, repeats: int, as_json: bool) -> None:
    """Measure model preparation and load, cold ingest, index size, query
    latency per mode, and HNSW recall@10 against exact search.

    Works in temporary folders: the served index is not touched. Query
    latency is measured over the questions of the bundled dev gold set.

    \b
    Examples:
      tvaers bench
      tvaers bench --ann-vectors 0 --json
    """
    from tvaers.bench import run_bench
    from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold

    questions = [item.question for item in load_gold(BUNDLED_DEV_GOLD)]
    # SIGTERM (timeout, kill) ends Python without unwinding, leaving ~550 MB of
    # temporary index behind; as an exception it unwinds like Ctrl-C does
    signal.signal(signal.SIGTERM, _terminate)
    report = run_bench(Settings(), questions, ann_vectors=ann_vectors, repeats=repeats)
    if as_json:
        echo_json(report)
    else:
        click.echo(report.render_markdown())


def _terminate(signum: int, frame: FrameType | None) -> None:
    del frame
    raise SystemExit(128 + signum)
