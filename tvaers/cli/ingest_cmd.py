"""``tvaers ingest``: read, clean and chunk the corpus, and report what happened."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tvaers.cli._common import echo_json, user_errors
from tvaers.settings import Settings

if TYPE_CHECKING:
    from tvaers.ingest.pipeline import IngestResult

__all__ = ["ingest", "publish"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON document.")
@click.option(
    "--if-stale",
    is_flag=True,
    help="Skip the work when the current index is up to date.",
)
@user_errors
def ingest(paths: tuple[Path, ...], as_json: bool, if_stale: bool) -> None:
    """Ingest the corpus folder plus any PATH (files or folders) into passages.

    Every file is read (.txt, .md, .pdf with a text layer, .docx), cleaned and
    chunked. A file that cannot be used is skipped and listed with its reason;
    the exit code stays 0 as long as at least one document was ingested.

    \b
    Examples:
      tvaers ingest
      tvaers ingest ~/Downloads/rapport.pdf noter/
      tvaers ingest --json > ingest-report.json
      tvaers ingest --if-stale
    """
    from tvaers.ingest.pipeline import OVERRIDES_FILE, load_documents
    from tvaers.ingest.report import IngestReport

    settings = Settings()
    result = load_documents(
        settings.corpus_dir,
        paths,
        overrides_path=settings.corpus_dir / OVERRIDES_FILE,
        progress=True,
    )
    publish(settings, result, if_stale=if_stale)
    report = IngestReport.from_result(result)
    if as_json:
        echo_json(report)
    else:
        click.echo(report.render_text())
    if not result.documents:
        click.echo(f"Error: no document could be ingested from {settings.corpus_dir}", err=True)
        raise click.exceptions.Exit(1)


def publish(settings: Settings, result: IngestResult, *, if_stale: bool) -> None:
    """The one place the chunking result leaves the ingest command.

    The index build hooks in here (the lead wires it, together with
    ``--if-stale``); until then ingest only reports.
    """
    del settings, result, if_stale
