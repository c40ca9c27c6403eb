"""The jinja2 frame around quoted evidence, and the contexts the templates receive.

Templates render only the team's words (orientation, reflection, headings, the
standing line) and insert quoted sentences verbatim; each template has a
context dataclass whose fields are exactly the template's variables (a test
compares them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache

import jinja2

__all__ = [
    "AnswerContext",
    "OrientationContext",
    "QuoteLine",
    "SourceLine",
    "render_answer",
    "render_orientation",
    "template_names",
]


@dataclass(frozen=True)
class QuoteLine:
    text: str  #: the quoted sentence, verbatim
    refs: str  #: citation markers such as "[1]"
    case: str = ""  #: display name of the named case, for examples


@dataclass(frozen=True)
class SourceLine:
    n: int
    title: str
    year: str  #: the year, or "u.å." / "n.d."
    heading: str = ""
    pages: str = ""
    opening: str = ""  #: the passage's first words, when another line would read the same


@dataclass(frozen=True)
class AnswerContext:
    """What ``answer.{lang}.j2`` receives."""

    not_covered: bool  #: True: no advice, only the pointer to the nearest topics
    orientation: str  #: team-written opening (already rendered)
    findings: list[QuoteLine] = field(default_factory=list)  #: "Det siger teksterne"
    actions: list[QuoteLine] = field(default_factory=list)  #: "Det kan I gøre"
    examples: list[QuoteLine] = field(default_factory=list)  #: "Eksempler fra praksis"
    reflection: list[str] = field(default_factory=list)  #: team-written questions
    sources: list[SourceLine] = field(default_factory=list)  #: the numbered citations
    nearest_topics: list[str] = field(default_factory=list)  #: when not covered
    years: list[str] = field(default_factory=list)  #: years of the texts, for the standing line
    courtesy: bool = False  #: a thanks or an "ok": a courtesy reply, nothing quoted
    #: not covered: why (``Evidence.reason``); "no_amount", "no_legal" and "no_overlap" are said
    reason: str | None = None


@dataclass(frozen=True)
class OrientationContext:
    """What ``orientation.{lang}.j2`` receives."""

    names: list[str]  #: the chosen topics' names
    description: str  #: the first topic's description


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("tvaers.prompts", ""),
        autoescape=False,  # plain text; the web pages escape on their own
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def template_names() -> dict[str, type]:
    """Each template and its context class (for the context test)."""
    return {
        f"{kind}.{lang}.j2": ctx
        for kind, ctx in (("answer", AnswerContext), ("orientation", OrientationContext))
        for lang in ("da", "en")
    }


def _render(name: str, context: object) -> str:
    return _env().get_template(name).render(**asdict(context)).strip()  # type: ignore[call-overload]


def render_answer(lang: str, context: AnswerContext) -> str:
    return _render(f"answer.{lang}.j2", context)


def render_orientation(lang: str, context: OrientationContext) -> str:
    return _render(f"orientation.{lang}.j2", context)
