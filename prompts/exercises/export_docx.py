"""DOCX sheets with python-docx: the handout, and the trainer's key as a second file.

Quotes are set in Word's *Quote* style with their citation number and the
team's frame text in normal paragraphs, so the two stay apart in print too.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.shared import Pt

from tvaers.contracts import ExerciseSheet
from tvaers.prompts.exercises.view import ItemView, Part, QuoteView, SheetView, sheet_view

__all__ = ["build_docx", "to_docx"]


def _quote(doc: DocxDocument, q: QuoteView) -> None:
    p = doc.add_paragraph(style="Quote")
    if q.label:
        p.add_run(f"{q.label}: ").bold = True
    p.add_run(f"»{q.text}« ")
    p.add_run(q.ref).bold = True


def _label(doc: DocxDocument, text: str) -> None:
    doc.add_paragraph().add_run(text).bold = True


def _item(doc: DocxDocument, v: SheetView, it: ItemView) -> None:
    labels = v.labels
    kind = it.item.kind
    doc.add_heading(f"{it.number}. {it.item.title}", level=1)
    intro = doc.add_paragraph()
    intro.add_run(f"{it.kind_label} — ").italic = True
    intro.add_run(it.item.body)
    if it.quotes:
        heading = {"case": "vignette", "dilemma": "tension"}.get(kind, "quotes")
        _label(doc, labels[heading])
        for q in it.quotes:
            _quote(doc, q)
    if it.positions:
        _label(doc, labels["positions"])
        for q in it.positions:
            _quote(doc, q)
    if it.gapped:
        _quote(doc, it.gapped)
        for letter, option in it.options:
            doc.add_paragraph(f"{letter}) {option}")
    if it.item.questions:
        heading = {"case": "group_questions", "dilemma": "prompts"}.get(kind, "questions")
        _label(doc, labels[heading])
        for q in it.item.questions:
            doc.add_paragraph(q, style="List Bullet")
    if v.part == "key" and it.answer:
        p = doc.add_paragraph()
        p.add_run(f"{labels['answer']}: ").bold = True
        p.add_run(it.answer)
    if v.part == "key" and it.note:
        _label(doc, labels["trainer_note"])
        for q in it.note:
            _quote(doc, q)
    _label(doc, labels["sources"])
    for i, source in enumerate(it.sources):
        text = source if v.part == "handout" else f"{source} — {it.locators[i]}"
        run = doc.add_paragraph().add_run(text)
        run.font.size = Pt(9)


def build_docx(sheet: ExerciseSheet, part: Part = "handout") -> DocxDocument:
    v = sheet_view(sheet, part)
    doc = new_document()
    doc.core_properties.title = f"{v.title} – {v.part_label}"
    doc.core_properties.language = "da-DK" if v.lang == "da" else "en-GB"
    doc.core_properties.author = "Tværs"
    doc.add_heading(v.title, level=0)
    doc.add_paragraph().add_run(v.part_label).bold = True
    doc.add_paragraph().add_run(v.standing_line).italic = True
    for it in v.items:
        _item(doc, v, it)
    return doc


def to_docx(sheet: ExerciseSheet, part: Part = "handout") -> bytes:
    buffer = io.BytesIO()
    build_docx(sheet, part).save(buffer)
    return buffer.getvalue()
