"""The naive reference pipeline, to tell how hard a gold set is.

Issue 3 quotes the held-out gold set's figures for a naive pipeline
(paragraphs packed to 800 characters, multilingual-e5-small, dense search
only): recall@5 0.56 Danish, 0.44 English, 0.31 on paraphrases. Run the
same pipeline on another gold set and the two sets can be compared: a set
on which the naive pipeline does much better is easier than the held-out
one, and the full pipeline's figures on it overstate what to expect there.

The documents are the index's own cleaned texts (so quotes resolve alike):
their paragraphs (blank-line separated) are packed greedily up to
:data:`NAIVE_CHARS`, headings included as paragraphs, and each chunk is
embedded as it is, with no title or heading path, one vector a chunk,
searched exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from tvaers.contracts import Chunk, Document, Hit, make_chunk_id
from tvaers.index.protocols import Embedder

__all__ = ["NAIVE_CHARS", "NaiveBaseline", "pack_paragraphs"]

#: Characters the naive pipeline packs paragraphs to (issue 3's reference pipeline).
NAIVE_CHARS = 800

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def pack_paragraphs(document: Document, limit: int = NAIVE_CHARS) -> list[Chunk]:
    """The document's paragraphs packed greedily into chunks of at most ``limit``
    characters (a longer paragraph is a chunk of its own)."""
    text = document.clean_text
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    spans = [(a, b) for a, b in spans if text[a:b].strip()]
    groups: list[list[tuple[int, int]]] = []
    for span in spans:
        if groups and span[1] - groups[-1][0][0] <= limit:
            groups[-1].append(span)
        else:
            groups.append([span])
    return [_chunk(document, group[0][0], group[-1][1]) for group in groups]


def _chunk(document: Document, start: int, end: int) -> Chunk:
    text = document.clean_text[start:end]
    return Chunk(
        chunk_id=make_chunk_id(document.doc_id, text), doc_id=document.doc_id,
        heading_path=[], text=text, char_start=start, char_end=end,
    )


class NaiveBaseline:
    """Dense search over naively packed chunks; its ``search`` fits the retrieval evaluator.

    Example:
        >>> naive = NaiveBaseline(index.documents.values(), embedder)  # doctest: +SKIP
        >>> evaluator.evaluate(naive.search, "naive")                   # doctest: +SKIP
    """

    def __init__(
        self, documents: Iterable[Document], embedder: Embedder, *, limit: int = NAIVE_CHARS
    ) -> None:
        docs = list(documents)
        self.titles = {d.doc_id: d.title for d in docs}
        self.chunks = [c for d in docs for c in pack_paragraphs(d, limit)]
        self.embedder = embedder
        self.vectors = np.asarray(
            embedder.embed_passages([c.text for c in self.chunks]), dtype=np.float32
        )

    def search(self, question: str, k: int, mode: Any = None, **_: Any) -> list[Hit]:
        """The ``k`` best chunks by cosine; ``mode`` and ``focus`` are ignored (it has one)."""
        return self.search_many([question], k)[0]

    def search_many(self, questions: Sequence[str], k: int) -> list[list[Hit]]:
        queries = np.asarray(self.embedder.embed_queries(list(questions)), dtype=np.float32)
        out = []
        for row in queries @ self.vectors.T:
            order = np.argsort(-row, kind="stable")[:k]
            out.append([
                Hit.from_chunk(
                    self.chunks[i], self.titles[self.chunks[i].doc_id], score=float(row[i]),
                    scores={"dense": float(row[i]), "bm25": None},
                )
                for i in order
            ])
        return out
