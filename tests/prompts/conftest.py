"""Fixtures for the composer tests: the real runtime with the default settings."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def runtime(bundled_settings):
    from tvaers.runtime import load_runtime

    return load_runtime(bundled_settings)


@pytest.fixture(scope="session")
def composer(runtime):
    from tvaers.prompts.composer import Composer

    return Composer(runtime)


@pytest.fixture(scope="session")
def corpus_documents():
    """The bundled corpus, ingested (no model needed)."""
    from tvaers.ingest.pipeline import load_documents
    from tvaers.runtime import overrides_path
    from tvaers.settings import Settings

    settings = Settings()
    return load_documents(settings.corpus_dir, overrides_path=overrides_path(settings))
