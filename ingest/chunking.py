"""Cleaned blocks to citable chunks.

Chunks follow the document's structure: they pack consecutive body blocks of
one section (same heading path) towards a target size, never cross a
heading, never end mid-sentence, and keep a quote together with its lead-in.
Every chunk is an exact span of ``clean_text``, so a citation can always be
shown in context.

Sizes (characters, not tokens, so that chunking needs no model):

* ``target_chars=1300``: about 4-5 median paragraphs (250-300 characters),
  a whole argument with its example and its context; ~320 tokens for
  multilingual-e5-small. Measured on the dev gold set (hybrid, tune split,
  recall@5 / MRR@10; targets/max 600/900, 800/1200, 1000/1500, 1200/1600,
  1300/1700): 0.66/0.51, 0.73/0.57, 0.78/0.62, 0.78/0.64, 0.81/0.66; the
  frozen test split confirmed the MRR gain (0.56 at 1000 -> 0.58 at 1300,
  recall@5 0.77 for both). Smaller passages lose the context that tells the
  model what a paragraph is about; answers still quote single sentences.
* ``max_chars=1700``: packing stops here, so a chunk rarely mixes topics.
* ``hard_max_chars=1800``: nothing is ever longer. The e5 tokenizer gives
  3.94-4.3 characters per token on this corpus (windows of 2,000 characters,
  ``passage:`` prefix included), so 1,800 characters stay under ~460 tokens
  and leave room for the heading path prefixed at embedding time within the
  model's 512. Only a quote with its lead-in, or a single paragraph, may
  exceed ``max_chars``; a paragraph longer than this is split at sentences.
* ``min_chars=400``: a smaller remainder is merged into its neighbour in the
  same section (a chunk of one sentence retrieves badly and cites poorly).

Block type of a chunk: the type covering most of its characters, a quote's
lead-in counting as quote. A chunk that is mostly narrative with a short
quote stays ``paragraph`` (it is citable as a finding) but still carries the
quote's ``speaker_role``. Standfirsts, fact boxes and references are never
packed with body text: each is a unit of its own kind (a good summary hit,
a "who took part" hit, a reading list).

There is no overlap between chunks: citations stay disjoint spans.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from tvaers.contracts import BlockType, Chunk, make_chunk_id
from tvaers.ingest.blocks import Block, CleanedText
from tvaers.ingest.cases import tag_cases
from tvaers.ingest.sentences import sentence_spans, split_sentences
from tvaers.ingest.speakers import SPEECH_VERBS, known_roles, speaker_role

__all__ = [
    "HARD_MAX_CHARS",
    "MAX_CHARS",
    "MIN_CHARS",
    "TARGET_CHARS",
    "chunk_document",
]

log = logging.getLogger(__name__)

TARGET_CHARS = 1300
MAX_CHARS = 1700
HARD_MAX_CHARS = 1800
MIN_CHARS = 400

_PROSE = frozenset({BlockType.PARAGRAPH, BlockType.QUOTE, BlockType.LIST})
# the lead-in verbs of corpus-notes §3.5; the wider SPEECH_VERBS would catch narrative
_LEAD_VERB = re.compile(r"\b(?:siger|fortæller|udtaler|formulerer|forklarer)\b")
_ATTRIBUTION_START = re.compile(r"^(?:" + "|".join(SPEECH_VERBS) + r")\s")


@dataclass
class _Unit:
    """An unsplittable span: a block, a quote with its lead-in, or sentences of a long block."""

    start: int
    end: int
    blocks: list[Block]
    quote: bool = False
    lead_in: str | None = None  # paragraph before a quote, for the speaker
    chars: Counter[BlockType] = field(default_factory=Counter)


def _group(kind: BlockType | None) -> str:
    return "prose" if kind in _PROSE else str(kind)


def _runs(blocks: list[Block]) -> list[list[Block]]:
    """Consecutive body blocks of one section and one kind group; headings end a run."""
    runs: list[list[Block]] = []
    current: list[Block] = []
    for block in blocks:
        same = bool(current) and (
            current[-1].heading_path == block.heading_path
            and _group(current[-1].kind) == _group(block.kind)
        )
        if block.is_heading or not same:
            if current:
                runs.append(current)
            current = []
        if not block.is_heading and block.text.strip():
            current.append(block)
    if current:
        runs.append(current)
    return runs


def _is_lead_in(block: Block) -> bool:
    """A paragraph that introduces the next quote: ends in ':' or in ``… siger X.``."""
    text = block.text.rstrip()
    if block.kind is not BlockType.PARAGRAPH:
        return False
    return text.endswith(":") or bool(_LEAD_VERB.search(split_sentences(text[-400:])[-1]))


def _pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split a span longer than ``limit`` at list lines, then sentences, then words."""
    if end - start <= limit:
        return [(start, end)]
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text[start:end])]
    if len(lines) > 1:
        spans = [(start + a, start + b) for a, b in lines]
    else:
        spans = sentence_spans(text, start, end)
    if len(spans) == 1 and spans[0][1] - spans[0][0] <= limit:
        return spans
    if len(spans) == 1:  # one sentence longer than the limit: cut at a space
        cut = text.rfind(" ", start, start + limit)
        cut = cut if cut > start else start + limit
        log.warning("sentence of %d characters cut at a space", end - start)
        return [(start, cut), *_pieces(text, cut + 1, end, limit)]
    return [p for a, b in spans for p in _pieces(text, a, b, limit)]


def _block_units(
    text: str, block: Block, limit: int, start: int | None = None, end: int | None = None
) -> list[_Unit]:
    """Units of one block (or of ``text[start:end]`` inside it)."""
    kind = block.kind or BlockType.PARAGRAPH
    start = block.char_start if start is None else start
    end = block.char_end if end is None else end
    units = []
    for a, b in _pieces(text, start, end, limit):
        units.append(
            _Unit(a, b, [block], quote=kind is BlockType.QUOTE, chars=Counter({kind: b - a}))
        )
    return units


def _attach_lead_in(
    text: str, units: list[_Unit], lead: Block, quote: _Unit, hard_max: int
) -> None:
    """Move the lead-in's last sentences (all of it if they fit) into the quote's unit."""
    if not units or units[-1].blocks != [lead] or units[-1].quote:
        return
    popped: list[_Unit] = []
    while units and units[-1].blocks == [lead] and not units[-1].quote:
        popped.insert(0, units.pop())
    new_start = quote.start
    for a, _ in reversed(sentence_spans(text, lead.char_start, lead.char_end)):
        if quote.end - a > hard_max:
            break
        new_start = a
    if new_start == quote.start:  # not even the last sentence fits
        units.extend(popped)
        return
    if new_start > lead.char_start:
        rest_end = lead.char_start + len(text[lead.char_start : new_start].rstrip())
        units.extend(_block_units(text, lead, hard_max, lead.char_start, rest_end))
    quote.chars[BlockType.QUOTE] += quote.start - new_start
    quote.start = new_start
    quote.blocks.insert(0, lead)
    quote.lead_in = lead.text


def _units(text: str, run: list[Block], hard_max: int) -> list[_Unit]:
    """Atomic units of a run: quotes absorb their lead-in and a trailing attribution."""
    units: list[_Unit] = []
    for i, block in enumerate(run):
        prev = run[i - 1] if i else None
        if (
            block.kind is BlockType.PARAGRAPH
            and units
            and units[-1].quote
            and prev is not None
            and prev.kind is BlockType.QUOTE
            and _ATTRIBUTION_START.match(block.text)
            and block.char_end - units[-1].start <= hard_max
        ):  # a quote's attribution set as its own paragraph: ``fortæller en chef.``
            units[-1].chars[BlockType.QUOTE] += block.char_end - units[-1].end
            units[-1].end = block.char_end
            units[-1].blocks.append(block)
            continue
        new = _block_units(text, block, hard_max)
        if block.kind is BlockType.QUOTE:
            if len(new) > 1:
                log.warning("quote of %d characters split at sentences", len(block.text))
            if prev is not None and _is_lead_in(prev):
                _attach_lead_in(text, units, prev, new[0], hard_max)
        units.extend(new)
    return units


def _cost(size: int, target: int, max_chars: int, hard_max: int, min_chars: int) -> float:
    """Squared deviation from the target, plus penalties for tiny and over-long chunks."""
    cost = ((size - target) / target) ** 2
    if size < min_chars:
        cost += 1.0
    if size > max_chars:
        cost += 0.5 + 4 * ((size - max_chars) / max(hard_max - max_chars, 1)) ** 2
    return cost


def _partition(
    units: list[_Unit], target: int, max_chars: int, hard_max: int, min_chars: int
) -> list[list[_Unit]]:
    """Optimal split of a run into chunks (dynamic programming over unit boundaries).

    Greedy packing leaves a small remainder at the end of a section; minimising
    the summed cost over the whole run balances the chunks instead, and merges a
    remainder into its neighbour whenever that stays under ``hard_max``.
    """
    n = len(units)
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            size = units[j - 1].end - units[i].start
            if size > hard_max and i < j - 1:
                break
            cost = best[i] + _cost(size, target, max_chars, hard_max, min_chars)
            if cost < best[j]:
                best[j], back[j] = cost, i
    groups: list[list[_Unit]] = []
    j = n
    while j > 0:
        groups.append(units[back[j] : j])
        j = back[j]
    return groups[::-1]


def _make_chunk(doc_id: str, text: str, group: list[_Unit], roles: dict[str, str]) -> Chunk:
    start, end = group[0].start, group[-1].end
    blocks = list(dict.fromkeys(id(b) for u in group for b in u.blocks))
    by_id = {id(b): b for u in group for b in u.blocks}
    ordered = [by_id[i] for i in blocks]
    pages = [p for b in ordered for p in (b.page_start, b.page_end) if p is not None]
    chars: Counter[BlockType] = Counter()
    for unit in group:
        chars.update(unit.chars)
    block_type = max(chars, key=lambda k: (chars[k], k is BlockType.QUOTE))
    speakers: list[str] = []
    for unit in group:
        if not unit.quote:
            continue
        quote_block = next(b for b in unit.blocks if b.kind is BlockType.QUOTE)
        # the quote from its block on, with an attribution paragraph kept in the unit
        role = quote_block.speaker_role or speaker_role(
            text[quote_block.char_start : unit.end], lead_in=unit.lead_in, known=roles
        )
        if role and role not in speakers:
            speakers.append(role)
    chunk_text = text[start:end]
    heading_path = list(ordered[0].heading_path)
    return Chunk(
        chunk_id=make_chunk_id(doc_id, chunk_text),
        doc_id=doc_id,
        heading_path=heading_path,
        text=chunk_text,
        char_start=start,
        char_end=end,
        page_start=min(pages) if pages else None,
        page_end=max(pages) if pages else None,
        block_type=block_type,
        cases=tag_cases(heading_path, chunk_text, doc_id),
        speaker_role="; ".join(speakers) if speakers else None,
    )


def chunk_document(
    doc_id: str,
    cleaned: CleanedText,
    *,
    target_chars: int = TARGET_CHARS,
    max_chars: int = MAX_CHARS,
    hard_max_chars: int = HARD_MAX_CHARS,
    min_chars: int = MIN_CHARS,
) -> list[Chunk]:
    """Chunk a cleaned document.

    Chunk ids hash the text, so two chunks with the same text (a document that
    repeats a paragraph) would collide: the first is kept and a later one is
    dropped with a warning, rather than losing the whole document.
    """
    if not min_chars <= target_chars <= max_chars <= hard_max_chars:
        raise ValueError("need min_chars <= target_chars <= max_chars <= hard_max_chars")
    text = cleaned.clean_text
    for block in cleaned.blocks:
        if text[block.char_start : block.char_end] != block.text:
            raise ValueError(f"block offsets do not match clean_text: {block.text[:60]!r}")
    roles = known_roles(text)
    chunks: list[Chunk] = []
    for run in _runs(cleaned.blocks):
        units = _units(text, run, hard_max_chars)
        for group in _partition(units, target_chars, max_chars, hard_max_chars, min_chars):
            chunks.append(_make_chunk(doc_id, text, group, roles))
    seen: dict[str, Chunk] = {}
    kept: list[Chunk] = []
    repeats: list[tuple[Chunk, Chunk]] = []
    for chunk in chunks:
        first = seen.get(chunk.chunk_id)
        if first is not None:
            repeats.append((chunk, first))
            continue
        seen[chunk.chunk_id] = chunk
        kept.append(chunk)
    if repeats:
        chunk, first = repeats[0]
        more = f" (and {len(repeats) - 1} more repeated passages)" if len(repeats) > 1 else ""
        log.warning(  # one line per document, however often it repeats itself
            "%s: passage at %d repeats the one at %d word for word; dropped%s: %r",
            doc_id,
            chunk.char_start,
            first.char_start,
            more,
            chunk.text[:80],
        )
    return kept
