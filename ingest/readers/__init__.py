"""Turn a file on disk into a ``SourceText``, or say clearly why not.

``read_source`` is the only entry point the pipeline uses: it picks a reader by
suffix and turns every way a file can be unusable (empty, binary, wrong
encoding, image-only PDF, corrupt or encrypted package) into an
``UnreadableDocumentError`` whose reason a user can act on.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

from tvaers.errors import UnreadableDocumentError
from tvaers.ingest.source import SourceText

__all__ = ["SUPPORTED_SUFFIXES", "decode_text", "read_source"]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx")

# Characters a cp1252-decoded Danish text may plausibly contain beyond ASCII:
# Nordic and accented letters plus Word's typographic punctuation.
_CP1252_PLAUSIBLE = set("æøåÆØÅéÉèüÜöÖäÄáíóúàôêëïç–—”“’‘…•«»§½¼¾°´€ ")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_RATIO = 0.001


def read_source(path: Path) -> SourceText:
    """Read one supported file; raise ``UnreadableDocumentError`` with a reason otherwise."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(none)"
        raise UnreadableDocumentError(
            str(path), f"unsupported file type {shown}; supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    if not path.is_file():
        raise UnreadableDocumentError(str(path), "file not found")
    if path.stat().st_size == 0:
        raise UnreadableDocumentError(str(path), "empty file")

    if suffix in (".txt", ".md"):
        text = decode_text(path.read_bytes(), str(path))
        if not text.strip():
            raise UnreadableDocumentError(str(path), "empty file (only whitespace)")
        if suffix == ".md":
            from tvaers.ingest.readers.markdown import read_markdown

            return read_markdown(str(path), text)
        from tvaers.ingest.readers.txt import source_from_text

        return source_from_text(str(path), text)
    if suffix == ".pdf":
        from tvaers.ingest.readers.pdf import read_pdf

        return read_pdf(path)
    from tvaers.ingest.readers.docx import read_docx

    return read_docx(path)


def decode_text(data: bytes, path: str = "<bytes>") -> str:
    """Decode a plain-text file: UTF-8 (BOM optional), UTF-16 with BOM, else Danish cp1252.

    Windows tools still save Danish text as cp1252; we accept it when the
    result looks like text (no control characters, plausible non-ASCII
    letters) and log a warning, because guessing wrong would silently index
    mojibake. Line ends are normalised to ``\\n``; the BOM is dropped.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_or_fail(data, "utf-16", path)
    elif data.startswith(b"\xef\xbb\xbf"):
        text = _decode_or_fail(data, "utf-8-sig", path)
    else:
        if b"\x00" in data:
            raise UnreadableDocumentError(path, "binary file (contains NUL bytes), not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_cp1252(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise UnreadableDocumentError(path, "binary file (control characters), not text")
    return unicodedata.normalize("NFC", text)


def _decode_or_fail(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableDocumentError(
            path, f"invalid {encoding.upper()} text despite its byte-order mark ({exc.reason})"
        ) from exc


def _decode_cp1252(data: bytes, path: str) -> str:
    fix = "save the file as UTF-8"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableDocumentError(
            path, f"not UTF-8 and not cp1252 text (unknown encoding); {fix}"
        ) from exc
    non_ascii = [c for c in text if ord(c) > 127]
    odd = sum(1 for c in non_ascii if c not in _CP1252_PLAUSIBLE)
    if _looks_binary(text) or (non_ascii and odd / len(non_ascii) > 0.2):
        raise UnreadableDocumentError(
            path, f"not UTF-8, and as cp1252 it does not read as Danish text; {fix}"
        )
    log.warning("%s: not valid UTF-8; decoded as cp1252 (Windows-1252)", path)
    return text


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROL.findall(text))
    return controls > 0 and controls / max(len(text), 1) > _MAX_CONTROL_RATIO
