"""The topic map: the corpus's themes, written by the team, pinned to passages.

``topics.yaml`` lists each theme's names, description, keywords and reflection
questions in Danish and English, and the passages it rests on as ``{doc,
quote}``. Quotes are located with the gold set's chunking-independent text-key
matcher, then mapped to the chunks that overlap them, so re-chunking never
breaks the map; a quote that no longer resolves is reported, not guessed.

Example:
    >>> topics = load_topics()                                   # doctest: +SKIP
    >>> resolved = resolve_topics(topics, index.documents.values(), index.chunks)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from tvaers.contracts import Chunk, Document, GoldItem, GoldQuote

log = logging.getLogger(__name__)

__all__ = ["ResolvedTopic", "Topic", "load_topics", "resolve_topics"]

TOPICS_FILE = "topics.yaml"
LANGS = ("da", "en")


@dataclass(frozen=True)
class Topic:
    """One theme; every text field is a ``{"da": ..., "en": ...}`` pair."""

    slug: str
    name: dict[str, str]
    description: dict[str, str]
    keywords: dict[str, list[str]]
    reflection: dict[str, list[str]]
    passages: tuple[GoldQuote, ...]

    def match_text(self, lang: str) -> str:
        """What the question is compared with: name, description and keywords."""
        return f"{self.name[lang]}. {self.description[lang]} {', '.join(self.keywords[lang])}"


@dataclass(frozen=True)
class ResolvedTopic:
    topic: Topic
    chunk_ids: tuple[str, ...]
    unresolved: tuple[GoldQuote, ...] = field(default=())


def _check(data: dict) -> Topic:
    slug = data.get("slug", "?")
    for key in ("name", "description", "keywords", "reflection"):
        value = data.get(key) or {}
        missing = [lang for lang in LANGS if not value.get(lang)]
        if missing:
            raise ValueError(f"topic {slug!r}: {key} lacks {', '.join(missing)} in {TOPICS_FILE}")
    if not data.get("passages"):
        raise ValueError(f"topic {slug!r}: no passages in {TOPICS_FILE}")
    return Topic(
        slug=slug,
        name=dict(data["name"]),
        description=dict(data["description"]),
        keywords={lang: list(data["keywords"][lang]) for lang in LANGS},
        reflection={lang: list(data["reflection"][lang]) for lang in LANGS},
        passages=tuple(GoldQuote(**p) for p in data["passages"]),
    )


@cache
def load_topics() -> tuple[Topic, ...]:
    """The bundled topic map, validated (names, texts in both languages, passages)."""
    text = resources.files("tvaers.prompts").joinpath(TOPICS_FILE).read_text(encoding="utf-8")
    topics = tuple(_check(t) for t in yaml.safe_load(text)["topics"])
    slugs = [t.slug for t in topics]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"duplicate topic slugs in {TOPICS_FILE}")
    return topics


def resolve_topics(
    topics: Sequence[Topic], documents: Iterable[Document], chunks: Sequence[Chunk]
) -> list[ResolvedTopic]:
    """Pin each topic's quotes to the chunks that overlap them."""
    from tvaers.eval.gold import resolve_quotes

    items = [
        GoldItem(id=t.slug, question=t.name["da"], lang="da", kind="advice",
                 relevant=list(t.passages))
        for t in topics
    ]
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    out = []
    for topic, item in zip(topics, resolve_quotes(items, documents), strict=True):
        ids: list[str] = []
        missing: list[GoldQuote] = []
        for quote, res in zip(topic.passages, item.quotes, strict=True):
            if not res.resolved:
                log.warning("topic %s: passage not found in %s", topic.slug, quote.doc)
                missing.append(quote)
                continue
            found = [
                c.chunk_id
                for c in by_doc.get(res.doc_id, [])
                if c.char_start < res.char_end and res.char_start < c.char_end  # type: ignore[operator]
            ]
            if not found:
                missing.append(quote)
            ids.extend(i for i in found if i not in ids)
        out.append(ResolvedTopic(topic, tuple(ids), tuple(missing)))
    return out
