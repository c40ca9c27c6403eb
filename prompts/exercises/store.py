"""Saved exercise sheets in the SQLite table ``exercise_sheets`` (migration m005).

A sheet is kept whole (options and items as JSON of the contracts), so a
reopened sheet shows exactly the quotes and seeds it was saved with, and
regenerating one item rewrites the row with the others untouched.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from tvaers.contracts import ExerciseItem, ExerciseOptions, ExerciseSheet
from tvaers.db import connect, prepare

__all__ = ["SHEET_ID", "ExerciseStore", "SheetSummary"]

#: What a sheet id may look like.
SHEET_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class SheetSummary(NamedTuple):
    sheet_id: str
    title: str
    items: int
    created: str
    updated: str


class ExerciseStore:
    """Sheets by id; one short-lived connection per call (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        prepare(self.path)

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def save(self, sheet: ExerciseSheet) -> ExerciseSheet:
        """Insert or replace the sheet; sets ``created``/``updated`` when missing."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        sheet = sheet.model_copy(
            update={"created": sheet.created or now, "updated": sheet.updated or now}
        )
        items = json.dumps([i.model_dump(mode="json") for i in sheet.items], ensure_ascii=False)
        db = self._connect()
        try:
            with db:
                db.execute(
                    "INSERT INTO exercise_sheets (id, title, options, items, created, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    "title = excluded.title, options = excluded.options, "
                    "items = excluded.items, updated = excluded.updated",
                    (
                        sheet.sheet_id,
                        sheet.title,
                        sheet.options.model_dump_json(),
                        items,
                        sheet.created,
                        sheet.updated,
                    ),
                )
        finally:
            db.close()
        return sheet

    def get(self, sheet_id: str) -> ExerciseSheet | None:
        db = self._connect()
        try:
            row = db.execute("SELECT * FROM exercise_sheets WHERE id = ?", (sheet_id,)).fetchone()
        finally:
            db.close()
        if row is None:
            return None
        return ExerciseSheet(
            sheet_id=row["id"],
            title=row["title"],
            options=ExerciseOptions.model_validate_json(row["options"]),
            items=[ExerciseItem.model_validate(i) for i in json.loads(row["items"])],
            created=row["created"],
            updated=row["updated"],
        )

    def list(self, limit: int = 100) -> list[SheetSummary]:
        """Saved sheets, most recently changed first."""
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT id, title, items, created, updated FROM exercise_sheets "
                "ORDER BY updated DESC, created DESC, id LIMIT ?",
                (limit,),
            ).fetchall()
        finally:
            db.close()
        return [
            SheetSummary(r["id"], r["title"], len(json.loads(r["items"])), r["created"],
                         r["updated"])
            for r in rows
        ]

    def delete(self, sheet_id: str) -> bool:
        db = self._connect()
        try:
            with db:
                cur = db.execute("DELETE FROM exercise_sheets WHERE id = ?", (sheet_id,))
        finally:
            db.close()
        return cur.rowcount > 0
