"""Per-token passage vectors for late-interaction scoring (MaxSim).

One vector per passage averages away the sentence that answers a question.
Keeping every contextualised token embedding of a passage (from the same
forward pass that gives its passage vector, so ingest does no extra model
work) lets a question be scored token by token, as in ColBERT:

    late(q, p) = mean over the question's tokens t of  max over p's tokens u of  cos(t, u)

e5 was not trained for this, but on the dev gold set it is the strongest
signal we have: dense R@5 on the tune split 0.77 → 0.91 (MaxSim alone),
paraphrased questions 0.56 → 0.80. Hybrid search scores the dense and BM25
candidates by ``late + w * bm25 / max bm25`` (:mod:`tvaers.index.retriever`).

Only *content* tokens are kept: not ``<s>``/``</s>`` and not the model's
``passage: `` / ``query: `` prefix, which every text shares. Vectors are
L2-normalised and stored as float16 (~0.8 kB a token: about 64 MB for the
bundled corpus's 83,000 tokens; twice that in memory as float32), which
changes a score by less than 1e-3.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["CONTEXT_WEIGHT", "TOKEN_VECTORS_VERSION", "TokenVectors", "content_tokens"]

#: Bump when token selection or storage changes: old indexes become stale.
TOKEN_VECTORS_VERSION = "2"  # 2: the first word is kept

#: Weight of a follow-up's context tokens (its thread's question, searched in front of it)
#: against the follow-up's own. Tune split, the six follow-ups' MRR@10: 0.528 at 1
#: (every token alike), 0.617 at 0.75, 0.700 at 0.5 and 0.25, 0.681 at 0.
CONTEXT_WEIGHT = 0.5

VECTORS_FILE = "tokens.npy"
OFFSETS_FILE = "token_offsets.npy"


def manifest_name(enabled: bool) -> str:
    """What the manifest records, so that turning the setting on or off makes an index stale."""
    return f"content-v{TOKEN_VECTORS_VERSION}" if enabled else "none"


def content_tokens(
    tokens: np.ndarray,
    offsets: np.ndarray,
    prefix_chars: int,
    *,
    text: str | None = None,
    skip_words: frozenset[str] = frozenset(),
    focus_start: int | None = None,
) -> np.ndarray:
    """The L2-normalised embeddings of the tokens of the text after the prefix.

    ``offsets`` are the tokenizer's ``(start, end)`` character offsets into
    ``prefix + text``; special tokens have empty offsets and are dropped.
    ``skip_words`` (with ``text``, the prefixed text): tokens of these words are
    dropped too, unless nothing else would be left. For questions, the function
    words: "Hvordan", "vi", "the" match some token of every passage, so they add
    the same score everywhere except where they add noise (tune split, hybrid
    MRR@10 0.682 with them, 0.729 without).

    ``focus_start`` (a character offset into the prefixed text): the tokens
    before it are context, weighted :data:`CONTEXT_WEIGHT` against the rest.
    A weight is carried as the vector's norm, scaled so that the weights
    average 1: :meth:`TokenVectors.maxsim` then gives the weighted mean, on
    the scale of an unweighted one.
    """
    if len(offsets) != len(tokens):
        raise ValueError(f"{len(offsets)} token offsets for {len(tokens)} token embeddings")
    # a word's first token starts at the space before it ("▁økonomi" is (6, 14) in
    # "query: økonomi"), so a token counts when it ends inside the text, not when it
    # starts there: testing the start dropped the first word of every text
    keep = (offsets[:, 1] > offsets[:, 0]) & (offsets[:, 1] > prefix_chars)
    if skip_words and text is not None:
        skipped = np.array(
            [_word_at(text, int(start), prefix_chars) in skip_words for start in offsets[:, 0]],
            dtype=bool,
        )
        if (keep & ~skipped).any():
            keep &= ~skipped
    kept = np.asarray(tokens[keep], dtype=np.float32)
    norms = np.linalg.norm(kept, axis=1, keepdims=True)
    kept = kept / np.maximum(norms, 1e-12)
    if focus_start is not None and len(kept):
        # "▁Og" starts at the space before the follow-up: a token ending after it is the follow-up's
        weights = np.where(offsets[keep][:, 1] > focus_start, 1.0, CONTEXT_WEIGHT)
        kept *= (weights / weights.mean())[:, None].astype(np.float32)
    return kept


def _word_at(text: str, start: int, floor: int) -> str:
    """The lower-cased word a token starting at ``start`` belongs to ("" for punctuation)."""
    if start < len(text) and text[start].isspace():
        start += 1
    left = start
    while left > floor and text[left - 1].isalnum():
        left -= 1
    right = start
    while right < len(text) and text[right].isalnum():
        right += 1
    return text[left:right].lower()


class TokenVectors:
    """All passages' token vectors in one float16 matrix, rows ``bounds[p]:bounds[p+1]``.

    Example:
        >>> tv = TokenVectors.build([np.eye(3, dtype=np.float32)[:2], np.eye(3)[2:]])
        >>> [round(x, 3) for x in tv.maxsim(np.eye(3, dtype=np.float32)[:1], [0, 1])]
        [1.0, 0.0]
    """

    def __init__(self, vectors: np.ndarray, bounds: np.ndarray) -> None:
        """``vectors``: float16 when built (stored as such), float32 when loaded."""
        bounds = np.asarray(bounds, dtype=np.int64)
        if bounds.ndim != 1 or len(bounds) < 1 or bounds[0] != 0:
            raise ValueError("token bounds must be a 1-d array starting at 0")
        if np.any(np.diff(bounds) < 0) or bounds[-1] != len(vectors):
            raise ValueError(
                f"token bounds must be non-decreasing and end at the {len(vectors)} vectors"
            )
        self.vectors = vectors
        self.bounds = bounds

    @classmethod
    def build(cls, per_passage: Sequence[np.ndarray]) -> TokenVectors:
        sizes = [len(p) for p in per_passage]
        bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        dimension = next((p.shape[1] for p in per_passage if p.ndim == 2 and len(p)), 0)
        parts = [np.asarray(p, dtype=np.float16).reshape(-1, dimension) for p in per_passage]
        matrix = np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float16)
        return cls(np.ascontiguousarray(matrix), bounds)

    @property
    def n_passages(self) -> int:
        return len(self.bounds) - 1

    @property
    def size(self) -> int:
        return len(self.vectors)

    def maxsim(self, query_tokens: np.ndarray, passages: Sequence[int]) -> list[float]:
        """Late-interaction score of each passage (0.0 for a passage or query without tokens).

        A query token's norm is its weight (1 unless it is a follow-up's context:
        :func:`content_tokens`).
        """
        query = np.ascontiguousarray(query_tokens, dtype=np.float32).T
        if not query.size:
            return [0.0] * len(passages)
        out = []
        for p in passages:
            a, b = int(self.bounds[p]), int(self.bounds[p + 1])
            out.append(float((self.vectors[a:b] @ query).max(axis=0).mean()) if b > a else 0.0)
        return out

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS_FILE, self.vectors)
        np.save(folder / OFFSETS_FILE, self.bounds)

    @classmethod
    def load(cls, folder: Path, n_passages: int) -> TokenVectors:
        """Read into memory as float32: scoring a float16 file costs ~50 ms a question."""
        vectors = np.load(folder / VECTORS_FILE).astype(np.float32)
        bounds = np.load(folder / OFFSETS_FILE)
        if len(bounds) != n_passages + 1:
            raise ValueError(
                f"token offsets cover {len(bounds) - 1} passages, the index has {n_passages}"
            )
        return cls(vectors, bounds)
