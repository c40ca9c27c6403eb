"""What every export shows, computed once: labels, source lines and option letters.

The exporters (Markdown, HTML, DOCX, GIFT) only lay this out, so the four
formats cannot disagree about an item's quotes, answer or sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tvaers.contracts import Citation, ExerciseItem, ExerciseQuote, ExerciseSheet
from tvaers.prompts.exercises.frames import frames, year_label

__all__ = ["ItemView", "Part", "QuoteView", "SheetView", "sheet_view", "source_line"]

Part = Literal["handout", "key"]
LETTERS = "ABCDEFGH"


def source_line(citation: Citation, lang: str) -> str:
    """``[n] Title (year), Heading › Path, s. 3–4`` — what a reader needs to find it in print."""
    parts = [f"{citation.title} ({year_label(citation.year, lang)})"]
    if citation.heading_path:
        parts.append(citation.heading)
    pages = citation.pages_label(lang)
    if pages:
        parts.append(pages)
    return f"[{citation.n}] " + ", ".join(parts)


def locator(citation: Citation) -> str:
    """The passage's exact place for the trainer's key: document id and character offsets."""
    return f"{citation.chunk_id} [{citation.char_start}:{citation.char_end}]"


@dataclass(frozen=True)
class QuoteView:
    text: str
    ref: str  #: "[1]"
    label: str = ""  #: a dilemma position's label


@dataclass(frozen=True)
class ItemView:
    item: ExerciseItem
    number: int
    kind_label: str
    quotes: list[QuoteView]
    positions: list[QuoteView]
    note: list[QuoteView]
    options: list[tuple[str, str]]  #: (letter, option)
    answer: str
    sources: list[str]
    locators: list[str]
    gapped: QuoteView | None = None


@dataclass(frozen=True)
class SheetView:
    title: str
    part: Part
    part_label: str
    lang: str
    standing_line: str
    labels: dict[str, str]
    items: list[ItemView] = field(default_factory=list)


def _quote(q: ExerciseQuote, label: str = "") -> QuoteView:
    return QuoteView(text=q.text, ref=f"[{q.citation}]", label=label)


def _answer(item: ExerciseItem, lang: str) -> str:
    if item.kind != "quiz" or item.answer is None:
        return ""
    if item.correct_index is not None:
        return f"{LETTERS[item.correct_index]}: {item.answer}"
    return item.answer


def item_view(item: ExerciseItem, number: int, lang: str) -> ItemView:
    kinds = frames(lang)["kinds"]
    gapped = None
    if item.gapped is not None and item.quotes:
        gapped = QuoteView(text=item.gapped, ref=f"[{item.quotes[0].citation}]")
    return ItemView(
        item=item,
        number=number,
        kind_label=kinds[item.kind],
        quotes=[] if item.kind == "quiz" else [_quote(q) for q in item.quotes],
        positions=[_quote(p.quote, p.label) for p in item.positions],
        note=[_quote(q) for q in item.trainer_note],
        options=[(LETTERS[i], o) for i, o in enumerate(item.options)],
        answer=_answer(item, lang),
        sources=[source_line(c, lang) for c in item.citations],
        locators=[locator(c) for c in item.citations],
        gapped=gapped,
    )


def sheet_view(sheet: ExerciseSheet, part: Part = "handout") -> SheetView:
    lang = sheet.options.lang
    f = frames(lang)
    return SheetView(
        title=sheet.title,
        part=part,
        part_label=f["handout"] if part == "handout" else f["key"],
        lang=lang,
        standing_line=" ".join(f["standing_line"].split()),
        labels=f["labels"],
        items=[item_view(item, i + 1, lang) for i, item in enumerate(sheet.items)],
    )
