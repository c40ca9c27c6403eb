"""The data contracts of Tværs.

Every layer (ingest, index, service, eval, CLI, templates) exchanges these
models, so their JSON form is the public format: change a field here and the
CLI's ``--json``, the API and the reports change with it.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

HEADING_SEPARATOR = " › "
#: "page" and "pages" before a page number, per language: "s. 21–22", "pp. 21–22".
PAGE_WORDS = {"da": ("s.", "s."), "en": ("p.", "pp.")}
NO_YEAR = "u.å."


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BlockType(StrEnum):
    """What kind of text a passage is; quotes are practitioners' voices, not findings."""

    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST = "list"
    FACTBOX = "factbox"
    STANDFIRST = "standfirst"
    REFERENCES = "references"


class Heading(_Model):
    """One entry of a document's outline."""

    path: list[str]
    char_start: int
    page: int | None = None


class Footnote(_Model):
    marker: str
    text: str
    char_start: int | None = Field(
        default=None, description="Offset of the marker in the cleaned text, where known."
    )


class DocumentMeta(_Model):
    """What a reader needs to cite a document; the API lists documents by this."""

    doc_id: str
    title: str
    title_en: str | None = None
    authors: list[str] = []
    publisher: str | None = None
    year: int | None = None
    kind: str | None = None
    language: str = "da"
    source_url: str | None = None
    pages: int | None = None

    @property
    def year_label(self) -> str:
        return str(self.year) if self.year is not None else NO_YEAR


class Document(DocumentMeta):
    """A cleaned source document; ``clean_text`` is what every offset points into."""

    source_file: str
    source_sha256: str
    clean_text: str
    outline: list[Heading] = []
    notes: list[Footnote] = []


def make_chunk_id(doc_id: str, text: str) -> str:
    """Document id plus a content hash: adding a document changes no other id."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()
    return f"{doc_id}#{digest}"


class Passage(_Model):
    """Where a passage stands: ``document.clean_text[char_start:char_end] == text``.

    Chunks, hits and citations all carry these fields, so each can be checked
    against its document the same way.
    """

    chunk_id: str
    doc_id: str
    heading_path: list[str]
    text: str
    char_start: int
    char_end: int
    page_start: int | None = None
    page_end: int | None = None

    @property
    def heading(self) -> str:
        return HEADING_SEPARATOR.join(self.heading_path)

    def pages_label(self, lang: str = "en") -> str:
        """Where the passage is in print, "s. 21–22" or "p. 21"; "" when not known.

        One format for answers, sheets and the CLI, as the web pages write it.
        """
        if self.page_start is None:
            return ""
        one, many = PAGE_WORDS.get(lang, PAGE_WORDS["en"])
        if self.page_end in (None, self.page_start):
            return f"{one} {self.page_start}"
        return f"{many} {self.page_start}–{self.page_end}"

    def span_fields(self) -> dict[str, object]:
        """This passage's own fields, to build a hit or citation from it."""
        return {name: getattr(self, name) for name in Passage.model_fields}


class Chunk(Passage):
    """A citable passage of a document, as ingest cut it."""

    block_type: BlockType = BlockType.PARAGRAPH
    cases: list[str] = Field(default=[], description="Canonical tags of the named cases.")
    speaker_role: str | None = None


class Hit(Passage):
    """A ranked chunk with the score from each retriever that found it."""

    title: str
    block_type: BlockType = BlockType.PARAGRAPH
    cases: list[str] = []
    score: float
    scores: dict[str, float | None] = Field(
        default_factory=dict, description="Per-retriever scores, e.g. dense cosine and BM25."
    )

    @classmethod
    def from_chunk(
        cls, chunk: Chunk, title: str, score: float, scores: dict[str, float | None]
    ) -> Hit:
        return cls(
            **chunk.span_fields(),
            title=title,
            block_type=chunk.block_type,
            cases=chunk.cases,
            score=score,
            scores=scores,
        )


class Citation(Passage):
    """A numbered reference to a passage, with what a reader needs to find it in print."""

    n: int
    title: str
    authors: list[str] = []
    publisher: str | None = None
    year: int | None = None
    score: float

    @classmethod
    def from_hit(cls, n: int, hit: Hit, document: Document | None) -> Citation:
        """Number a hit and add what a reader needs to find it in print."""
        return cls(
            **hit.span_fields(),
            n=n,
            title=hit.title,
            authors=document.authors if document else [],
            publisher=document.publisher if document else None,
            year=document.year if document else None,
            score=hit.score,
        )


GoldKind = Literal["fact", "advice", "paraphrase", "crossdoc", "case", "out_of_scope", "followup"]


class GoldQuote(_Model):
    doc: str
    quote: str


class GoldItem(_Model):
    """A question with the passages that answer it, quoted from the raw documents."""

    id: str
    question: str
    lang: Literal["da", "en"]
    kind: GoldKind
    user: Literal["leader", "trainer", "evaluator"] = "leader"
    relevant: list[GoldQuote] = []
    reference_answer: str = ""
    key_points: list[str] = []
    split: Literal["tune", "test"] = "tune"
    follows: str | None = Field(
        default=None, description="For a follow-up: the id of the item it refers back to."
    )


class AdviceLine(_Model):
    text: str
    citations: list[int]
    sentence_start: int
    sentence_end: int
    case: str | None = Field(
        default=None, description="For an example: the display name of its named case."
    )


class Advice(_Model):
    orientation: str = ""
    findings: list[AdviceLine] = Field(
        default=[],
        description="What the texts say: the sentences of the best passages closest to the "
        "question, whatever their kind (an amount asked for comes first).",
    )
    actions: list[AdviceLine] = []
    examples: list[AdviceLine] = []
    reflection: list[str] = []


class Answer(_Model):
    question: str
    lang: Literal["da", "en"]
    not_covered: bool
    evidence: float
    conversation_id: str | None = None
    turn: int | None = Field(
        default=None, description="The answer's number in its conversation (for feedback)."
    )
    advice: Advice = Advice()
    text: str = ""
    citations: list[Citation] = []


ExerciseKind = Literal["case", "dilemma", "discussion", "quiz"]


class ExerciseQuote(_Model):
    """A sentence quoted verbatim from a cited passage of its item.

    ``citation`` is the item's citation number ``n``; ``sentence_start``/``end``
    are offsets in that citation's ``text``, which equal ``text`` here.
    """

    text: str
    citation: int
    sentence_start: int
    sentence_end: int


class ExercisePosition(_Model):
    """One side of a dilemma: the team's label, supported by a quoted sentence."""

    label: str
    quote: ExerciseQuote


class ExerciseItem(_Model):
    """One case, dilemma card, discussion set or quiz question of a sheet.

    ``title``, ``body`` and ``questions`` are the team's frame text; everything
    taken from the texts is an ``ExerciseQuote`` with a citation.
    """

    item_id: str
    kind: ExerciseKind
    title: str
    body: str
    questions: list[str] = []
    answer: str | None = None
    options: list[str] = []
    citations: list[Citation] = []
    seed: int = 0
    quotes: list[ExerciseQuote] = Field(default=[], description="Vignette or key sentences.")
    trainer_note: list[ExerciseQuote] = Field(
        default=[], description="For the trainer's key: what the texts say happened and why."
    )
    positions: list[ExercisePosition] = []
    quiz_type: Literal["multiple_choice", "fill_blank"] | None = None
    correct_index: int | None = None
    gapped: str | None = Field(
        default=None, description="The quiz sentence with the blank shown as _____."
    )
    blank_start: int | None = Field(
        default=None, description="The blank's offsets in the first citation's text."
    )
    blank_end: int | None = None
    target: str | None = Field(
        default=None, description="The case, topic or tension slug the item was built for."
    )


class ExerciseOptions(_Model):
    """What a sheet is built from; the CLI, the API and saved sheets share it."""

    topics: list[str] = []
    cases: list[str] = []
    docs: list[str] = []
    kinds: list[ExerciseKind] = ["case", "dilemma", "discussion", "quiz"]
    n: int = Field(default=6, ge=1, le=40)
    seed: int = Field(default=1, ge=0, le=2**31 - 1)
    lang: Literal["da", "en"] = "da"
    k: int = Field(
        default=5, ge=1, le=50, description="Passages retrieved per quiz question (distractors)."
    )


class ExerciseSheet(_Model):
    sheet_id: str
    title: str
    options: ExerciseOptions
    items: list[ExerciseItem] = []
    created: str | None = None
    updated: str | None = None
