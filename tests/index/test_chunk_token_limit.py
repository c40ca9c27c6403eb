"""No passage of the bundled corpus is cut by the embedding model's token limit."""

from __future__ import annotations

import pytest

from tvaers.index.build import TextView, passage_text
from tvaers.ingest.pipeline import load_documents
from tvaers.runtime import overrides_path
from tvaers.settings import Settings

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("view", list(TextView))
def test_every_embedded_passage_fits_the_model(embedder, view: TextView) -> None:
    settings = Settings()
    result = load_documents(settings.corpus_dir, overrides_path=overrides_path(settings))
    titles = {d.doc_id: d.title for d in result.documents}
    texts = [passage_text(c, titles[c.doc_id], view) for c in result.chunks]
    counts = embedder.count_tokens(texts)
    worst = max(range(len(counts)), key=counts.__getitem__)
    assert counts[worst] <= embedder.max_seq_length, result.chunks[worst].chunk_id
