"""A real uvicorn server on a free loopback port, in a background thread."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI


def db_rows(db_path: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    """Rows of the server's SQLite file, read the way an administrator would."""
    db = sqlite3.connect(db_path)
    db.row_factory = sqlite3.Row
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


class LiveServer:
    def __init__(self, app: FastAPI, **config_options: object) -> None:
        """``config_options`` go to ``uvicorn.Config`` (e.g. ``log_level``, ``log_config``)."""
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        options: dict = {"log_level": "warning", **config_options}
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, **options)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 120
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
