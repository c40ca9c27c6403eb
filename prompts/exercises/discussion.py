"""Discussion questions per topic of the chat's topic map: the topic's description and
reflection questions (the team's), with one or two quoted key sentences to discuss."""

from __future__ import annotations

import random

from tvaers.contracts import ExerciseItem
from tvaers.prompts.exercises.frames import frames
from tvaers.prompts.exercises.select import CitationBook, Corpus, quotable, sentences
from tvaers.prompts.sentences import SentenceKind

__all__ = ["build_discussion"]

QUOTES = 2
_Used = set[tuple[str, int]]


def build_discussion(
    corpus: Corpus,
    *,
    item_id: str,
    slug: str,
    docs: list[str],
    seed: int,
    lang: str,
    used: _Used,
) -> ExerciseItem:
    """One discussion item for topic ``slug``, quoting its pinned passages."""
    rng = random.Random(seed)
    resolved = corpus.topic(slug)
    topic = resolved.topic
    chunks = [corpus.by_id[c] for c in resolved.chunk_ids if c in corpus.by_id]
    chunks = corpus.filter_docs(chunks, docs) or chunks
    candidates = [
        (c, s)
        for c in chunks
        for s in sentences(c)
        if quotable(s) and (c.chunk_id, s.start) not in used
    ]
    candidates.sort(key=lambda cs: (cs[1].kind is not SentenceKind.ACTION,))
    shortlist = candidates[: QUOTES * 3]
    picked = rng.sample(shortlist, min(QUOTES, len(shortlist)))
    picked.sort(key=lambda cs: (cs[0].doc_id, cs[0].char_start, cs[1].start))
    book = CitationBook(corpus)
    quotes = [book.quote(c, s) for c, s in picked]
    frame = frames(lang)["discussion"]
    questions = list(topic.reflection[lang])
    if quotes:
        questions.append(rng.choice(frame["quote_questions"]))
    return ExerciseItem(
        item_id=item_id,
        kind="discussion",
        title=frame["title"].format(topic=topic.name[lang]),
        body=frame["body"].format(description=topic.description[lang]),
        questions=questions,
        quotes=quotes,
        citations=book.citations,
        seed=seed,
        target=slug,
    )
