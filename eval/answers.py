"""Answer scoring: key points, similarity to the reference, citations, declining.

Per item:

* ``key_points``: share of the gold key points the answer covers. A key point
  is covered when at least ``KEYPOINT_OVERLAP`` of its content stems (Danish
  Snowball stems through the BM25 analyser; English Snowball stems) occur in
  the answer, or semantically, when some answer sentence has an embedding
  cosine of at least ``KEYPOINT_COSINE`` with it (only with an embedder).
* ``cosine``: embedding cosine between the answer and the reference answer.
  A text longer than ``WINDOW_CHARS`` is embedded as the length-weighted mean
  of windows of whole sentences, so the model's 512-token cut does not drop
  the end of a long answer (the system's answers run to ~3,000 characters).
* ``rouge_l``: ROUGE-L F1 on lower-cased word tokens that keep æ, ø and å
  (rouge-score's default tokenizer drops them).
* ``citation_precision`` / ``citation_recall``: a citation is correct when it
  overlaps at least half of a gold quote's span, or the gold span covers half of
  it; recall is the share of gold quotes some citation hits.
* ``declined`` (out-of-scope items): the answer says the material does not
  cover the question (or sets ``"not_covered": true``).

Example:
    >>> scorer = AnswerScorer(documents, embedder=embedder)        # doctest: +SKIP
    >>> scorer.score(item, SubmittedAnswer(id=item.id, answer="..."))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from tvaers.contracts import Chunk, Document, GoldItem
from tvaers.errors import GoldSetError
from tvaers.eval.gold import _Resolver, read_lines, schema_message
from tvaers.index.analyzer import DanishAnalyzer
from tvaers.index.protocols import Embedder
from tvaers.ingest.sentences import split_sentences

__all__ = [
    "KEYPOINT_COSINE",
    "KEYPOINT_OVERLAP",
    "SCORED_METRICS",
    "AnswerCitation",
    "AnswerScore",
    "AnswerScorer",
    "SubmittedAnswer",
    "declined",
    "load_answers",
    "rouge_l",
    "tokens",
]

#: Share of a key point's stems that must occur in the answer.
KEYPOINT_OVERLAP = 0.5
#: Cosine (multilingual-e5-small) at which an answer sentence covers a key point.
KEYPOINT_COSINE = 0.92
#: Longest text embedded in one piece: ~375 e5 tokens at ~4 characters a token,
#: well inside the model's 512 with the prefix.
WINDOW_CHARS = 1500

_WORD = re.compile(r"[^\W_]+")
_DECLINE = re.compile(
    r"(materialet|teksterne|teksten|kilderne) (dækker|beskriver|nævner|oplyser|angiver"
    r"|gengiver|omtaler|siger|indeholder|giver|besvarer|behandler|forklarer|navngiver)"
    r" (ikke|intet|ingen|hverken)"
    r"|fremgår ikke"
    r"|(material|texts?|sources?) (does|do) not \w+"
    r"|(does|do) not (describe|state|contain|answer|address)"
    r"|(dækker|beskriver|nævner|oplyser|omtaler|behandler|siger) (materialet|teksterne)"
    r" (ikke|intet|ingen)|(står|nævnes) (der )?(ikke|intet)"
    r"|uden for( materialet|, hvad (materialet|teksterne))"
    r"|ikke (dækket|beskrevet)|giver materialet ingen|ingen vejledning"
    r"|not covered|does not (cover|give|explain|say|mention|name)|outside (the|what the) material"
    r"|no (information|guidance)|nævner ikke",
    re.IGNORECASE,
)


#: The per-item metrics an ``AnswerScore`` carries, in report order.
SCORED_METRICS = (
    "key_points",
    "similarity",
    "cosine",
    "rouge_l",
    "citation_precision",
    "citation_recall",
    "declined",
)


class AnswerCitation(BaseModel):
    """A cited passage: its ``chunk_id``, or a ``doc`` id with a ``quote`` from it."""

    model_config = ConfigDict(extra="forbid")
    doc: str | None = Field(default=None, max_length=200)
    quote: str | None = Field(default=None, max_length=5_000)
    chunk_id: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _names_a_passage(self) -> AnswerCitation:
        if not self.chunk_id and not (self.doc and self.quote):
            raise ValueError('a citation needs "chunk_id", or "doc" and "quote"')
        return self


class SubmittedAnswer(BaseModel):
    """One line of an answers file: ``{"id", "answer", "citations": [...]}``."""

    model_config = ConfigDict(extra="ignore")
    id: str
    answer: str  # required: a line without it is a mistake, not an empty answer
    citations: list[AnswerCitation] = []
    not_covered: bool | None = None


@dataclass
class AnswerScore:
    """One item's scores; ``None`` where the metric does not apply."""

    id: str
    lang: str
    kind: str
    key_points: float | None
    key_points_hit: list[bool]
    cosine: float | None
    rouge_l: float | None
    citation_precision: float | None
    citation_recall: float | None
    declined: bool | None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, float):
                out[key] = round(value, 4)
        return out


def tokens(text: str) -> list[str]:
    """Lower-cased NFC word tokens; æ, ø, å and accented letters are kept."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, start=1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 (beta = 1) over :func:`tokens`; 0 when either side is empty."""
    c, r = tokens(candidate), tokens(reference)
    lcs = _lcs(c, r)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(c), lcs / len(r)
    return 2 * precision * recall / (precision + recall)


def declined(text: str) -> bool:
    """The answer says the material does not cover the question (or is empty)."""
    return not text.strip() or bool(_DECLINE.search(text))


@lru_cache(maxsize=1)
def _danish() -> DanishAnalyzer:
    return DanishAnalyzer()


def sentence_windows(text: str, size: int) -> list[str]:
    """``text`` packed into windows of whole sentences of at most ``size`` characters.

    A sentence longer than ``size`` is a window of its own (the model cuts it).
    """
    if len(text) <= size:
        return [text]
    windows: list[str] = []
    for sentence in (s.strip() for s in split_sentences(text)):
        if not sentence:
            continue
        if windows and len(windows[-1]) + 1 + len(sentence) <= size:
            windows[-1] += " " + sentence
        else:
            windows.append(sentence)
    return windows or [text]


_EN_STEMMER = Stemmer.Stemmer("english")
_EN_STOP = frozenset(STOPWORDS_EN)


def stems(text: str, lang: str) -> set[str]:
    if lang == "en":
        return {_EN_STEMMER.stemWord(w) for w in tokens(text) if w not in _EN_STOP and len(w) > 1}
    analyzer = _danish()
    return {analyzer.normalise(w) for w in analyzer.words(text)}


class AnswerScorer:
    """Scores answers against gold items; quotes and chunk ids resolve in ``documents``."""

    def __init__(
        self,
        documents: Iterable[Document],
        *,
        embedder: Embedder | None = None,
        chunks: Iterable[Chunk] = (),
        keypoint_overlap: float = KEYPOINT_OVERLAP,
        keypoint_cosine: float = KEYPOINT_COSINE,
    ) -> None:
        self._resolver = _Resolver(documents)
        self.embedder = embedder
        self.chunks = {c.chunk_id: c for c in chunks}
        self.keypoint_overlap = keypoint_overlap
        self.keypoint_cosine = keypoint_cosine
        self._vectors: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``, each text embedded once per scorer (controls repeat them)."""
        assert self.embedder is not None
        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if new:
            vectors = np.asarray(self.embedder.embed_queries(new), dtype=np.float32)
            self._vectors.update(zip(new, vectors, strict=True))
        return np.stack([self._vectors[t] for t in texts])

    def score(self, item: GoldItem, answer: SubmittedAnswer) -> AnswerScore:
        text = answer.answer
        oos = item.kind == "out_of_scope"
        hits = self.key_points_hit(text, item.key_points, item.lang)
        precision, recall = self.citations(item, answer)
        return AnswerScore(
            id=item.id,
            lang=item.lang,
            kind=item.kind,
            key_points=sum(hits) / len(hits) if hits else None,
            key_points_hit=hits,
            cosine=self.cosine(text, item.reference_answer) if item.reference_answer else None,
            rouge_l=rouge_l(text, item.reference_answer) if item.reference_answer else None,
            citation_precision=precision,
            citation_recall=recall,
            declined=(answer.not_covered if answer.not_covered is not None else declined(text))
            if oos
            else None,
        )

    def key_points_hit(self, text: str, key_points: Sequence[str], lang: str) -> list[bool]:
        if not key_points:
            return []
        answer_stems = stems(text, lang)
        hits = []
        for point in key_points:
            wanted = stems(point, lang)
            hits.append(
                bool(wanted) and len(wanted & answer_stems) / len(wanted) >= self.keypoint_overlap
            )
        if self.embedder is not None and not all(hits) and text.strip():
            sentences = [s for s in split_sentences(text) if s.strip()] or [text]
            a = self.embed(sentences)
            k = self.embed(list(key_points))
            best = (k @ a.T).max(axis=1)
            hits = [h or bool(b >= self.keypoint_cosine) for h, b in zip(hits, best, strict=True)]
        return hits

    def cosine(self, text: str, reference: str) -> float | None:
        if self.embedder is None:
            return None
        if not text.strip():
            return 0.0
        return float(self.embed_whole(text) @ self.embed_whole(reference))

    def embed_whole(self, text: str) -> np.ndarray:
        """One vector for a text of any length (see ``WINDOW_CHARS``)."""
        windows = sentence_windows(text, WINDOW_CHARS)
        vectors = self.embed(windows)
        if len(windows) == 1:
            return vectors[0]
        mean = np.average(vectors, axis=0, weights=[len(w) for w in windows])
        return mean / max(float(np.linalg.norm(mean)), 1e-12)

    def citations(
        self, item: GoldItem, answer: SubmittedAnswer
    ) -> tuple[float | None, float | None]:
        gold = [
            self._resolver.resolve(q.doc, q.quote, floor=0.85, item_id=item.id)
            for q in item.relevant
        ]
        gold_spans = [(g.doc_id, g.char_start, g.char_end) for g in gold if g.resolved]
        cited = [self._span(c, item.id) for c in answer.citations]
        spans = [s for s in cited if s is not None]
        precision = None
        if answer.citations:
            precision = sum(any(_overlaps(s, g) for g in gold_spans) for s in spans) / len(cited)
        recall = None
        if gold_spans:
            recall = sum(any(_overlaps(s, g) for s in spans) for g in gold_spans) / len(gold_spans)
        return precision, recall

    def _span(self, citation: AnswerCitation, item_id: str) -> tuple[str, int, int] | None:
        if citation.chunk_id:
            chunk = self.chunks.get(citation.chunk_id)
            return (chunk.doc_id, chunk.char_start, chunk.char_end) if chunk else None
        if citation.doc and citation.quote:
            found = self._resolver.resolve(
                citation.doc, citation.quote, floor=0.85, item_id=item_id
            )
            if found.resolved:
                return (found.doc_id, found.char_start or 0, found.char_end or 0)
        return None


def _overlaps(a: tuple[str, int | None, int | None], b: tuple[str, int | None, int | None]) -> bool:
    if a[0] != b[0]:
        return False
    a0, a1, b0, b1 = a[1] or 0, a[2] or 0, b[1] or 0, b[2] or 0
    overlap = min(a1, b1) - max(a0, b0)
    shorter = min(a1 - a0, b1 - b0)
    return overlap > 0 and 2 * overlap >= shorter


def load_answers(path: str | Path) -> list[SubmittedAnswer]:
    """Read an answers file (JSON Lines); one error lists every bad line."""
    path = Path(path)
    lines = read_lines(path, "answers file")
    answers, errors = [], []
    first: dict[str, int] = {}
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            answer = SubmittedAnswer.model_validate(json.loads(raw))
        except json.JSONDecodeError as exc:
            errors.append(f"  line {lineno}: invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValidationError as exc:
            errors.append(f"  line {lineno}: {schema_message(exc)}")
            continue
        if answer.id in first:
            errors.append(
                f"  line {lineno}: duplicate id {answer.id!r} (first on line {first[answer.id]})"
            )
            continue
        first[answer.id] = lineno
        answers.append(answer)
    if not answers and not errors:
        errors.append("  the file has no answers")
    if errors:
        raise GoldSetError(
            f"answers file {path} has {len(errors)} invalid line(s):\n"
            + "\n".join(errors)
            + '\nEach line must be {"id": ..., "answer": ..., "citations": '
            '[{"doc": ..., "quote": ...} | {"chunk_id": ...}]}.'
        )
    return answers


def reference_answers(items: Iterable[GoldItem]) -> list[SubmittedAnswer]:
    """Each item's reference answer, citing its gold quotes: the upper control."""
    return [
        SubmittedAnswer(
            id=i.id,
            answer=i.reference_answer,
            citations=[AnswerCitation(doc=q.doc, quote=q.quote) for q in i.relevant],
        )
        for i in items
    ]


def by_id(answers: Iterable[SubmittedAnswer]) -> Mapping[str, SubmittedAnswer]:
    return {a.id: a for a in answers}
