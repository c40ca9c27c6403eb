"""Conversations in SQLite: turns in order, deletion, and the retention period."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tvaers.conversations import ConversationStore


def test_turns_are_numbered_and_the_last_one_is_returned(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "db.sqlite")
    store.add_turn("c1", "Hvordan skaber vi tillid?", anchor="Hvordan skaber vi tillid?", lang="da")
    n = store.add_turn("c1", "Og med almen praksis?", anchor="Hvordan skaber vi tillid?", lang="da")
    assert n == 2
    last = store.last_turn("c1")
    assert last is not None
    assert last.question == "Og med almen praksis?"
    assert [t.n for t in store.turns("c1")] == [1, 2]
    assert store.last_turn("ukendt") is None


def test_delete_removes_the_conversation_and_its_turns(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "db.sqlite")
    store.add_turn("c1", "Hvad er krydspres?", anchor="Hvad er krydspres?", lang="da")
    assert store.delete("c1") is True
    assert store.turns("c1") == []
    assert store.delete("c1") is False
    rows = sqlite3.connect(tmp_path / "db.sqlite").execute("SELECT COUNT(*) FROM turns")
    assert rows.fetchone()[0] == 0


def test_conversations_older_than_the_retention_period_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = ConversationStore(path, retention_days=30)
    store.add_turn("old", "Gammelt spørgsmål", anchor="Gammelt spørgsmål", lang="da")
    long_ago = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE conversations SET updated = ? WHERE id = 'old'", (long_ago,))
    store.add_turn("new", "Nyt spørgsmål", anchor="Nyt spørgsmål", lang="da")
    assert store.turns("old") == []
    assert len(store.turns("new")) == 1


def test_retention_must_be_at_least_a_day(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="retention_days must be >= 1"):
        ConversationStore(tmp_path / "db.sqlite", retention_days=0)
