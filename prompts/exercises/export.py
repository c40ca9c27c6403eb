"""One entry point for the four formats: the files a sheet becomes, with names and types."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from tvaers.contracts import ExerciseSheet
from tvaers.errors import TvaersError
from tvaers.prompts.exercises.export_docx import to_docx
from tvaers.prompts.exercises.export_gift import gift_questions, to_gift
from tvaers.prompts.exercises.export_html import to_html
from tvaers.prompts.exercises.export_markdown import to_markdown
from tvaers.prompts.exercises.view import Part

__all__ = ["FORMATS", "MEDIA_TYPES", "Export", "NoQuizError", "export", "file_stem"]

Format = Literal["md", "html", "docx", "gift"]
FORMATS: tuple[str, ...] = ("md", "html", "docx", "gift")
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "gift": "text/plain; charset=utf-8",
}
EXTENSIONS = {"md": "md", "html": "html", "docx": "docx", "gift": "gift.txt"}


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    media_type: str


def file_stem(title: str) -> str:
    """An ASCII-safe file name from the sheet title (æ→ae, ø→oe, å→aa)."""
    text = title.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "oevelsesark"


class NoQuizError(TvaersError):
    """A GIFT export of a sheet without quiz questions: the file would hold nothing."""


def export(sheet: ExerciseSheet, fmt: str, part: Part = "handout") -> Export:
    """The sheet as ``fmt``; GIFT holds only the quiz questions and has no key part."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "md":
        content = to_markdown(sheet, part).encode("utf-8")
    elif fmt == "html":
        content = to_html(sheet, part).encode("utf-8")
    elif fmt == "docx":
        content = to_docx(sheet, part)
    else:
        if not gift_questions(sheet):
            raise NoQuizError("the sheet has no quiz questions, and GIFT holds only those; "
                              "add quiz to its kinds")
        content = to_gift(sheet).encode("utf-8")
    suffix = "-key" if part == "key" and fmt != "gift" else ""
    name = f"{file_stem(sheet.title)}{suffix}.{EXTENSIONS[fmt]}"
    return Export(content, name, MEDIA_TYPES[fmt])
