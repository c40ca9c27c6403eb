"""PDF to ``SourceText`` with pdfplumber: pages, column order, no page furniture.

Words come from pdfplumber and are put in reading order (columns) by
``pdf_layout``. Running headers and footers (margin lines repeating on most
pages, digits ignored) and bare page numbers are dropped first, so they
cannot hide a column gutter. Line ends are kept and the layout left
``UNKNOWN``: the cleaner dehyphenates from the hyphen density it sees.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

from tvaers.errors import UnreadableDocumentError
from tvaers.ingest.readers.pdf_layout import Line, Word, physical_lines, reading_order
from tvaers.ingest.source import Layout, SourceText

__all__ = ["read_pdf"]

log = logging.getLogger(__name__)

NO_TEXT_LAYER = "no text layer (scanned or image-only PDF); run OCR first"
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st"})
_PAGE_NUMBER = re.compile(
    r"^(?:side|s\.|page|p\.)?\s*[-–—(]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)]?"
    r"(?:\s*(?:/|af|of)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_FURNITURE_ZONE = 2  # lines at the top and at the bottom of a page checked for furniture
_MARGIN_BAND = 0.15  # furniture sits in the top or bottom 15 % of the page


def read_pdf(path: Path) -> SourceText:
    """Read a PDF's text layer page by page; raise when it has none or cannot be opened."""
    pages = _open_pages(path)
    furniture = _furniture_keys(pages)
    lines: list[str] = []
    page_numbers: list[int | None] = []
    empty_pages: list[int] = []
    for number, page in enumerate(pages, start=1):
        drop = page.furniture(furniture)
        body = [line for i, line in enumerate(page.lines) if i not in drop]
        if not body:
            empty_pages.append(number)
            continue
        for text in reading_order(body):
            lines.append(text)
            page_numbers.append(number)
    if not any(line.strip() for line in lines):
        raise UnreadableDocumentError(str(path), NO_TEXT_LAYER)
    if empty_pages:
        log.warning("%s: no body text on page(s) %s (images only?)", path, _ranges(empty_pages))
    joined = "\n".join(lines)
    if joined.count("(cid:") > max(20, len(joined) // 200):
        raise UnreadableDocumentError(
            str(path), "text layer has no usable character map (cid glyphs); run OCR first"
        )
    return SourceText(
        path=str(path), format="pdf", lines=lines, pages=page_numbers, layout=Layout.UNKNOWN
    )


@dataclass
class _Page:
    lines: list[Line]  # full-width physical lines, top to bottom
    height: float

    def margin_lines(self) -> list[Line]:
        """Lines that may be furniture: among the first or last two, in the outer margins."""
        n = len(self.lines)
        near_edge = set(range(min(n, _FURNITURE_ZONE))) | set(range(max(0, n - _FURNITURE_ZONE), n))
        band = _MARGIN_BAND * self.height
        return [
            self.lines[i]
            for i in sorted(near_edge)
            if self.lines[i].bottom <= band or self.lines[i].top >= self.height - band
        ]

    def furniture(self, keys: set[str]) -> set[int]:
        """Indexes of running headers/footers and bare page numbers on this page."""
        drop = set()
        for line in self.margin_lines():
            text = line.text.strip()
            if _furniture_key(text) in keys or _PAGE_NUMBER.match(text):
                drop.add(next(i for i, other in enumerate(self.lines) if other is line))
        return drop


def _open_pages(path: Path) -> list[_Page]:
    try:
        with pdfplumber.open(path) as pdf:
            pages = []
            for page in pdf.pages:
                pages.append(_Page(physical_lines(_words(page)), float(page.height)))
                page.close()  # frees the page's parsed objects: long PDFs stay small
            return pages
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for bad files
        raise UnreadableDocumentError(str(path), _open_error(exc)) from exc


def _open_error(exc: Exception) -> str:
    causes = [exc, exc.__cause__, exc.__context__]
    names = " ".join(type(c).__name__ for c in causes if c is not None)
    detail = " ".join(str(c) for c in causes if c is not None)
    if "Password" in names or "Encrypt" in names or "password" in detail.lower():
        return "encrypted PDF (password-protected); save an unprotected copy"
    message = f": {exc}" if str(exc) else ""
    return f"corrupt PDF, cannot be parsed ({type(exc).__name__}{message})"


def _words(page: Any) -> list[Word]:
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    out = []
    for w in words:
        text = unicodedata.normalize("NFC", w["text"].translate(_LIGATURES))
        if text.strip():
            out.append(Word(text, w["x0"], w["x1"], w["top"], w["bottom"], float(w["size"])))
    return out


# --- running headers, footers and page numbers -------------------------------------------


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold()).strip()


def _furniture_keys(pages: list[_Page]) -> set[str]:
    """Margin lines that repeat on most pages (digits ignored, so 'Side 3' matches 'Side 4')."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_furniture_key(line.text) for line in page.margin_lines()})
    with_text = sum(1 for page in pages if page.lines)
    if with_text < 2:
        return set()
    needed = with_text if with_text < 4 else max(3, math.ceil(0.4 * with_text))
    return {key for key, n in counts.items() if n >= needed and key.strip("# ")}


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    for n in numbers:
        if parts and parts[-1].split("-")[-1] == str(n - 1):
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)
