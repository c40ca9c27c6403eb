"""Which quoted sentences may stand as advice, and which as examples from practice.

The composer never writes advice: it quotes sentences from retrieved passages.
This module decides, per sentence, whether it *recommends or describes an
action* (``skal``, ``bør``, ``det er vigtigt at``, an imperative), whether it
tells *what a named case did*, or whether it must not be quoted on its own
(questions, fragments, first-person asides, interview speech, list bullets).
Spans are relative to the passage text, so ``text[start:end]`` is the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from tvaers.ingest.sentences import sentence_spans

__all__ = ["Sentence", "SentenceKind", "classify", "content_words", "passage_sentences"]

MIN_WORDS = 6
MAX_WORDS = 55


class SentenceKind(StrEnum):
    ACTION = "action"  # recommends or describes an action
    PRACTICE = "practice"  # tells what a case or its leaders did
    OTHER = "other"  # may be read, but is no advice on its own
    REJECT = "reject"  # never quoted alone


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    kind: SentenceKind
    reason: str


_WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")
_FIRST_PERSON = re.compile(r"\b(jeg|mig|min|mit|mine|i mit perspektiv)\b", re.IGNORECASE)
_WE = re.compile(r"\b(vi|os|vores)\b", re.IGNORECASE)
_REPORTED = re.compile(r"\b(siger|sagde|fortæller|forklarer|udtaler|lyder det)\b")
_SPEECH = re.compile(r"[”\"“]")
# A guide to the text itself ("Afsnit 4 har fokus på …", "I 3.2 drejer det sig om …",
# "I kapitel 2 beskrives …"): the report's table of contents, not advice.
_SIGNPOST = re.compile(
    r"\b(afsnit|kapitel|kapitlerne|afsnittene|sektion|bilag|publikationen|rapporten|"
    r"notatet|artiklen)\s+(\d|har fokus|handler|beskriver|gennemgår|indeholder|"
    r"præsenterer|afsluttes)|^I\s+\d{1,2}(\.\d+)+\s",  # "I 3.2", not "I 2008"
    re.IGNORECASE,
)
# Openers that only make sense after the previous sentence.
_DANGLING = re.compile(
    r"^(Han|Hun|Hans|Hendes|Denne|Dette|Disse|Derfor|Dermed|Desuden|Herudover|Her|Heraf|"
    r"Samtidig|Endvidere|Ligeledes|Således|Tværtimod|Også|Men|Og|Eller|Så|"
    r"Det betyder|Det skyldes|Det gør|Det gælder|Det viser)\b"
)
_ACTION_CUES = re.compile(
    r"\b(skal|bør|burde|må|er nødt til|nødvendigt|nødvendig|vigtigt|væsentligt|"
    r"afgørende|centralt|en god idé|med fordel|anbefal\w*|kræver|gælder om at|handler om at|"
    r"sørge for|sikre|husk\w*|gavn af|hjælper|lykkes)\b",
    re.IGNORECASE,
)
_IMPERATIVE_WORDS = """
    sørg brug tag find lav husk invester giv skab byg sæt hold vær lad undgå tal inddrag
    fokusér fokuser glem forbind afsæt aftal del gør start stil spørg vis prioritér prioriter
    mød lyt accepter acceptér etabler etablér involver involvér tænk kend"""
_IMPERATIVES = frozenset(_IMPERATIVE_WORDS.split())
# Past tense and perfect forms that tell what was done.
_DEED = re.compile(
    r"\b(har\s+(?:\w+\s+){0,3}?(?:\w+et|\w+t|aftalt|valgt|lavet|skabt|etableret|indført|"
    r"oprettet|ansat|afholdt|brugt|arbejdet|udviklet|gennemført|besluttet)|"
    r"blev|valgte|besluttede|etablerede|indførte|oprettede|lavede|skabte|ansatte|afholdt|"
    r"holdt|brugte|gjorde|samlede|mødtes|aftalte|satte|fik|udviklede|gennemførte|"
    r"opfandt|opfinde|startede|begyndte|gør det klart|valgt)\b",
    re.IGNORECASE,
)


def content_words(text: str) -> set[str]:
    """Lower-cased words of four letters or more, cut to a 6-letter stem for overlap tests."""
    return {w.lower()[:6] for w in _WORD.findall(text) if len(w) >= 4}


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            spans.extend(sentence_spans(text, pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def classify(
    sentence: str, *, has_case: bool, spoken: bool = False
) -> tuple[SentenceKind, str]:
    """The kind of one sentence and why.

    ``has_case``: the passage is about a named case; ``spoken``: it is an
    interviewee's voice, where "vi" is a first-person aside too.
    """
    words = _WORD.findall(sentence)
    stripped = sentence.strip()
    if stripped.endswith("?") or "?" in stripped[-3:]:
        return SentenceKind.REJECT, "question"
    if _SPEECH.search(stripped):
        return SentenceKind.REJECT, "interview speech"
    if not stripped or (stripped[-1] not in ".!…" and not stripped.endswith((".”", "!”"))):
        return SentenceKind.REJECT, "fragment: no sentence end"
    first = stripped[0]
    if not (first.isupper() or first.isdigit()):
        return SentenceKind.REJECT, "fragment: starts mid-sentence"
    if stripped.startswith(("•", "-", "–")):
        return SentenceKind.REJECT, "list bullet"
    if len(words) < MIN_WORDS:
        return SentenceKind.REJECT, "fragment: too short"
    if len(words) > MAX_WORDS:
        return SentenceKind.REJECT, "too long to quote alone"
    if _FIRST_PERSON.search(stripped):
        return SentenceKind.REJECT, "first person"
    if spoken and _WE.search(stripped):
        return SentenceKind.REJECT, "first person (interviewee)"
    if _REPORTED.search(stripped):
        return SentenceKind.REJECT, "reported speech"
    if _SIGNPOST.search(stripped):
        return SentenceKind.REJECT, "a guide to the text"
    if stripped.endswith(":"):
        return SentenceKind.REJECT, "lead-in"
    if _DANGLING.match(stripped):
        return SentenceKind.REJECT, "refers back to the previous sentence"
    if words[0].lower() in _IMPERATIVES:
        return SentenceKind.ACTION, "imperative"
    if _ACTION_CUES.search(stripped):
        return SentenceKind.ACTION, "recommendation"
    if has_case and _DEED.search(stripped):
        return SentenceKind.PRACTICE, "what a case did"
    return SentenceKind.OTHER, "statement"


def passage_sentences(text: str, *, has_case: bool, spoken: bool = False) -> list[Sentence]:
    """Classified sentences of one passage, with spans into ``text``."""
    out = []
    for a, b in _line_spans(text):
        kind, reason = classify(text[a:b], has_case=has_case, spoken=spoken)
        out.append(Sentence(a, b, text[a:b], kind, reason))
    return out
