"""Gold sets: load and validate them, and pin each quote to a clean-text span.

Quotes are copied by hand from the raw documents, so they are matched on a
normalised key (see ``_textkey``) instead of against chunks: the gold set then
survives any change of chunking, and metrics judge chunks by span overlap.

Example:
    >>> items = load_gold("eval/gold/dev.jsonl")              # doctest: +SKIP
    >>> resolved = resolve_quotes(items, documents)           # doctest: +SKIP
    >>> [p.message for p in check_gold(items, documents)]     # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import ValidationError

from tvaers.contracts import Document, GoldItem
from tvaers.errors import GoldSetError
from tvaers.eval._textkey import TextKey, text_key

log = logging.getLogger(__name__)

__all__ = [
    "BUNDLED_DEV_GOLD",
    "FUZZY_FLOOR",
    "GoldFile",
    "Problem",
    "ResolvedItem",
    "ResolvedQuote",
    "check_gold",
    "load_gold",
    "read_gold",
    "resolve_quotes",
]

#: The dev gold set that ships with the package.
BUNDLED_DEV_GOLD = Path(__file__).parent / "gold" / "dev.jsonl"

#: Below this difflib ratio a fuzzy match is not trusted and the quote is unresolved.
FUZZY_FLOOR = 0.85

QuoteStatus = Literal["exact", "fuzzy", "unresolved", "unknown_doc"]


@dataclass(frozen=True)
class Problem:
    """One finding about a gold item; errors make ``tvaers eval check`` fail."""

    severity: Literal["error", "warning"]
    message: str
    item_id: str | None = None
    quote: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line else []
        if self.item_id:
            where.append(f"item {self.item_id!r}")
        if self.quote is not None:
            where.append(f"quote {self.quote + 1}")
        if not where:
            return f"{self.severity}: {self.message}"
        return f"{self.severity}: {', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class ResolvedQuote:
    """A gold quote located in ``clean_text``; offsets are None when unresolved."""

    doc_id: str
    quote: str
    status: QuoteStatus
    char_start: int | None = None
    char_end: int | None = None
    ratio: float = 0.0
    occurrences: int = 0

    @property
    def resolved(self) -> bool:
        return self.status in ("exact", "fuzzy")


@dataclass(frozen=True)
class ResolvedItem:
    item: GoldItem
    quotes: tuple[ResolvedQuote, ...]

    @property
    def spans(self) -> list[ResolvedQuote]:
        """The quotes that can be scored."""
        return [q for q in self.quotes if q.resolved]


def schema_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "(item)"
        parts.append(f"field {field!r}: {err['msg']}")
    return "; ".join(parts)


class GoldFile(NamedTuple):
    """What ``read_gold`` could parse, what it could not, and each item's line."""

    items: list[GoldItem]
    problems: list[Problem]
    lines: dict[str, int]


def read_lines(path: Path, what: str) -> list[str]:
    """The lines of a UTF-8 text file (a BOM is dropped); GoldSetError saying why not."""
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise GoldSetError(f"cannot read {what} {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise GoldSetError(
            f"{what} {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from exc


def read_gold(path: str | Path) -> GoldFile:
    """Parse what can be parsed and list every problem, for ``eval check``."""
    path = Path(path)
    lines = read_lines(path, "gold set")
    items: list[GoldItem] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    item_line: dict[int, int] = {}
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem("error", f"invalid JSON: {exc.msg} (column {exc.colno})",
                                    line=lineno))
            continue
        item_id = data.get("id") if isinstance(data, dict) else None
        try:
            item = GoldItem.model_validate(data)
        except ValidationError as exc:
            problems.append(Problem("error", schema_message(exc), item_id=item_id, line=lineno))
            continue
        if item.id in first_line:
            problems.append(Problem(
                "error", f"duplicate id (first used on line {first_line[item.id]}); "
                "give every item its own id", item_id=item.id, line=lineno))
            continue
        first_line[item.id] = lineno
        item_line[id(item)] = lineno
        items.append(item)
    for item in items:
        if item.follows is not None and item.follows not in first_line:
            problems.append(Problem(
                "error", f"field 'follows': {item.follows!r} is no item's id in this file",
                item_id=item.id, line=item_line[id(item)]))
        elif item.follows == item.id:
            problems.append(Problem("error", "field 'follows': an item cannot follow itself",
                                    item_id=item.id, line=item_line[id(item)]))
    if not items and not problems:
        problems.append(Problem("error", "the gold set has no items: one JSON object a line"))
    return GoldFile(items, problems, first_line)


def load_gold(path: str | Path) -> list[GoldItem]:
    """Load a JSON Lines gold set; raise one ``GoldSetError`` listing every bad line."""
    items, problems, _ = read_gold(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        listing = "\n".join(f"  {p}" for p in errors)
        raise GoldSetError(
            f"gold set {path} has {len(errors)} invalid line(s):\n{listing}\n"
            "Fix these lines; `tvaers eval check` lists them too."
        )
    return items


class _Resolver:
    """Caches one key per document: building it is the costly part."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.docs = {d.doc_id: d for d in documents}
        self._keys: dict[str, TextKey] = {}

    def key(self, doc_id: str) -> TextKey:
        if doc_id not in self._keys:
            self._keys[doc_id] = text_key(self.docs[doc_id].clean_text)
        return self._keys[doc_id]

    def resolve(self, doc_id: str, quote: str, *, floor: float, item_id: str) -> ResolvedQuote:
        if doc_id not in self.docs:
            return ResolvedQuote(doc_id, quote, "unknown_doc")
        doc_key = self.key(doc_id)
        needle = text_key(quote).key
        if not needle:
            return ResolvedQuote(doc_id, quote, "unresolved")
        found = doc_key.find_all(needle)
        if found:
            start, end = doc_key.span(found[0], found[0] + len(needle))
            return ResolvedQuote(doc_id, quote, "exact", start, end, 1.0, len(found))
        match = doc_key.fuzzy_find(needle)
        if match is not None and match.ratio >= floor:
            log.warning("gold %s: fuzzy quote match in %s (ratio %.2f): %.60r",
                        item_id, doc_id, match.ratio, quote)
            return ResolvedQuote(doc_id, quote, "fuzzy", match.char_start, match.char_end,
                                 match.ratio, 1)
        ratio = match.ratio if match else 0.0
        log.warning("gold %s: quote not found in %s (best ratio %.2f): %.60r",
                    item_id, doc_id, ratio, quote)
        return ResolvedQuote(doc_id, quote, "unresolved", ratio=ratio)

    def exact_elsewhere(self, doc_id: str, quote: str) -> list[str]:
        needle = text_key(quote).key
        return [d for d in self.docs if d != doc_id and needle and self.key(d).find_all(needle)]


def resolve_quotes(
    items: Sequence[GoldItem], documents: Iterable[Document], *, floor: float = FUZZY_FLOOR
) -> list[ResolvedItem]:
    """Locate every quote in its document's ``clean_text``; never raises on a miss."""
    return _resolve(items, _Resolver(documents), floor)


def _resolve(items: Sequence[GoldItem], resolver: _Resolver, floor: float) -> list[ResolvedItem]:
    return [
        ResolvedItem(item, tuple(
            resolver.resolve(q.doc, q.quote, floor=floor, item_id=item.id)
            for q in item.relevant
        ))
        for item in items
    ]


def check_gold(
    items: Sequence[GoldItem],
    documents: Iterable[Document],
    *,
    floor: float = FUZZY_FLOOR,
    lines: dict[str, int] | None = None,
) -> list[Problem]:
    """Every problem that would make an item score wrongly, item by item.

    ``lines`` (from ``read_gold``) lets each problem name its line in the file.
    """
    resolver = _Resolver(documents)
    by_id = {item.id: item for item in items}
    known = ", ".join(sorted(resolver.docs)) or "(no documents)"
    problems: list[Problem] = []
    for res in _resolve(items, resolver, floor):
        item = res.item

        def add(severity: Literal["error", "warning"], msg: str, quote: int | None = None,
                _id: str = item.id) -> None:
            problems.append(Problem(severity, msg, item_id=_id, quote=quote,
                                    line=(lines or {}).get(_id)))

        for i, rq in enumerate(res.quotes):
            if rq.status == "unknown_doc":
                add("error", f"unknown document id {rq.doc_id!r}; known: {known}", i)
            elif rq.status == "unresolved":
                hint = ""
                elsewhere = resolver.exact_elsewhere(rq.doc_id, rq.quote)
                if elsewhere:
                    hint = f"; it is found verbatim in {', '.join(elsewhere)}: fix 'doc'"
                add("error", f"quote not found in {rq.doc_id!r} (best fuzzy ratio "
                    f"{rq.ratio:.2f} < {floor:.2f}){hint}: {_short(rq.quote)}", i)
            elif rq.status == "fuzzy":
                add("warning", f"quote matched only fuzzily in {rq.doc_id!r} (ratio "
                    f"{rq.ratio:.2f}); copy it exactly: {_short(rq.quote)}", i)
            elif rq.occurrences > 1:
                add("warning", f"quote occurs {rq.occurrences} times in {rq.doc_id!r}; the "
                    f"first is scored, lengthen it to be unambiguous: {_short(rq.quote)}", i)
        if item.kind == "out_of_scope":
            if item.relevant:
                add("error", "out_of_scope item has relevant quotes; remove them or change kind")
        elif not item.relevant:
            add("error", f"{item.kind} item has no relevant quotes; add at least one")
        if item.kind == "crossdoc" and len({q.doc for q in item.relevant}) < 2:
            add("error", "crossdoc item quotes fewer than 2 documents")
        if item.kind == "followup" and item.follows is None:
            add("error", "followup item has no 'follows'; name the item it refers back to")
        if item.follows is not None and item.follows not in by_id:
            add("error", f"'follows' {item.follows!r} is no item's id")
        elif item.follows is not None and by_id[item.follows].split != item.split:
            # it is searched with that question in front: one split's words in the other's
            add("warning", f"'follows' {item.follows!r}, which is in the "
                f"{by_id[item.follows].split} split: keep a pair in one split")
        if not item.question.strip():
            add("error", "empty question")
    return problems


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
