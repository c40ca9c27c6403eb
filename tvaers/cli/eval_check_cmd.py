"""``tvaers eval check``: validate a gold set against the ingested corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tvaers.cli._common import echo_json, user_errors

__all__ = ["check"]


@click.command()
@click.argument("gold", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@user_errors
def check(gold: Path, as_json: bool) -> None:
    """Validate GOLD (JSON Lines) and locate every quote in the corpus.

    Reads the corpus folder of the current settings (no model or index needed)
    and names each failing item and quote: schema errors by line and field,
    unknown document ids, quotes not found in their document, scope and
    crossdoc rules. Exits 1 when there are errors; fuzzy quote matches are
    warnings only.

    \b
    Examples:
      tvaers eval check eval/gold/dev.jsonl
      tvaers eval check eval/gold/dev.jsonl --json | jq '.problems[]'
    """
    from tvaers.eval.gold import check_gold, read_gold
    from tvaers.ingest.pipeline import load_documents
    from tvaers.runtime import overrides_path
    from tvaers.settings import Settings

    settings = Settings()
    parsed = read_gold(gold)
    ingest = load_documents(
        settings.corpus_dir,
        overrides_path=overrides_path(settings),
        progress=not as_json and sys.stderr.isatty(),
    )
    for skipped in ingest.skipped:
        click.echo(f"note: corpus file skipped: {skipped.path}: {skipped.reason}", err=True)
    problems = [*parsed.problems,
                *check_gold(parsed.items, ingest.documents, lines=parsed.lines)]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    n_quotes = sum(len(i.relevant) for i in parsed.items)
    if as_json:
        echo_json({
            "gold": str(gold),
            "items": len(parsed.items),
            "quotes": n_quotes,
            "documents": len(ingest.documents),
            "errors": errors,
            "warnings": warnings,
            "problems": [
                {"severity": p.severity, "line": p.line, "item": p.item_id,
                 "quote": None if p.quote is None else p.quote + 1, "message": p.message}
                for p in problems
            ],
        })
    else:
        click.echo(f"{gold}: {len(parsed.items)} valid items, {n_quotes} quotes, "
                   f"checked against {len(ingest.documents)} documents in {settings.corpus_dir}")
        for p in sorted(problems, key=lambda p: (p.line or 0, p.quote or 0)):
            click.echo(str(p))
        verdict = "FAILED" if errors else "ok"
        click.echo(f"{verdict}: {errors} error(s), {warnings} warning(s)")
    if errors:
        sys.exit(1)
