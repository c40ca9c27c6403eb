"""A self-contained HTML sheet (no external assets) from ``sheet.html.j2``, autoescaped."""

from __future__ import annotations

from functools import cache

import jinja2

from tvaers.contracts import ExerciseSheet
from tvaers.prompts.exercises.view import Part, sheet_view

__all__ = ["to_html"]


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tvaers.prompts.exercises", ""),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(sheet: ExerciseSheet, part: Part = "handout") -> str:
    return _env().get_template("sheet.html.j2").render(v=sheet_view(sheet, part))
