"""``tvaers eval calibrate``: choose the not-covered thresholds on a gold set's tune split."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tvaers.cli._common import echo_json, gold_option, user_errors

if TYPE_CHECKING:
    from tvaers.eval.not_covered import Calibration

__all__ = ["calibrate", "format_shares"]


@click.command()
@gold_option("Gold set with out_of_scope items and tune/test splits.")
@click.option(
    "--max-wrong",
    type=click.FloatRange(0, 0.5),
    default=0.05,
    show_default=True,
    help="Largest share of in-scope questions that may be flagged, on new questions "
    "(estimated by cross-validation within the tune split).",
)
@click.option(
    "--budget",
    type=click.FloatRange(0, 0.5),
    default=None,
    help="Share of in-scope tune items the thresholds may flag. Default: the largest "
    "whose cross-validated share stays within --max-wrong.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option(
    "--details/--no-details",
    default=False,
    show_default=True,
    help="Include every item's evidence in --json output.",
)
@user_errors
def calibrate(
    gold: Path, max_wrong: float, budget: float | None, as_json: bool, details: bool
) -> None:
    """Measure each language's dense background and choose its evidence threshold.

    On the TUNE split: the background is the mean and spread of all
    question-passage cosines per language, and the threshold is the highest
    evidence score that flags at most a budget of the in-scope items. A
    threshold at the edge of the tune scores flags more new questions than
    tune ones, so the budget is the largest whose share of wrongly flagged
    questions, cross-validated within TUNE, stays within --max-wrong. The
    TEST split is then scored with those values to confirm them. Paste the
    printed lines into tvaers.toml (or set TVAERS_EVIDENCE_THRESHOLD_DA, ...).
    Redo this after changing the corpus, the model or the analyser.

    \b
    Examples:
      tvaers eval calibrate
      tvaers eval calibrate --gold my_gold.jsonl --max-wrong 0.03 >> tvaers.toml
      tvaers eval calibrate --json --details | jq '.items[] | select(.not_covered)'
    """
    from tvaers.eval.gold import load_gold
    from tvaers.eval.not_covered import calibrate as run_calibration
    from tvaers.eval.not_covered import settings_snippet
    from tvaers.runtime import load_runtime
    from tvaers.settings import Settings

    items = load_gold(gold)
    if not any(i.split == "tune" and i.kind != "out_of_scope" for i in items):
        raise click.ClickException(_NO_TUNE.format(gold=gold))
    settings = Settings()
    click.echo("loading model and index…", err=True)
    scorer = load_runtime(settings).evidence
    result = run_calibration(scorer, items, max_wrong=max_wrong, budget=budget)
    tune = [i for i in items if i.split == "tune"]
    for lang in sorted(result.thresholds):
        if not any(i.lang == lang and i.kind == "out_of_scope" for i in tune):
            click.echo(
                f"warning: no out-of-scope tune items in {lang!r}: its threshold only keeps "
                "wrongly flagged questions under --max-wrong, nothing shows what it flags",
                err=True,
            )
        in_scope = sum(1 for i in tune if i.lang == lang and i.kind != "out_of_scope")
        if in_scope < MIN_TUNE_PER_LANG:
            click.echo(
                f"warning: only {in_scope} in-scope tune items in {lang!r}: with so few, "
                "the threshold and the cross-validated estimate are rough "
                f"(aim for {MIN_TUNE_PER_LANG} or more)",
                err=True,
            )
    for warning in _estimate_warnings(result, max_wrong, given=budget is not None):
        click.echo(f"warning: {warning}", err=True)
    if details and not as_json:
        click.echo("note: --details adds every item's evidence to --json output only", err=True)
    if as_json:
        echo_json(
            {
                "gold": str(gold),
                "settings": settings_snippet(result),
                **result.to_dict(items if details else None),
                "budget_from": "given" if budget is not None else "cross-validation",
            }
        )
        return
    click.echo(f"# tvaers eval calibrate --gold {gold} --max-wrong {max_wrong}", err=True)
    chosen = "given" if budget is not None else "chosen by cross-validation"
    click.echo(f"# tune budget {result.budget} ({chosen})", err=True)
    click.echo(format_shares(result.run.metrics), err=True)
    cv = result.cross_validation
    if cv is not None and cv.wrongly_flagged is not None:
        flagged = "–" if cv.flagged is None else f"{cv.flagged:.3f}"
        click.echo(
            f"# expected on new questions (tune, cross-validated in {cv.folds} folds × "
            f"{cv.repeats}): flagged {flagged}, wrongly {cv.wrongly_flagged:.3f}",
            err=True,
        )
    click.echo(settings_snippet(result))


#: Fewer in-scope tune items than this in a language make its numbers rough.
MIN_TUNE_PER_LANG = 20


def _estimate_warnings(result: Calibration, max_wrong: float, *, given: bool) -> list[str]:
    """What the cross-validated estimate says about the promise of --max-wrong."""
    cv = result.cross_validation
    if cv is None or cv.wrongly_flagged is None or cv.wrongly_flagged <= max_wrong:
        return []
    if given:
        return [
            f"with --budget {result.budget} about "
            f"{cv.wrongly_flagged:.3f} of new in-scope questions would be flagged, more "
            f"than --max-wrong {max_wrong}"
        ]
    return [
        f"no budget keeps new questions within --max-wrong {max_wrong} (the smallest, "
        f"{result.budget}, is expected to flag {cv.wrongly_flagged:.3f}); "
        "the evidence signals overlap more than that"
    ]


_NO_TUNE = (
    "{gold} has no in-scope items in its tune split, so there is nothing to set a "
    'threshold by: mark questions "split": "tune" (and some "kind": "out_of_scope")'
)


def format_shares(metrics: dict[str, float]) -> str:
    """Flagged / wrongly flagged per split and language, one line each."""
    lines = [f"# {'group':<18}{'flagged':>10}{'wrongly':>10}{'n oos':>7}{'n in':>6}"]
    for prefix in (
        "split=tune,lang=da/",
        "split=tune,lang=en/",
        "split=tune/",
        "split=test,lang=da/",
        "split=test,lang=en/",
        "split=test/",
        "",
    ):
        key = f"{prefix}not_covered/flagged"
        if key not in metrics:
            continue
        name = prefix.rstrip("/") or "all"
        lines.append(
            f"# {name:<18}{metrics[key]:>10.3f}"
            f"{metrics[f'{prefix}not_covered/wrongly_flagged']:>10.3f}"
            f"{int(metrics[f'{prefix}not_covered/n_out_of_scope']):>7}"
            f"{int(metrics[f'{prefix}not_covered/n_in_scope']):>6}"
        )
    return "\n".join(lines)
