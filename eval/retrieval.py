"""The retrieval evaluator: a gold set in, named metrics out, for any search function.

It depends on no index: anything callable as ``search(question, k, mode) ->
list[Hit]`` can be scored, so tests use toy functions and the CLI the real
retriever.

Choices that shape the numbers:

* Out-of-scope items are searched (their latency counts, their hits are kept for
  the later not-covered decision) but never enter recall, MRR or nDCG; they are
  counted as ``n_out_of_scope``.
* Items none of whose quotes resolve are counted as ``n_unscored``, not as misses.
* A follow-up is searched as ``"<previous question> <follow-up>"``: the
  retriever has no conversation state, and the previous question is what a
  chat front end would most cheaply add to a terse follow-up ("og i kommunerne?").
  Its search is also given ``focus=<follow-up>``, as the chat gives it, so
  a retriever can weigh the follow-up's own words above its thread's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from tvaers.contracts import Document, GoldItem, GoldKind, Hit
from tvaers.eval.gold import ResolvedItem, ResolvedQuote, resolve_quotes
from tvaers.eval.metrics import (
    Span,
    all_docs_hit,
    first_hit_rank,
    hit_at_k,
    judge,
    mean,
    ndcg_at_k,
    percentile,
    reciprocal_rank,
)

__all__ = ["ItemOutcome", "RetrievalEvaluator", "RetrievalRun", "SearchFn", "query_for"]

#: ``search(query, k, mode)``; for a follow-up also ``focus=<the follow-up>``.
SearchFn = Callable[..., list[Hit]]

#: Group dimensions reported besides "overall", in display order.
GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "lang": ("da", "en"),
    "kind": get_args(GoldKind),
    "split": ("tune", "test"),
    "user": ("leader", "trainer", "evaluator"),
}


def query_for(item: GoldItem, by_id: Mapping[str, GoldItem]) -> str:
    """The text searched for an item: a follow-up gets its previous question in front."""
    previous = by_id.get(item.follows) if item.follows else None
    return f"{previous.question} {item.question}" if previous else item.question


@dataclass
class ItemOutcome:
    """How one gold item fared in one mode; what the HTML report shows per question."""

    item: GoldItem
    query: str
    spans: list[ResolvedQuote]
    passages: list[str]
    n_unresolved: int
    hits: list[Hit]
    judged: list[frozenset[int]]
    latency_ms: float
    scored: bool
    first_rank: int | None = None
    reciprocal_rank: float = 0.0
    ndcg: float = 0.0

    @property
    def above(self) -> list[Hit]:
        """The hits that outranked the first relevant one (all of them on a miss)."""
        return self.hits[: self.first_rank - 1] if self.first_rank else list(self.hits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "query": self.query,
            "lang": self.item.lang,
            "kind": self.item.kind,
            "split": self.item.split,
            "scored": self.scored,
            "first_rank": self.first_rank,
            "reciprocal_rank": round(self.reciprocal_rank, 4),
            "ndcg": round(self.ndcg, 4),
            "latency_ms": round(self.latency_ms, 2),
            "gold": [
                {"doc": s.doc_id, "char_start": s.char_start, "char_end": s.char_end,
                 "status": s.status}
                for s in self.spans
            ],
            "n_unresolved": self.n_unresolved,
            "hits": [h.chunk_id for h in self.hits],
            "relevant_ranks": [r for r, j in enumerate(self.judged, start=1) if j],
        }


@dataclass
class RetrievalRun:
    """One mode's flat metrics plus per-item outcomes."""

    name: str
    mode: str
    k: int
    metrics: dict[str, float]
    primary_metric: str
    items: list[ItemOutcome] = field(default_factory=list)

    @property
    def primary(self) -> float:
        return self.metrics[self.primary_metric]

    def to_dict(self, *, details: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "mode": self.mode, "k": self.k,
            "primary_metric": self.primary_metric, "metrics": self.metrics,
        }
        if details:
            out["items"] = [o.to_dict() for o in self.items]
        return out


class RetrievalEvaluator:
    """Scores a search function against a gold set.

    Usage:
        >>> ev = RetrievalEvaluator(items, documents, name="dev")          # doctest: +SKIP
        >>> ev(lambda q, k, mode: retriever.search(q, k, mode), "hybrid")  # doctest: +SKIP
        {'dev_recall@1': 0.41, ..., 'dev_mrr@10': 0.55, 'dev_lang=da/mrr@10': 0.6, ...}

    ``primary_metric`` names the number to optimise (``mrr@K`` with K the
    largest of ``k_values``). Quotes are resolved once, here, and reused by
    every call, so comparing modes costs only the searches.
    """

    def __init__(
        self,
        items: Sequence[GoldItem] | Sequence[ResolvedItem],
        documents: Iterable[Document],
        *,
        k_values: Sequence[int] = (1, 5, 10),
        name: str = "",
        splits: Collection[str] | None = None,
    ) -> None:
        if not k_values or min(k_values) < 1:
            raise ValueError(f"k_values must be positive integers, got {list(k_values)}")
        self.documents = {d.doc_id: d for d in documents}
        if all(isinstance(i, ResolvedItem) for i in items):
            resolved = list(items)
        else:
            resolved = resolve_quotes([_gold(i) for i in items], self.documents.values())
        self._by_id = {r.item.id: r.item for r in resolved}
        self.resolved = [r for r in resolved if in_splits(r.item, splits)]
        self.k_values = tuple(sorted(set(k_values)))
        self.k = self.k_values[-1]
        self.name = name
        self.primary_metric = self._key(f"mrr@{self.k}")

    def _key(self, metric: str) -> str:
        return f"{self.name}_{metric}" if self.name else metric

    def __call__(self, search: SearchFn, mode: Any = "hybrid") -> dict[str, float]:
        return self.evaluate(search, mode).metrics

    def evaluate(
        self, search: SearchFn, mode: Any = "hybrid",
        progress: Callable[[int, int], None] | None = None,
    ) -> RetrievalRun:
        """Search every item once; ``progress(done, total)`` is called after each."""
        outcomes = []
        for n, res in enumerate(self.resolved, start=1):
            outcomes.append(self._run_item(res, search, mode))
            if progress:
                progress(n, len(self.resolved))
        return RetrievalRun(self.name, str(mode), self.k, self._metrics(outcomes),
                            self.primary_metric, outcomes)

    def evaluate_modes(
        self, modes: Iterable[Any], search_fn_factory: Callable[[Any], SearchFn],
        progress: Callable[[Any, int, int], None] | None = None,
    ) -> dict[str, RetrievalRun]:
        """Run several modes side by side; ``search_fn_factory(mode)`` gives each one's search."""
        runs: dict[str, RetrievalRun] = {}
        for mode in modes:
            def step(done: int, total: int, _mode: Any = mode) -> None:
                if progress:
                    progress(_mode, done, total)
            runs[str(mode)] = self.evaluate(search_fn_factory(mode), mode, step)
        return runs

    def _run_item(self, res: ResolvedItem, search: SearchFn, mode: Any) -> ItemOutcome:
        item = res.item
        query = query_for(item, self._by_id)
        started = time.perf_counter()
        extra = {"focus": item.question} if query != item.question else {}
        hits = list(search(query, self.k, mode, **extra))[: self.k]
        latency_ms = (time.perf_counter() - started) * 1000
        spans = res.spans
        located = [Span(s.doc_id, s.char_start or 0, s.char_end or 0) for s in spans]
        judged = judge(hits, located)
        outcome = ItemOutcome(
            item=item, query=query, spans=spans,
            passages=[self.documents[s.doc_id].clean_text[s.char_start:s.char_end]
                      for s in spans],
            n_unresolved=len(res.quotes) - len(spans), hits=hits, judged=judged,
            latency_ms=latency_ms, scored=item.kind != "out_of_scope" and bool(spans),
        )
        if outcome.scored:
            outcome.first_rank = first_hit_rank(judged, self.k)
            outcome.reciprocal_rank = reciprocal_rank(judged, self.k)
            outcome.ndcg = ndcg_at_k(judged, len(spans), self.k)
        return outcome

    def _metrics(self, outcomes: list[ItemOutcome]) -> dict[str, float]:
        out: dict[str, float] = {}
        scored = [o for o in outcomes if o.scored]
        out.update(self._block("", scored))
        out[self._key("n_out_of_scope")] = sum(o.item.kind == "out_of_scope" for o in outcomes)
        out[self._key("n_unscored")] = sum(
            o.item.kind != "out_of_scope" and not o.scored for o in outcomes)
        latencies = [o.latency_ms for o in outcomes]
        out[self._key("latency_p50_ms")] = round(percentile(latencies, 50), 3)
        out[self._key("latency_p95_ms")] = round(percentile(latencies, 95), 3)
        for fieldname, values in GROUP_FIELDS.items():
            for value in values:
                group = [o for o in scored if getattr(o.item, fieldname) == value]
                if group:
                    out.update(self._block(f"{fieldname}={value}/", group))
        return out

    def _block(self, prefix: str, scored: list[ItemOutcome]) -> dict[str, float]:
        k = self.k
        block: dict[str, float] = {f"{prefix}n": len(scored)}
        for kv in self.k_values:
            block[f"{prefix}recall@{kv}"] = mean([hit_at_k(o.judged, kv) for o in scored])
        block[f"{prefix}mrr@{k}"] = mean([o.reciprocal_rank for o in scored])
        block[f"{prefix}ndcg@{k}"] = mean([o.ndcg for o in scored])
        crossdoc = [o for o in scored if o.item.kind == "crossdoc"]
        if crossdoc:
            block[f"{prefix}crossdoc_full@{k}"] = mean(
                [all_docs_hit(o.judged, [Span(s.doc_id, 0, 0) for s in o.spans], k)
                 for o in crossdoc])
        return {self._key(key): round(v, 4) if isinstance(v, float) else v
                for key, v in block.items()}


def _gold(item: GoldItem | ResolvedItem) -> GoldItem:
    return item.item if isinstance(item, ResolvedItem) else item


def in_splits(item: GoldItem, splits: Collection[str] | None) -> bool:
    """The item is in one of ``splits`` (None: every split)."""
    return splits is None or item.split in splits
