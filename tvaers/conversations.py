"""Conversations for follow-up questions, kept in the SQLite file of the settings.

A follow-up ("Og hvis det er almen praksis?") is searched together with the
question that opened its thread (its *anchor*), so each turn stores the
question, its anchor, its language and the answer given (the ``Answer`` as
JSON, so a reloaded chat can show it again). Conversations idle longer than
the retention period are deleted whenever one is written, and are never read
back once expired.

The tables are created by the migrations in ``tvaers.db`` (one database for
conversations, feedback and evaluator overrides).

Example:
    >>> store = ConversationStore(tmp_path / "tvaers.sqlite")      # doctest: +SKIP
    >>> cid = store.new_id()                                        # doctest: +SKIP
    >>> store.add_turn(cid, "Hvordan ...?", anchor="Hvordan ...?", lang="da",  # doctest: +SKIP
    ...                answer=answer.model_dump_json())
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from tvaers.db import connect, prepare

__all__ = ["CONVERSATION_ID", "ConversationStore", "Turn", "UnknownConversationError"]

#: What a conversation id may look like (client-chosen ids too).
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _now() -> datetime:
    return datetime.now(UTC)


class UnknownConversationError(LookupError):
    """The conversation was deleted, has expired or was never started."""

    def __init__(self, conversation_id: str) -> None:
        super().__init__(
            f"no conversation {conversation_id!r} (deleted, expired or never started): "
            "send no conversation id to start a new one"
        )
        self.conversation_id = conversation_id


class Turn(NamedTuple):
    n: int
    question: str
    anchor: str
    lang: str
    answer: str | None = None  # JSON of the ``Answer``; None for turns stored before m003
    created: str | None = None


class ConversationStore:
    """Turns by conversation id; one short-lived connection per call (thread-safe)."""

    def __init__(self, path: Path, *, retention_days: int = 30) -> None:
        if retention_days < 1:
            raise ValueError(f"retention_days must be >= 1, got {retention_days}")
        self.path = Path(path)
        self.retention = timedelta(days=retention_days)
        prepare(self.path)

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    @staticmethod
    def new_id() -> str:
        return uuid.uuid4().hex

    def _cutoff(self) -> str:
        return (_now() - self.retention).isoformat()

    def _select(self, where: str, params: tuple, suffix: str = "") -> list[Turn]:
        """Turns of a conversation that has not expired (expired ones may not be swept yet)."""
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT t.n, t.question, t.anchor, t.lang, t.answer, t.created FROM turns t "
                "JOIN conversations c ON c.id = t.conversation_id "
                f"WHERE c.updated >= ? AND {where} {suffix}",
                (self._cutoff(), *params),
            ).fetchall()
        finally:
            db.close()
        return [Turn(*r) for r in rows]

    def create(self) -> str:
        """A new, empty conversation (and expired ones dropped); its id.

        The chat starts one before its first question, so that the id is known
        (and the conversation can be deleted) even if the page is left or
        reloaded while that question is being answered.
        """
        conversation_id = self.new_id()
        db = self._connect()
        try:
            with db:
                self._touch(db, conversation_id, _now())
        finally:
            db.close()
        return conversation_id

    def _touch(self, db: sqlite3.Connection, conversation_id: str, now: datetime) -> None:
        """Drop expired conversations; create this one, or mark it used now."""
        db.execute(
            "DELETE FROM conversations WHERE updated < ?", ((now - self.retention).isoformat(),)
        )
        db.execute(
            "INSERT INTO conversations (id, created, updated) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET updated = excluded.updated",
            (conversation_id, now.isoformat(), now.isoformat()),
        )

    def exists(self, conversation_id: str) -> bool:
        """True for a conversation that is neither deleted nor expired, turns or not."""
        db = self._connect()
        try:
            return self._live(db, conversation_id)
        finally:
            db.close()

    def _live(self, db: sqlite3.Connection, conversation_id: str) -> bool:
        row = db.execute(
            "SELECT 1 FROM conversations WHERE id = ? AND updated >= ?",
            (conversation_id, self._cutoff()),
        ).fetchone()
        return row is not None

    def last_turn(self, conversation_id: str) -> Turn | None:
        rows = self._select(
            "t.conversation_id = ?", (conversation_id,), "ORDER BY t.n DESC LIMIT 1"
        )
        return rows[0] if rows else None

    def turn(self, conversation_id: str, n: int) -> Turn | None:
        """One turn, or None when the turn or its conversation is unknown or expired."""
        rows = self._select("t.conversation_id = ? AND t.n = ?", (conversation_id, n))
        return rows[0] if rows else None

    def add_turn(
        self,
        conversation_id: str,
        question: str,
        *,
        anchor: str,
        lang: str,
        answer: str | None = None,
        create: bool = True,
    ) -> int:
        """Append a turn and drop expired conversations.

        ``answer`` is the ``Answer`` as JSON, kept so the chat can show it after a reload.
        ``create``: start the conversation if it does not exist; else a conversation
        deleted meanwhile (while its question was answered) raises
        :class:`UnknownConversationError` instead of coming back.
        """
        now = _now()
        db = self._connect()
        try:
            with db:
                if not create and not self._live(db, conversation_id):
                    raise UnknownConversationError(conversation_id)
                self._touch(db, conversation_id, now)
                (n,) = db.execute(
                    "SELECT COALESCE(MAX(n), 0) + 1 FROM turns WHERE conversation_id = ?",
                    (conversation_id,),
                ).fetchone()
                db.execute(
                    "INSERT INTO turns (conversation_id, n, question, anchor, lang, created, "
                    "answer) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (conversation_id, n, question, anchor, lang, now.isoformat(), answer),
                )
        finally:
            db.close()
        return int(n)

    def delete(self, conversation_id: str) -> bool:
        """Forget a conversation; False when there was none."""
        db = self._connect()
        try:
            with db:
                cur = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        finally:
            db.close()
        return cur.rowcount > 0

    def turns(self, conversation_id: str) -> list[Turn]:
        """The turns in order; empty when the conversation is unknown, deleted or expired."""
        return self._select("t.conversation_id = ?", (conversation_id,), "ORDER BY t.n")
