"""Fixtures for index tests: the toy corpus, the hash embedder and a built index."""

from __future__ import annotations

from pathlib import Path

import pytest
from toy_index import HashEmbedder, make_corpus

from tvaers.contracts import Chunk, Document
from tvaers.index import build_index


@pytest.fixture
def corpus() -> tuple[list[Document], list[Chunk]]:
    return make_corpus()


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def built_index(tmp_path: Path, corpus, hash_embedder) -> Path:
    documents, chunks = corpus
    index_dir = tmp_path / "index"
    build_index(
        documents, chunks, hash_embedder, index_dir, fingerprint="corpus-1", overrides_hash="ov-1"
    )
    return index_dir
