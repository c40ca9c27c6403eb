"""``tvaers eval retrieval``: score search modes side by side on a gold set."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tvaers.cli._common import echo_json, gold_option, output_path, user_errors
from tvaers.settings import SearchMode

if TYPE_CHECKING:
    from tvaers.eval.retrieval import RetrievalRun

__all__ = ["format_runs", "retrieval"]

log = logging.getLogger(__name__)

#: Metrics shown per group in the text table (the overall block shows all); recall@5
#: because issue 3's targets are set on it.
GROUP_COLUMNS = ("recall@5", "recall@{k}", "mrr@{k}")


def _modes(ctx: click.Context, param: click.Parameter, value: str) -> list[SearchMode]:
    valid = [m.value for m in SearchMode]
    modes = []
    for name in (v.strip().lower() for v in value.split(",") if v.strip()):
        if name not in valid:
            raise click.BadParameter(f"unknown mode {name!r}; choose from {', '.join(valid)}")
        modes.append(SearchMode(name))
    if not modes:
        raise click.BadParameter(f"name at least one mode of {', '.join(valid)}")
    return list(dict.fromkeys(modes))


@click.command()
@gold_option("Gold set (JSON Lines).")
@click.option(
    "--modes",
    "modes",
    default="hybrid,dense,bm25",
    show_default=True,
    callback=_modes,
    help="Comma-separated search modes to compare.",
)
@click.option(
    "-k",
    "--k",
    "k",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="Hits per question; MRR and nDCG are computed at this depth.",
)
@click.option(
    "--split",
    type=click.Choice(["tune", "test", "all"]),
    default="all",
    show_default=True,
    help="Which gold items to score, for retrieval and the not-covered shares alike.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option(
    "--html",
    "html",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=output_path,
    help="Also write a self-contained HTML report here.",
)
@click.option(
    "--details/--no-details",
    default=True,
    show_default=True,
    help="Include per-question outcomes in --json output.",
)
@click.option(
    "--baseline",
    is_flag=True,
    help="Also score issue 3's naive pipeline (paragraphs packed to 800 characters, one "
    "dense vector each; ~20 s to embed), as column 'naive': how hard the gold set is "
    "against the held-out set, where it gets recall@5 0.56 Danish / 0.44 English.",
)
@click.option(
    "--not-covered/--no-not-covered",
    "with_not_covered",
    default=True,
    show_default=True,
    help="Also report the not-covered decision: out-of-scope items flagged and "
    "in-scope items wrongly flagged, per split.",
)
@user_errors
def retrieval(
    gold: Path,
    modes: list[SearchMode],
    k: int,
    split: str,
    as_json: bool,
    html: Path | None,
    details: bool,
    baseline: bool,
    with_not_covered: bool,
) -> None:
    """Score retrieval on a gold set: recall@1/5/k, MRR@k, nDCG@k, crossdoc coverage.

    Loads the model and the index once (refusing a stale index), searches
    every question in each mode and prints the metrics overall and by
    language, kind, split and user. A chunk is a hit for a gold quote when it
    covers at least half of it. Out-of-scope questions are searched but not
    scored; a follow-up is searched with its previous question in front.
    Progress and warnings (e.g. unresolved quotes) go to stderr.

    \b
    Examples:
      tvaers eval retrieval
      tvaers eval retrieval --gold eval/gold/dev.jsonl --modes hybrid,bm25 --split tune
      tvaers eval retrieval --json --no-details | jq '.modes.hybrid.metrics["mrr@10"]'
      tvaers eval retrieval --html report.html
      tvaers eval retrieval --modes hybrid --baseline
    """
    from tvaers.eval.gold import load_gold
    from tvaers.eval.retrieval import RetrievalEvaluator
    from tvaers.runtime import load_runtime
    from tvaers.settings import Settings

    items = load_gold(gold)
    settings = Settings()
    click.echo("loading model and index…", err=True)
    runtime = load_runtime(settings)
    retriever = runtime.retriever
    documents = runtime.index.documents  # type: ignore[attr-defined]
    k_values = sorted({v for v in (1, 5, 10) if v < k} | {k})
    splits = None if split == "all" else {split}
    evaluator = RetrievalEvaluator(items, documents.values(), k_values=k_values, splits=splits)

    def search_for(mode: SearchMode):
        def search(
            question: str, depth: int, _mode: SearchMode, focus: str | None = None
        ) -> list:
            return retriever.search(  # type: ignore[attr-defined]
                question, k=depth, mode=mode, focus=focus
            )

        return search

    bar = _Progress(enabled=sys.stderr.isatty())
    runs = evaluator.evaluate_modes(modes, search_for, progress=bar)
    if baseline:
        from tvaers.eval.baseline import NaiveBaseline

        click.echo("\nembedding the naive baseline's chunks…", err=True)
        naive = NaiveBaseline(documents.values(), runtime.embedder)
        runs["naive"] = evaluator.evaluate(
            naive.search, "naive", progress=lambda done, total: bar("naive", done, total)
        )
    bar.close()

    from tvaers.eval.not_covered import NotCoveredEvaluator

    not_covered = (
        NotCoveredEvaluator(items, splits=splits).evaluate(runtime.evidence)
        if with_not_covered
        else None
    )

    if html:
        from tvaers.eval.report_html import write_retrieval_report

        write_retrieval_report(
            html,
            runs,
            gold_path=str(gold),
            documents=documents,
            title=f"Tværs retrieval report ({split})",
        )
        click.echo(f"wrote {html}", err=True)
    if as_json:
        echo_json(
            {
                "gold": str(gold),
                "split": split,
                "k": k,
                "primary_metric": evaluator.primary_metric,
                "modes": {m: r.to_dict(details=details) for m, r in runs.items()},
                "not_covered": not_covered.to_dict(items if details else None)
                if not_covered
                else None,
            }
        )
    else:
        from tvaers.cli.eval_calibrate_cmd import format_shares

        click.echo(format_runs(runs, gold=str(gold), split=split))
        if not_covered is None:
            return
        click.echo("\nnot covered (thresholds from settings; tvaers eval calibrate chooses them)")
        click.echo(format_shares(not_covered.metrics).replace("# ", "  "))


class _Progress:
    """One stderr progress line per mode; silent when stderr is not a terminal."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._mode: object = None

    def __call__(self, mode: object, done: int, total: int) -> None:
        if not self.enabled:
            return
        if mode != self._mode and self._mode is not None:
            sys.stderr.write("\n")
        self._mode = mode
        sys.stderr.write(f"\r{mode}: {done}/{total} questions")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._mode is not None:
            sys.stderr.write("\n")


def format_runs(runs: Mapping[str, RetrievalRun], *, gold: str = "", split: str = "all") -> str:
    """A plain-text table: all metrics overall, then recall and MRR per group."""
    modes = list(runs)
    first = next(iter(runs.values()))
    m = first.metrics
    width = max(10, *(len(x) for x in modes))
    lines = [
        f"gold {gold}  split {split}  top {first.k}  scored {int(m['n'])}  "
        f"out of scope {int(m['n_out_of_scope'])}  unscored {int(m['n_unscored'])}",
        "",
        f"{'metric':<20}" + "".join(f"{x:>{width + 2}}" for x in modes),
    ]
    counts = {"n", "n_out_of_scope", "n_unscored"}
    overall = [key for key in m if "/" not in key and key not in counts]  # shares, then ms
    for key in overall:
        lines.append(
            f"{key:<20}"
            + "".join(f"{_fmt(r.metrics.get(key)):>{width + 2}}" for r in runs.values())
        )
    cols = [c for c in dict.fromkeys(c.format(k=first.k) for c in GROUP_COLUMNS)
            if c in m]  # recall@5 only when k >= 5
    cell = max(width, 6 * len(cols) + 3 * (len(cols) - 1)) + 2
    lines += [
        "",
        f"by group: {' / '.join(cols)} per mode",
        f"{'group':<20}{'n':>4}" + "".join(f"{mode:>{cell}}" for mode in modes),
    ]
    for key in m:
        if key.endswith("/n"):
            group = key[:-2]
            lines.append(
                f"{group:<20}{int(m[key]):>4}"
                + "".join(
                    f"{' / '.join(_fmt(r.metrics.get(f'{group}/{c}')) for c in cols):>{cell}}"
                    for r in runs.values()
                )
            )
    lines += ["", f"primary metric: {first.primary_metric}"]
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
