"""Build a new index generation from documents and chunks.

Embedding is the slow part and happens before the store's lock is taken, so
a running service keeps answering from the previous generation meanwhile.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import numpy as np

from tvaers.contracts import HEADING_SEPARATOR, Chunk, Document
from tvaers.index.analyzer import ANALYZER_VERSION, Analyzer, DanishAnalyzer
from tvaers.index.lexical import BM25Index
from tvaers.index.protocols import Embedder, SegmentEmbedder, TokenEmbedder
from tvaers.index.segments import SegmentIndex, SegmentMode, sentence_spans
from tvaers.index.store import FORMAT_VERSION, KEEP_GENERATIONS, Manifest, write_generation
from tvaers.index.token_vectors import TokenVectors
from tvaers.index.token_vectors import manifest_name as token_manifest_name
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
    corpus_files: dict[str, str] | None = None,
    vector_kind: VectorIndexKind = VectorIndexKind.FLAT,
    progress: bool = False,
    embed_view: TextView = TextView.CONTEXTUAL,
    lexical_view: TextView = TextView.CONTEXTUAL,
    segments: SegmentMode = SegmentMode.NONE,
    token_vectors: bool = False,
    analyzer: Analyzer | None = None,
    vector_params: dict[str, int] | None = None,
    keep: int = KEEP_GENERATIONS,
    on_stage: Callable[[str], None] | None = None,
) -> Path:
    """Embed and index ``chunks``, write a generation and make it current.

    ``segments`` adds per-sentence vectors (see :mod:`tvaers.index.segments`),
    ``token_vectors`` per-token vectors (:mod:`tvaers.index.token_vectors`);
    both need an embedder with ``encode_passages`` (segments alone:
    ``embed_passages_with_segments``).
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
    segments = SegmentMode(segments)
    texts = [passage_text(c, titles[c.doc_id], TextView(embed_view)) for c in chunks]
    segment_index = None
    tokens = None
    if segments is SegmentMode.NONE and not token_vectors:
        embedded = embedder.embed_passages(texts, show_progress=progress)
    else:
        embedded, segment_index, tokens = _embed_with_segments(
            embedder, texts, chunks, vector_kind, vector_params or {}, progress,
            segments=segments is not SegmentMode.NONE, tokens=token_vectors,
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
        segments=segments.manifest_name,
        token_vectors=token_manifest_name(token_vectors),
        corpus_fingerprint=fingerprint,
        corpus_files=corpus_files or {},
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
        segments=segment_index,
        tokens=tokens,
        chunks=list(chunks),
        documents=list(documents),
        on_stage=on_stage,
        keep=keep,
    )
    log.info(
        "indexed %d chunks (%d segment vectors): embedding %.1fs, BM25 and write %.1fs",
        len(chunks),
        segment_index.size if segment_index else 0,
        embedded_at - started,
        time.perf_counter() - embedded_at,
    )
    return folder


def _embed_with_segments(
    embedder: Embedder,
    texts: list[str],
    chunks: Sequence[Chunk],
    vector_kind: VectorIndexKind,
    vector_params: dict[str, int],
    progress: bool,
    *,
    segments: bool = True,
    tokens: bool = False,
) -> tuple[np.ndarray, SegmentIndex | None, TokenVectors | None]:
    """Passage vectors, a SegmentIndex of the sentences of each chunk's own text,
    and the chunks' token vectors, from one forward pass per chunk.

    Spans cover the chunk text only (the end of every view), not the title
    or heading lines in front of it.
    """
    spans = []
    for text, chunk in zip(texts, chunks, strict=True):
        view = unicodedata.normalize("NFC", text)
        body = unicodedata.normalize("NFC", chunk.text)
        shift = len(view) - len(body)
        spans.append([(a + shift, b + shift) for a, b in sentence_spans(body)] if segments else [])
    if hasattr(embedder, "encode_passages"):
        token_embedder: TokenEmbedder = embedder  # type: ignore[assignment]
        encoded = token_embedder.encode_passages(
            texts, spans, tokens=tokens, show_progress=progress
        )
        embedded, per_text, per_passage = encoded.vectors, encoded.segments, encoded.tokens
    elif hasattr(embedder, "embed_passages_with_segments") and not tokens:
        seg_embedder: SegmentEmbedder = embedder  # type: ignore[assignment]
        embedded, per_text = seg_embedder.embed_passages_with_segments(
            texts, spans, show_progress=progress
        )
        per_passage = []
    else:
        wanted = "token vectors" if tokens else "segment vectors"
        setting = "token_vectors to false" if tokens else "segment_vectors to 'none'"
        raise ValueError(f"the embedder {embedder.model_id!r} cannot give {wanted}; set {setting}")
    token_index = TokenVectors.build(per_passage) if tokens else None
    if not segments:
        return embedded, None, token_index
    owners = np.concatenate(
        [np.full(len(v), row, dtype=np.int64) for row, v in enumerate(per_text)]
        or [np.zeros(0, dtype=np.int64)]
    )
    dimension = embedder.dimension
    vectors = np.concatenate([v.reshape(-1, dimension) for v in per_text] or
                             [np.zeros((0, dimension), dtype=np.float32)])
    segment_index = SegmentIndex.build(vectors, owners, len(chunks), vector_kind, **vector_params)
    return embedded, segment_index, token_index
