"""Block segmentation: paragraphs into typed blocks with heading paths.

Retrieval must never cut a quote from its speaker, nor a list from the
sentence that says what it lists; so an interview quote becomes one block
with its lead-in (``Den lægelige direktør siger:``) and its attribution
(``…,” fortæller en kommunal chef.``, ``– …, siger Claus Poulsen.``), and a
list one block with its lead-in. Fact boxes, standfirsts and reference lists
get their own types so the chunker and the assistant can treat them apart.
"""

from __future__ import annotations

import logging
import re

from tvaers.contracts import BlockType
from tvaers.ingest.blocks import Block
from tvaers.ingest.headings import FACTBOX_LABELS
from tvaers.ingest.paragraphs import Paragraph
from tvaers.ingest.sentences import sentence_spans
from tvaers.ingest.speakers import SPEECH_VERBS

__all__ = ["REFERENCE_HEADINGS", "segment"]

log = logging.getLogger(__name__)

REFERENCE_HEADINGS = re.compile(
    r"^(Litteratur(liste)?|Referencer|Kilder|Bibliografi|Læs mere\b.*)$", re.IGNORECASE
)
_VERBS = "|".join(SPEECH_VERBS)
_ATTRIBUTED = re.compile(rf"”[^”]*\b(?:{_VERBS})\b[^”]*$")
_CLOSED = re.compile(r"”[.,!?]?\)?$")
_DASH_ATTRIBUTION = re.compile(rf",\s+(?:{_VERBS})\s+[^,”]{{2,80}}\.$")
_LEAD_IN_VERB = re.compile(rf"\b(?:{_VERBS})\b")
_ATTRIBUTION_START = re.compile(rf"^(?:[a-zæøå]|(?:{_VERBS})\b)")
_MAX_QUOTE_PARAS = 8
_MAX_LEAD_IN = 600  # a longer lead-in paragraph gives only its last sentence to the quote
_SHORT_ITEM = 120
_SUB_ITEM = re.compile(r"^[a-h]\.\s")  # ``a. …`` sub-items under a fact-box bullet


def segment(paras: list[Paragraph]) -> list[Block]:
    """Typed blocks in reading order; headings are blocks with ``kind=None``."""
    blocks: list[Block] = []
    path: list[tuple[int, str]] = []
    references: int | None = None  # level of the reading-list heading we are under
    i = 0
    while i < len(paras):
        para = paras[i]
        if para.heading:
            level = para.heading.level
            path = [(lv, t) for lv, t in path if lv < level] + [(level, para.text)]
            if REFERENCE_HEADINGS.match(para.text):
                references = level
            elif references is not None and level <= references:
                references = None  # subsections of a reading list stay references
            blocks.append(_block([para], None, path, level=level))
            i += 1
            continue
        end, kind = _group(paras, i)
        if kind is BlockType.PARAGRAPH:
            kind = para.kind or (
                BlockType.REFERENCES if references is not None else BlockType.PARAGRAPH
            )
        group = paras[i : end + 1]
        if kind in (BlockType.QUOTE, BlockType.LIST):
            group = _with_lead_in(blocks, group, path, kind)
        blocks.append(_block(group, kind, path))
        log.debug("lines %d-%d: %s", para.first_no, paras[end].last_no, kind)
        i = end + 1
    return blocks


def _group(paras: list[Paragraph], i: int) -> tuple[int, BlockType]:
    """Index of the last paragraph of the block starting at ``i``, and its type."""
    text = paras[i].text
    if paras[i].kind and paras[i].kind is not BlockType.STANDFIRST:
        return i, paras[i].kind
    if FACTBOX_LABELS.match(text):
        return _factbox_end(paras, i), BlockType.FACTBOX
    if paras[i].bullet:
        return _run(paras, i, lambda p: p.bullet), BlockType.LIST
    if text.startswith("”"):
        return _quote_end(paras, i), BlockType.QUOTE
    if text.startswith("– "):
        end = _dash_quote_end(paras, i)
        if end is not None:
            return end, BlockType.QUOTE
    if text.endswith(":") and i + 2 < len(paras) and _short_item(paras[i + 1]):
        end = _run(paras, i + 1, _short_item)
        if end > i + 1:
            return end, BlockType.LIST  # items that lost their bullets
    return i, BlockType.PARAGRAPH


def _quote_end(paras: list[Paragraph], i: int) -> int:
    for j in range(i, min(len(paras), i + _MAX_QUOTE_PARAS)):
        para = paras[j]
        if para.heading or (j > i and (para.bullet or para.kind)):
            return j - 1
        if _ATTRIBUTED.search(para.text):
            return j
        if _CLOSED.search(para.text):
            nxt = paras[j + 1] if j + 1 < len(paras) else None
            if (
                nxt
                and not nxt.heading
                and len(nxt.text) < 150
                and _ATTRIBUTION_START.match(nxt.text)
            ):
                return j + 1
            return j
    log.debug("line %d: quote without a close; kept as one paragraph", paras[i].first_no)
    return i


def _dash_quote_end(paras: list[Paragraph], i: int) -> int | None:
    for j in range(i, min(len(paras), i + _MAX_QUOTE_PARAS)):
        para = paras[j]
        if para.heading or para.bullet or para.kind or (j > i and not para.text.startswith("–")):
            return None
        if _DASH_ATTRIBUTION.search(para.text) or re.search(r"\b(?:han|hun)\.$", para.text):
            return j
    return None


def _factbox_end(paras: list[Paragraph], i: int) -> int:
    j = i
    while j + 1 < len(paras):
        nxt = paras[j + 1]
        if nxt.heading or not (
            nxt.bullet
            or FACTBOX_LABELS.match(nxt.text)
            or _short_item(nxt)
            or (not nxt.kind and _SUB_ITEM.match(nxt.text))
        ):
            break
        j += 1
    return j


def _short_item(para: Paragraph) -> bool:
    return (
        not para.heading
        and not para.kind
        and len(para.text) <= _SHORT_ITEM
        and not para.text.endswith((".", ":"))
    )


def _run(paras: list[Paragraph], i: int, keep) -> int:
    j = i
    while j + 1 < len(paras) and keep(paras[j + 1]):
        j += 1
    return j


def _with_lead_in(
    blocks: list[Block], group: list[Paragraph], path: list[tuple[int, str]], kind: BlockType
) -> list[Paragraph]:
    """Move the preceding paragraph (or its last sentence) into the quote or list."""
    if not blocks or blocks[-1].kind is not BlockType.PARAGRAPH:
        return group
    prev = blocks[-1]
    text = prev.text
    last = _last_sentence(text)
    if not (text.endswith(":") or (kind is BlockType.QUOTE and _LEAD_IN_VERB.search(last))):
        return group
    lead = _LeadIn(text, prev)
    if len(text) > _MAX_LEAD_IN and len(last) < len(text):
        prev.text = text[: len(text) - len(last)].rstrip()
        lead = _LeadIn(last, prev)
    else:
        blocks.pop()
    return [lead, *group]  # type: ignore[list-item]


class _LeadIn:
    """A lead-in taken from an emitted block; quacks like a ``Paragraph``."""

    def __init__(self, text: str, block: Block) -> None:
        self.text = text
        self.page_start = block.page_end if text != block.text else block.page_start
        self.page_end = block.page_end


def _last_sentence(text: str) -> str:
    spans = sentence_spans(text)
    if not spans:
        return text
    return text[spans[-1][0] :]


def _block(
    group: list[Paragraph],
    kind: BlockType | None,
    path: list[tuple[int, str]],
    level: int | None = None,
) -> Block:
    pages_start = [p.page_start for p in group if p.page_start is not None]
    pages_end = [p.page_end for p in group if p.page_end is not None]
    return Block(
        text="\n".join(p.text for p in group),
        kind=kind,
        heading_path=[t for _, t in path],
        page_start=min(pages_start) if pages_start else None,
        page_end=max(pages_end) if pages_end else None,
        level=level,
    )
