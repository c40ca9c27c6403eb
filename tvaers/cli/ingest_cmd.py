"""``tvaers ingest``: read, clean and chunk the corpus, and report what happened."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from tvaers.cli._common import echo_json, user_errors
from tvaers.settings import Settings

__all__ = ["add_to_corpus", "ingest"]


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON document.")
@click.option(
    "--if-stale",
    is_flag=True,
    help="Skip the work when the current index is up to date.",
)
@click.option("--no-index", is_flag=True, help="Only read, clean and chunk; build no index.")
@user_errors
def ingest(paths: tuple[Path, ...], as_json: bool, if_stale: bool, no_index: bool) -> None:
    """Ingest the corpus folder into passages and build a new index generation.

    Every file is read (.txt, .md, .pdf with a text layer, .docx), cleaned,
    chunked, embedded and indexed. Each PATH (a file or folder) is first
    copied into the corpus folder, so that the corpus folder stays the one
    source of the index; a copied file that cannot be used is removed again.
    A file that cannot be used is skipped and listed with its reason; the exit
    code stays 0 as long as at least one document was ingested. The previous
    index keeps serving until the new one is complete.

    \b
    Examples:
      tvaers ingest
      tvaers ingest ~/Downloads/rapport.pdf noter/
      tvaers ingest --json > ingest-report.json
      tvaers ingest --if-stale
    """
    from tvaers.ingest.pipeline import load_documents
    from tvaers.ingest.report import IngestReport
    from tvaers.runtime import overrides_path

    if if_stale and no_index:
        raise click.UsageError("--if-stale checks the index, which --no-index does not build")
    settings = Settings()
    embedder = None
    if not no_index:
        from tvaers.runtime import load_embedder

        embedder = load_embedder(settings)
        if if_stale and _index_is_current(settings, embedder.model_id):
            click.echo(f"Index at {settings.resolved_index_dir} is up to date.", err=True)
            return
    copied = add_to_corpus(settings.corpus_dir, paths)
    result = load_documents(
        settings.corpus_dir, overrides_path=overrides_path(settings), progress=True, added=copied
    )
    for skipped in result.skipped:
        if Path(skipped.path) in copied:
            Path(skipped.path).unlink(missing_ok=True)
            skipped.reason += " (removed from the corpus folder again)"
    if not result.documents:
        if as_json:  # what was skipped and why, for a script as for a reader
            echo_json(IngestReport.from_result(result))
        click.echo(f"Error: no document could be ingested from {settings.corpus_dir}", err=True)
        raise click.exceptions.Exit(1)
    generation = None
    index_seconds = None
    if embedder is not None:
        from tvaers.runtime import build_index_from_settings

        started = time.perf_counter()
        generation = build_index_from_settings(settings, result, embedder, progress=True)
        index_seconds = time.perf_counter() - started
    report = IngestReport.from_result(result, index_seconds=index_seconds)
    if as_json:
        echo_json(report)
    else:
        click.echo(report.render_text())
        if generation is not None:
            click.echo(f"Index: {generation}")


def _index_is_current(settings: Settings, model_id: str) -> bool:
    from tvaers.index.store import is_current
    from tvaers.runtime import expected_state

    return is_current(settings.resolved_index_dir, expected_state(settings, model_id))


def add_to_corpus(corpus_dir: Path, paths: tuple[Path, ...]) -> set[Path]:
    """Copy files (and the supported files of folders) into the corpus folder.

    Refuses to overwrite a different file of the same name, so that nothing
    in the corpus is lost; an identical file is left as it is.
    """
    from tvaers.errors import TvaersError
    from tvaers.ingest.readers import SUPPORTED_SUFFIXES

    sources: list[Path] = []
    for path in paths:
        if path.is_dir():
            sources += sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            sources.append(path)
    to_copy: list[tuple[Path, Path]] = []
    for source in sources:  # every clash is found before anything is copied
        target = corpus_dir / source.name
        if target.resolve() == source.resolve():
            continue
        if target.exists():
            if target.read_bytes() == source.read_bytes():
                continue
            raise TvaersError(
                f"{target} already exists with other content; rename {source.name} "
                "or remove the old file first (nothing was copied)"
            )
        to_copy.append((source, target))
    copied: set[Path] = set()
    for source, target in to_copy:
        shutil.copyfile(source, target)
        copied.add(target)
    return copied
