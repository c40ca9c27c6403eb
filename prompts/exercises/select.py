"""Which passages an exercise may draw on: names resolved, pools per topic, case and document.

Trainers name topics, cases and documents the way they remember them
("private partnere og konsortier", "SAM:BO", "Horsens på Forkant"), so every
name is matched case-insensitively against slugs, Danish and English names,
short names and the case table's aliases; an unknown name is an error that
lists the valid ones, never a silent empty sheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from tvaers.contracts import BlockType, Chunk, Citation, Document, ExerciseQuote, Hit
from tvaers.errors import TvaersError
from tvaers.ingest.cases import Case, heading_key, load_cases
from tvaers.prompts.sentences import Sentence, SentenceKind, passage_sentences
from tvaers.prompts.topics import ResolvedTopic

if TYPE_CHECKING:
    from tvaers.index.store import Index

__all__ = [
    "CitationBook",
    "Corpus",
    "ExerciseOptionError",
    "Pool",
    "resolve_names",
]

#: Passages retrieved for a topic's text, on top of the passages the topic map pins.
TOPIC_RETRIEVED = 12
#: A passage that names this many cases or more is an overview list, not a case's story.
OVERVIEW_CASES = 3


class ExerciseOptionError(TvaersError):
    """An unknown topic, case or document name; the message lists the valid ones."""

    def __init__(self, what: str, value: str, valid: Iterable[str]) -> None:
        self.what = what
        self.value = value
        self.valid = list(valid)
        super().__init__(f"unknown {what} {value!r}; valid: {'; '.join(self.valid)}")


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold().strip())


def resolve_names(
    values: Sequence[str], table: dict[str, list[str]], what: str, valid: list[str]
) -> list[str]:
    """Map each value to a slug of ``table`` (slug → names), case-insensitively."""
    lookup = {_key(name): slug for slug, names in table.items() for name in [slug, *names]}
    out: list[str] = []
    for value in values:
        slug = lookup.get(_key(value))
        if slug is None:
            raise ExerciseOptionError(what, value, valid)
        if slug not in out:
            out.append(slug)
    return out


@dataclass
class Pool:
    """Passages in preference order; ``pinned`` are the topic map's own passages."""

    chunks: list[Chunk]
    pinned: frozenset[str] = frozenset()


@dataclass
class Corpus:
    """The loaded index's passages and documents, with the lookups exercises need."""

    index: Index
    topics: list[ResolvedTopic]
    cases: tuple[Case, ...] = field(default_factory=load_cases)

    @cached_property
    def chunks(self) -> list[Chunk]:
        """Citable passages in document order (reference lists are never quoted)."""
        usable = [c for c in self.index.chunks if c.block_type is not BlockType.REFERENCES]
        return sorted(usable, key=lambda c: (c.doc_id, c.char_start))

    @cached_property
    def by_id(self) -> dict[str, Chunk]:
        return {c.chunk_id: c for c in self.chunks}

    @property
    def documents(self) -> dict[str, Document]:
        return self.index.documents

    # -- names ------------------------------------------------------------------

    def topic_table(self) -> dict[str, list[str]]:
        return {t.topic.slug: [t.topic.name["da"], t.topic.name["en"]] for t in self.topics}

    def case_table(self) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for case in self.cases:
            names = [case.name, case.display_name]
            names += [n for n in (case.short, case.article) if n]
            # Plain-text aliases ("Horsens på Forkant", "Psykiatriens Hus") are names too.
            names += [a for a in case.aliases if re.fullmatch(r"[\w :–-]+", a)]
            table[case.slug] = names
        return table

    def doc_table(self) -> dict[str, list[str]]:
        return {d.doc_id: [d.title] for d in self.documents.values()}

    def topic_labels(self) -> list[str]:
        return [f"{t.topic.slug} ({t.topic.name['da']})" for t in self.topics]

    def case_labels(self) -> list[str]:
        return [f"{c.slug} ({c.display_name})" for c in self.cases]

    def doc_labels(self) -> list[str]:
        return [f"{d.doc_id} ({d.title})" for d in sorted(self.documents.values(),
                                                          key=lambda d: d.doc_id)]

    def topic(self, slug: str) -> ResolvedTopic:
        return next(t for t in self.topics if t.topic.slug == slug)

    def case(self, slug: str) -> Case:
        return next(c for c in self.cases if c.slug == slug)

    # -- pools ------------------------------------------------------------------

    def case_chunks(self, slug: str, docs: Sequence[str] = ()) -> list[Chunk]:
        """The case's own passages first (its section or a heading naming it), then the rest
        that name it; overview lists naming many cases come last."""
        case = self.case(slug)
        tagged = [
            c for c in self.chunks if slug in c.cases and (not docs or c.doc_id in docs)
        ]

        def rank(c: Chunk) -> int:
            if len(c.cases) >= OVERVIEW_CASES:
                return 3
            own = any(heading_key(h) in case._section_keys for h in c.heading_path)
            named = any(p.search(h) for p in case._global + case._local for h in c.heading_path)
            return 0 if own else 1 if named else 2

        return sorted(tagged, key=lambda c: (rank(c), c.doc_id, c.char_start))

    def filter_docs(self, chunks: Iterable[Chunk], docs: Sequence[str]) -> list[Chunk]:
        return [c for c in chunks if not docs or c.doc_id in docs]

    def citation(self, n: int, chunk: Chunk) -> Citation:
        hit = Hit.from_chunk(chunk, self.index.title(chunk.doc_id), 0.0, {})
        return Citation.from_hit(n, hit, self.documents.get(chunk.doc_id))


_SENTENCES: dict[str, list[Sentence]] = {}


def sentences(chunk: Chunk) -> list[Sentence]:
    """The chunk's classified sentences (spans relative to ``chunk.text``); cached by chunk id,
    which includes a hash of the text."""
    found = _SENTENCES.get(chunk.chunk_id)
    if found is None:
        found = passage_sentences(
            chunk.text, has_case=bool(chunk.cases), spoken=chunk.block_type is BlockType.QUOTE
        )
        _SENTENCES[chunk.chunk_id] = found
    return found


def quotable(sentence: Sentence) -> bool:
    return sentence.kind is not SentenceKind.REJECT


class CitationBook:
    """Numbers an item's cited passages from 1, in the order they are first quoted."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._by_chunk: dict[str, Citation] = {}

    def quote(self, chunk: Chunk, sentence: Sentence) -> ExerciseQuote:
        citation = self.cite(chunk)
        return ExerciseQuote(
            text=sentence.text,
            citation=citation.n,
            sentence_start=sentence.start,
            sentence_end=sentence.end,
        )

    def cite(self, chunk: Chunk) -> Citation:
        if chunk.chunk_id not in self._by_chunk:
            self._by_chunk[chunk.chunk_id] = self.corpus.citation(len(self._by_chunk) + 1, chunk)
        return self._by_chunk[chunk.chunk_id]

    @property
    def citations(self) -> list[Citation]:
        return list(self._by_chunk.values())
