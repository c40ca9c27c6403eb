"""Case exercises: a vignette quoted from the case's own passages, group questions, and a
trainer's note quoting what the texts say happened and why.

The vignette is a run of consecutive sentences from one passage, so a
sentence that refers back ("Dette ...") is read after the sentence it refers
to; the note quotes deeds and reasons from the case's other passages.
"""

from __future__ import annotations

import random
import re

from tvaers.contracts import BlockType, Chunk, ExerciseItem, ExerciseQuote
from tvaers.prompts.exercises.frames import frames
from tvaers.prompts.exercises.select import CitationBook, Corpus, sentences
from tvaers.prompts.sentences import Sentence, SentenceKind

__all__ = ["build_case"]

VIGNETTE_MAX = 5
VIGNETTE_MIN = 3
NOTE_MAX = 4
#: Sentences that say what happened or why (results, reasons, what mattered).
_WHY = re.compile(
    r"\b(fordi|skyldes|årsag\w*|resultat\w*|succes\w*|lykke\w*|viser|førte til|bidrog|"
    r"vigtig\w*|afgørende|barriere\w*|udfordring\w*|betød|oplever|opleves|gevinst\w*)\b",
    re.IGNORECASE,
)
_READ_ON = {"refers back to the previous sentence"}
_Used = set[tuple[str, int]]


def _in_sequence(sentence: Sentence) -> bool:
    """May be quoted after the sentence before it (dangling openers are fine then)."""
    return sentence.kind is not SentenceKind.REJECT or sentence.reason in _READ_ON


def _story_chunks(corpus: Corpus, slug: str, docs: list[str]) -> list[Chunk]:
    chunks = corpus.case_chunks(slug, docs)
    told = [c for c in chunks if c.block_type is not BlockType.QUOTE and len(c.cases) < 3]
    return told or chunks


def _vignette(chunks: list[Chunk], start: int, used: _Used) -> list[tuple[Chunk, Sentence]]:
    """Consecutive readable sentences from ``chunks[start]`` on (continuing into the next)."""
    run: list[tuple[Chunk, Sentence]] = []
    for chunk in chunks[start:]:
        for s in sentences(chunk):
            if (chunk.chunk_id, s.start) in used:
                continue
            if not run and s.kind is SentenceKind.REJECT:
                continue  # the vignette opens on a sentence that stands alone
            if run and not _in_sequence(s):
                if len(run) >= VIGNETTE_MIN:
                    return run
                continue
            run.append((chunk, s))
            if len(run) >= VIGNETTE_MAX:
                return run
        if len(run) >= VIGNETTE_MIN:
            return run
    return run


def _note(
    chunks: list[Chunk], taken: _Used, rng: random.Random
) -> list[tuple[Chunk, Sentence]]:
    scored: list[tuple[int, int, Chunk, Sentence]] = []
    for order, chunk in enumerate(chunks):
        for s in sentences(chunk):
            if (chunk.chunk_id, s.start) in taken or s.kind is SentenceKind.REJECT:
                continue
            deed = 2 if s.kind is SentenceKind.PRACTICE else 0
            score = deed + (2 if _WHY.search(s.text) else 0)
            if score:
                scored.append((-score, order, chunk, s))
    scored.sort(key=lambda t: (t[0], t[1], t[3].start))
    shortlist = scored[: NOTE_MAX * 2]
    picked = rng.sample(shortlist, min(NOTE_MAX, len(shortlist)))
    picked.sort(key=lambda t: (t[1], t[3].start))  # read in the texts' order
    return [(c, s) for _, _, c, s in picked]


def build_case(
    corpus: Corpus,
    *,
    item_id: str,
    slug: str,
    docs: list[str],
    seed: int,
    lang: str,
    used: _Used,
) -> ExerciseItem:
    """One case exercise for case ``slug``; ``used`` sentences (other items') are avoided."""
    rng = random.Random(seed)
    case = corpus.case(slug)
    chunks = _story_chunks(corpus, slug, docs)
    if not chunks:
        raise ValueError(f"case {slug!r} has no passages in the chosen documents")
    starts = list(range(min(3, len(chunks))))
    start = rng.choices(starts, weights=[3, 2, 1][: len(starts)])[0]
    vignette = _vignette(chunks, start, used) or _vignette(chunks, 0, used)
    taken = used | {(c.chunk_id, s.start) for c, s in vignette}
    note = _note(corpus.case_chunks(slug, docs), taken, rng)

    book = CitationBook(corpus)
    quotes: list[ExerciseQuote] = [book.quote(c, s) for c, s in vignette]
    note_quotes = [book.quote(c, s) for c, s in note]
    frame = frames(lang)["case"]
    name = case.display_name
    return ExerciseItem(
        item_id=item_id,
        kind="case",
        title=frame["title"].format(case=name),
        body=frame["body"].format(case=case.name),
        questions=[q.format(case=case.name) for q in frame["questions"]],
        quotes=quotes,
        trainer_note=note_quotes,
        citations=book.citations,
        seed=seed,
        target=slug,
    )
