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


def test_an_override_in_force_replaces_its_score_in_the_rows_and_keeps_the_automatic_one(
    tmp_path: Path,
) -> None:
    from types import SimpleNamespace

    from tvaers.eval.answer_eval import summary_rows
    from tvaers.eval.answers import AnswerScore

    score = AnswerScore(id="dev-001", lang="da", kind="case", key_points=0.5,
                        key_points_hit=[True, False], cosine=0.9, rouge_l=0.2,
                        citation_precision=1.0, citation_recall=0.5, declined=None)
    other = AnswerScore(id="dev-097", lang="da", kind="out_of_scope", key_points=None,
                        key_points_hit=[], cosine=None, rouge_l=None, citation_precision=None,
                        citation_recall=None, declined=False)
    store = OverrideStore(tmp_path / "tvaers.sqlite")
    store.add("dev-001", "key_points", 1.0, "both points, paraphrased", evaluator="anna")
    store.add("dev-097", "declined", 1.0, "it says the texts do not say")
    run = SimpleNamespace(scores=[score, other])
    evaluator = SimpleNamespace(similarity=lambda cosine: None if cosine is None else 0.5)
    rows = {r["id"]: r for r in summary_rows(run, evaluator, store.by_item())}  # type: ignore[arg-type]
    assert rows["dev-001"]["key_points"] == 1.0 and rows["dev-001"]["rouge_l"] == 0.2
    assert rows["dev-001"]["overrides"] == "key_points 0.5 → 1 (anna: both points, paraphrased)"
    assert rows["dev-097"]["declined"] is True
    assert rows["dev-097"]["overrides"] == "declined no → yes (anon: it says the texts do not say)"
