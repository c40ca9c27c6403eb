"""A tiny corpus in the style of the real one and a deterministic stand-in embedder.

The stand-in (word hashing) is for tests of mechanics: the store, the
retriever's plumbing and the CLI. Tests of search behaviour use the real
``embedder`` fixture and are marked ``slow``.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from tvaers.contracts import Chunk, Document, make_chunk_id

PASSAGES: dict[tuple[str, str], list[tuple[list[str], str]]] = {
    ("menings-og-tillidsskabelse", "Menings- og tillidsskabelse i tværsektoriel ledelse"): [
        (
            ["1. Indledning"],
            "Tværsektoriel ledelse handler om at skabe mening og tillid mellem kommune, "
            "region og almen praksis.",
        ),
        (
            ["6. Risisi"],
            "Ved kontortieledelse er der en risiko: når en privat partner ikke leverer, "
            "må styregruppen handle hurtigt og tydeligt.",
        ),
        (
            ["4. Konflikter"],
            "Konflikter mellem sygehuset og kommunen opstår ofte omkring økonomi og incitamenter.",
        ),
    ],
    ("ledelse-over-graenser", "Ledelse over grænser"): [
        (
            ["Ildsjæle ombord"],
            "Ildsjæle driver samarbejdet, men uden opbakning fra topledelsen "
            "går initiativet i stå.",
        ),
        (
            ["Krydspres"],
            "Chefer oplever krydspres mellem egen-interessen i egen organisation "
            "og det fælles mål.",
        ),
        (
            ["Almen praksis"],
            "De praktiserende læger er selvstændige forretninger og styres af overenskomsten, "
            "ikke politisk.",
        ),
    ],
    ("velfaerdsledelse-ti-projekter", "Velfærdsledelse – ti projekter"): [
        (
            ["Vision, aftaler og incitamenter"],
            "En fælles vision og klare aftaler gør implementeringen lettere for lederne.",
        ),
        (
            ["Borgeren i centrum"],
            "Borgeren skal ikke passe ind i systemet; systemet skal passe til borgeren.",
        ),
    ],
}


def make_corpus() -> tuple[list[Document], list[Chunk]]:
    documents, chunks = [], []
    for (doc_id, title), passages in PASSAGES.items():
        text = ""
        doc_chunks = []
        for page, (heading, passage) in enumerate(passages, start=1):
            start = len(text)
            text += passage
            doc_chunks.append(
                Chunk(
                    chunk_id=make_chunk_id(doc_id, passage),
                    doc_id=doc_id,
                    heading_path=heading,
                    text=passage,
                    char_start=start,
                    char_end=len(text),
                    page_start=page,
                    page_end=page,
                )
            )
            text += "\n\n"
        documents.append(
            Document(
                doc_id=doc_id,
                title=title,
                source_file=f"{doc_id}.txt",
                source_sha256=hashlib.sha256(text.encode()).hexdigest(),
                clean_text=text,
            )
        )
        chunks.extend(doc_chunks)
    return documents, chunks


class HashEmbedder:
    """Bag of hashed words: deterministic, instant, and similar texts score high."""

    def __init__(self, dimension: int = 64, model_id: str = "test:hash-64") -> None:
        self._dimension = dimension
        self._model_id = model_id
        self.query_batches: list[int] = []

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimension(self) -> int:
        return self._dimension

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, 0] = 0.01
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                out[row, 1 + h % (self._dimension - 1)] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        self.query_batches.append(len(texts))
        return self._embed(texts)

    def embed_passages(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        return self._embed(texts)
