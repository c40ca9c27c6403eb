"""Dilemma cards: a tension from ``dilemmas.yaml``, two positions each backed by a quoted
sentence, and the team's discussion prompts.

A sentence supports a pole when it matches more of that pole's cue patterns
than of the other's; passages from the chosen topic, case or document are
preferred, and a passage that states the tension itself ("på den ene side",
"dilemma", "krydspres") is quoted as the card's opening when one is found.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from tvaers.contracts import Chunk, ExerciseItem, ExercisePosition
from tvaers.prompts.exercises.frames import frames, load_yaml
from tvaers.prompts.exercises.select import CitationBook, Corpus, quotable, sentences
from tvaers.prompts.sentences import Sentence, SentenceKind

__all__ = ["Tension", "build_dilemma", "load_tensions", "rank_tensions", "support"]

SHORTLIST = 4
_Used = set[tuple[str, int]]


def _compile(patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p.replace(" ", r"\s+"), re.IGNORECASE) for p in patterns)


@dataclass(frozen=True)
class Tension:
    slug: str
    name: dict[str, str]
    description: dict[str, str]
    labels: tuple[dict[str, str], dict[str, str]]
    cues: tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]
    prompts: dict[str, list[str]]


@cache
def load_tensions() -> tuple[Tension, ...]:
    data = load_yaml("dilemmas.yaml")
    out = []
    for t in data["tensions"]:
        a, b = t["poles"]
        out.append(
            Tension(
                slug=t["slug"],
                name=t["name"],
                description=t["description"],
                labels=(a["label"], b["label"]),
                cues=(_compile(a["cues"]), _compile(b["cues"])),
                prompts=t["prompts"],
            )
        )
    return tuple(out)


@cache
def _tension_cues() -> tuple[re.Pattern[str], ...]:
    return _compile(load_yaml("dilemmas.yaml")["tension_cues"])


def _count(patterns: tuple[re.Pattern[str], ...], text: str) -> int:
    return sum(1 for p in patterns if p.search(text))


def pole_of(tension: Tension, text: str) -> int | None:
    """0 or 1 when the sentence supports that pole more than the other, else None."""
    a, b = (_count(p, text) for p in tension.cues)
    if a > b:
        return 0
    if b > a:
        return 1
    return None


def support(
    tension: Tension, chunks: Sequence[Chunk], used: _Used = frozenset()
) -> tuple[list[tuple[Chunk, Sentence]], list[tuple[Chunk, Sentence]]]:
    """The quotable sentences of ``chunks`` supporting each pole."""
    poles: tuple[list, list] = ([], [])
    for chunk in chunks:
        for s in sentences(chunk):
            if not quotable(s) or (chunk.chunk_id, s.start) in used:
                continue
            pole = pole_of(tension, s.text)
            if pole is not None:
                poles[pole].append((chunk, s))
    return poles


def rank_tensions(pool: Sequence[Chunk]) -> list[Tension]:
    """Tensions best supported by the pool first (both poles needed), then the table order."""
    tensions = load_tensions()

    def score(t: Tension) -> int:
        a, b = support(t, pool)
        return min(len(a), len(b))

    scores = {t.slug: score(t) for t in tensions}
    return sorted(tensions, key=lambda t: -scores[t.slug])


def _shortlist(
    candidates: list[tuple[Chunk, Sentence]], pool_ids: set[str]
) -> list[tuple[Chunk, Sentence]]:
    def rank(cs: tuple[Chunk, Sentence]) -> tuple[int, int, str, int]:
        chunk, s = cs
        return (
            0 if chunk.chunk_id in pool_ids else 1,
            0 if s.kind is SentenceKind.ACTION else 1,
            chunk.chunk_id,
            s.start,
        )

    return sorted(candidates, key=rank)[:SHORTLIST]


def build_dilemma(
    corpus: Corpus,
    *,
    item_id: str,
    tension: Tension,
    pool: Sequence[Chunk],
    seed: int,
    lang: str,
    used: _Used,
) -> ExerciseItem:
    """One dilemma card; positions come from the pool when it supports both poles."""
    rng = random.Random(seed)
    pool_ids = {c.chunk_id for c in pool}
    a, b = support(tension, corpus.chunks, used)
    picks = []
    for side in (a, b):
        shortlist = _shortlist(side, pool_ids)
        if not shortlist:
            raise ValueError(f"no passage supports both sides of {tension.slug!r}")
        picks.append(rng.choice(shortlist))
    if picks[0][0].chunk_id == picks[1][0].chunk_id and picks[0][1].start == picks[1][1].start:
        raise ValueError("one sentence cannot support both positions")

    book = CitationBook(corpus)
    opening = _tension_sentence(corpus, pool, tension, used, picks, rng)
    quotes = [book.quote(c, s) for c, s in opening]
    positions = [
        ExercisePosition(label=tension.labels[i][lang], quote=book.quote(c, s))
        for i, (c, s) in enumerate(picks)
    ]
    frame = frames(lang)["dilemma"]
    return ExerciseItem(
        item_id=item_id,
        kind="dilemma",
        title=frame["title"].format(tension=tension.name[lang]),
        body=frame["body"].format(description=tension.description[lang]),
        questions=list(tension.prompts[lang]),
        quotes=quotes,
        positions=positions,
        citations=book.citations,
        seed=seed,
        target=tension.slug,
    )


def _tension_sentence(
    corpus: Corpus,
    pool: Sequence[Chunk],
    tension: Tension,
    used: _Used,
    picks: list[tuple[Chunk, Sentence]],
    rng: random.Random,
) -> list[tuple[Chunk, Sentence]]:
    """A sentence stating the tension, touching both poles' cues, from the pool if possible."""
    taken = used | {(c.chunk_id, s.start) for c, s in picks}
    found: list[tuple[int, Chunk, Sentence]] = []
    pool_ids = {c.chunk_id for c in pool}
    for chunk in corpus.chunks:
        for s in sentences(chunk):
            if not quotable(s) or (chunk.chunk_id, s.start) in taken:
                continue
            if not _count(_tension_cues(), s.text):
                continue
            a, b = (_count(p, s.text) for p in tension.cues)
            if a and b:
                found.append((0 if chunk.chunk_id in pool_ids else 1, chunk, s))
    if not found:
        return []
    found.sort(key=lambda t: (t[0], t[1].chunk_id, t[2].start))
    _, chunk, s = rng.choice(found[:3])
    return [(chunk, s)]
