"""Evaluator overrides of answer scores, kept in SQLite.

Migrations are numbered functions applied once each, in order, and recorded
in ``_migrations`` (the pattern of simonw/llm's ``migrations.py``): add a new
``m00N_...`` function to change the schema, never edit an applied one.

Example:
    >>> store = OverrideStore(tmp_path / "tvaers.sqlite")             # doctest: +SKIP
    >>> store.add("dev-001", "key_points", 1.0, "paraphrased, all 4 there")  # doctest: +SKIP
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tvaers.db import connect, prepare
from tvaers.eval.answers import SCORED_METRICS

__all__ = ["OverrideStore"]

#: Every per-item metric the answer scorer reports can be overridden.
OVERRIDABLE = SCORED_METRICS


class OverrideStore:
    """Overrides by item id; the newest per (item, metric) is the one in force."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        prepare(self.path)

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def add(
        self,
        item_id: str,
        metric: str,
        value: float,
        comment: str,
        *,
        evaluator: str | None = None,
        answer: str | None = None,
    ) -> dict[str, Any]:
        if metric not in OVERRIDABLE:
            raise ValueError(f"unknown metric {metric!r}; choose from {', '.join(OVERRIDABLE)}")
        if not comment.strip():
            raise ValueError("an override needs a comment saying why")
        created = datetime.now(UTC).isoformat()
        db = self._connect()
        try:
            with db:
                cur = db.execute(
                    "INSERT INTO score_overrides (item_id, metric, value, comment, evaluator,"
                    " answer, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (item_id, metric, float(value), comment, evaluator, answer, created),
                )
            row_id = cur.lastrowid
        finally:
            db.close()
        return {
            "id": row_id,
            "item_id": item_id,
            "metric": metric,
            "value": float(value),
            "comment": comment,
            "evaluator": evaluator,
            "created": created,
        }

    def all(self) -> list[dict[str, Any]]:
        db = self._connect()
        try:
            return [dict(r) for r in db.execute("SELECT * FROM score_overrides ORDER BY id")]
        finally:
            db.close()

    def by_item(self) -> dict[str, list[dict[str, Any]]]:
        """Overrides in force, newest per (item, metric), grouped by item id."""
        latest: dict[tuple[str, str], dict[str, Any]] = {}
        for row in self.all():
            latest[(row["item_id"], row["metric"])] = row
        out: dict[str, list[dict[str, Any]]] = {}
        for (item_id, _), row in latest.items():
            out.setdefault(item_id, []).append(row)
        return out
