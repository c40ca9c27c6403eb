from __future__ import annotations

from pathlib import Path

import pytest
from toy_index import HashEmbedder, make_corpus

from tvaers.errors import StaleIndexError
from tvaers.index import Fusion, Retriever, TextView, build_index, load_index
from tvaers.index.build import passage_text
from tvaers.settings import SearchMode

RISK = "Ved kontortieledelse"  # start of the passage under "6. Risisi"


@pytest.fixture
def retriever(built_index: Path, hash_embedder) -> Retriever:
    return Retriever(load_index(built_index), hash_embedder)


def test_hybrid_hits_carry_fused_score_and_both_raw_scores(retriever: Retriever) -> None:
    hits = retriever.search("privat partner leverer ikke", k=3)
    top = hits[0]
    assert top.text.startswith(RISK)
    assert top.title == "Menings- og tillidsskabelse i tværsektoriel ledelse"
    assert top.heading_path == ["6. Risisi"]
    assert set(top.scores) == {"dense", "bm25"}
    assert top.scores["dense"] is not None and top.scores["bm25"] is not None
    assert top.score < 1.0 / 60 * 2  # an RRF score, not a cosine or BM25 score
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_single_mode_hits_carry_the_raw_score(retriever: Retriever) -> None:
    bm25 = retriever.search("privat partner leverer", k=3, mode=SearchMode.BM25)
    assert bm25[0].score == bm25[0].scores["bm25"]
    assert bm25[0].scores["dense"] is None
    dense = retriever.search("privat partner leverer", k=3, mode=SearchMode.DENSE)
    assert dense[0].score == dense[0].scores["dense"]
    assert dense[0].scores["bm25"] is None
    assert -1.0 <= dense[0].score <= 1.0


def test_bm25_mode_does_not_embed_the_question(retriever: Retriever, hash_embedder) -> None:
    retriever.search("tillid", mode=SearchMode.BM25)
    assert hash_embedder.query_batches == []


def test_english_question_reaches_danish_bm25_through_the_glossary(retriever: Retriever) -> None:
    hits = retriever.search("What if a private supplier does not deliver?", mode=SearchMode.BM25)
    assert hits and hits[0].text.startswith(RISK)
    hits = retriever.search("Who are the enthusiasts?", mode=SearchMode.BM25)
    assert hits[0].heading_path == ["Ildsjæle ombord"]
    gp = retriever.search("general practitioners and collective agreements", mode="bm25")
    assert gp[0].heading_path == ["Almen praksis"]


def test_typo_in_the_source_is_found_by_the_right_spelling(retriever: Retriever) -> None:
    hits = retriever.search("risici ved konsortieledelse", mode=SearchMode.BM25)
    assert hits[0].text.startswith(RISK)


def test_search_many_embeds_all_questions_in_one_batch(retriever: Retriever, hash_embedder) -> None:
    questions = ["tillid mellem kommune og region", "ildsjæle", "borgeren i centrum"]
    many = retriever.search_many(questions, k=3)
    assert hash_embedder.query_batches == [3]
    assert many == [retriever.search(q, k=3) for q in questions]


def test_k_limits_the_hits(retriever: Retriever) -> None:
    assert len(retriever.search("ledelse", k=2)) == 2
    with pytest.raises(ValueError, match="k must be >= 1"):
        retriever.search("ledelse", k=0)


def test_embedder_other_than_the_index_model_is_refused(built_index: Path) -> None:
    with pytest.raises(StaleIndexError, match=r"built with 'test:hash-64'.*tvaers ingest"):
        Retriever(load_index(built_index), HashEmbedder(model_id="other"))


# -- behaviour with the real model ------------------------------------------


@pytest.fixture(scope="module")
def real_retriever(tmp_path_factory, embedder) -> Retriever:
    documents, chunks = make_corpus()
    index_dir = tmp_path_factory.mktemp("real-index")
    build_index(documents, chunks, embedder, index_dir, fingerprint="c", overrides_hash="o")
    return Retriever(load_index(index_dir), embedder, fusion=Fusion())


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(SearchMode))
def test_danish_question_finds_the_risk_passage_in_every_mode(
    real_retriever: Retriever, mode: SearchMode
) -> None:
    hits = real_retriever.search("Hvad gør vi, når en privat partner ikke leverer?", mode=mode)
    assert hits[0].text.startswith(RISK)


@pytest.mark.slow
def test_english_question_finds_the_danish_passage(real_retriever: Retriever) -> None:
    hits = real_retriever.search("How do we handle a private partner that fails to deliver?")
    assert hits[0].text.startswith(RISK)
    assert hits[0].scores["dense"] is not None and hits[0].scores["bm25"] is not None


@pytest.mark.slow
def test_hybrid_ranks_a_passage_found_by_both_retrievers_first(
    real_retriever: Retriever,
) -> None:
    hits = real_retriever.search("Hvorfor er ildsjæle vigtige for samarbejdet?", k=3)
    assert hits[0].heading_path == ["Ildsjæle ombord"]
    assert all(v is not None for v in hits[0].scores.values())


@pytest.mark.slow
def test_synonym_question_finds_the_hospital_passage(real_retriever: Retriever) -> None:
    hits = real_retriever.search("konflikter mellem hospital og kommune", k=3)
    assert hits[0].heading_path == ["4. Konflikter"]


def test_text_views_choose_what_is_embedded() -> None:
    documents, chunks = make_corpus()
    chunk = chunks[1]
    title = documents[0].title
    assert passage_text(chunk, title, TextView.PLAIN) == chunk.text
    assert passage_text(chunk, title, TextView.HEADINGS) == f"6. Risisi\n{chunk.text}"
    assert passage_text(chunk, title, TextView.CONTEXTUAL) == f"{title}\n6. Risisi\n{chunk.text}"
