"""The one SQLite database in the data folder: connection and migrations.

Migrations are numbered functions applied in order and recorded in
``_migrations`` (the pattern of simonw/llm's ``migrations.py``); add a new
function at the end, never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["MIGRATIONS", "connect", "migrate", "prepare"]

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def _migration(fn: Migration) -> Migration:
    MIGRATIONS.append(fn)
    return fn


@_migration
def m001_score_overrides(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE score_overrides (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            value REAL NOT NULL,
            comment TEXT NOT NULL,
            evaluator TEXT,
            answer TEXT,
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX score_overrides_item ON score_overrides(item_id)")


@_migration
def m002_conversations(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE turns (
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            question TEXT NOT NULL,
            anchor TEXT NOT NULL,
            lang TEXT NOT NULL,
            created TEXT NOT NULL,
            PRIMARY KEY (conversation_id, n)
        )""")
    db.execute("CREATE INDEX conversations_updated ON conversations(updated)")



@_migration
def m003_turn_answers(db: sqlite3.Connection) -> None:
    """Each turn keeps its answer (JSON of ``Answer``) so a reloaded chat shows it again."""
    db.execute("ALTER TABLE turns ADD COLUMN answer TEXT")


@_migration
def m004_feedback(db: sqlite3.Connection) -> None:
    """Thumbs up/down on an answer, with the question, the answer and the cited text.

    Feedback is given deliberately, so it outlives its conversation; the link
    to the conversation is cleared when that is deleted.
    """
    db.execute("""
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL,
            rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
            comment TEXT NOT NULL DEFAULT '',
            question TEXT NOT NULL,
            lang TEXT NOT NULL,
            answer TEXT NOT NULL,
            citations TEXT NOT NULL,
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX feedback_created ON feedback(created)")


@_migration
def m005_exercise_sheets(db: sqlite3.Connection) -> None:
    """Trainers' saved exercise sheets: the options they were built with and their items."""
    db.execute("""
        CREATE TABLE exercise_sheets (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            options TEXT NOT NULL,
            items TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX exercise_sheets_updated ON exercise_sheets(updated)")


@_migration
def m006_feedback_turn(db: sqlite3.Connection) -> None:
    """Which turn a rating is on, so that a reloaded chat shows the thumbs as they were.

    Rows from before keep NULL: their turn was not recorded.
    """
    db.execute("ALTER TABLE feedback ADD COLUMN turn INTEGER")
    db.execute("CREATE INDEX feedback_conversation ON feedback(conversation_id, turn)")


def migrate(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    for fn in MIGRATIONS:
        if fn.__name__ not in done:
            fn(db)
            db.execute(
                "INSERT INTO _migrations VALUES (?, ?)",
                (fn.__name__, datetime.now(UTC).isoformat()),
            )
    db.commit()


def connect(path: Path) -> sqlite3.Connection:
    """A short-lived connection with foreign keys on and rows addressable by name."""
    db = sqlite3.connect(path, timeout=10)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    return db


def prepare(path: Path) -> None:
    """Create the database file and its folder if needed and bring it up to date."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        migrate(db)
    finally:
        db.close()
