"""Sentence vectors looked up from the index's late-chunked segments."""

from __future__ import annotations

import numpy as np
import pytest

from tvaers.index.segments import sentence_spans

pytestmark = pytest.mark.slow


def test_each_sentence_takes_the_segment_vector_it_overlaps_most(runtime) -> None:
    from tvaers.prompts.sentence_vectors import SentenceVectors

    vectors = SentenceVectors(runtime)
    row, chunk = next(
        (n, c) for n, c in enumerate(runtime.index.chunks) if len(sentence_spans(c.text)) >= 3
    )
    spans = sentence_spans(chunk.text)
    segment = runtime.index.segments.passage_vectors(row)
    assert len(segment) == len(spans)
    a, b = spans[1]
    inner = (chunk.chunk_id, a + 2, b - 1, chunk.text[a + 2 : b - 1])  # a sub-span of sentence 2
    found = vectors([inner, (chunk.chunk_id, *spans[0], chunk.text[slice(*spans[0])])])
    assert np.allclose(found[0], segment[1]) and np.allclose(found[1], segment[0])


def test_a_sentence_of_an_unknown_passage_is_embedded(runtime) -> None:
    from tvaers.prompts.sentence_vectors import SentenceVectors

    text = "Det er vigtigt at aftale spillereglerne, før konflikterne opstår."
    found = SentenceVectors(runtime)([("no-such-chunk", 0, len(text), text)])
    assert np.allclose(found[0], runtime.embedder.embed_passages([text])[0], atol=1e-5)
