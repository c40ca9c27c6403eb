"""Token vectors and late-interaction (MaxSim) scoring: the store, the model's tokens, search."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from toy_index import make_corpus

from tvaers.errors import CorruptIndexError, StaleIndexError
from tvaers.index import Retriever, build_index, load_index
from tvaers.index.segments import SegmentMode
from tvaers.index.store import ExpectedState
from tvaers.index.token_vectors import (
    CONTEXT_WEIGHT,
    TokenVectors,
    content_tokens,
    manifest_name,
)
from tvaers.settings import SearchMode

RISK = "Ved kontortieledelse"  # start of the passage under "6. Risisi"


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


# -- the store -----------------------------------------------------------------


def test_maxsim_is_the_mean_over_query_tokens_of_the_best_passage_token() -> None:
    rng = np.random.default_rng(7)
    passages = [_unit(rng.normal(size=(n, 8))) for n in (5, 0, 3)]
    query = _unit(rng.normal(size=(4, 8))).astype(np.float32)
    tokens = TokenVectors.build(passages)
    expected = [float((query @ p.T).max(axis=1).mean()) for p in (passages[0], passages[2])]
    got = tokens.maxsim(query, [0, 1, 2])
    assert got[1] == 0.0  # a passage without tokens scores nothing
    assert got[0] == pytest.approx(expected[0], abs=2e-3)  # float16 storage
    assert got[2] == pytest.approx(expected[1], abs=2e-3)
    assert tokens.maxsim(np.zeros((0, 8)), [0, 2]) == [0.0, 0.0]


def test_saved_tokens_load_as_float32_with_the_same_scores(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    built = TokenVectors.build([_unit(rng.normal(size=(n, 6))) for n in (2, 4)])
    built.save(tmp_path)
    loaded = TokenVectors.load(tmp_path, n_passages=2)
    assert loaded.vectors.dtype == np.float32 and loaded.size == 6
    query = _unit(rng.normal(size=(3, 6)))
    assert loaded.maxsim(query, [1, 0]) == pytest.approx(built.maxsim(query, [1, 0]), abs=1e-6)
    with pytest.raises(ValueError, match="cover 2 passages, the index has 3"):
        TokenVectors.load(tmp_path, n_passages=3)


def test_bounds_must_cover_the_vectors() -> None:
    with pytest.raises(ValueError, match="bounds"):
        TokenVectors(np.zeros((3, 2), dtype=np.float16), np.array([0, 2]))
    with pytest.raises(ValueError, match="bounds"):
        TokenVectors(np.zeros((3, 2), dtype=np.float16), np.array([0, 2, 1, 3]))


def test_content_tokens_drop_special_and_prefix_tokens_but_keep_the_first_word() -> None:
    tokens = np.arange(1, 16, dtype=np.float32).reshape(5, 3)
    # "query: økonomi" as e5's tokenizer cuts it: <s>, "▁que", ":", "▁økonomi", </s>;
    # the word's token starts at the space (6), inside the 7-character prefix
    offsets = np.array([[0, 0], [0, 3], [5, 6], [6, 14], [0, 0]])
    kept = content_tokens(tokens, offsets, prefix_chars=7)
    assert kept.shape == (1, 3)  # before: 0 tokens, so a one-word question scored 0
    assert np.allclose(kept[0], _unit(tokens[3:4])[0])


def test_function_words_are_skipped_unless_nothing_else_is_left() -> None:
    text = "query: Hvordan skaber vi tillid?"
    # "▁Hvordan", "▁skaber", "▁vi", "▁till", "id", "?"
    offsets = np.array([[6, 14], [14, 21], [21, 24], [24, 29], [29, 31], [31, 32]])
    tokens = np.eye(6, dtype=np.float32)
    words = frozenset({"hvordan", "vi"})
    kept = content_tokens(tokens, offsets, 7, text=text, skip_words=words)
    assert kept.tolist() == tokens[[1, 3, 4, 5]].tolist()  # "id" is part of "tillid"
    only = content_tokens(tokens[:1], offsets[:1], 7, text=text, skip_words=words)
    assert len(only) == 1  # "Hvordan?" alone keeps its word


def test_a_follow_ups_context_tokens_weigh_less_and_the_weights_average_one() -> None:
    text = "query: tillid Og økonomi?"
    # "▁till", "id", "▁Og", "▁økonomi", "?": the follow-up starts at the space (13)
    offsets = np.array([[6, 11], [11, 13], [13, 16], [16, 24], [24, 25]])
    tokens = np.eye(5, dtype=np.float32)
    kept = content_tokens(tokens, offsets, 7, text=text, focus_start=14)
    norms = np.linalg.norm(kept, axis=1)
    assert norms[:2] == pytest.approx([CONTEXT_WEIGHT * norms[2]] * 2)
    assert norms.mean() == pytest.approx(1.0)
    # so maxsim is the weighted mean of the best cosines: context 1.0 and 0.0, follow-up 1.0
    passage = TokenVectors.build([tokens[[0, 2, 3, 4]]])
    weights = np.array([CONTEXT_WEIGHT] * 2 + [1.0] * 3)
    expected = (weights * [1, 0, 1, 1, 1]).sum() / weights.sum()
    assert passage.maxsim(kept, [0]) == pytest.approx([expected], abs=2e-3)
    assert np.allclose(content_tokens(tokens, offsets, 7, focus_start=None), tokens)


# -- the model's tokens ----------------------------------------------------------


@pytest.mark.slow
def test_query_tokens_come_with_the_same_vector_as_embed_queries(embedder) -> None:
    questions = ["Hvad er tillid?", "How do we handle a partner who does not deliver on time?"]
    vectors, tokens = embedder.embed_queries_with_tokens(questions)
    reference = embedder._embed(questions, embedder.query_prefix, False)
    assert np.allclose((vectors * reference).sum(axis=1), 1.0, atol=1e-4)
    # content tokens only: no prefix, no <s>/</s> (the longer question has more)
    assert 0 < len(tokens[0]) < len(tokens[1]) < 25
    assert np.allclose(np.linalg.norm(tokens[1], axis=1), 1.0, atol=1e-5)
    # padding in a batch changes nothing
    _, alone = embedder.embed_queries_with_tokens(questions[:1])
    assert np.allclose(alone[0], tokens[0], atol=1e-4)


@pytest.mark.slow
def test_nfd_question_has_the_same_tokens_as_nfc(embedder) -> None:
    question = "Hvordan skaber vi tillid på tværs af sektorerne?"
    _, nfc = embedder.embed_queries_with_tokens([question])
    _, nfd = embedder.embed_queries_with_tokens([unicodedata.normalize("NFD", question)])
    assert nfc[0].shape == nfd[0].shape and np.allclose(nfc[0], nfd[0], atol=1e-5)


# -- build, load, staleness and search ------------------------------------------


@pytest.fixture(scope="module")
def late_index(tmp_path_factory, embedder) -> Path:
    documents, chunks = make_corpus()
    index_dir = tmp_path_factory.mktemp("late-index")
    build_index(documents, chunks, embedder, index_dir, fingerprint="c", overrides_hash="o",
                segments=SegmentMode.LATE_SENTENCES, token_vectors=True)
    return index_dir


@pytest.mark.slow
def test_build_stores_one_token_range_per_passage(late_index: Path, embedder) -> None:
    index = load_index(late_index)
    assert index.manifest.token_vectors == manifest_name(True)
    assert index.tokens is not None and index.tokens.n_passages == len(index.chunks)
    counts = np.diff(index.tokens.bounds)
    assert np.all(counts > 0)
    # the longest passage has the most tokens: ranges line up with the chunks
    assert int(np.argmax(counts)) == int(np.argmax([len(c.text) for c in index.chunks]))


@pytest.mark.slow
def test_changed_token_setting_makes_the_index_stale(late_index: Path, embedder) -> None:
    base = dict(model_id=embedder.model_id, corpus_fingerprint="c", overrides_hash="o")
    load_index(late_index, expected=ExpectedState(**base, token_vectors=manifest_name(True)))
    with pytest.raises(StaleIndexError, match="token vectors"):
        load_index(late_index, expected=ExpectedState(**base, token_vectors="none"))


@pytest.mark.slow
def test_damaged_token_file_is_refused(tmp_path: Path, late_index: Path) -> None:
    import shutil

    copy = tmp_path / "index"
    shutil.copytree(late_index, copy)
    generation = next((copy / "generations").iterdir())
    tokens = generation / "tokens.npy"
    data = bytearray(tokens.read_bytes())
    data[-10] ^= 0xFF
    tokens.write_bytes(bytes(data))
    with pytest.raises(CorruptIndexError, match=r"tokens\.npy"):
        load_index(copy)


@pytest.mark.slow
def test_hybrid_scores_by_late_interaction_plus_normalised_bm25(late_index, embedder) -> None:
    retriever = Retriever(load_index(late_index), embedder, late_bm25_weight=0.01)
    assert retriever.late_interaction
    hits = retriever.search("Hvad gør vi, når en privat partner ikke leverer?", k=5)
    assert hits[0].text.startswith(RISK)
    best_bm25 = max(h.scores["bm25"] or 0.0 for h in hits)
    for hit in hits:
        assert set(hit.scores) == {"dense", "bm25", "late"}
        expected = hit.scores["late"] + 0.01 * (hit.scores["bm25"] or 0.0) / best_bm25
        assert hit.score == pytest.approx(expected, abs=1e-6)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


@pytest.mark.slow
def test_given_question_embeddings_are_used_as_they_are(late_index, embedder) -> None:
    retriever = Retriever(load_index(late_index), embedder, late_bm25_weight=0.01)
    question = "How do we handle a private partner that fails to deliver?"
    vectors, tokens = retriever.embed_questions([question])
    assert tokens is not None
    given = retriever.search(question, k=3, vector=vectors[0], tokens=tokens[0])
    assert given == retriever.search(question, k=3)
    assert given[0].text.startswith(RISK)


@pytest.mark.slow
def test_a_follow_up_is_searched_with_its_own_words_weighing_more(late_index, embedder) -> None:
    retriever = Retriever(load_index(late_index), embedder, late_bm25_weight=0.01)
    followup = "Og hvad med risici ved konsortieledelse?"
    query = f"Hvordan skaber vi tillid mellem hospital og kommune? {followup}"
    plain = {h.chunk_id: h.scores["late"] for h in retriever.search(query, k=10)}
    focused = retriever.search(query, k=10, focus=followup)
    assert focused[0].text.startswith(RISK)
    risk = next(h for h in focused if h.text.startswith(RISK))
    assert risk.scores["late"] > plain[risk.chunk_id]
    # a focus the query does not end with changes nothing
    unchanged = retriever.search(query, k=10, focus="noget andet")
    assert {h.chunk_id: h.scores["late"] for h in unchanged} == plain


@pytest.mark.slow
def test_without_a_weight_or_outside_hybrid_there_is_no_late_score(late_index, embedder) -> None:
    rrf = Retriever(load_index(late_index), embedder)
    assert not rrf.late_interaction
    assert rrf.embed_questions(["Hvad er tillid?"])[1] is None
    assert set(rrf.search("privat partner leverer ikke", k=2)[0].scores) == {"dense", "bm25"}
    late = Retriever(load_index(late_index), embedder, late_bm25_weight=0.01)
    dense = late.search("privat partner leverer ikke", k=2, mode=SearchMode.DENSE)
    assert "late" not in dense[0].scores


@pytest.mark.slow
def test_a_one_word_question_has_tokens_and_a_question_drops_its_function_words(
    embedder,
) -> None:
    _, tokens = embedder.embed_queries_with_tokens(
        ["økonomi", "samarbejde", "Hvordan skaber vi tillid?", "tillid"]
    )
    assert len(tokens[0]) >= 1 and len(tokens[1]) >= 1
    # "skaber", "till", "id", "?": not "Hvordan" or "vi"
    assert len(tokens[2]) == len(tokens[3]) + 2
