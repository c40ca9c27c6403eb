"""The SQLite override store: migrations run once, newest override wins."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tvaers.db import MIGRATIONS
from tvaers.eval.overrides import OverrideStore


def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "tvaers.sqlite"
    OverrideStore(path)
    OverrideStore(path)  # reopening must not re-run m001
    names = [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM _migrations")]
    assert names == [m.__name__ for m in MIGRATIONS]


def test_newest_override_per_item_and_metric_is_in_force(tmp_path: Path) -> None:
    store = OverrideStore(tmp_path / "db.sqlite")
    store.add("dev-001", "key_points", 0.5, "first look")
    store.add("dev-001", "key_points", 1.0, "all four are paraphrased", evaluator="ane")
    store.add("dev-001", "rouge_l", 0.2, "fine")
    in_force = store.by_item()["dev-001"]
    assert {(o["metric"], o["value"]) for o in in_force} == {("key_points", 1.0),
                                                             ("rouge_l", 0.2)}
    assert len(store.all()) == 3


def test_override_of_unknown_metric_names_the_valid_ones(tmp_path: Path) -> None:
    store = OverrideStore(tmp_path / "db.sqlite")
    with pytest.raises(ValueError, match="unknown metric 'kp'; choose from key_points"):
        store.add("dev-001", "kp", 1.0, "x")


def test_conversations_and_overrides_share_one_migrated_database(tmp_path: Path) -> None:
    from tvaers.conversations import ConversationStore

    path = tmp_path / "tvaers.sqlite"
    ConversationStore(path)
    OverrideStore(path)
    names = [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM _migrations")]
    assert names == [m.__name__ for m in MIGRATIONS]
