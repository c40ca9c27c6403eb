"""Markdown sheets (handout or trainer's key) from ``sheet.md.j2``."""

from __future__ import annotations

import re
from functools import cache

import jinja2

from tvaers.contracts import ExerciseSheet
from tvaers.prompts.exercises.view import Part, sheet_view

__all__ = ["md_escape", "to_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: str) -> str:
    """Backslash the characters Markdown would read as markup (quotes stay verbatim)."""
    return _SPECIAL.sub(r"\\\1", text)


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tvaers.prompts.exercises", ""),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    return env


def to_markdown(sheet: ExerciseSheet, part: Part = "handout") -> str:
    text = _env().get_template("sheet.md.j2").render(v=sheet_view(sheet, part))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
