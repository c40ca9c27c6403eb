"""The index on disk: immutable generations behind an atomic pointer.

Layout::

    index_dir/
      CURRENT                     name of the generation being served
      .lock                       held while a generation is written and swapped
      generations/<id>/           vectors.faiss, bm25/, chunks.jsonl,
                                  documents.jsonl, manifest.json, and with
                                  segment vectors segments.faiss, segments.npy,
                                  with token vectors tokens.npy, token_offsets.npy

A build writes ``<id>.partial`` and renames it only when complete, then
replaces ``CURRENT`` with ``os.replace``; readers never see a half-written
index, and a crash mid-build leaves the previous generation serving. The
manifest records what the index was built from and a sha256 per file, so
loading can refuse a stale or damaged index with a message saying why.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, NamedTuple

from filelock import FileLock
from pydantic import BaseModel, ValidationError

from tvaers.contracts import Chunk, Document
from tvaers.errors import CorruptIndexError, IndexNotFoundError, StaleIndexError
from tvaers.index.analyzer import ANALYZER_VERSION, Analyzer, DanishAnalyzer
from tvaers.index.lexical import BM25Index
from tvaers.index.segments import SegmentIndex
from tvaers.index.token_vectors import TokenVectors
from tvaers.index.vectors import VectorStore
from tvaers.ingest.versions import CHUNKING_VERSION, CLEANING_VERSION
from tvaers.settings import VectorIndexKind

__all__ = [
    "FORMAT_VERSION",
    "ExpectedState",
    "Index",
    "IndexStatus",
    "Manifest",
    "index_status",
    "is_current",
    "load_index",
    "vector_index_name",
    "write_generation",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
KEEP_GENERATIONS = 3
CURRENT = "CURRENT"
GENERATIONS = "generations"
VECTORS_FILE = "vectors.faiss"
BM25_DIR = "bm25"
CHUNKS_FILE = "chunks.jsonl"
DOCUMENTS_FILE = "documents.jsonl"
MANIFEST_FILE = "manifest.json"
SEGMENT_VECTORS_FILE = "segments.faiss"
SEGMENT_OWNERS_FILE = "segments.npy"
REBUILD = "run `tvaers ingest` to rebuild"


class Manifest(BaseModel):
    """What a generation was built from; ``files`` maps relative path to sha256."""

    format_version: int
    model_id: str
    dimension: int
    vector_kind: VectorIndexKind
    vector_params: dict[str, int] = {}
    analyzer: str
    analyzer_version: str
    embed_text: str
    lexical_text: str
    #: Extra per-passage vectors (``SegmentMode.manifest_name``); older indexes had none.
    segments: str = "none"
    #: Per-token vectors for late interaction (``token_vectors.manifest_name``).
    token_vectors: str = "none"
    corpus_fingerprint: str
    #: Each corpus file's sha256 by name; older indexes have none.
    corpus_files: dict[str, str] = {}
    overrides_hash: str
    cleaning_version: str
    chunking_version: str
    chunk_count: int
    document_count: int
    created: str
    files: dict[str, str] = {}


@dataclass(frozen=True)
class ExpectedState:
    """What the served index must have been built from."""

    model_id: str
    corpus_fingerprint: str
    overrides_hash: str
    cleaning_version: str = CLEANING_VERSION
    chunking_version: str = CHUNKING_VERSION
    #: Index-time retrieval settings; None = not checked.
    embed_text: str | None = None
    lexical_text: str | None = None
    segments: str | None = None
    token_vectors: str | None = None
    #: The FAISS index kind and its build parameters (``vector_index_name``).
    vector_index: str | None = None
    #: The corpus files' hashes, to name what changed; None = not known.
    corpus_files: dict[str, str] | None = None


def vector_index_name(kind: VectorIndexKind, params: dict[str, int]) -> str:
    """How a manifest's vector index is compared: the kind and its build-time parameters.

    ``ef_search`` is left out: it is a search-time knob, applied at load.
    """
    built = {k: v for k, v in sorted(params.items()) if k != "ef_search"}
    return VectorIndexKind(kind).value + "".join(f" {k}={v}" for k, v in built.items())


@dataclass
class Index:
    """A loaded generation: passages, documents and both search structures."""

    path: Path
    manifest: Manifest
    chunks: list[Chunk]
    documents: dict[str, Document]
    vectors: VectorStore
    lexical: BM25Index
    analyzer: Analyzer
    segments: SegmentIndex | None = None
    tokens: TokenVectors | None = None

    def title(self, doc_id: str) -> str:
        doc = self.documents.get(doc_id)
        return doc.title if doc else doc_id


class IndexStatus(NamedTuple):
    state: Literal["ok", "missing", "stale", "corrupt"]
    message: str
    generation: str | None = None


# -- writing ------------------------------------------------------------------


def write_generation(
    index_dir: Path,
    manifest: Manifest,
    *,
    vectors: VectorStore,
    lexical: BM25Index,
    chunks: list[Chunk],
    documents: list[Document],
    segments: SegmentIndex | None = None,
    tokens: TokenVectors | None = None,
    on_stage: Callable[[str], None] | None = None,
    keep: int = KEEP_GENERATIONS,
) -> Path:
    """Write a complete generation, point ``CURRENT`` at it, prune old ones."""
    stage = on_stage or (lambda _name: None)
    index_dir = Path(index_dir)
    (index_dir / GENERATIONS).mkdir(parents=True, exist_ok=True)
    with FileLock(str(index_dir / ".lock")):
        name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)
        partial = index_dir / GENERATIONS / f"{name}.partial"
        partial.mkdir()
        vectors.save(partial / VECTORS_FILE)
        stage("vectors")
        lexical.save(partial / BM25_DIR)
        stage("bm25")
        if segments is not None:
            segments.save(partial, SEGMENT_VECTORS_FILE, SEGMENT_OWNERS_FILE)
            stage("segments")
        if tokens is not None:
            tokens.save(partial)
            stage("tokens")
        _write_jsonl(partial / CHUNKS_FILE, chunks)
        stage("chunks")
        _write_jsonl(partial / DOCUMENTS_FILE, documents)
        stage("documents")
        manifest = manifest.model_copy(update={"files": _checksums(partial)})
        _write_durably(partial / MANIFEST_FILE, manifest.model_dump_json(indent=2))
        stage("manifest")
        final = index_dir / GENERATIONS / name
        partial.rename(final)
        _write_durably(index_dir / f"{CURRENT}.tmp", name + "\n")
        os.replace(index_dir / f"{CURRENT}.tmp", index_dir / CURRENT)
        _fsync_dir(index_dir)
        stage("current")
        _prune(index_dir, keep=max(1, keep), current=name)
    log.info("index generation %s: %d chunks", name, manifest.chunk_count)
    return final


def _write_jsonl(path: Path, items: list[Chunk] | list[Document]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for item in items:
            f.write(item.model_dump_json() + "\n")


def _write_durably(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(index_dir: Path, *, keep: int, current: str) -> None:
    """Keep the current and the newest ``keep - 1`` others; drop leftovers of crashes."""
    folders = sorted((p for p in (index_dir / GENERATIONS).iterdir() if p.is_dir()), reverse=True)
    complete = [p for p in folders if not p.name.endswith(".partial") and p.name != current]
    doomed = [p for p in folders if p.name.endswith(".partial")] + complete[keep - 1 :]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)


def _checksums(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): _sha256(path)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST_FILE
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- reading ------------------------------------------------------------------


def current_generation(index_dir: Path) -> Path:
    """The folder ``CURRENT`` points at; cheap, so callers can fail before loading a model."""
    index_dir = Path(index_dir)
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        raise IndexNotFoundError(f"no index at {index_dir}; run `tvaers ingest`")
    name = pointer.read_text(encoding="utf-8").strip()
    folder = index_dir / GENERATIONS / name
    if not name or not folder.is_dir():
        raise CorruptIndexError(
            f"{pointer} points at {name or '(nothing)'}, which does not exist; {REBUILD}"
        )
    return folder


def read_manifest(folder: Path, *, verify: bool = True) -> Manifest:
    """The generation's manifest, after checking every file against its sha256."""
    path = folder / MANIFEST_FILE
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise CorruptIndexError(f"index file missing: {path}; {REBUILD}") from None
    except ValidationError as exc:
        first = exc.errors()[0]  # pydantic's full text is three lines and a URL
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise CorruptIndexError(
            f"index file {path} is unreadable ({where}: {first['msg']}); {REBUILD}"
        ) from None
    if verify:
        for rel, digest in manifest.files.items():
            file = folder / rel
            if not file.is_file():
                raise CorruptIndexError(f"index file missing: {file}; {REBUILD}")
            if _sha256(file) != digest:
                raise CorruptIndexError(
                    f"index file {file} does not match its checksum in {MANIFEST_FILE}; {REBUILD}"
                )
    return manifest


def check_state(manifest: Manifest, expected: ExpectedState | None, where: Path) -> None:
    """Raise StaleIndexError listing everything that differs from ``expected``."""
    changes = []
    if manifest.format_version != FORMAT_VERSION:
        changes.append(f"index format {manifest.format_version} → {FORMAT_VERSION}")
    if manifest.analyzer_version != ANALYZER_VERSION:
        changes.append(f"lexical analyser version {manifest.analyzer_version} → {ANALYZER_VERSION}")
    if expected is not None:
        pairs = [
            ("embedding model", manifest.model_id, expected.model_id),
            ("corpus", manifest.corpus_fingerprint, expected.corpus_fingerprint),
            ("overrides file", manifest.overrides_hash, expected.overrides_hash),
            ("cleaning code version", manifest.cleaning_version, expected.cleaning_version),
            ("chunking code version", manifest.chunking_version, expected.chunking_version),
        ]
        settings = [
            ("embedded text view", manifest.embed_text, expected.embed_text),
            ("BM25 text view", manifest.lexical_text, expected.lexical_text),
            ("segment vectors", manifest.segments, expected.segments),
            ("token vectors", manifest.token_vectors, expected.token_vectors),
            (
                "vector index",
                vector_index_name(manifest.vector_kind, manifest.vector_params),
                expected.vector_index,
            ),
        ]
        pairs += [(what, old, new) for what, old, new in settings if new is not None]
        changes += [
            _corpus_change(manifest, expected) if what == "corpus" else f"{what} {old!r} → {new!r}"
            for what, old, new in pairs
            if old != new
        ]
    if changes:
        raise StaleIndexError(f"the index at {where} is stale: {'; '.join(changes)}; {REBUILD}")


def _corpus_change(manifest: Manifest, expected: ExpectedState) -> str:
    """Which corpus files were added, removed or changed, when both sides know."""
    old, new = manifest.corpus_fingerprint[:12], expected.corpus_fingerprint[:12]
    fingerprints = f"corpus {old!r} → {new!r}"
    before, now = manifest.corpus_files, expected.corpus_files
    if not before or now is None:
        return fingerprints
    parts = []
    for what, names in (
        ("added", sorted(set(now) - set(before))),
        ("removed", sorted(set(before) - set(now))),
        ("changed", sorted(n for n in set(now) & set(before) if now[n] != before[n])),
    ):
        if names:
            more = f" and {len(names) - 5} more" if len(names) > 5 else ""
            parts.append(f"{what} {', '.join(names[:5])}{more}")
    # nothing by file: the catalog or the overrides changed
    return "corpus files " + "; ".join(parts) if parts else f"{fingerprints} (catalog or overrides)"


def load_index(
    index_dir: Path,
    *,
    expected: ExpectedState | None = None,
    verify: bool = True,
    ef_search: int | None = None,
) -> Index:
    """Load the current generation, refusing a missing, damaged or stale one.

    ``ef_search`` overrides the HNSW search depth the generation was built with.
    """
    folder = current_generation(index_dir)
    manifest = read_manifest(folder, verify=verify)
    check_state(manifest, expected, Path(index_dir))
    params = dict(manifest.vector_params)
    if ef_search is not None:
        params["ef_search"] = ef_search
    try:
        vectors = VectorStore(manifest.vector_kind, **params).load(
            folder / VECTORS_FILE
        )
        lexical = BM25Index.load(folder / BM25_DIR, manifest.chunk_count)
        chunks = [Chunk.model_validate_json(line) for line in _lines(folder / CHUNKS_FILE)]
        documents = [Document.model_validate_json(ln) for ln in _lines(folder / DOCUMENTS_FILE)]
        segments = (
            None
            if manifest.segments == "none"
            else SegmentIndex.load(
                folder, SEGMENT_VECTORS_FILE, SEGMENT_OWNERS_FILE, manifest.chunk_count,
                manifest.vector_kind, **params,
            )
        )
        tokens = (
            None
            if manifest.token_vectors == "none"
            else TokenVectors.load(folder, manifest.chunk_count)
        )
    except (RuntimeError, OSError, ValueError) as exc:
        raise CorruptIndexError(f"cannot read the index in {folder} ({exc}); {REBUILD}") from exc
    if len(chunks) != manifest.chunk_count or vectors.size != len(chunks):
        raise CorruptIndexError(
            f"the index in {folder} has {len(chunks)} chunks and {vectors.size} vectors, "
            f"its manifest says {manifest.chunk_count}; {REBUILD}"
        )
    return Index(
        path=folder,
        manifest=manifest,
        chunks=chunks,
        documents={d.doc_id: d for d in documents},
        vectors=vectors,
        lexical=lexical,
        analyzer=DanishAnalyzer.from_name(manifest.analyzer),
        segments=segments,
        tokens=tokens,
    )


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def index_status(index_dir: Path, *, expected: ExpectedState | None = None) -> IndexStatus:
    """Health check: ok, missing, stale or corrupt, with the message a user needs."""
    try:
        folder = current_generation(index_dir)
        manifest = read_manifest(folder)
        check_state(manifest, expected, Path(index_dir))
    except IndexNotFoundError as exc:
        return IndexStatus("missing", str(exc))
    except CorruptIndexError as exc:
        return IndexStatus("corrupt", str(exc))
    except StaleIndexError as exc:
        return IndexStatus("stale", str(exc), folder.name)
    return IndexStatus(
        "ok", f"{manifest.chunk_count} chunks, built {manifest.created}", folder.name
    )


def is_current(index_dir: Path, expected: ExpectedState) -> bool:
    """True when the served index is intact and built from ``expected`` (``--if-stale``)."""
    return index_status(index_dir, expected=expected).state == "ok"
