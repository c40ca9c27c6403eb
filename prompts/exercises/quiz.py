"""Quiz questions from key sentences: multiple choice and fill-in-the-blank.

Both blank out one word of a quoted sentence. The blank is a content word: no
Danish stop word, at least five letters, not part of a hyphenated compound,
and unique in its sentence (by surface form and by Snowball stem). A
multiple-choice distractor is a corpus word of the same ending and similar
length whose stem occurs neither in the source passage nor in the top
passages retrieved for the question, so no cited text can make it right.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from tvaers.contracts import Chunk, ExerciseItem
from tvaers.index.analyzer import STOPWORDS, DanishAnalyzer
from tvaers.prompts.exercises.frames import frames
from tvaers.prompts.exercises.select import CitationBook, Corpus, sentences
from tvaers.prompts.sentences import Sentence, SentenceKind

__all__ = [
    "BLANK",
    "Blank",
    "QuizMaker",
    "blank_candidates",
    "question_query",
    "stems",
]

BLANK = "_____"
MIN_BLANK_LETTERS = 5
MIN_SENTENCE_WORDS = 8
#: A word found in more than this share of passages (``mange``, ``arbejde``) carries no content.
MAX_BLANK_SHARE = 0.08
#: Longer sentences are used only when shorter ones run out (they read badly as a quiz).
MAX_SENTENCE_WORDS = 32
DISTRACTORS = 3
SHORTLIST_SENTENCES = 8
SHORTLIST_BLANKS = 4
SHORTLIST_DISTRACTORS = 15
#: A free-standing word: letters only, not glued to a hyphen, digit or another word.
_WORD = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")
_ANY_WORD = re.compile(r"[^\W\d_]+")

QuizType = Literal["multiple_choice", "fill_blank"]
#: ``search(query, k)`` → the passages retrieved for a quiz question.
Search = Callable[[str, int], Sequence[Chunk]]

_ANALYZER = DanishAnalyzer()


def stems(text: str) -> set[str]:
    """Snowball stems of the text's non-stop words (compounds split and joined)."""
    return {_ANALYZER.normalise(w) for w in _ANALYZER.words(text)}


def question_query(gapped: str) -> str:
    """What is searched for a quiz question: its sentence without the blank."""
    return " ".join(gapped.replace(BLANK, " ").split())


def _stem(word: str) -> str | None:
    words = _ANALYZER.words(word)
    return _ANALYZER.normalise(words[0]) if len(words) == 1 else None


@dataclass(frozen=True)
class Blank:
    """A word of a sentence that may be blanked; offsets are within the sentence."""

    word: str
    start: int
    end: int
    stem: str


def blank_candidates(sentence: str) -> list[Blank]:
    """Content words unique in the sentence, in sentence order."""
    surface = Counter(m.group().casefold() for m in _ANY_WORD.finditer(sentence))
    all_stems = Counter(
        s for m in _ANY_WORD.finditer(sentence) if (s := _stem(m.group())) is not None
    )
    out = []
    for m in _WORD.finditer(sentence):
        word = m.group()
        if len(word) < MIN_BLANK_LETTERS or not word.islower() or word in STOPWORDS:
            continue
        stem = _stem(word)
        if stem is None or surface[word.casefold()] != 1 or all_stems[stem] != 1:
            continue
        out.append(Blank(word, m.start(), m.end(), stem))
    return out


@dataclass(frozen=True)
class _Word:
    word: str
    stem: str
    df: int
    suffix: str


class QuizMaker:
    """Builds quiz items; the corpus vocabulary and document frequencies are computed once."""

    def __init__(self, corpus: Corpus, search: Search) -> None:
        self.corpus = corpus
        self.search = search
        df: Counter[str] = Counter()
        words: dict[str, str] = {}
        chunk_words: Counter[str] = Counter()
        for chunk in corpus.chunks:
            seen = stems(chunk.text)
            df.update(seen)
            present = set()
            for m in _WORD.finditer(chunk.text):
                w = m.group()
                if len(w) >= MIN_BLANK_LETTERS and w.islower() and w not in STOPWORDS:
                    stem = _stem(w)
                    if stem is not None:
                        words.setdefault(w, stem)
                        present.add(w)
            chunk_words.update(present)
        self.df = df
        self.doc_words: dict[str, set[str]] = {}
        for chunk in corpus.chunks:
            self.doc_words.setdefault(chunk.doc_id, set()).update(_ANY_WORD.findall(chunk.text))
        self.vocab = [
            _Word(w, s, chunk_words[w], w[-2:]) for w, s in sorted(words.items())
            if chunk_words[w] >= 2  # a word used once may be a typo or a hapax
        ]

    # -- sentences ---------------------------------------------------------------

    def key_sentences(
        self, pool: Sequence[Chunk], pinned: Iterable[str], used: set[tuple[str, int]]
    ) -> list[tuple[Chunk, Sentence, list[Blank]]]:
        """Quotable sentences with at least one blank, best first: pinned passages, then
        recommendations, then the pool's order."""
        pinned = set(pinned)
        out = []
        for order, chunk in enumerate(pool):
            for s in sentences(chunk):
                if s.kind is SentenceKind.REJECT or (chunk.chunk_id, s.start) in used:
                    continue
                if len(_ANY_WORD.findall(s.text)) < MIN_SENTENCE_WORDS:
                    continue
                blanks = [
                    b for b in blank_candidates(s.text)
                    if 2 <= self.df[b.stem] <= MAX_BLANK_SHARE * len(self.corpus.chunks)
                ]
                if blanks:
                    rank = (
                        0 if chunk.chunk_id in pinned else 1,
                        0 if s.kind in (SentenceKind.ACTION, SentenceKind.PRACTICE) else 1,
                        len(_ANY_WORD.findall(s.text)) > MAX_SENTENCE_WORDS,
                        order,
                        s.start,
                    )
                    out.append((rank, chunk, s, blanks))
        out.sort(key=lambda t: t[0])
        return [(c, s, b) for _, c, s, b in out]

    # -- the item ----------------------------------------------------------------

    def build(
        self,
        *,
        item_id: str,
        number: int,
        quiz_type: QuizType,
        pool: Sequence[Chunk],
        pinned: Iterable[str],
        seed: int,
        lang: str,
        used: set[tuple[str, int]],
        used_answers: set[str],
        k: int = 5,
    ) -> ExerciseItem:
        """One question; ``k`` passages are retrieved to vet its distractors."""
        rng = random.Random(seed)
        candidates = [
            c for c in self.key_sentences(pool, pinned, used)
            if any(b.stem not in used_answers for b in c[2])
        ]
        if not candidates:
            raise ValueError("no key sentence left for a quiz question in the chosen passages")
        shortlist = candidates[:SHORTLIST_SENTENCES]
        theme = Counter(s for c in pool for s in stems(c.text))
        for chunk, sentence, blanks in rng.sample(shortlist, len(shortlist)):
            blanks = [b for b in blanks if b.stem not in used_answers]
            blanks.sort(key=lambda b: (-self._weight(b.stem, theme), b.start))
            blank = rng.choice(blanks[:SHORTLIST_BLANKS])
            gapped = sentence.text[: blank.start] + BLANK + sentence.text[blank.end :]
            options: list[str] = []
            correct: int | None = None
            if quiz_type == "multiple_choice":
                distractors = self.distractors(blank, chunk, gapped, rng, k)
                if len(distractors) < DISTRACTORS:
                    continue  # try another sentence
                options = [blank.word, *distractors]
                rng.shuffle(options)
                correct = options.index(blank.word)
            return self._item(
                item_id, number, quiz_type, chunk, sentence, blank, gapped, options, correct,
                seed, lang,
            )
        raise ValueError("no quiz sentence with enough safe distractors in the chosen passages")

    def _weight(self, stem: str, theme: Counter[str]) -> float:
        """How much a word carries the theme: frequent in the pool, not common everywhere."""
        n = len(self.corpus.chunks)
        return theme[stem] * math.log(n / self.df[stem])

    def rejected_stems(self, chunk: Chunk, gapped: str, k: int) -> set[str]:
        """Stems a distractor must not have: the source passage's and the retrieved passages'."""
        retrieved = self.search(question_query(gapped), k)
        out = stems(chunk.text)
        for hit in retrieved:
            out |= stems(hit.text)
        return out

    def distractors(
        self, blank: Blank, chunk: Chunk, gapped: str, rng: random.Random, k: int
    ) -> list[str]:
        rejected = self.rejected_stems(chunk, gapped, k)
        pool_words = self.doc_words.get(chunk.doc_id, set())
        for suffix_len in (2, 1, 0):
            suffix = blank.word[-suffix_len:] if suffix_len else ""
            fitting = [
                w for w in self.vocab
                if w.word.endswith(suffix)
                and abs(len(w.word) - len(blank.word)) <= 3
                and w.stem != blank.stem
                and w.stem not in rejected
            ]
            fitting.sort(
                key=lambda w: (w.word not in pool_words, abs(len(w.word) - len(blank.word)),
                               -w.df, w.word)
            )
            chosen: list[str] = []
            seen_stems = set()
            for w in fitting[:SHORTLIST_DISTRACTORS]:
                if w.stem not in seen_stems:
                    seen_stems.add(w.stem)
                    chosen.append(w.word)
            if len(chosen) >= DISTRACTORS:
                return rng.sample(chosen, DISTRACTORS)
        return []

    def _item(
        self,
        item_id: str,
        number: int,
        quiz_type: QuizType,
        chunk: Chunk,
        sentence: Sentence,
        blank: Blank,
        gapped: str,
        options: list[str],
        correct: int | None,
        seed: int,
        lang: str,
    ) -> ExerciseItem:
        book = CitationBook(self.corpus)
        quote = book.quote(chunk, sentence)
        frame = frames(lang)["quiz"]
        return ExerciseItem(
            item_id=item_id,
            kind="quiz",
            title=frame["title"].format(n=number),
            body=frame[quiz_type],
            answer=blank.word,
            options=options,
            correct_index=correct,
            quiz_type=quiz_type,
            quotes=[quote],
            gapped=gapped,
            blank_start=sentence.start + blank.start,
            blank_end=sentence.start + blank.end,
            citations=book.citations,
            seed=seed,
        )
