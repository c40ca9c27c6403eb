"""Thumbs up/down on an answer, kept in the SQLite file of the settings.

Each row holds what an editor needs to judge the answer later without the
conversation: the question, the answer text and the cited passages with their
text. The caller gives only a conversation and a turn number; question and
answer are read from the stored turn, so a client cannot put words in them.
Feedback outlives its conversation (``conversation_id`` becomes NULL when the
conversation is deleted, see ``tvaers.db.m004_feedback``).

Example:
    >>> store = FeedbackStore(tmp_path / "tvaers.sqlite")           # doctest: +SKIP
    >>> store.add_for_turn(conversations, "3f2a...", 1, rating=-1)   # doctest: +SKIP
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tvaers.contracts import Answer
from tvaers.conversations import ConversationStore
from tvaers.db import connect, prepare

__all__ = ["MAX_COMMENT_CHARS", "FeedbackStore", "UnknownTurnError"]

MAX_COMMENT_CHARS = 2000

#: The fields of each cited passage that are kept with the feedback.
CITATION_FIELDS = (
    "n", "chunk_id", "doc_id", "title", "year", "heading_path", "page_start", "page_end", "text",
)


class UnknownTurnError(LookupError):
    """The conversation or the turn does not exist (or has expired)."""


class FeedbackStore:
    """Feedback rows; one short-lived connection per call (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        prepare(self.path)

    def add_for_turn(
        self,
        conversations: ConversationStore,
        conversation_id: str,
        turn: int,
        *,
        rating: int,
        comment: str = "",
    ) -> dict[str, Any]:
        """Store feedback on a stored turn's answer; raises ``UnknownTurnError``."""
        if rating not in (-1, 1):
            raise ValueError(f"rating must be 1 or -1, got {rating}")
        if len(comment) > MAX_COMMENT_CHARS:
            raise ValueError(f"comment must be at most {MAX_COMMENT_CHARS} characters")
        stored = conversations.turn(conversation_id, turn)
        if stored is None or stored.answer is None:
            raise UnknownTurnError(
                f"no answer {turn} in conversation {conversation_id!r} "
                "(deleted, expired or never given)"
            )
        answer = Answer.model_validate_json(stored.answer)
        citations = [c.model_dump(include=set(CITATION_FIELDS)) for c in answer.citations]
        row = {
            "conversation_id": conversation_id,
            "turn": turn,
            "rating": rating,
            "comment": comment.strip(),
            "question": stored.question,
            "lang": stored.lang,
            "answer": answer.text,
            "citations": json.dumps(citations, ensure_ascii=False),
            "created": datetime.now(UTC).isoformat(),
        }
        db = connect(self.path)
        try:
            with db:
                cur = db.execute(
                    f"INSERT INTO feedback ({', '.join(row)}) "
                    f"VALUES ({', '.join('?' * len(row))})",
                    tuple(row.values()),
                )
        finally:
            db.close()
        return {"id": cur.lastrowid, **row, "citations": citations}

    def ratings(self, conversation_id: str) -> dict[int, int]:
        """The latest rating of each rated turn of a conversation."""
        db = connect(self.path)
        try:
            rows = db.execute(
                "SELECT turn, rating FROM feedback WHERE conversation_id = ? AND turn IS NOT NULL "
                "ORDER BY id",
                (conversation_id,),
            ).fetchall()
        finally:
            db.close()
        return {int(r["turn"]): int(r["rating"]) for r in rows}  # later rows win

    def all(self) -> list[dict[str, Any]]:
        """Every row, oldest first, with the citations parsed."""
        db = connect(self.path)
        try:
            rows = db.execute("SELECT * FROM feedback ORDER BY id").fetchall()
        finally:
            db.close()
        return [_row(r) for r in rows]


def _row(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["citations"] = json.loads(out["citations"])
    return out
