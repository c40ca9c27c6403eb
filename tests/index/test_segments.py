"""Sentence (segment) vectors: splitting, the segment index, build/load and dense mixing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from toy_index import HashEmbedder, make_corpus

from tvaers.errors import StaleIndexError
from tvaers.index import build_index
from tvaers.index.fusion import Fusion
from tvaers.index.retriever import Retriever
from tvaers.index.segments import SegmentIndex, SegmentMode, sentence_spans
from tvaers.index.store import ExpectedState, load_index
from tvaers.settings import SearchMode


class SegmentHashEmbedder(HashEmbedder):
    """Hash embedder that pools a span by hashing the span's own words."""

    def __init__(self) -> None:
        super().__init__()
        self.segment_calls = 0

    def embed_passages_with_segments(self, texts, spans, *, show_progress=False):
        self.segment_calls += 1
        per_text = []
        for text, text_spans in zip(texts, spans, strict=True):
            pieces = [text[a:b] for a, b in text_spans]
            per_text.append(self._embed(pieces) if pieces else np.zeros((0, self.dimension)))
        return self._embed(texts), per_text


# -- splitting -----------------------------------------------------------------


def test_sentences_split_at_end_marks_and_line_breaks() -> None:
    text = (
        "Tillid tager tid at bygge op. Det siger alle de ledere, vi talte med.\n"
        "• Mød hinanden ofte"
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Tillid tager tid at bygge op.",
        "Det siger alle de ledere, vi talte med.",
        "• Mød hinanden ofte",
    ]


def test_short_fragments_join_the_sentence_before() -> None:
    text = "Projektet blev forlænget med et helt år. Hvorfor?\nFordi økonomien var uklar for alle."
    pieces = [text[a:b] for a, b in sentence_spans(text)]
    assert pieces == ["Projektet blev forlænget med et helt år. Hvorfor?",
                      "Fordi økonomien var uklar for alle."]


def test_abbreviations_and_lower_case_do_not_split() -> None:
    text = "Fx en leder i kommunen, bl.a. med ansvar for drift og økonomi."
    assert sentence_spans(text) == [(0, len(text))]


def test_empty_text_has_no_sentences() -> None:
    assert sentence_spans("  \n ") == []


# -- the segment index ---------------------------------------------------------


def test_best_per_passage_is_the_best_sentence_and_skips_passages_without_any() -> None:
    vectors = np.eye(4, dtype=np.float32)
    seg = SegmentIndex.build(vectors, np.array([0, 0, 2, 2]), n_passages=3)
    query = np.array([0, 1, 0, 0], dtype=np.float32)
    assert seg.best_per_passage(query, [0, 1, 2]) == {0: 1.0, 2: 0.0}
    assert seg.candidates(query[None, :], depth=1) == [[0]]


def test_owners_must_be_sorted_and_in_range() -> None:
    with pytest.raises(ValueError):
        SegmentIndex.build(np.eye(2, dtype=np.float32), np.array([1, 0]), n_passages=2)
    with pytest.raises(ValueError):
        SegmentIndex.build(np.eye(2, dtype=np.float32), np.array([0, 5]), n_passages=2)


# -- build, load, staleness and search ----------------------------------------


@pytest.fixture
def segment_index(tmp_path: Path) -> tuple[Path, SegmentHashEmbedder]:
    documents, chunks = make_corpus()
    embedder = SegmentHashEmbedder()
    index_dir = tmp_path / "index"
    build_index(documents, chunks, embedder, index_dir, fingerprint="c", overrides_hash="o",
                segments=SegmentMode.LATE_SENTENCES)
    return index_dir, embedder


def test_build_stores_segments_and_the_manifest_names_them(segment_index) -> None:
    index_dir, embedder = segment_index
    index = load_index(index_dir)
    assert embedder.segment_calls == 1
    assert index.manifest.segments == SegmentMode.LATE_SENTENCES.manifest_name
    assert index.segments is not None and index.segments.size >= len(index.chunks)
    assert set(index.segments.owners.tolist()) == set(range(len(index.chunks)))


def test_index_without_segments_loads_without_them(built_index: Path) -> None:
    index = load_index(built_index)
    assert index.manifest.segments == "none" and index.segments is None


def test_changed_segment_setting_or_view_makes_the_index_stale(segment_index) -> None:
    index_dir, embedder = segment_index
    base = dict(model_id=embedder.model_id, corpus_fingerprint="c", overrides_hash="o")
    load_index(index_dir, expected=ExpectedState(
        **base, segments=SegmentMode.LATE_SENTENCES.manifest_name, embed_text="contextual"))
    with pytest.raises(StaleIndexError, match="segment vectors"):
        load_index(index_dir, expected=ExpectedState(**base, segments="none"))
    with pytest.raises(StaleIndexError, match="embedded text view"):
        load_index(index_dir, expected=ExpectedState(**base, embed_text="plain"))


def test_embedder_without_segment_support_is_refused(tmp_path: Path) -> None:
    documents, chunks = make_corpus()
    with pytest.raises(ValueError, match="segment"):
        build_index(documents, chunks, HashEmbedder(), tmp_path / "i", fingerprint="c",
                    overrides_hash="o", segments=SegmentMode.LATE_SENTENCES)


def test_segment_weight_mixes_scores_but_dense_score_stays_the_cosine(segment_index) -> None:
    index_dir, embedder = segment_index
    index = load_index(index_dir)
    plain = Retriever(index, embedder, fusion=Fusion())
    mixed = Retriever(index, embedder, fusion=Fusion(), segment_weight=0.5)
    question = "privat partner leverer ikke"
    hit_plain = plain.search(question, k=1, mode=SearchMode.DENSE)[0]
    hit_mixed = mixed.search(question, k=1, mode=SearchMode.DENSE)[0]
    assert hit_mixed.scores["dense"] == pytest.approx(hit_plain.score, abs=1e-6) or (
        hit_mixed.chunk_id != hit_plain.chunk_id
    )
    assert hit_mixed.score != hit_mixed.scores["dense"]
    hybrid = mixed.search(question, k=3)
    assert all(set(h.scores) == {"dense", "bm25"} for h in hybrid)


def test_segment_weight_must_be_a_share(segment_index) -> None:
    index_dir, embedder = segment_index
    with pytest.raises(ValueError):
        Retriever(load_index(index_dir), embedder, segment_weight=1.5)


# -- the real model --------------------------------------------------------------


@pytest.mark.slow
def test_late_segments_come_from_the_same_pass_as_the_passage_vectors(embedder) -> None:
    texts = ["Titel\nTillid tager tid at bygge op. Det siger alle de ledere, vi talte med.",
             "Konflikter om økonomi fylder meget i samarbejdet mellem sygehus og kommune."]
    spans = [[(6, 35), (36, len(texts[0]))], [(0, len(texts[1]))]]
    passages, segments = embedder.embed_passages_with_segments(texts, spans)
    np.testing.assert_allclose(passages, embedder.embed_passages(texts), atol=1e-5)
    assert [s.shape for s in segments] == [(2, embedder.dimension), (1, embedder.dimension)]
    np.testing.assert_allclose(np.linalg.norm(segments[0], axis=1), 1.0, atol=1e-5)
    question = embedder.embed_queries(["Hvor lang tid tager tillid?"])[0]
    assert segments[0][0] @ question > segments[0][1] @ question
