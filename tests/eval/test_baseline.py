"""The naive reference pipeline: paragraphs packed to 800 characters, dense only."""

from __future__ import annotations

import pytest

from tvaers.contracts import Document
from tvaers.eval.baseline import NAIVE_CHARS, NaiveBaseline, pack_paragraphs


def _doc(text: str) -> Document:
    return Document(doc_id="d", title="D", source_file="d.txt", source_sha256="0" * 64,
                    clean_text=text)


def test_paragraphs_are_packed_up_to_the_limit_and_map_back_exactly() -> None:
    paragraphs = ["Overskrift", "a" * 300, "b" * 300, "c" * 300, "d" * 900, "e" * 10]
    doc = _doc("\n\n".join(paragraphs))
    chunks = pack_paragraphs(doc, limit=800)
    for chunk in chunks:
        assert doc.clean_text[chunk.char_start:chunk.char_end] == chunk.text
    assert [c.text.split("\n\n") for c in chunks] == [
        paragraphs[:3], paragraphs[3:4], paragraphs[4:5], paragraphs[5:]
    ]  # a paragraph over the limit stands alone; nothing is lost or split
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_blank_paragraphs_make_no_chunks() -> None:
    assert [c.text for c in pack_paragraphs(_doc("\n\n  \n\nTillid.\n\n\n\n"))] == ["Tillid."]


@pytest.mark.slow
def test_the_naive_baseline_searches_the_real_corpus(bundled_settings, embedder) -> None:
    from tvaers.index.store import load_index

    index = load_index(bundled_settings.resolved_index_dir)
    naive = NaiveBaseline(index.documents.values(), embedder)
    assert max(len(c.text) for c in naive.chunks) > NAIVE_CHARS  # a long paragraph stays whole
    packed = [c for c in naive.chunks if "\n\n" in c.text]
    assert packed and all(len(c.text) <= NAIVE_CHARS for c in packed)
    hits = naive.search("Hvad er hulemøderne i Slip Sundheden Fri?", 5)
    assert len(hits) == 5 and hits[0].score >= hits[-1].score
    assert any("hulemøde" in h.text.lower() for h in hits)
    for hit in hits:
        assert index.documents[hit.doc_id].clean_text[hit.char_start:hit.char_end] == hit.text
