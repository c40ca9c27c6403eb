"""Ingest a corpus folder: read, clean and chunk every file, never aborting on one.

A corpus that users add to will always hold some file we cannot use (a
scan, a locked PDF, a stray spreadsheet). Each file is therefore processed
on its own: any failure becomes a ``SkippedFile`` with a reason the report
shows, and the rest of the corpus is ingested. Only corpus-wide problems (a
missing folder, a broken catalog or overrides file) raise.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from collections.abc import Collection, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from tvaers.contracts import Chunk, Document
from tvaers.errors import TvaersError, UnreadableDocumentError
from tvaers.ingest.blocks import CleanedText
from tvaers.ingest.catalog import (
    CATALOG_FILE,
    CatalogEntry,
    catalog_sha256,
    default_title,
    load_catalog,
    slugify,
)
from tvaers.ingest.chunking import chunk_document
from tvaers.ingest.clean import clean_source
from tvaers.ingest.overrides import DocumentOverrides, file_sha256, load_overrides
from tvaers.ingest.readers import read_source
from tvaers.ingest.source import SourceText

__all__ = [
    "OVERRIDES_FILE",
    "IngestResult",
    "SkippedFile",
    "corpus_fingerprint",
    "corpus_state",
    "discover_files",
    "file_sha256",
    "load_documents",
]

log = logging.getLogger(__name__)

OVERRIDES_FILE = "overrides.yaml"
_CONTROL_FILES = {CATALOG_FILE, OVERRIDES_FILE}


class SkippedFile(BaseModel):
    """A file that was not ingested, and why (shown to the user as is)."""

    path: str
    reason: str


@dataclass
class IngestResult:
    """Everything one ingest run produced; chunk offsets point into ``documents``' text."""

    documents: list[Document] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    fingerprint: str = ""
    #: Each corpus file's sha256 by name (or "missing"/"unreadable"), as the fingerprint saw it.
    files: dict[str, str] = field(default_factory=dict)
    elapsed_seconds: float = 0.0


def load_documents(
    corpus_dir: Path,
    extra_paths: Sequence[Path] = (),
    *,
    overrides_path: Path | None,
    progress: bool = False,
    added: Collection[Path] = (),
) -> IngestResult:
    """Read, clean and chunk the corpus folder plus any extra files or folders.

    ``added``: files just put into the corpus folder (``tvaers ingest PATH``).
    """
    started = time.perf_counter()
    files, missing, unread = _discover(Path(corpus_dir), extra_paths)
    catalog = load_catalog(Path(corpus_dir) / CATALOG_FILE)
    # Catalogued files first, files just added last: when a copy clashes with
    # another (same id or same text), the one kept is the one with its title, year
    # and id from the catalog, else the one already there, whose ids are cited.
    new = {Path(p).resolve() for p in added}
    files.sort(key=lambda p: (catalog.get(p.name) is None, p.resolve() in new))
    overrides = _load_overrides(overrides_path)
    result = IngestResult(
        skipped=[SkippedFile(path=str(p), reason="file not found") for p in missing] + unread
    )
    used_ids: dict[str, str] = {}
    texts: dict[str, str] = {}  # sha256 of a clean text -> the file that had it first
    hashes: list[tuple[str, str]] = [(p.name, "missing") for p in missing]

    redirect = logging_redirect_tqdm() if progress else nullcontext()
    with redirect:
        bar = tqdm(files, desc="ingest", unit="file", file=sys.stderr, disable=not progress)
        for path in bar:
            bar.set_postfix_str(path.name, refresh=False)
            try:
                digest = file_sha256(path)
            except OSError as exc:
                hashes.append((path.name, "unreadable"))
                result.skipped.append(SkippedFile(path=str(path), reason=f"cannot read: {exc}"))
                continue
            hashes.append((path.name, digest))
            entry = catalog.get(path.name)
            doc_id = entry.id if entry else slugify(path.name)
            try:
                if doc_id in used_ids:
                    raise UnreadableDocumentError(
                        str(path),
                        f"duplicate document id '{doc_id}' (already used by {used_ids[doc_id]}); "
                        "rename the file or give it its own id in catalog.json",
                    )
                document, chunks = _ingest_one(path, digest, doc_id, entry, overrides)
                text_hash = hashlib.sha256(document.clean_text.encode("utf-8")).hexdigest()
                if text_hash in texts:
                    raise UnreadableDocumentError(
                        str(path),
                        f"the same text as {texts[text_hash]}, already ingested; "
                        "remove one of the two copies",
                    )
            except UnreadableDocumentError as exc:
                _skip(result, path, exc.reason)
                continue
            except Exception as exc:  # one bad file must never stop the corpus
                log.debug("ingest of %s failed", path, exc_info=True)
                _skip(result, path, f"{type(exc).__name__}: {exc}")
                continue
            used_ids[doc_id] = path.name
            texts[text_hash] = path.name
            result.documents.append(document)
            result.chunks.extend(chunks)

    result.fingerprint = _fingerprint(hashes, Path(corpus_dir), overrides_path)
    result.files = dict(hashes)
    result.elapsed_seconds = round(time.perf_counter() - started, 3)
    return result


def discover_files(corpus_dir: Path, extra_paths: Sequence[Path] = ()) -> list[Path]:
    """Candidate files in ingest order: the corpus folder's, then the extra ones."""
    return _discover(Path(corpus_dir), extra_paths)[0]


def corpus_fingerprint(
    corpus_dir: Path, extra_paths: Sequence[Path] = (), *, overrides_path: Path | None = None
) -> str:
    """sha256 over sorted (file name, file sha256), the catalog and the overrides.

    The index manifest stores it, so any change to a source file, to its
    metadata or to its cleaning overrides marks the index stale. Code
    changes are tracked separately by ``ingest.versions``.
    """
    return corpus_state(corpus_dir, extra_paths, overrides_path=overrides_path)[0]


def corpus_state(
    corpus_dir: Path, extra_paths: Sequence[Path] = (), *, overrides_path: Path | None = None
) -> tuple[str, dict[str, str]]:
    """The fingerprint, and each file's sha256 by name (to say which files changed)."""
    files, missing, _ = _discover(Path(corpus_dir), extra_paths)
    hashes = [(p.name, "missing") for p in missing]
    for path in files:
        try:
            hashes.append((path.name, file_sha256(path)))
        except OSError:
            hashes.append((path.name, "unreadable"))
    return _fingerprint(hashes, Path(corpus_dir), overrides_path), dict(hashes)


# --- helpers ------------------------------------------------------------------------------


def _discover(
    corpus_dir: Path, extra_paths: Iterable[Path]
) -> tuple[list[Path], list[Path], list[SkippedFile]]:
    """(files, missing paths, entries not read): folder contents sorted by name, extras
    as given, no repeats; subfolders and broken links are reported, not read."""
    if not corpus_dir.is_dir():
        raise TvaersError(
            f"corpus folder {corpus_dir} does not exist; set TVAERS_CORPUS_DIR or corpus_dir"
        )
    files, unread = _folder_files(corpus_dir)
    missing: list[Path] = []
    for extra in map(Path, extra_paths):
        if extra.is_dir():
            more, not_read = _folder_files(extra)
            files.extend(more)
            unread.extend(not_read)
        elif extra.exists():
            files.append(extra)  # named explicitly: ingested even if hidden or unusual
        else:
            missing.append(extra)
    seen: set[Path] = set()
    unique = []
    for path in files:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, missing, unread


def _folder_files(folder: Path) -> tuple[list[Path], list[SkippedFile]]:
    """Files a user dropped in: not hidden, not Word lock files, not control files.

    Subfolders are not read (document ids come from file names, which need only be
    unique in one folder), but are reported, as are links that lead nowhere: a
    user who put documents there must learn that they are not in the index.
    """
    out = []
    unread = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        name = path.name
        if name.startswith((".", "~$")) or name in _CONTROL_FILES:
            continue
        if name.upper().startswith("README"):
            continue
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            reason = (
                "a folder: only the files directly in the corpus folder are read; "
                "move its documents up, or run `tvaers ingest FOLDER` to copy them in"
            )
            unread.append(SkippedFile(path=str(path), reason=reason))
        elif path.is_symlink():
            unread.append(SkippedFile(path=str(path), reason="a link to a file that is not there"))
    return out, unread


def _load_overrides(overrides_path: Path | None) -> dict[str, DocumentOverrides]:
    if overrides_path is None or not Path(overrides_path).is_file():
        return {}
    try:
        return load_overrides(Path(overrides_path))
    except TvaersError:
        raise
    except Exception as exc:
        raise TvaersError(f"{overrides_path}: cannot load overrides ({exc}); fix the file") from exc


def _ingest_one(
    path: Path,
    digest: str,
    doc_id: str,
    entry: CatalogEntry | None,
    overrides: dict[str, DocumentOverrides],
) -> tuple[Document, list[Chunk]]:
    """Read, clean and chunk one file; any exception means the file is skipped."""
    source = read_source(path)
    cleaned = clean_source(source, overrides.get(path.name))
    document = _document(path, digest, doc_id, entry, source, cleaned)
    chunks = chunk_document(doc_id, cleaned)
    _check_chunks(document, chunks)
    return document, chunks


def _document(
    path: Path,
    digest: str,
    doc_id: str,
    entry: CatalogEntry | None,
    source: SourceText,
    cleaned: CleanedText,
) -> Document:
    if not cleaned.clean_text.strip():
        raise UnreadableDocumentError(str(path), "no text left after cleaning")
    pages = [p for p in source.pages if p is not None]
    title = (entry.title if entry else None) or cleaned.title or source.title
    if not title and cleaned.outline:
        title = cleaned.outline[0].path[-1]
    return Document(
        doc_id=doc_id,
        title=title or default_title(path.name),
        title_en=entry.title_en if entry else None,
        authors=entry.authors if entry else [],
        publisher=entry.publisher if entry else None,
        year=entry.year if entry else None,
        kind=entry.kind if entry else None,
        language=entry.language if entry else "da",
        source_file=path.name,
        source_url=(entry.source_url if entry else None) or cleaned.source_url,
        source_sha256=digest,
        clean_text=cleaned.clean_text,
        pages=max(pages) if pages else None,
        outline=cleaned.outline,
        notes=cleaned.notes,
    )


def _check_chunks(document: Document, chunks: list[Chunk]) -> None:
    """Citations quote ``clean_text[start:end]``: refuse a document whose chunks disagree."""
    if not chunks:
        raise UnreadableDocumentError(document.source_file, "no passages after chunking")
    for chunk in chunks:
        if document.clean_text[chunk.char_start : chunk.char_end] != chunk.text:
            raise RuntimeError(
                f"chunk {chunk.chunk_id} does not match clean_text at "
                f"{chunk.char_start}:{chunk.char_end} (a chunking bug)"
            )


def _skip(result: IngestResult, path: Path, reason: str) -> None:
    log.warning("skipped %s: %s", path, reason)
    result.skipped.append(SkippedFile(path=str(path), reason=reason))


def _fingerprint(hashes: list[tuple[str, str]], corpus_dir: Path, overrides: Path | None) -> str:
    digest = hashlib.sha256()
    for name, file_hash in sorted(hashes):
        digest.update(f"file\0{name}\0{file_hash}\n".encode())
    digest.update(f"catalog\0{catalog_sha256(corpus_dir / CATALOG_FILE)}\n".encode())
    overrides_file = overrides or corpus_dir / OVERRIDES_FILE
    overrides_hash = file_sha256(overrides_file) if overrides_file.is_file() else "none"
    digest.update(f"overrides\0{overrides_hash}\n".encode())
    return digest.hexdigest()
