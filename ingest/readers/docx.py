"""Word (.docx) to ``SourceText`` with python-docx: paragraphs, headings, lists, tables.

A .docx knows its structure through styles, so headings come from the style
chain (``Heading n``, Danish ``Overskrift n``, ``Title``, or an outline level)
rather than from guessing. List items keep their own line with a ``•`` or
``n.`` marker, like the corpus's bullets, and table rows become ``a | b``
lines so their text stays searchable. Page numbers are unknown in .docx.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from tvaers.errors import UnreadableDocumentError
from tvaers.ingest.source import Layout, SourceText

__all__ = ["heading_level", "read_docx"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|titel)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list|liste|opstilling", re.IGNORECASE)
_NUMBERED_STYLE = re.compile(r"number|nummer|med tal", re.IGNORECASE)


def read_docx(path: Path) -> SourceText:
    """Read a .docx body in order; raise when it is corrupt, encrypted or empty."""
    document = _open(path)
    lines: list[str] = []
    headings: dict[int, int] = {}
    title: str | None = None
    counters: dict[tuple[str, int], int] = {}
    for item in _body_items(document):
        if isinstance(item, Table):
            counters.clear()
            lines.extend(_table_rows(item))
            continue
        text = _paragraph_text(item)
        if not text:
            continue
        level = heading_level(item)
        if level is not None:
            counters.clear()
            if title is None and _is_title(item):
                title = text
            headings[len(lines)] = level
            lines.append(text)
            continue
        marker = _list_marker(item, document, counters)
        if marker is None:
            counters.clear()
        lines.append(f"{marker} {text}" if marker else text)
    if not lines:
        raise UnreadableDocumentError(str(path), "empty document (no text in the .docx body)")
    if title is None:
        first = min(headings, default=None)
        title = lines[first] if first is not None else (document.core_properties.title or None)
    return SourceText(
        path=str(path),
        format="docx",
        lines=lines,
        pages=[None] * len(lines),
        layout=Layout.STRUCTURED,
        headings=headings,
        title=title,
    )


def _open(path: Path) -> Any:
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic == _OLE_MAGIC:
        raise UnreadableDocumentError(
            str(path),
            "encrypted (password-protected) .docx or an old Word 97-2003 .doc file; "
            "save it as an unprotected .docx",
        )
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise UnreadableDocumentError(
            str(path), f"corrupt .docx, not a readable Word package ({type(exc).__name__})"
        ) from exc
    except ValueError as exc:  # a zip of another kind, e.g. a renamed .xlsx
        raise UnreadableDocumentError(str(path), f"not a Word document: {exc}") from exc


def _body_items(document: Any) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in body order, including those in content controls."""
    for child in document.element.body.iterchildren():
        yield from _items_of(child, document)


def _items_of(element: Any, parent: Any) -> Iterator[Paragraph | Table]:
    if element.tag == qn("w:p"):
        yield Paragraph(element, parent)
    elif element.tag == qn("w:tbl"):
        yield Table(element, parent)
    elif element.tag == qn("w:sdt"):
        content = element.find(qn("w:sdtContent"))
        if content is not None:
            for child in content.iterchildren():
                yield from _items_of(child, parent)


def _paragraph_text(paragraph: Paragraph) -> str:
    text = paragraph.text.replace("\n", " ").replace("\xa0", " ")
    return unicodedata.normalize("NFC", re.sub(r"[ ]{2,}", " ", text)).strip()


def heading_level(paragraph: Paragraph) -> int | None:
    """1-based heading level from the paragraph's style chain or outline level, else None."""
    direct = _outline_level(paragraph._p.pPr)
    if direct is not None:
        return direct
    style = paragraph.style
    for _ in range(8):  # follow based-on styles, bounded against cycles
        if style is None:
            return None
        for name in (style.name or "", style.style_id or ""):
            match = _HEADING_STYLE.match(name)
            if match:
                return int(match.group(1))
            if _TITLE_STYLE.match(name):
                return 1
        level = _outline_level(style.element.pPr)
        if level is not None:
            return level
        style = style.base_style
    return None


def _is_title(paragraph: Paragraph) -> bool:
    style = paragraph.style
    return style is not None and bool(_TITLE_STYLE.match(style.name or ""))


def _outline_level(ppr: Any) -> int | None:
    if ppr is None:
        return None
    node = ppr.find(qn("w:outlineLvl"))
    if node is None:
        return None
    value = int(node.get(qn("w:val"), "9"))
    return value + 1 if value < 9 else None  # 9 means body text


def _list_marker(
    paragraph: Paragraph, document: Any, counters: dict[tuple[str, int], int]
) -> str | None:
    """``•`` or ``n.`` for list paragraphs (numbering or list style), else None."""
    num_pr = _num_pr(paragraph)
    style_name = paragraph.style.name if paragraph.style is not None else ""
    if num_pr is None and not _LIST_STYLE.search(style_name or ""):
        return None
    num_id, ilvl = _num_ids(num_pr)
    numbered = _numbered(document, num_id, ilvl) if num_id else None
    if numbered is None:
        numbered = bool(_NUMBERED_STYLE.search(style_name or ""))
    if not numbered:
        return "•"
    key = (num_id or style_name, ilvl)
    counters[key] = counters.get(key, 0) + 1
    return f"{counters[key]}."


def _num_pr(paragraph: Paragraph) -> Any:
    ppr = paragraph._p.pPr
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num_pr is None and paragraph.style is not None and paragraph.style.element.pPr is not None:
        num_pr = paragraph.style.element.pPr.find(qn("w:numPr"))
    return num_pr


def _num_ids(num_pr: Any) -> tuple[str | None, int]:
    if num_pr is None:
        return None, 0
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        int(ilvl.get(qn("w:val"))) if ilvl is not None else 0,
    )


def _numbered(document: Any, num_id: str, ilvl: int) -> bool | None:
    """Whether a numbering definition counts (decimal, letters) rather than bullets."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return None
    w = qn("w:val")
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) != num_id:
            continue
        abstract = num.find(qn("w:abstractNumId"))
        if abstract is None:
            return None
        for definition in numbering.findall(qn("w:abstractNum")):
            if definition.get(qn("w:abstractNumId")) != abstract.get(w):
                continue
            for lvl in definition.findall(qn("w:lvl")):
                if lvl.get(qn("w:ilvl")) == str(ilvl):
                    fmt = lvl.find(qn("w:numFmt"))
                    return fmt is not None and fmt.get(w) not in ("bullet", "none")
    return None


def _table_rows(table: Table) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[Any] = []  # cell elements; merged cells repeat in row.cells
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):
                continue
            seen.append(cell._tc)
            text = " ".join(_paragraph_text(p) for p in cell.paragraphs if _paragraph_text(p))
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows
