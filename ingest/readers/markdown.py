"""Markdown to ``SourceText``: headings from the markup, one line per paragraph.

Markdown states its structure, so nothing is guessed here: ``#`` lines (and
setext underlines) are headings, wrapped lines of a paragraph are joined, and
each list item stays its own line with a ``•`` bullet so the cleaner's list
detection (built for the corpus's ``•`` bullets) sees it. Inline markup
(emphasis, links, code ticks) is stripped because passages are cited as
plain text.
"""

from __future__ import annotations

import re

from tvaers.ingest.source import Layout, SourceText

__all__ = ["parse_markdown", "read_markdown"]

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^( *)[-*+][ \t]+(.*)$")
_ORDERED = re.compile(r"^( *)(\d{1,9})[.)][ \t]+(.*)$")
_QUOTE = re.compile(r"^ {0,3}>[ ]?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link -> link text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference link
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),
]


def read_markdown(path: str, text: str) -> SourceText:
    """Parse decoded Markdown text; ``title`` is the first level-1 heading."""
    lines, headings = parse_markdown(text)
    title = _first_heading(lines, headings)
    return SourceText(
        path=path,
        format="md",
        lines=lines,
        pages=[None] * len(lines),
        layout=Layout.STRUCTURED,
        headings=headings,
        title=title,
    )


def parse_markdown(text: str) -> tuple[list[str], dict[int, int]]:
    """Return (lines, headings): one line per heading, paragraph, list item or table row."""
    raw = _strip_front_matter(_COMMENT.sub("", text).split("\n"))
    out: list[str] = []
    headings: dict[int, int] = {}
    para: list[str] = []  # wrapped lines of the current paragraph or list item
    in_fence = False

    def flush() -> None:
        if para:
            joined = _inline(" ".join(p.strip() for p in para))
            if joined:
                out.append(joined)
            para.clear()

    for line in raw:
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if line.strip():
                out.append(line.rstrip())
            continue
        if not line.strip():
            flush()
            continue
        setext = _SETEXT.match(line)
        if setext and para and not _is_list_item(para[0]):
            before = len(out)
            flush()
            if len(out) > before:
                headings[before] = 1 if setext.group(1)[0] == "=" else 2
            continue
        if _RULE.match(line):
            flush()
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            heading = _inline((atx.group(2) or "").strip())
            if heading:
                headings[len(out)] = len(atx.group(1))
                out.append(heading)
            continue
        if _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
            if not line.strip():
                flush()
                continue
        if "|" in line and line.strip().startswith("|"):
            flush()
            if not _TABLE_RULE.match(line):
                cells = [_inline(c.strip()) for c in line.strip().strip("|").split("|")]
                out.append(" | ".join(c for c in cells if c))
            continue
        item = _list_item(line)
        if item is not None:
            flush()
            para.append(item)
            continue
        para.append(line)
    flush()
    return out, headings


def _is_list_item(line: str) -> bool:
    return line.startswith("• ") or bool(re.match(r"\d+\. ", line))


def _list_item(line: str) -> str | None:
    bullet = _BULLET.match(line)
    if bullet:
        return "• " + bullet.group(2)
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(2)}. {ordered.group(3)}"
    return None


def _inline(text: str) -> str:
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>|])", r"\1", text)  # backslash escapes
    return re.sub(r"[ \t]+", " ", text).strip()


def _strip_front_matter(lines: list[str]) -> list[str]:
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return lines[i + 1 :]
    return lines


def _first_heading(lines: list[str], headings: dict[int, int]) -> str | None:
    ordered = sorted(headings)
    for i in ordered:
        if headings[i] == 1:
            return lines[i]
    return lines[ordered[0]] if ordered else None
