"""Builds the running parts from ``Settings``: the one place where settings
meet the library, shared by the CLI commands, the service and the benchmark."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tvaers.settings import Settings, VectorIndexKind

if TYPE_CHECKING:
    import numpy as np

    from tvaers.contracts import Hit
    from tvaers.index.embedder import SentenceTransformerEmbedder
    from tvaers.index.evidence import EvidenceScorer
    from tvaers.index.retriever import Retriever
    from tvaers.index.store import ExpectedState, Index
    from tvaers.ingest.pipeline import IngestResult

log = logging.getLogger(__name__)

__all__ = [
    "Runtime",
    "build_index_from_settings",
    "expected_state",
    "load_embedder",
    "load_runtime",
    "make_evidence_scorer",
    "make_retriever",
    "overrides_path",
    "vector_params",
]


def overrides_path(settings: Settings) -> Path:
    from tvaers.ingest.pipeline import OVERRIDES_FILE

    return settings.corpus_dir / OVERRIDES_FILE


def load_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    from tvaers.index.embedder import load_embedder as _load

    return _load(
        settings.model,
        cache_dir=settings.resolved_model_cache_dir,
        query_prefix=settings.query_prefix,
        passage_prefix=settings.passage_prefix,
        batch_size=settings.embed_batch_size,
        fast_queries=settings.fast_queries,
    )


def expected_state(settings: Settings, model_id: str) -> ExpectedState:
    """What the served index must have been built from (model, corpus, overrides, code,
    text views and segment vectors)."""
    from tvaers.index.build import TextView
    from tvaers.index.segments import SegmentMode
    from tvaers.index.store import ExpectedState, vector_index_name
    from tvaers.index.token_vectors import manifest_name as token_manifest_name
    from tvaers.ingest.overrides import file_sha256
    from tvaers.ingest.pipeline import corpus_state

    overrides = overrides_path(settings)
    fingerprint, files = corpus_state(settings.corpus_dir, overrides_path=overrides)
    return ExpectedState(
        model_id=model_id,
        corpus_fingerprint=fingerprint,
        corpus_files=files,
        overrides_hash=file_sha256(overrides) if overrides.exists() else "none",
        embed_text=TextView(settings.embed_view).value,
        lexical_text=TextView(settings.lexical_view).value,
        segments=SegmentMode(settings.segment_vectors).manifest_name,
        token_vectors=token_manifest_name(settings.token_vectors),
        vector_index=vector_index_name(settings.vector_index, vector_params(settings)),
    )


def vector_params(settings: Settings) -> dict[str, int]:
    """The FAISS build parameters the settings ask for (none for exact search)."""
    if settings.vector_index is not VectorIndexKind.HNSW:
        return {}
    return {
        "hnsw_m": settings.hnsw_m,
        "ef_construction": settings.hnsw_ef_construction,
        "ef_search": settings.hnsw_ef_search,
    }


def build_index_from_settings(
    settings: Settings,
    result: IngestResult,
    embedder: SentenceTransformerEmbedder,
    *,
    index_dir: Path | None = None,
    progress: bool = False,
) -> Path:
    """Embed and index an ingest result as a new generation; returns its folder."""
    from tvaers.index.build import TextView, build_index
    from tvaers.index.segments import SegmentMode

    overrides = overrides_path(settings)
    from tvaers.ingest.overrides import file_sha256

    return build_index(
        result.documents,
        result.chunks,
        embedder,
        index_dir or settings.resolved_index_dir,
        fingerprint=result.fingerprint,
        corpus_files=result.files,
        overrides_hash=file_sha256(overrides) if overrides.exists() else "none",
        vector_kind=settings.vector_index,
        vector_params=vector_params(settings),
        embed_view=TextView(settings.embed_view),
        lexical_view=TextView(settings.lexical_view),
        segments=SegmentMode(settings.segment_vectors),
        token_vectors=settings.token_vectors,
        progress=progress,
    )


def make_retriever(
    settings: Settings, index: Index, embedder: SentenceTransformerEmbedder
) -> Retriever:
    from tvaers.index.fusion import Fusion
    from tvaers.index.retriever import Retriever

    fusion = Fusion(
        k=settings.fusion_k,
        weights_by_lang={"da": settings.fusion_weights_da, "en": settings.fusion_weights_en},
    )
    retriever = Retriever(
        index,
        embedder,
        fusion=fusion,
        candidates=settings.fusion_candidates,
        segment_weight=settings.segment_weight,
        late_bm25_weight=settings.late_bm25_weight,
        late_candidates=settings.late_candidates,
    )
    if retriever.late_interaction:
        _single_threaded_blas()
    return retriever


def make_evidence_scorer(
    settings: Settings,
    index: Index,
    embedder: SentenceTransformerEmbedder,
    retriever: Retriever | None = None,
) -> EvidenceScorer:
    """The not-covered decision the settings describe: background and levels per language.

    With a ``retriever`` the scorer finds the passages for its rescue rule
    itself (in the settings' search mode) when a caller gives no hits.
    """
    from tvaers.index.evidence import RESCUE_DEPTH, Background, EvidenceScorer

    def per_lang(da: float | None, en: float | None) -> dict[str, float]:
        return {lang: v for lang, v in (("da", da), ("en", en)) if v is not None}

    def search(question: str, lang: str, vector: np.ndarray) -> list[Hit]:
        assert retriever is not None
        return retriever.search(
            question, k=RESCUE_DEPTH, mode=settings.search_mode, lang=lang, vector=vector
        )

    return EvidenceScorer(
        index,
        embedder,
        thresholds=per_lang(settings.evidence_threshold_da, settings.evidence_threshold_en),
        rescue=per_lang(settings.evidence_rescue_da, settings.evidence_rescue_en),
        background={
            "da": Background(*settings.evidence_background_da),
            "en": Background(*settings.evidence_background_en),
        },
        search=search if retriever is not None else None,
    )


@dataclass
class Runtime:
    """The loaded model, index and retriever; built once per process."""

    settings: Settings
    embedder: SentenceTransformerEmbedder
    index: Index
    retriever: Retriever

    @cached_property
    def evidence(self) -> EvidenceScorer:
        """Built on first use: only answering and evaluation need it."""
        return make_evidence_scorer(self.settings, self.index, self.embedder, self.retriever)


def load_runtime(settings: Settings) -> Runtime:
    """Load model and index, refusing an index that is missing, stale or corrupt."""
    from tvaers.index.store import load_index

    embedder = load_embedder(settings)
    index = load_index(
        settings.resolved_index_dir,
        expected=expected_state(settings, embedder.model_id),
        ef_search=settings.hnsw_ef_search,
    )
    retriever = make_retriever(settings, index, embedder)
    return Runtime(settings=settings, embedder=embedder, index=index, retriever=retriever)


def _single_threaded_blas() -> None:
    """Leave the cores to torch: every question now runs through torch, and numpy or
    FAISS matrix products right after it fight torch's still-spinning OpenMP threads
    (hybrid search p50 113 ms with two BLAS threads, 43 ms with one, on 2 cores).
    The products in question are small, so one thread costs them nothing."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
