"""Conversations for follow-up questions, kept in the SQLite file of the settings.

A follow-up ("Og hvis det er almen praksis?") is searched together with the
question that opened its thread (its *anchor*), so each turn stores the
question, its anchor and its language. Conversations idle longer than the
retention period are deleted whenever one is written.

Migrations are numbered functions applied once each and recorded in the
``_migrations`` table that ``tvaers.eval.overrides`` also uses (one database;
names are prefixed so the two lists never collide).

Example:
    >>> store = ConversationStore(tmp_path / "tvaers.sqlite")      # doctest: +SKIP
    >>> cid = store.new_id()                                        # doctest: +SKIP
    >>> store.add_turn(cid, "Hvordan ...?", anchor="Hvordan ...?", lang="da")  # doctest: +SKIP
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from tvaers.db import connect, prepare

__all__ = ["CONVERSATION_ID", "ConversationStore", "Turn"]

#: What a conversation id may look like (client-chosen ids too).
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

def _now() -> datetime:
    return datetime.now(UTC)


class Turn(NamedTuple):
    n: int
    question: str
    anchor: str
    lang: str


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

    def last_turn(self, conversation_id: str) -> Turn | None:
        db = self._connect()
        try:
            row = db.execute(
                "SELECT n, question, anchor, lang FROM turns WHERE conversation_id = ? "
                "ORDER BY n DESC LIMIT 1",
                (conversation_id,),
            ).fetchone()
        finally:
            db.close()
        return Turn(*row) if row else None

    def add_turn(self, conversation_id: str, question: str, *, anchor: str, lang: str) -> int:
        """Append a turn (creating the conversation) and drop expired conversations."""
        now = _now()
        db = self._connect()
        try:
            with db:
                db.execute(
                    "DELETE FROM conversations WHERE updated < ?",
                    ((now - self.retention).isoformat(),),
                )
                db.execute(
                    "INSERT INTO conversations (id, created, updated) VALUES (?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET updated = excluded.updated",
                    (conversation_id, now.isoformat(), now.isoformat()),
                )
                (n,) = db.execute(
                    "SELECT COALESCE(MAX(n), 0) + 1 FROM turns WHERE conversation_id = ?",
                    (conversation_id,),
                ).fetchone()
                db.execute(
                    "INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)",
                    (conversation_id, n, question, anchor, lang, now.isoformat()),
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
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT n, question, anchor, lang FROM turns WHERE conversation_id = ? "
                "ORDER BY n",
                (conversation_id,),
            ).fetchall()
        finally:
            db.close()
        return [Turn(*r) for r in rows]
