"""Questions never reach the server logs, not even through GET /api/search?q=... URLs."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from live_server import LiveServer

from tvaers.service.app import create_app
from tvaers.service.logs import redact_url
from tvaers.settings import Settings

# A word that occurs nowhere else, so any log line carrying the question shows it.
MARKER = "Kvistgaardsk"
QUESTION = f"Hvordan håndterer vi {MARKER}-partneren, der ikke leverer?"
TIMEOUT = 120


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """caplog at DEBUG on every logger, including those that do not propagate (uvicorn's)."""
    closed = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in closed:
        logger.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)
    try:
        yield caplog
    finally:
        for logger in closed:
            logger.removeHandler(caplog.handler)


def _get(url: str) -> int:
    # urllib, not httpx: the test's own HTTP client must not log the URL either.
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_no_log_record_contains_the_question(
    bundled_settings: Settings, all_logs: pytest.LogCaptureFixture, tmp_path
) -> None:
    settings = bundled_settings.model_copy(update={"db_path": tmp_path / "tvaers.sqlite"})
    # log_config=None: uvicorn installs no handlers of its own, so its records reach caplog.
    with LiveServer(create_app(settings), log_level="debug", log_config=None) as live:
        query = urllib.parse.urlencode({"q": QUESTION, "k": 3})
        assert _get(f"{live.url}/api/search?{query}") == 200
        too_many = urllib.parse.urlencode({"q": QUESTION, "k": 0})
        assert _get(f"{live.url}/api/search?{too_many}") == 422
        answer = _post(f"{live.url}/api/ask", {"question": QUESTION})
        assert answer["question"] == QUESTION
        _post(
            f"{live.url}/api/feedback",
            {"conversation_id": answer["conversation_id"], "turn": 1, "rating": -1},
        )

    lines = [f"{r.name}: {r.getMessage()}" for r in all_logs.records]
    access = [line for line in lines if line.startswith("uvicorn.access")]
    # The access log did run (so the check below can fail), with the question redacted.
    assert any("/api/search?q=%5Bredacted%5D&k=3" in line for line in access), access
    assert any("POST /api/ask" in line for line in access), access
    leaks = [line for line in lines if MARKER in line or MARKER.lower() in line.lower()]
    assert not leaks, leaks
    assert MARKER not in all_logs.text


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("/api/search?q=tillid&k=3", "/api/search?q=%5Bredacted%5D&k=3"),
        ("/api/search?k=3&q=Hvordan%20g%C3%B8r%20vi", "/api/search?k=3&q=%5Bredacted%5D"),
        ("/x?question=hemmeligt", "/x?question=%5Bredacted%5D"),
        ("/api/search?faq=1&seq=2", "/api/search?faq=1&seq=2"),
        ("/api/passages/doc%23abc?context=2", "/api/passages/doc%23abc?context=2"),
    ],
)
def test_question_parameters_are_redacted_in_urls(url: str, redacted: str) -> None:
    assert redact_url(url) == redacted
