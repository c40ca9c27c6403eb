"""The ONNX export of the encoder: same question vectors and token vectors as torch, once."""

from __future__ import annotations

import json
import logging
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from test_embedder import DANISH

from tvaers.index import model_prepare
from tvaers.index.embedder import load_embedder
from tvaers.index.model_prepare import (
    MARKER,
    bundled_model_dir,
    encoder_dir,
    is_encoder_exported,
    prepare_model,
)
from tvaers.index.onnx_encoder import ENCODER_FILE
from tvaers.settings import BUNDLED_MODEL

pytestmark = pytest.mark.slow


def _load(cache: Path):
    return load_embedder(
        BUNDLED_MODEL, cache_dir=cache, query_prefix="query: ", passage_prefix="passage: "
    )


def _cache_sharing_the_model(model_cache_dir: Path, tmp_path: Path) -> Path:
    """A cache whose converted model is the session's (a link), without an export yet."""
    cache = tmp_path / "cache"
    cache.mkdir()
    bundled_model_dir(cache).symlink_to(bundled_model_dir(model_cache_dir))
    return cache


def test_question_vectors_and_tokens_equal_torch(embedder, monkeypatch) -> None:
    assert embedder.token_encoder is not None, "the session's cache has no ONNX export"
    questions = [*DANISH, "How do we handle a private partner who does not deliver?"]
    fast_vectors, fast_tokens = embedder.embed_queries_with_tokens(questions)
    monkeypatch.setattr(embedder, "token_encoder", None)
    torch_vectors, torch_tokens = embedder.embed_queries_with_tokens(questions)
    reference = embedder._embed(questions, embedder.query_prefix, False)

    assert np.sum(fast_vectors * torch_vectors, axis=1).min() >= 0.9999
    assert np.sum(fast_vectors * reference, axis=1).min() >= 0.9999
    for fast, slow in zip(fast_tokens, torch_tokens, strict=True):
        assert fast.shape == slow.shape and len(fast) > 0
        assert np.sum(fast * slow, axis=1).min() >= 0.9999


def test_a_batch_with_padding_gives_each_question_its_own_result(embedder) -> None:
    short, long = "Tillid?", DANISH[0]
    alone_vectors, alone_tokens = embedder.embed_queries_with_tokens([short])
    vectors, tokens = embedder.embed_queries_with_tokens([long, short])
    assert np.allclose(vectors[1], alone_vectors[0], atol=1e-5)
    assert np.allclose(tokens[1], alone_tokens[0], atol=1e-5)


def test_nfc_and_nfd_questions_embed_the_same(embedder) -> None:
    nfd = [unicodedata.normalize("NFD", q) for q in DANISH[:10]]
    nfc_vectors, nfc_tokens = embedder.embed_queries_with_tokens(DANISH[:10])
    nfd_vectors, nfd_tokens = embedder.embed_queries_with_tokens(nfd)
    assert np.allclose(nfc_vectors, nfd_vectors, atol=1e-6)
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(nfc_tokens, nfd_tokens, strict=True))


def test_export_once_then_a_damaged_export_is_not_used(
    model_cache_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = _cache_sharing_the_model(model_cache_dir, tmp_path)
    first = prepare_model(cache)
    assert first.converted is False and first.exported is True
    assert first.encoder == encoder_dir(cache) and is_encoder_exported(cache)
    marker = json.loads((encoder_dir(cache) / MARKER).read_text())
    assert set(marker["files"]) == {ENCODER_FILE}
    assert marker["files"][ENCODER_FILE] < 120_000_000  # the vocabulary table stays out
    assert not [p for p in cache.iterdir() if ".tmp-" in p.name]

    again = prepare_model(cache)
    assert again.exported is False and again.encoder == encoder_dir(cache)

    with (encoder_dir(cache) / ENCODER_FILE).open("r+b") as f:
        f.truncate(1000)
    assert not is_encoder_exported(cache)
    with caplog.at_level(logging.WARNING):
        embedder = _load(cache)
    assert embedder.token_encoder is None
    assert embedder.question_engines.endswith("hybrid: torch")
    assert "tvaers model prepare" in caplog.text
    vectors, tokens = embedder.embed_queries_with_tokens(["Hvem leder styregruppen?"])
    assert vectors.shape == (1, 384) and len(tokens[0]) > 0


def test_a_failed_export_leaves_the_model_prepared_and_says_so(
    model_cache_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(model_dir: Path, target: Path) -> None:
        (target / ENCODER_FILE).write_bytes(b"half")
        raise RuntimeError("the ONNX export differs from torch (token cosine 0.5)")

    monkeypatch.setattr(model_prepare, "export_encoder", broken)
    cache = _cache_sharing_the_model(model_cache_dir, tmp_path)
    with caplog.at_level(logging.WARNING):
        result = prepare_model(cache)
    assert result.encoder is None and result.exported is False
    assert "token cosine 0.5" in caplog.text and "torch" in caplog.text
    assert not encoder_dir(cache).exists()
    assert not [p for p in cache.iterdir() if ".tmp-" in p.name]
