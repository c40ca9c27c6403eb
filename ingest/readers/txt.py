"""Plain text to ``SourceText``: lines as extracted, pages from page-start lines.

The corpus .txt files are PDF extractions whose form feeds are gone; what
survives is that each page's first line begins with exactly one space. That
space is the only page signal, so it is turned into page numbers here and
stripped, and everything else (trailing spaces, blank lines) is kept for the
cleaner, which reads paragraph and heading signals from it.
"""

from __future__ import annotations

import re
import unicodedata

from tvaers.ingest.source import Layout, SourceText

__all__ = ["PAGE_START", "source_from_text"]

PAGE_START = re.compile(r"^ \S")


def source_from_text(path: str, text: str) -> SourceText:
    """Split decoded text into lines (trailing whitespace kept) with 1-based pages.

    Text before the first page-start line is on page 1; a file without any
    page-start line gets ``None`` pages (nothing is known about them).
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line; it is not an empty line
    has_pages = any(PAGE_START.match(line) for line in lines)
    pages: list[int | None] = []
    page = 0
    out: list[str] = []
    for line in lines:
        if PAGE_START.match(line):
            page += 1
            line = line[1:]
        out.append(line)
        pages.append(max(page, 1) if has_pages else None)
    return SourceText(path=path, format="txt", lines=out, pages=pages, layout=Layout.UNKNOWN)
