"""Tværs index: embeddings, FAISS, BM25 and fused search over the chunks."""

from tvaers.index.build import TextView, build_index
from tvaers.index.fusion import Fusion, FusionMode
from tvaers.index.retriever import Retriever
from tvaers.index.store import ExpectedState, Index, index_status, is_current, load_index

__all__ = [
    "ExpectedState",
    "Fusion",
    "FusionMode",
    "Index",
    "Retriever",
    "TextView",
    "build_index",
    "index_status",
    "is_current",
    "load_index",
]
