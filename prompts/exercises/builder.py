"""The exercise sheet: plans the items, builds each from its own seed, regenerates one.

An item's seed comes from the sheet seed and its position, and each builder
draws only from ``random.Random(item.seed)``, so the same options give the
same sheet, and regenerating one item (a new seed; sentences quoted by the
other items are avoided) leaves every other item byte-identical.

Example:
    >>> builder = ExerciseBuilder.from_runtime(runtime)                   # doctest: +SKIP
    >>> sheet = builder.build(ExerciseOptions(topics=["private partnere og konsortier"],
    ...                                       kinds=["case", "dilemma", "quiz"], n=6))
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tvaers.contracts import Chunk, ExerciseItem, ExerciseOptions, ExerciseSheet
from tvaers.errors import TvaersError
from tvaers.index.store import Index
from tvaers.prompts.exercises.cases import build_case
from tvaers.prompts.exercises.dilemmas import build_dilemma, load_tensions, rank_tensions
from tvaers.prompts.exercises.discussion import build_discussion
from tvaers.prompts.exercises.frames import frames, item_seed, regenerated_seed
from tvaers.prompts.exercises.quiz import QuizMaker, Search, stems
from tvaers.prompts.exercises.select import (
    OVERVIEW_CASES,
    TOPIC_RETRIEVED,
    Corpus,
    resolve_names,
)
from tvaers.prompts.topics import ResolvedTopic, load_topics, resolve_topics

if TYPE_CHECKING:
    from tvaers.runtime import Runtime

log = logging.getLogger(__name__)

__all__ = ["ExerciseBuilder", "ExerciseRequestError", "Resolved", "used_sentences"]

KIND_ORDER = ("case", "dilemma", "discussion", "quiz")


class ExerciseRequestError(TvaersError):
    """Options that cannot make a sheet (too few items for the kinds, an unknown item)."""


@dataclass(frozen=True)
class Resolved:
    """Options with every name turned into its slug."""

    topics: list[str]
    cases: list[str]
    docs: list[str]


@dataclass(frozen=True)
class _Slot:
    kind: str
    position: int
    number: int  # 1-based within its kind
    target: str | None


def used_sentences(items: Sequence[ExerciseItem]) -> set[tuple[str, int]]:
    """(chunk id, sentence start) of every sentence the items quote."""
    out: set[tuple[str, int]] = set()
    for item in items:
        by_n = {c.n: c.chunk_id for c in item.citations}
        quotes = [*item.quotes, *item.trainer_note, *(p.quote for p in item.positions)]
        out.update((by_n[q.citation], q.sentence_start) for q in quotes)
    return out


def _used_answers(items: Sequence[ExerciseItem]) -> set[str]:
    return {s for i in items if i.kind == "quiz" and i.answer for s in stems(i.answer)}


class ExerciseBuilder:
    """Builds sheets over one loaded index; build once per process (the quiz vocabulary and
    the topic pools are computed here)."""

    def __init__(
        self, index: Index, search: Search, topics: list[ResolvedTopic] | None = None
    ) -> None:
        topics = topics or resolve_topics(load_topics(), index.documents.values(), index.chunks)
        self.corpus = Corpus(index=index, topics=topics)
        self.search = search
        self._quiz: QuizMaker | None = None
        self._topic_pools: dict[str, list[Chunk]] = {}

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> ExerciseBuilder:
        corpus_ids: dict[str, Chunk] = {c.chunk_id: c for c in runtime.index.chunks}

        def search(query: str, k: int) -> list[Chunk]:
            hits = runtime.retriever.search(query, k=k, lang="da")
            return [corpus_ids[h.chunk_id] for h in hits if h.chunk_id in corpus_ids]

        return cls(runtime.index, search)

    @property
    def quiz(self) -> QuizMaker:
        """Built on first use: it reads the whole corpus's vocabulary."""
        if self._quiz is None:
            self._quiz = QuizMaker(self.corpus, self.search)
        return self._quiz

    # -- names ------------------------------------------------------------------

    def catalog(self) -> dict[str, list[dict[str, str]]]:
        """What a trainer can choose from (for the page and error messages)."""
        c = self.corpus
        return {
            "topics": [
                {"slug": t.topic.slug, "name": t.topic.name["da"], "name_en": t.topic.name["en"]}
                for t in c.topics
            ],
            "cases": [{"slug": x.slug, "name": x.display_name} for x in c.cases],
            "docs": [
                {"slug": d.doc_id, "name": d.title}
                for d in sorted(c.documents.values(), key=lambda d: d.doc_id)
            ],
            "kinds": [{"slug": k, "name": frames("da")["kinds"][k]} for k in KIND_ORDER],
        }

    def resolve(self, options: ExerciseOptions) -> Resolved:
        c = self.corpus
        return Resolved(
            topics=resolve_names(options.topics, c.topic_table(), "topic", c.topic_labels()),
            cases=resolve_names(options.cases, c.case_table(), "case", c.case_labels()),
            docs=resolve_names(options.docs, c.doc_table(), "document", c.doc_labels()),
        )

    # -- pools ------------------------------------------------------------------

    def topic_pool(self, slug: str) -> list[Chunk]:
        """The topic map's passages, then the passages retrieved for the topic's text."""
        if slug not in self._topic_pools:
            topic = self.corpus.topic(slug)
            ids = [i for i in topic.chunk_ids if i in self.corpus.by_id]
            for chunk in self.search(topic.topic.match_text("da"), TOPIC_RETRIEVED):
                if chunk.chunk_id not in ids and chunk.chunk_id in self.corpus.by_id:
                    ids.append(chunk.chunk_id)
            self._topic_pools[slug] = [self.corpus.by_id[i] for i in ids]
        return self._topic_pools[slug]

    def pool(self, r: Resolved) -> tuple[list[Chunk], frozenset[str]]:
        """The passages quiz questions and dilemmas draw on, and the pinned ones."""
        chunks: list[Chunk] = []
        pinned: set[str] = set()
        for slug in r.topics:
            chunks += self.topic_pool(slug)
            pinned |= set(self.corpus.topic(slug).chunk_ids)
        for slug in r.cases:
            chunks += self.corpus.case_chunks(slug)
        if not chunks:
            chunks = list(self.corpus.chunks)
        unique = list({c.chunk_id: c for c in chunks}.values())
        filtered = self.corpus.filter_docs(unique, r.docs)
        if not filtered:
            raise ExerciseRequestError(
                "the chosen topics or cases have no passages in the chosen documents"
            )
        return filtered, frozenset(pinned)

    # -- the plan ---------------------------------------------------------------

    def plan(self, options: ExerciseOptions, r: Resolved, pool: list[Chunk]) -> list[_Slot]:
        kinds = list(dict.fromkeys(options.kinds))
        if not kinds:
            raise ExerciseRequestError("choose at least one kind: case, dilemma, discussion, quiz")
        if options.n < len(kinds):
            raise ExerciseRequestError(
                f"n={options.n} is fewer than the {len(kinds)} kinds asked for; "
                f"use n >= {len(kinds)}"
            )
        counts = dict.fromkeys(kinds, 1)
        rest = options.n - len(kinds)
        if "quiz" in counts:
            counts["quiz"] += rest
        else:
            for i in range(rest):
                counts[kinds[i % len(kinds)]] += 1
        targets = {
            "case": self._case_targets(r, pool),
            "dilemma": [t.slug for t in rank_tensions(pool)],
            "discussion": self._topic_targets(r, pool),
        }
        slots: list[_Slot] = []
        for kind in kinds:
            options_for = targets.get(kind)
            for number in range(1, counts[kind] + 1):
                target = options_for[(number - 1) % len(options_for)] if options_for else None
                slots.append(_Slot(kind, len(slots), number, target))
        return slots

    def _case_targets(self, r: Resolved, pool: list[Chunk]) -> list[str]:
        if r.cases:
            return r.cases
        weight: Counter[str] = Counter()
        for rank, chunk in enumerate(pool):
            if len(chunk.cases) < OVERVIEW_CASES:
                for slug in chunk.cases:
                    weight[slug] += 1.0 / (1 + rank)  # type: ignore[assignment]
        order = [c.slug for c in self.corpus.cases]
        ranked = sorted(order, key=lambda s: (-weight[s], order.index(s)))
        return [s for s in ranked if self.corpus.case_chunks(s, r.docs)]

    def _topic_targets(self, r: Resolved, pool: list[Chunk]) -> list[str]:
        if r.topics:
            return r.topics
        ids = {c.chunk_id for c in pool}
        order = [t.topic.slug for t in self.corpus.topics]
        overlap = {t.topic.slug: len(ids & set(t.chunk_ids)) for t in self.corpus.topics}
        return sorted(order, key=lambda s: (-overlap[s], order.index(s)))

    # -- items ------------------------------------------------------------------

    def _item(
        self,
        slot: _Slot,
        *,
        seed: int,
        options: ExerciseOptions,
        r: Resolved,
        pool: list[Chunk],
        pinned: frozenset[str],
        others: Sequence[ExerciseItem],
        quiz_type: str | None = None,
    ) -> ExerciseItem:
        used = used_sentences(others)
        item_id = f"{slot.kind}-{slot.position + 1}"
        lang = options.lang
        if slot.kind == "case":
            assert slot.target is not None
            return build_case(
                self.corpus, item_id=item_id, slug=slot.target, docs=r.docs, seed=seed,
                lang=lang, used=used,
            )
        if slot.kind == "dilemma":
            tension = next(t for t in load_tensions() if t.slug == slot.target)
            return build_dilemma(
                self.corpus, item_id=item_id, tension=tension, pool=pool, seed=seed,
                lang=lang, used=used,
            )
        if slot.kind == "discussion":
            assert slot.target is not None
            return build_discussion(
                self.corpus, item_id=item_id, slug=slot.target, docs=r.docs, seed=seed,
                lang=lang, used=used,
            )
        kind = quiz_type or ("multiple_choice" if slot.number % 2 == 1 else "fill_blank")
        return self.quiz.build(
            item_id=item_id,
            number=slot.number,
            quiz_type=kind,  # type: ignore[arg-type]
            pool=pool,
            pinned=pinned,
            seed=seed,
            lang=lang,
            used=used,
            used_answers=_used_answers(others),
            k=options.k,
        )

    def build(self, options: ExerciseOptions, *, sheet_id: str | None = None) -> ExerciseSheet:
        """A sheet for the options; the same options give the same items."""
        r = self.resolve(options)
        pool, pinned = self.pool(r)
        items: list[ExerciseItem] = []
        for slot in self.plan(options, r, pool):
            try:
                item = self._item(
                    slot, seed=item_seed(options.seed, slot.position), options=options, r=r,
                    pool=pool, pinned=pinned, others=items,
                )
            except ValueError as exc:
                log.warning("item %s %d skipped: %s", slot.kind, slot.number, exc)
                continue
            items.append(item)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return ExerciseSheet(
            sheet_id=sheet_id or uuid.uuid4().hex,
            title=self.title(options, r),
            options=options,
            items=items,
            created=now,
            updated=now,
        )

    def title(self, options: ExerciseOptions, r: Resolved) -> str:
        f = frames(options.lang)
        names = [self.corpus.topic(t).topic.name[options.lang] for t in r.topics]
        names += [self.corpus.case(c).display_name for c in r.cases]
        names += [self.corpus.documents[d].title for d in r.docs if not names]
        return f["sheet_title_on"].format(subject=", ".join(names)) if names else f["sheet_title"]

    def regenerate(
        self, sheet: ExerciseSheet, item_id: str, seed: int | None = None
    ) -> ExerciseSheet:
        """The sheet with one item rebuilt from a new seed; the others are kept as they are."""
        index = self._find(sheet, item_id)
        old = sheet.items[index]
        new_seed = regenerated_seed(old.seed) if seed is None else seed
        options = sheet.options
        r = self.resolve(options)
        pool, pinned = self.pool(r)
        position = int(item_id.rsplit("-", 1)[1]) - 1
        number = sum(1 for i in sheet.items[:index] if i.kind == old.kind) + 1
        others = [i for i in sheet.items if i.item_id != item_id]
        slot = _Slot(old.kind, position, number, old.target)
        try:
            item = self._item(
                slot, seed=new_seed, options=options, r=r, pool=pool, pinned=pinned,
                others=others, quiz_type=old.quiz_type,
            )
        except ValueError as exc:
            raise ExerciseRequestError(f"cannot regenerate {item_id}: {exc}") from exc
        items = list(sheet.items)
        items[index] = item
        return sheet.model_copy(update={"items": items, "updated": _now()})

    def remove(self, sheet: ExerciseSheet, item_id: str) -> ExerciseSheet:
        index = self._find(sheet, item_id)
        items = [i for j, i in enumerate(sheet.items) if j != index]
        return sheet.model_copy(update={"items": items, "updated": _now()})

    @staticmethod
    def _find(sheet: ExerciseSheet, item_id: str) -> int:
        for i, item in enumerate(sheet.items):
            if item.item_id == item_id:
                return i
        known = ", ".join(i.item_id for i in sheet.items)
        raise ExerciseRequestError(f"no item {item_id!r} in this sheet; items: {known}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
