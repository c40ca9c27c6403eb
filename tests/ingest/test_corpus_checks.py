"""Corpus-wide checks on the five real documents: read, clean, chunk, then verify.

These catch what unit tests on hand-built blocks cannot: a cleaning artefact
left in a chunk, a duplicated passage, a lost block, a case that no chunk
carries. The whole corpus is cleaned and chunked once per module.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

from tvaers.contracts import Chunk
from tvaers.ingest.blocks import CleanedText
from tvaers.ingest.cases import load_cases
from tvaers.ingest.chunking import HARD_MAX_CHARS, chunk_document

clean = pytest.importorskip("tvaers.ingest.clean", reason="the cleaning pipeline is not there yet")

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
OVERRIDES = CORPUS / "overrides.yaml"
# a line-break hyphen left between two lower-case words; suspended compounds are fine
LEFTOVER_HYPHEN = re.compile(r"[a-zæøå]- (?!(?:og|eller|samt)\b)[a-zæøå]")
SHINGLE = 5
NEAR_DUPLICATE = 0.8


@dataclass
class Doc:
    doc_id: str
    cleaned: CleanedText
    chunks: list[Chunk]


def _load_overrides() -> dict:
    if not OVERRIDES.is_file():
        return {}
    from tvaers.ingest.overrides import load_overrides

    return load_overrides(OVERRIDES)


def _clean_all() -> dict[str, CleanedText]:
    from tvaers.ingest.readers.txt import source_from_text

    overrides = _load_overrides()
    catalog = json.loads((CORPUS / "catalog.json").read_text("utf-8"))
    out = {}
    for entry in catalog:
        path = CORPUS / entry["file"]
        source = source_from_text(str(path), path.read_text("utf-8"))
        out[entry["id"]] = clean.clean_source(source, overrides.get(entry["file"]))
    return out


@pytest.fixture(scope="module")
def corpus() -> dict[str, Doc]:
    return {
        doc_id: Doc(doc_id, cleaned, chunk_document(doc_id, cleaned))
        for doc_id, cleaned in _clean_all().items()
    }


def _all(corpus: dict[str, Doc]) -> list[Chunk]:
    return [c for d in corpus.values() for c in d.chunks]


def test_all_five_documents_give_chunks(corpus: dict[str, Doc]) -> None:
    assert len(corpus) == 5
    assert all(d.chunks for d in corpus.values())


def test_every_chunk_maps_back_to_clean_text_exactly(corpus: dict[str, Doc]) -> None:
    for d in corpus.values():
        for c in d.chunks:
            assert d.cleaned.clean_text[c.char_start : c.char_end] == c.text, c.chunk_id
            assert c.text == c.text.strip(), c.chunk_id


def test_chunks_are_ordered_disjoint_and_cover_every_body_block(corpus: dict[str, Doc]) -> None:
    for d in corpus.values():
        spans = [(c.char_start, c.char_end) for c in d.chunks]
        assert spans == sorted(spans)
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), d.doc_id
        for block in d.cleaned.blocks:
            if block.is_heading or not block.text.strip():
                continue
            inside = [s for s in spans if s[0] <= block.char_end and block.char_start <= s[1]]
            assert inside, f"{d.doc_id}: block lost: {block.text[:80]!r}"
            assert inside[0][0] <= block.char_start and block.char_end <= inside[-1][1]


def test_no_leftover_line_break_hyphen(corpus: dict[str, Doc]) -> None:
    found = [
        (c.chunk_id, c.text[max(m.start() - 30, 0) : m.end() + 30])
        for c in _all(corpus)
        for m in LEFTOVER_HYPHEN.finditer(c.text)
    ]
    assert not found


def test_no_chunk_exceeds_the_hard_limit(corpus: dict[str, Doc]) -> None:
    too_long = [(c.chunk_id, len(c.text)) for c in _all(corpus) if len(c.text) > HARD_MAX_CHARS]
    assert not too_long


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    return {tuple(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}


def test_no_two_chunks_are_near_duplicates(corpus: dict[str, Doc]) -> None:
    chunks = _all(corpus)
    sets = [_shingles(c.text) for c in chunks]
    # candidate pairs share at least one shingle: an inverted index keeps this fast
    index: dict[tuple[str, ...], list[int]] = {}
    for i, s in enumerate(sets):
        for sh in s:
            index.setdefault(sh, []).append(i)
    pairs = {(a, b) for ids in index.values() for a in ids for b in ids if a < b}
    dupes = []
    for a, b in pairs:
        jaccard = len(sets[a] & sets[b]) / len(sets[a] | sets[b])
        if jaccard >= NEAR_DUPLICATE:
            dupes.append((chunks[a].chunk_id, chunks[b].chunk_id, round(jaccard, 2)))
    assert not dupes


def test_chunk_ids_are_unique_and_stable(corpus: dict[str, Doc]) -> None:
    ids = [c.chunk_id for c in _all(corpus)]
    assert len(ids) == len(set(ids))
    again = _clean_all()  # from the raw files again, not from the cached blocks
    for doc_id, cleaned in again.items():
        assert [c.chunk_id for c in chunk_document(doc_id, cleaned)] == [
            c.chunk_id for c in corpus[doc_id].chunks
        ]


def test_every_case_tag_is_on_some_chunk(corpus: dict[str, Doc]) -> None:
    used = {tag for c in _all(corpus) for tag in c.cases}
    missing = [case.slug for case in load_cases() if case.slug not in used]
    assert not missing


def test_case_tags_stay_in_the_documents_that_describe_them(corpus: dict[str, Doc]) -> None:
    homes = {case.slug: set(case.documents) for case in load_cases()}
    strays = [(c.chunk_id, t) for c in _all(corpus) for t in c.cases if c.doc_id not in homes[t]]
    assert not strays


def test_randers_tag_appears_in_both_documents(corpus: dict[str, Doc]) -> None:
    docs = {c.doc_id for c in _all(corpus) if "randers-naere-sundhedsvaesen" in c.cases}
    assert docs == {"ledelse-over-graenser", "velfaerdsledelse-ti-projekter"}


def test_quote_chunks_mostly_name_their_speaker(corpus: dict[str, Doc]) -> None:
    quotes = [c for c in _all(corpus) if c.block_type == "quote"]
    assert quotes
    named = [c for c in quotes if c.speaker_role]
    assert len(named) >= 0.6 * len(quotes), f"{len(named)} of {len(quotes)}"
