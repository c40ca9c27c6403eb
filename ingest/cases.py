"""Canonical tags for the corpus's named cases and projects.

The same case is named in many ways (``Horsens på Forkant med Sundhed``,
``HpF``, ``Horsens``) and one case (Randers) is described in two documents,
so retrieval, the exercise builder and the chat need one stable tag per case.
The table lives in ``cases.yaml`` (data, not code) so that a reviewer can
correct a pattern without touching the matcher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = [
    "Case",
    "case_names",
    "heading_key",
    "load_cases",
    "tag_cases",
]

_CASES_FILE = "cases.yaml"


def heading_key(text: str) -> str:
    """Compare headings ignoring case, spacing and punctuation (cleaners differ in these)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(" ", r"\s+"))


@dataclass(frozen=True)
class Case:
    """One named case or project: its tag, its names and where it is described."""

    slug: str
    name: str
    kind: str = "case"
    short: str | None = None
    article: str | None = None
    participants: str | None = None
    documents: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    local_aliases: tuple[str, ...] = ()
    _section_keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _global: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)
    _local: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Case:
        tuples = {
            k: tuple(data.get(k) or ())
            for k in ("documents", "sections", "aliases", "local_aliases")
        }
        return cls(
            slug=data["slug"],
            name=data["name"],
            kind=data.get("kind", "case"),
            short=data.get("short"),
            article=data.get("article"),
            participants=data.get("participants"),
            **tuples,
            _section_keys=frozenset(heading_key(s) for s in tuples["sections"]),
            _global=tuple(_compile(p) for p in tuples["aliases"]),
            _local=tuple(_compile(p) for p in tuples["local_aliases"]),
        )

    @property
    def display_name(self) -> str:
        return (
            f"{self.name} ({self.short})"
            if self.short and self.short not in self.name
            else self.name
        )

    def matches(self, heading_path: list[str], text: str, doc_id: str) -> bool:
        """True if the section is this case's, or the text or a heading names it."""
        own_doc = doc_id in self.documents
        if own_doc and any(heading_key(h) in self._section_keys for h in heading_path):
            return True
        patterns = self._global + (self._local if own_doc else ())
        return any(p.search(s) for p in patterns for s in (*heading_path, text))


@cache
def load_cases() -> tuple[Case, ...]:
    """The case table from ``cases.yaml`` (cached; the file ships with the package)."""
    raw = resources.files("tvaers.ingest").joinpath(_CASES_FILE).read_text("utf-8")
    cases = tuple(Case.from_dict(d) for d in yaml.safe_load(raw)["cases"])
    slugs = [c.slug for c in cases]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"duplicate case slugs in {_CASES_FILE}")
    return cases


def case_names() -> dict[str, str]:
    """Tag → display name, in table order (for exercises, chat and filters)."""
    return {c.slug: c.display_name for c in load_cases()}


def tag_cases(heading_path: list[str], text: str, doc_id: str) -> list[str]:
    """The tags of the cases a passage belongs to or names, in table order."""
    return [c.slug for c in load_cases() if c.matches(heading_path, text, doc_id)]
