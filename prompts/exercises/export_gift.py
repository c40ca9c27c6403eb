"""GIFT (Moodle's quiz import format) for a sheet's quiz questions.

Multiple choice is written as Moodle's *missing word* question, the answer set
in place of the blank (``text {=right ~wrong ~wrong} text``), and
fill-in-the-blank as an embedded short answer (``{=word}``). Every character
GIFT reads as markup (``~ = # { } :`` and the backslash) is escaped with a
backslash, so ``SAM:BO`` is written ``SAM\\:BO``; the source goes into the
general feedback (``####``) and a comment.
"""

from __future__ import annotations

import re

from tvaers.contracts import ExerciseItem, ExerciseSheet
from tvaers.prompts.exercises.quiz import BLANK
from tvaers.prompts.exercises.view import source_line

__all__ = ["gift_escape", "gift_questions", "to_gift"]

_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters and fold line breaks (a blank line ends a question)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _question(item: ExerciseItem, lang: str) -> str:
    assert item.gapped is not None and item.answer is not None
    before, after = item.gapped.split(BLANK, 1)
    if item.quiz_type == "multiple_choice":
        answers = [
            ("=" if i == item.correct_index else "~") + gift_escape(o)
            for i, o in enumerate(item.options)
        ]
    else:
        answers = ["=" + gift_escape(item.answer)]
    ref = f"[{item.quotes[0].citation}]" if item.quotes else ""
    sources = "; ".join(source_line(c, lang) for c in item.citations)
    feedback = gift_escape(sources)
    return (
        f"::{gift_escape(item.title)}::{gift_escape(item.body)} "
        f"»{gift_escape(before)}{{{' '.join(answers)} ####{feedback}}}{gift_escape(after)}« "
        f"{gift_escape(ref)}"
    )


def gift_questions(sheet: ExerciseSheet) -> list[ExerciseItem]:
    """The items GIFT can hold: quiz questions with their blank."""
    return [i for i in sheet.items if i.kind == "quiz" and i.gapped is not None]


def to_gift(sheet: ExerciseSheet) -> str:
    """The sheet's quiz questions as one GIFT file (UTF-8 text; other kinds are left out)."""
    lang = sheet.options.lang
    lines = [
        f"// {' '.join(sheet.title.split())}",
        "// Tværs: citater fra kilderne; spørgsmålsteksten er skrevet af Tværs-teamet.",
        "",
        "$CATEGORY: $course$/Tværs",
        "",
    ]
    for item in gift_questions(sheet):
        for citation in item.citations:
            lines.append(f"// {' '.join(source_line(citation, lang).split())}")
        lines.append(_question(item, lang))
        lines.append("")
    return "\n".join(lines)
