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


def _store_with_expired_conversation(path: Path) -> ConversationStore:
    """A store whose conversation "old" was last touched 31 days ago (retention 30)."""
    store = ConversationStore(path, retention_days=30)
    store.add_turn("old", "Gammelt spørgsmål", anchor="Gammelt spørgsmål", lang="da")
    long_ago = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE conversations SET updated = ? WHERE id = 'old'", (long_ago,))
    return store


def test_conversations_older_than_the_retention_period_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = _store_with_expired_conversation(path)
    store.add_turn("new", "Nyt spørgsmål", anchor="Nyt spørgsmål", lang="da")
    assert store.turns("old") == []
    assert len(store.turns("new")) == 1


def test_retention_must_be_at_least_a_day(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="retention_days must be >= 1"):
        ConversationStore(tmp_path / "db.sqlite", retention_days=0)


def test_a_turn_keeps_its_answer_and_can_be_read_alone(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "db.sqlite")
    store.add_turn("c1", "Uden svar", anchor="Uden svar", lang="da")
    n = store.add_turn("c1", "Hvad er krydspres?", anchor="Hvad er krydspres?", lang="da",
                       answer='{"text": "svar"}')
    turn = store.turn("c1", n)
    assert turn is not None
    assert (turn.question, turn.answer) == ("Hvad er krydspres?", '{"text": "svar"}')
    assert turn.created
    assert [t.answer for t in store.turns("c1")] == [None, '{"text": "svar"}']
    assert store.turn("c1", 99) is None
    assert store.turn("ukendt", 1) is None


def test_an_expired_conversation_is_not_read_back_before_it_is_swept(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = _store_with_expired_conversation(path)
    assert store.turns("old") == []
    assert store.turn("old", 1) is None
    assert store.last_turn("old") is None
    with sqlite3.connect(path) as db:  # still on disk until the next write sweeps it
        assert db.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == 1


def test_a_conversation_can_be_started_empty_and_expires_like_any_other(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = _store_with_expired_conversation(path)
    assert store.exists("old") is False  # expired, though still on disk
    started = store.create()
    assert store.exists(started) and store.turns(started) == []
    assert store.add_turn(started, "Første", anchor="Første", lang="da") == 1
    with sqlite3.connect(path) as db:  # creating swept the expired one
        assert db.execute("SELECT COUNT(*) FROM conversations WHERE id = 'old'").fetchone()[0] == 0
    assert store.delete(started) and not store.exists(started)
    assert store.exists("never-issued") is False


def test_a_turn_for_a_conversation_deleted_meanwhile_does_not_bring_it_back(
    tmp_path: Path,
) -> None:
    from tvaers.conversations import UnknownConversationError

    store = ConversationStore(tmp_path / "db.sqlite")
    started = store.create()
    store.delete(started)  # "Ny samtale" while the question was being answered
    with pytest.raises(UnknownConversationError, match="deleted, expired or never started"):
        store.add_turn(started, "Sent", anchor="Sent", lang="da", create=False)
    assert not store.exists(started) and store.turns(started) == []
