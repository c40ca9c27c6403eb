"""Checks shared by the exercise tests: every citation and quote points at real text."""

from __future__ import annotations

from tvaers.contracts import ExerciseItem


def assert_item_resolves(item: ExerciseItem, index) -> None:
    """Citations match the index's chunks and documents; quotes match their spans."""
    chunks = {c.chunk_id: c for c in index.chunks}
    assert item.citations, item.item_id
    by_n = {}
    for citation in item.citations:
        chunk = chunks[citation.chunk_id]
        doc = index.documents[citation.doc_id]
        assert doc.clean_text[citation.char_start : citation.char_end] == citation.text
        assert (chunk.char_start, chunk.char_end) == (citation.char_start, citation.char_end)
        assert chunk.heading_path == citation.heading_path and citation.heading_path
        assert (chunk.page_start, chunk.page_end) == (citation.page_start, citation.page_end)
        by_n[citation.n] = citation
    assert sorted(by_n) == list(range(1, len(by_n) + 1))
    quotes = [*item.quotes, *item.trainer_note, *(p.quote for p in item.positions)]
    assert quotes, item.item_id
    for quote in quotes:
        text = by_n[quote.citation].text
        assert text[quote.sentence_start : quote.sentence_end] == quote.text
    cited = {q.citation for q in quotes}
    assert cited == set(by_n), "every citation is quoted"
