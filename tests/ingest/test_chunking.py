"""Chunking on hand-built blocks, and the Danish sentence splitter it relies on."""

from __future__ import annotations

import itertools
import logging

import pytest

from tvaers.contracts import BlockType, Chunk, make_chunk_id
from tvaers.ingest.blocks import Block, CleanedText, assemble
from tvaers.ingest.chunking import HARD_MAX_CHARS, MAX_CHARS, MIN_CHARS, chunk_document
from tvaers.ingest.sentences import split_sentences

P, Q, L = BlockType.PARAGRAPH, BlockType.QUOTE, BlockType.LIST
_counter = itertools.count()


def para(n_sentences: int, words: int = 10) -> str:
    """Distinct sentences of about ``8 * words`` characters each."""
    out = []
    for _ in range(n_sentences):
        k = next(_counter)
        out.append(f"Sætning {k} handler om " + " ".join(f"ord{k}x{i}" for i in range(words)) + ".")
    return " ".join(out)


def doc(*items: tuple[BlockType | None, str, list[str]] | tuple) -> CleanedText:
    """Blocks from (kind, text, heading_path[, page]) tuples; kind None is a heading."""
    blocks = []
    for item in items:
        kind, text, path = item[:3]
        page = item[3] if len(item) > 3 else 1
        blocks.append(
            Block(text, kind, path, page, page, level=len(path) if kind is None else None)
        )
    return CleanedText(assemble(blocks), blocks)


def chunk(cleaned: CleanedText, doc_id: str = "doc", **kw: int) -> list[Chunk]:
    chunks = chunk_document(doc_id, cleaned, **kw)
    for c in chunks:
        assert cleaned.clean_text[c.char_start : c.char_end] == c.text
        assert c.chunk_id == make_chunk_id(doc_id, c.text)
    return chunks


A = ["1. Indledning"]
B = ["2. Metode"]


def test_small_paragraphs_are_packed_towards_the_target() -> None:
    cleaned = doc((None, A[0], A), *[(P, para(3), A) for _ in range(8)])
    chunks = chunk(cleaned)
    total = sum(len(b.text) for b in cleaned.blocks[1:])
    assert 2 <= len(chunks) <= 3, [len(c.text) for c in chunks]
    assert all(MIN_CHARS <= len(c.text) <= MAX_CHARS for c in chunks)
    assert sum(len(c.text.replace("\n\n", "")) for c in chunks) == total


def test_chunks_never_cross_a_heading_and_exclude_heading_text() -> None:
    cleaned = doc((None, A[0], A), (P, para(2), A), (None, B[0], B), (P, para(2), B))
    chunks = chunk(cleaned)
    assert [c.heading_path for c in chunks] == [A, B]  # small, but not merged across
    assert all("Indledning" not in c.text and "Metode" not in c.text for c in chunks)


def test_chunks_end_at_sentence_ends() -> None:
    cleaned = doc((P, para(40), A))
    chunks = chunk(cleaned)
    assert len(chunks) > 1
    for c in chunks:
        assert c.text.startswith("Sætning") and c.text.endswith(".")
        assert len(c.text) <= HARD_MAX_CHARS


def test_paragraph_over_the_hard_max_is_split_at_sentences_not_at_abbreviations() -> None:
    text = " ".join(
        f"Det gælder bl.a. {i} ledere, fx. chefer, dvs. f.eks. ca. 20 pct. jf. C. Ernst."
        for i in range(40)
    )
    chunks = chunk(doc((P, text, A)))
    assert len(chunks) >= 2
    for c in chunks:
        assert c.text.startswith("Det gælder bl.a.")
        assert c.text.endswith(".")
        assert len(c.text) <= HARD_MAX_CHARS


def test_quote_is_kept_with_its_lead_in_even_over_the_soft_max() -> None:
    lead = para(1) + " Den lægelige direktør siger:"
    quote = "”" + para(14) + "”"
    cleaned = doc((P, para(6), A), (P, lead, A), (Q, quote, A), (P, para(6), A))
    chunks = chunk(cleaned, target_chars=1000, max_chars=1500, hard_max_chars=1800)
    holder = next(c for c in chunks if quote in c.text)
    assert lead in holder.text
    assert 1500 < len(holder.text) <= 1800
    assert holder.block_type is Q
    assert holder.speaker_role == "den lægelige direktør"


def test_long_lead_in_keeps_only_its_last_sentences_with_the_quote() -> None:
    lead = para(12) + " En projektleder udtaler:"
    quote = "”" + para(9) + "”"
    chunks = chunk(doc((P, lead, A), (Q, quote, A)))
    holder = next(c for c in chunks if quote in c.text)
    assert holder.text.startswith("Sætning")
    assert "En projektleder udtaler:" in holder.text
    assert len(holder.text) <= HARD_MAX_CHARS
    assert holder.speaker_role == "en projektleder"


def test_attribution_paragraph_stays_with_its_quote() -> None:
    quote = "”" + para(2) + ",”"
    cleaned = doc((P, para(5), A), (Q, quote, A), (P, "fortæller en kommunal chef.", A))
    chunks = chunk(cleaned, target_chars=400, max_chars=600, hard_max_chars=900, min_chars=100)
    holder = next(c for c in chunks if quote in c.text)
    assert holder.text.endswith("fortæller en kommunal chef.")
    assert holder.speaker_role == "en kommunal chef"


def test_small_trailing_remainder_is_merged_into_the_previous_chunk() -> None:
    cleaned = doc((P, para(11), A), (P, para(1), A))  # ~1,300 + ~100 characters
    chunks = chunk(cleaned)
    assert len(chunks) == 1
    assert len(chunks[0].text) <= HARD_MAX_CHARS


def test_mostly_narrative_chunk_with_a_short_quote_is_a_paragraph_with_a_speaker() -> None:
    cleaned = doc((P, para(8), A), (Q, "”Det er svært,” fortæller en kommunal chef.", A))
    [c] = chunk(cleaned)
    assert c.block_type is P
    assert c.speaker_role == "en kommunal chef"


def test_factbox_and_standfirst_are_not_packed_with_body_text() -> None:
    path = ["Første ledelsesudfordring", "Akutte ledelsesudfordringer"]
    cleaned = doc(
        (BlockType.STANDFIRST, para(2), path),
        (P, para(2), path),
        (BlockType.FACTBOX, "Projektdeltagere:\n• Aarhus Sygehus\n• Slagelse Sygehus", path),
    )
    chunks = chunk(cleaned, "velfaerdsledelse-ti-projekter")
    assert [c.block_type for c in chunks] == [BlockType.STANDFIRST, P, BlockType.FACTBOX]
    assert all(c.cases == ["ledelse-i-akutmodtagelser"] for c in chunks)


def test_pages_come_from_the_blocks() -> None:
    cleaned = doc((P, para(3), A, 4), (P, para(3), A, 5), (P, para(3), A, 6))
    [c] = chunk(cleaned)
    assert (c.page_start, c.page_end) == (4, 6)


def test_long_list_is_split_between_items() -> None:
    items = "\n".join(f"• Punkt {i}: " + para(1) for i in range(25))
    chunks = chunk(doc((L, items, A)))
    assert len(chunks) >= 2
    assert all(c.text.startswith("• Punkt") and c.block_type is L for c in chunks)


def test_a_repeated_passage_keeps_its_first_chunk_and_warns(caplog) -> None:
    text = para(5)
    third = ["3. Resultater"]
    cleaned = doc(
        (P, text, A), (None, B[0], B), (P, text, B), (None, third[0], third), (P, para(4), third)
    )
    with caplog.at_level(logging.WARNING, logger="tvaers.ingest.chunking"):
        chunks = chunk_document("doc", cleaned)
    assert [c.text for c in chunks].count(text) == 1
    first = next(c for c in chunks if c.text == text)
    assert first.heading_path == A and first.char_start == 0
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert chunks[-1].heading_path == third  # the rest of the document stays
    assert "repeats the one at 0" in caplog.text


def test_a_document_that_repeats_itself_warns_once(caplog) -> None:
    text = para(5)
    items: list[tuple] = [(P, text, A)]
    for n in range(2, 9):  # seven chapters that open with the same paragraph
        heading = [f"{n}. Kapitel"]
        items += [(None, heading[0], heading), (P, text, heading)]
    cleaned = doc(*items)
    with caplog.at_level(logging.WARNING, logger="tvaers.ingest.chunking"):
        chunks = chunk_document("doc", cleaned)
    assert [c.text for c in chunks].count(text) == 1
    warnings = [r for r in caplog.records if "repeats" in r.getMessage()]
    assert len(warnings) == 1
    assert "and 6 more repeated passages" in warnings[0].getMessage()


def test_chunking_is_deterministic() -> None:
    cleaned = doc((None, A[0], A), *[(P, para(4), A) for _ in range(6)], (Q, "”Ja.”", A))
    assert chunk_document("doc", cleaned) == chunk_document("doc", cleaned)


def test_inconsistent_limits_are_refused() -> None:
    with pytest.raises(ValueError):
        chunk_document("doc", doc((P, para(1), A)), target_chars=2000, max_chars=1500)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Det gælder fx. ledere. Det er svært.", ["Det gælder fx. ledere.", "Det er svært."]),
        ("Det gælder bl.a. Region Midtjylland.", ["Det gælder bl.a. Region Midtjylland."]),
        ("Ca. 20 pct. Af dem er ledere.", ["Ca. 20 pct. Af dem er ledere."]),
        ("Se jf. Ernst. Og f.eks. Williams.", ["Se jf. Ernst.", "Og f.eks. Williams."]),
        (
            "Holm-Petersen, C. & Buch M.S. Litteratur om ledelse.",
            ["Holm-Petersen, C. & Buch M.S. Litteratur om ledelse."],
        ),
        (
            "Dvs. Nej. ”Nu gør vi det.” Det hjælper.",
            ["Dvs. Nej.", "”Nu gør vi det.”", "Det hjælper."],
        ),
        (
            "Hvad så? – Vi prøver, siger hun. Godt!",
            ["Hvad så?", "– Vi prøver, siger hun.", "Godt!"],
        ),
        ("”Kan vi det?” spørger en leder.", ["”Kan vi det?” spørger en leder."]),
        ("I 2005. Det år.", ["I 2005.", "Det år."]),
    ],
)
def test_danish_sentence_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
