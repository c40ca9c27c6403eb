"""``tvaers eval answers``: score answers (a file, or the system's own) against a gold set."""

from __future__ import annotations

import csv
import html as html_lib
import sys
from pathlib import Path
from typing import Any

import click

from tvaers.cli._common import echo_json, gold_option, output_path, user_errors

__all__ = ["answers"]

COLUMNS = (
    "id",
    "lang",
    "kind",
    "key_points",
    "key_points_hit",
    "similarity",
    "cosine",
    "rouge_l",
    "citation_precision",
    "citation_recall",
    "declined",
    "overrides",
)


@click.command()
@gold_option("Gold set.")
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help='Answers, one JSON line each: {"id", "answer", "citations": [...]}.',
)
@click.option(
    "--system",
    is_flag=True,
    help="Score the project's own answers (the chat's), asked afresh for every item.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=output_path,
    help="With --system: also write the system's answers here (JSON Lines, the --answers "
    "format) to inspect or rescore them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option(
    "--html",
    "html",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=output_path,
    help="Also write an HTML report here.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=output_path,
    help="Also write per-item scores (with evaluator overrides) as CSV for Excel.",
)
@user_errors
def answers(
    gold: Path,
    answers_file: Path | None,
    system: bool,
    output: Path | None,
    as_json: bool,
    html: Path | None,
    csv_path: Path | None,
) -> None:
    """Score answers: key-point coverage, similarity, ROUGE-L, citations, declining.

    Each answer is matched to its gold item by id. Key points count as covered
    on Danish (or English) stems or, semantically, on sentence embeddings.
    Every run also reports the scorer's calibration controls (reference
    answers against their own and a shuffled item's key points, empty and
    off-topic answers) and whether they hold.

    \b
    Examples:
      tvaers eval answers --answers eval/gold/dev_reference_answers.jsonl
      tvaers eval answers --gold eval/gold/dev.jsonl --answers mine.jsonl --csv scores.csv
      tvaers eval answers --answers mine.jsonl --json | jq .controls_hold
      tvaers eval answers --system -o system_answers.jsonl --html answers.html

    With --system every gold item is asked as in the chat (a follow-up in
    the conversation of the item it follows) and the answers are scored.
    """
    if system == (answers_file is not None):
        raise click.UsageError("give either --answers FILE.jsonl or --system")
    if output is not None and not system:
        raise click.UsageError("-o/--output writes the system's answers; it needs --system")
    from tvaers.eval.answer_eval import AnswerEvaluator, summary_rows
    from tvaers.eval.answers import AnswerScorer, load_answers
    from tvaers.eval.gold import load_gold
    from tvaers.eval.overrides import OverrideStore
    from tvaers.runtime import load_runtime
    from tvaers.settings import Settings

    items = load_gold(gold)
    submitted = load_answers(answers_file) if answers_file is not None else []
    known = {i.id for i in items}
    unknown = [a.id for a in submitted if a.id not in known]
    if unknown:
        raise click.ClickException(
            f"{len(unknown)} answer id(s) are not in {gold}: {', '.join(unknown[:5])}; "
            "each answer's id must be a gold item's id"
        )
    settings = Settings()
    click.echo("loading model and index…", err=True)
    runtime = load_runtime(settings)
    if system:
        submitted = _system_answers(items, runtime, output)
    scorer = AnswerScorer(
        runtime.index.documents.values(), embedder=runtime.embedder, chunks=runtime.index.chunks
    )
    evaluator = AnswerEvaluator(items, scorer)
    run = evaluator.evaluate(submitted)
    overrides = OverrideStore(settings.resolved_db_path).by_item()
    rows = summary_rows(run, evaluator, overrides)
    if csv_path:
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore", delimiter=";")
            writer.writeheader()
            writer.writerows(_excel_row(row) for row in rows)
        click.echo(f"wrote {csv_path}", err=True)
    if html:
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(_html(run.metrics, run.controls, run.controls_hold, rows), encoding="utf-8")
        click.echo(f"wrote {html}", err=True)
    if as_json:
        source = "system" if system else str(answers_file)
        echo_json({"gold": str(gold), "answers": source, **run.to_dict(), "items": rows})
        return
    click.echo(_text(run.metrics, run.controls, run.controls_hold, rows, run.missing))


def _excel_row(row: dict[str, Any]) -> dict[str, Any]:
    """Decimal commas: with ";" between fields (what Danish Excel expects), Danish Excel
    reads "0.9033" as text, so sums and sorting fail. Yes/no as the text table has them
    (Python's True/False means nothing to an evaluator)."""
    return {k: _csv_value(v) for k, v in row.items()}


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return value


def _system_answers(items: list, runtime: Any, output: Path | None) -> list:
    from tqdm import tqdm

    from tvaers.eval.system_answers import system_answers
    from tvaers.prompts.composer import Composer

    with tqdm(total=len(items), desc="answering", unit="q", file=sys.stderr) as bar:
        answers = system_answers(items, Composer(runtime), progress=lambda _: bar.update())
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(
            "".join(a.model_dump_json(exclude_none=True) + "\n" for a in answers),
            encoding="utf-8",
        )
        click.echo(f"wrote {output}", err=True)
    return answers


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _text(metrics: dict, controls: dict, hold: dict, rows: list[dict], missing: list) -> str:
    lines = ["summary"] + [f"  {k:<32}{_fmt(v):>8}" for k, v in metrics.items()]
    lines += ["", "calibration controls"]
    for key, value in controls.items():
        mark = {True: "ok", False: "FAILS"}.get(hold.get(key), "")  # type: ignore[call-overload]
        lines.append(f"  {key:<32}{_fmt(value):>8}  {mark}")
    if hold:
        failing = [k for k, ok in hold.items() if not ok]
        lines.append(
            f"  all {len(hold)} controls hold" if not failing
            else f"  {len(failing)} of {len(hold)} controls FAIL: {', '.join(failing)}"
        )
    if missing:
        lines += ["", f"{len(missing)} gold item(s) without an answer: {', '.join(missing[:8])}"]
    columns = COLUMNS[:-1]
    cells = [[_fmt(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines += ["", "  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    for r in cells:
        lines.append("  ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)))
    return "\n".join(lines)


def _html(metrics: dict, controls: dict, hold: dict, rows: list[dict]) -> str:
    esc = html_lib.escape

    def table(head: list[str], body: list[list[Any]]) -> str:
        th = "".join(f"<th>{esc(h)}</th>" for h in head)
        tr = "".join(
            "<tr>" + "".join(f"<td>{esc(_fmt(c))}</td>" for c in r) + "</tr>" for r in body
        )
        return f"<table><thead><tr>{th}</tr></thead><tbody>{tr}</tbody></table>"

    return (
        "<!doctype html><html lang='da'><meta charset='utf-8'><title>Tværs answer scores"
        "</title><style>body{font-family:sans-serif}td,th{padding:2px 8px;border-bottom:1px "
        "solid #ddd;text-align:right}</style><h1>Tværs answer scores</h1><h2>Summary</h2>"
        + table(["metric", "value"], [[k, v] for k, v in metrics.items()])
        + "<h2>Calibration controls</h2>"
        + table(["control", "value", "holds"], [[k, v, hold.get(k)] for k, v in controls.items()])
        + "<h2>Items</h2>"
        + table(list(COLUMNS), [[r.get(c) for c in COLUMNS] for r in rows])
        + "</html>"
    )
