"""A self-contained HTML report comparing retrieval modes on a gold set.

One file, no external assets (inline CSS, charts as inline SVG), so it can be
mailed or attached to a pull request and still open years later. The page is
rendered from ``RetrievalReportContext`` alone; geometry is computed here so
the template only places elements, and autoescaping covers every string.

Example:
    >>> runs = evaluator.evaluate_modes(["hybrid", "bm25"], factory)  # doctest: +SKIP
    >>> write_retrieval_report("report.html", runs, gold_path="dev.jsonl")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from tvaers.contracts import HEADING_SEPARATOR, Document, Hit
from tvaers.eval.retrieval import GROUP_FIELDS, ItemOutcome, RetrievalRun

__all__ = ["RetrievalReportContext", "build_context", "render_retrieval_report",
           "write_retrieval_report"]

#: Colour-blind-safe palette (Okabe–Ito), one colour per mode.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
#: Hits shown above the first relevant one, per mode; the rest are counted.
MAX_ABOVE = 5
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class Bar:
    mode: str
    value: float
    x: float
    y: float
    width: float
    height: float
    color: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    x: float  # centre of the group, for its label
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    """One metric across groups, a bar per mode; coordinates in SVG user units."""

    metric: str
    width: float
    height: float
    top: float
    baseline: float
    left: float
    ticks: list[tuple[float, str]]
    groups: list[BarGroup]


@dataclass(frozen=True)
class MetricRow:
    metric: str
    values: list[float | None]  # one per mode, None when the group lacks the metric
    best: int | None  # index of the best mode, highlighted


@dataclass(frozen=True)
class MetricSection:
    group: str
    n: int
    rows: list[MetricRow]


@dataclass(frozen=True)
class HitView:
    rank: int
    title: str
    heading: str
    snippet: str


@dataclass(frozen=True)
class ModeView:
    mode: str
    color: str
    rank: int | None
    above: list[HitView]
    hidden: int  # outranking hits not shown


@dataclass(frozen=True)
class GoldView:
    doc_id: str
    title: str
    status: str
    ratio: float
    text: str


@dataclass(frozen=True)
class QuestionView:
    id: str
    question: str
    query: str
    lang: str
    kind: str
    split: str
    user: str
    scored: bool
    n_unresolved: int
    gold: list[GoldView]
    modes: list[ModeView]
    missed: bool  # scored and missed by some mode: the page opens it


@dataclass(frozen=True)
class RetrievalReportContext:
    """Everything the template receives.

    ``modes``/``colors`` order every table column and bar; ``sections`` is the
    metrics table (overall first, then by lang, kind, split, user); ``charts``
    holds one bar chart per metric; ``questions`` the per-item evidence.
    """

    title: str
    generated_at: str
    gold_path: str
    k: int
    primary_metric: str
    modes: list[str]
    colors: list[str]
    counts: dict[str, int]
    sections: list[MetricSection]
    charts: list[BarChart]
    questions: list[QuestionView]


def _plain(run: RetrievalRun) -> dict[str, float]:
    """Metrics without the evaluator's name prefix."""
    prefix = f"{run.name}_" if run.name else ""
    return {k.removeprefix(prefix): v for k, v in run.metrics.items()}


def _metric_names(k_values: list[str], metrics: dict[str, float]) -> list[str]:
    return [*k_values, *(m for m in metrics if "/" not in m and m.split("@")[0]
                         in ("mrr", "ndcg", "crossdoc_full"))]


def _groups(metrics: dict[str, float]) -> list[str]:
    present = [""]
    for fieldname, values in GROUP_FIELDS.items():
        present += [f"{fieldname}={v}/" for v in values if f"{fieldname}={v}/n" in metrics]
    return present


def _chart(metric: str, groups: list[str], plain: list[dict[str, float]], modes: list[str],
           colors: list[str]) -> BarChart:
    bar_w, gap, left, top, plot_h = 14.0, 18.0, 36.0, 12.0, 160.0
    baseline = top + plot_h
    out: list[BarGroup] = []
    x = left + gap / 2
    for g in groups:
        values = [m.get(g + metric) for m in plain]
        if all(v is None for v in values):
            continue
        bars = []
        for i, v in enumerate(values):
            h = plot_h * max(0.0, min(1.0, v or 0.0))
            bars.append(Bar(modes[i], v or 0.0, x + i * bar_w, round(baseline - h, 1),
                            bar_w - 2, round(h, 1), colors[i]))
        out.append(BarGroup(g.rstrip("/") or "overall", x + len(modes) * bar_w / 2, bars))
        x += len(modes) * bar_w + gap
    ticks = [(baseline - plot_h * t, f"{t:.2f}") for t in (0, 0.25, 0.5, 0.75, 1.0)]
    return BarChart(metric, max(x + 50, 200.0), baseline + 70, top, baseline, left, ticks, out)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def _hit_view(rank: int, hit: Hit) -> HitView:
    return HitView(rank, hit.title, HEADING_SEPARATOR.join(hit.heading_path), _snippet(hit.text))


def _question(outcomes: list[ItemOutcome], modes: list[str], colors: list[str],
              titles: Mapping[str, str]) -> QuestionView:
    first = outcomes[0]
    item = first.item
    views = []
    for mode, color, o in zip(modes, colors, outcomes, strict=True):
        above = o.above if o.scored else o.hits
        views.append(ModeView(mode, color, o.first_rank,
                              [_hit_view(r, h) for r, h in enumerate(above[:MAX_ABOVE], 1)],
                              max(0, len(above) - MAX_ABOVE)))
    gold = [GoldView(s.doc_id, titles.get(s.doc_id, s.doc_id), s.status, s.ratio, text)
            for s, text in zip(first.spans, first.passages, strict=True)]
    return QuestionView(
        item.id, item.question, first.query, item.lang, item.kind, item.split, item.user,
        first.scored, first.n_unresolved, gold, views,
        missed=first.scored and any(o.first_rank is None for o in outcomes),
    )


def build_context(
    runs: Mapping[str, RetrievalRun], *, gold_path: str = "", title: str = "",
    documents: Mapping[str, Document] | None = None, generated_at: str | None = None,
) -> RetrievalReportContext:
    """Turn evaluated modes (all from one evaluator) into the template's context."""
    if not runs:
        raise ValueError("no runs to report; evaluate at least one mode")
    modes = list(runs)
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(modes))]
    plain = [_plain(r) for r in runs.values()]
    any_run = next(iter(runs.values()))
    recalls = [m for m in plain[0] if m.startswith("recall@")]
    metrics = _metric_names(recalls, plain[0])
    higher_is_better = set(metrics)
    sections = []
    for g in _groups(plain[0]):
        rows = []
        for m in [*metrics, "latency_p50_ms", "latency_p95_ms"] if not g else metrics:
            values = [p.get(g + m) for p in plain]
            if all(v is None for v in values):
                continue
            known = [(v, i) for i, v in enumerate(values) if v is not None]
            best = (max(known)[1] if m in higher_is_better else min(known)[1]) \
                if len(known) > 1 and len({v for v, _ in known}) > 1 else None
            rows.append(MetricRow(m, values, best))
        sections.append(MetricSection(g.rstrip("/") or "overall", int(plain[0][g + "n"]), rows))
    titles = {d: doc.title for d, doc in (documents or {}).items()}
    titles |= {h.doc_id: h.title for r in runs.values() for o in r.items for h in o.hits
               if h.doc_id not in titles}
    per_item = zip(*(r.items for r in runs.values()), strict=True)
    return RetrievalReportContext(
        title=title or "Tværs retrieval report",
        generated_at=generated_at or dt.datetime.now().isoformat(timespec="seconds"),
        gold_path=gold_path, k=any_run.k, primary_metric=_plain_name(any_run),
        modes=modes, colors=colors,
        counts={"scored": int(plain[0]["n"]), "out_of_scope": int(plain[0]["n_out_of_scope"]),
                "unscored": int(plain[0]["n_unscored"]), "total": len(any_run.items)},
        sections=sections,
        charts=[_chart(m, _groups(plain[0]), plain, modes, colors) for m in metrics],
        questions=[_question(list(o), modes, colors, titles) for o in per_item],
    )


def _plain_name(run: RetrievalRun) -> str:
    return run.primary_metric.removeprefix(f"{run.name}_" if run.name else "")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("tvaers.eval", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v: "–" if v is None else f"{v:.3f}"
    return env


def render_retrieval_report(runs: Mapping[str, RetrievalRun], **kwargs: object) -> str:
    """The report as one HTML string; ``kwargs`` go to ``build_context``."""
    context = build_context(runs, **kwargs)  # type: ignore[arg-type]
    return _environment().get_template("retrieval_report.html.j2").render(ctx=context)


def write_retrieval_report(path: str | Path, runs: Mapping[str, RetrievalRun],
                           **kwargs: object) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_retrieval_report(runs, **kwargs), encoding="utf-8")
    return path
