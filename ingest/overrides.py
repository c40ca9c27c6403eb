"""Per-document cleaning overrides: hand-checked fixes as data, pinned by file hash.

Heuristics get the shipped corpus about 90 % right; the rest (column order
broken by the PDF extraction, figure residue, a heading the rules miss) is
cheaper and safer to state once per file. Line numbers are 1-based raw line
numbers and only mean something for the exact bytes they were written
against, so every entry carries the file's sha256; ``clean_source`` ignores
an entry whose hash does not match, with a warning.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tvaers.contracts import BlockType
from tvaers.errors import TvaersError

__all__ = [
    "DocumentOverrides",
    "FootnoteBlock",
    "HeadingOverride",
    "Move",
    "file_sha256",
    "load_overrides",
]

log = logging.getLogger(__name__)

LineRange = tuple[int, int]


@dataclass(frozen=True)
class Move:
    """Move raw lines ``start..end`` to just after raw line ``after`` (column order)."""

    start: int
    end: int
    after: int


@dataclass(frozen=True)
class HeadingOverride:
    """Lines ``start..end`` form one heading of ``level`` (1 = top), optionally retitled.

    ``nest``: the headings the rules detect after this one, up to the next
    stated heading of the same or a higher level, sit one level below it
    (an article title whose subheadings the rules find).
    """

    start: int
    end: int
    level: int
    text: str | None = None
    nest: bool = False


@dataclass(frozen=True)
class FootnoteBlock:
    """Raw lines holding the note text of ``marker``; the marker is glued in the body."""

    marker: str
    start: int
    end: int


@dataclass
class DocumentOverrides:
    """Everything hand-stated about one file. Empty overrides change nothing."""

    sha256: str | None = None
    drop: list[LineRange] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    headings: list[HeadingOverride] = field(default_factory=list)
    not_headings: list[int] = field(default_factory=list)
    footnotes: list[FootnoteBlock] = field(default_factory=list)
    kinds: dict[BlockType, list[LineRange]] = field(default_factory=dict)
    breaks_before: list[int] = field(default_factory=list)

    def matches(self, sha256: str | None) -> bool:
        """True when the overrides were written for this file (or are not pinned)."""
        return self.sha256 is None or sha256 is None or self.sha256 == sha256

    def dropped(self) -> set[int]:
        return {n for a, b in self.drop for n in range(a, b + 1)}

    def kind_of(self, line_no: int) -> BlockType | None:
        for kind, ranges in self.kinds.items():
            if any(a <= line_no <= b for a, b in ranges):
                return kind
        return None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentOverrides:
        known = {
            "sha256",
            "drop",
            "moves",
            "headings",
            "not_headings",
            "footnotes",
            "kinds",
            "breaks_before",
        }
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}; valid: {sorted(known)}")
        return cls(
            sha256=data.get("sha256"),
            drop=[_range(r) for r in data.get("drop", [])],
            moves=[Move(*_range(m["lines"]), int(m["after"])) for m in data.get("moves", [])],
            headings=[
                HeadingOverride(
                    *_range(h["lines"]), int(h["level"]), h.get("text"), bool(h.get("nest"))
                )
                for h in data.get("headings", [])
            ],
            not_headings=[int(n) for n in data.get("not_headings", [])],
            footnotes=[
                FootnoteBlock(str(f["marker"]), *_range(f["lines"]))
                for f in data.get("footnotes", [])
            ],
            kinds={
                BlockType(kind): [_range(r) for r in ranges]
                for kind, ranges in (data.get("kinds") or {}).items()
            },
            breaks_before=[int(n) for n in data.get("breaks_before", [])],
        )


def load_overrides(path: Path | str) -> dict[str, DocumentOverrides]:
    """Read ``overrides.yaml``: file name → its overrides. Raises on malformed entries."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise TvaersError(f"{path}: expected a mapping of file name to overrides")
    out: dict[str, DocumentOverrides] = {}
    for name, entry in data.items():
        try:
            out[str(name)] = DocumentOverrides.from_dict(entry or {})
        except (KeyError, TypeError, ValueError) as exc:
            raise TvaersError(f"{path}: bad overrides for {name}: {exc}; fix the entry") from exc
    return out


def file_sha256(path: Path | str) -> str:
    """sha256 of a file's raw bytes: what overrides are pinned to and the manifest stores."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _range(value: Any) -> LineRange:
    if isinstance(value, int):
        return value, value
    start, end = (int(v) for v in value)
    if end < start:
        raise ValueError(f"range {value} ends before it starts")
    return start, end
