"""Build a new index generation from documents and chunks.

Embedding is the slow part and happens before the store's lock is taken, so
a running service keeps answering from the previous generation meanwhile.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from tvaers.contracts import HEADING_SEPARATOR, Chunk, Document
from tvaers.index.analyzer import ANALYZER_VERSION, Analyzer, DanishAnalyzer
from tvaers.index.lexical import BM25Index
from tvaers.index.protocols import Embedder
from tvaers.index.store import FORMAT_VERSION, KEEP_GENERATIONS, Manifest, write_generation
from tvaers.index.vectors import VectorStore
from tvaers.ingest.versions import CHUNKING_VERSION, CLEANING_VERSION
from tvaers.settings import VectorIndexKind

__all__ = ["TextView", "build_index", "passage_text"]

log = logging.getLogger(__name__)


class TextView(StrEnum):
    """Which text of a passage is embedded or indexed for BM25."""

    #: The passage alone.
    PLAIN = "plain"
    #: Heading path above the passage, without the document title.
    HEADINGS = "headings"
    #: Document title and heading path above the passage, so a passage that
    #: never names its subject ("De fire cases ...") still carries it.
    CONTEXTUAL = "contextual"


def passage_text(chunk: Chunk, title: str, view: TextView) -> str:
    if view is TextView.PLAIN:
        return chunk.text
    heading = HEADING_SEPARATOR.join(chunk.heading_path)
    if view is TextView.HEADINGS:
        title = ""
    return "\n".join(part for part in (title, heading, chunk.text) if part)


def build_index(
    documents: Sequence[Document],
    chunks: Sequence[Chunk],
    embedder: Embedder,
    index_dir: Path,
    *,
    fingerprint: str,
    overrides_hash: str,
    vector_kind: VectorIndexKind = VectorIndexKind.FLAT,
    progress: bool = False,
    embed_view: TextView = TextView.CONTEXTUAL,
    lexical_view: TextView = TextView.CONTEXTUAL,
    analyzer: Analyzer | None = None,
    vector_params: dict[str, int] | None = None,
    keep: int = KEEP_GENERATIONS,
    on_stage: Callable[[str], None] | None = None,
) -> Path:
    """Embed and index ``chunks``, write a generation and make it current.

    ``on_stage`` is called with the name of each file group right after it is
    written ("vectors", "bm25", ...); tests raise from it to simulate a crash.
    Returns the new generation's folder.
    """
    if not chunks:
        raise ValueError("no chunks to index; check the corpus folder and the ingest log")
    titles = {d.doc_id: d.title for d in documents}
    missing = sorted({c.doc_id for c in chunks} - titles.keys())
    if missing:
        raise ValueError(f"chunks refer to documents that were not given: {missing[:5]}")
    analyzer = analyzer or DanishAnalyzer()

    started = time.perf_counter()
    embedded = embedder.embed_passages(
        [passage_text(c, titles[c.doc_id], TextView(embed_view)) for c in chunks],
        show_progress=progress,
    )
    if embedded.shape != (len(chunks), embedder.dimension):
        raise ValueError(
            f"embedder returned shape {embedded.shape}, "
            f"expected ({len(chunks)}, {embedder.dimension})"
        )
    vectors = VectorStore(vector_kind, **(vector_params or {}))
    vectors.add(embedded)
    embedded_at = time.perf_counter()

    lexical_texts = [passage_text(c, titles[c.doc_id], TextView(lexical_view)) for c in chunks]
    lexical = BM25Index.build([analyzer.analyze(text) for text in lexical_texts])
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model_id=embedder.model_id,
        dimension=embedder.dimension,
        vector_kind=vector_kind,
        vector_params=vector_params or {},
        analyzer=analyzer.name,
        analyzer_version=ANALYZER_VERSION,
        embed_text=TextView(embed_view).value,
        lexical_text=TextView(lexical_view).value,
        corpus_fingerprint=fingerprint,
        overrides_hash=overrides_hash,
        cleaning_version=CLEANING_VERSION,
        chunking_version=CHUNKING_VERSION,
        chunk_count=len(chunks),
        document_count=len(documents),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    folder = write_generation(
        index_dir,
        manifest,
        vectors=vectors,
        lexical=lexical,
        chunks=list(chunks),
        documents=list(documents),
        on_stage=on_stage,
        keep=keep,
    )
    log.info(
        "indexed %d chunks: embedding %.1fs, BM25 and write %.1fs",
        len(chunks),
        embedded_at - started,
        time.perf_counter() - embedded_at,
    )
    return folder
