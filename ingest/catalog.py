"""Bibliographic metadata: ``catalog.json`` entries, or defaults for dropped-in files.

The catalog is keyed by file name so a user can drop a document into the
corpus folder without writing metadata: it then gets a stable id slugified
from its file name and a title from its first heading. A broken catalog is
a corpus-wide error (``CatalogError``), not one skipped file, because every
document's citation depends on it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from tvaers.errors import CatalogError

__all__ = [
    "CATALOG_FILE",
    "CatalogEntry",
    "catalog_sha256",
    "default_title",
    "load_catalog",
    "slugify",
]

CATALOG_FILE = "catalog.json"
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


class CatalogEntry(BaseModel):
    """One document's metadata as written in ``catalog.json``; unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str
    file: str
    title: str
    title_en: str | None = None
    authors: list[str] = []
    publisher: str | None = None
    year: int | None = None
    kind: str | None = None
    language: str = "da"
    source_url: str | None = None


def load_catalog(path: Path) -> dict[str, CatalogEntry]:
    """Entries keyed by file name; an absent file is an empty catalog."""
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: not valid UTF-8 JSON ({exc}); fix the file") from exc
    if not isinstance(raw, list):
        raise CatalogError(f"{path}: expected a JSON list of entries, got {type(raw).__name__}")
    entries: dict[str, CatalogEntry] = {}
    ids: set[str] = set()
    for n, item in enumerate(raw, start=1):
        try:
            entry = CatalogEntry.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise CatalogError(f"{path}: entry {n}, field '{where}': {first['msg']}") from exc
        if entry.file in entries:
            raise CatalogError(f"{path}: file '{entry.file}' is listed twice")
        if entry.id in ids:
            raise CatalogError(f"{path}: id '{entry.id}' is used twice; ids must be unique")
        entries[entry.file] = entry
        ids.add(entry.id)
    return entries


def catalog_sha256(path: Path) -> str:
    """Hash of the catalog file (of nothing when absent), for the corpus fingerprint."""
    return hashlib.sha256(path.read_bytes() if path.is_file() else b"").hexdigest()


def slugify(file_name: str) -> str:
    """A document id from a file name: ``Ledelse på Tværs.pdf`` -> ``ledelse-paa-tvaers``.

    Danish letters are transliterated the Danish way (æ->ae, ø->oe, å->aa)
    rather than stripped, so ids stay readable and distinct.
    """
    stem = Path(file_name).stem
    text = unicodedata.normalize("NFC", stem).translate(_DANISH).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "dokument"


def default_title(file_name: str) -> str:
    """Last-resort title: the file name without suffix, separators as spaces."""
    stem = Path(file_name).stem
    return re.sub(r"[_\s]+", " ", stem).strip() or file_name
