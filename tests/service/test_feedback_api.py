"""Stored conversations (GET /api/conversations/{id}) and feedback, over real HTTP."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from live_server import LiveServer, db_rows

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = pytest.mark.slow

# Answered with the shipped thresholds, as its Danish twin is.
PARTNER_EN = "How do we handle a private partner who does not deliver?"
FOLLOW_UP = "And what did that mean for the project manager?"
TIMEOUT = 120


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feedback-db") / "tvaers.sqlite"


@pytest.fixture(scope="module")
def server(bundled_settings: Settings, db_path: Path) -> Iterator[LiveServer]:
    settings = bundled_settings.model_copy(update={"db_path": db_path})
    with LiveServer(create_app(settings)) as live:
        yield live


@pytest.fixture(scope="module")
def first(server: LiveServer) -> dict:
    response = httpx.post(f"{server.url}/api/ask", json={"question": PARTNER_EN}, timeout=TIMEOUT)
    assert response.status_code == 200
    body = response.json()
    assert body["not_covered"] is False, body["evidence"]
    return body


def _feedback(server: LiveServer, **body: object) -> httpx.Response:
    return httpx.post(f"{server.url}/api/feedback", json=body, timeout=TIMEOUT)


def _conversation(server: LiveServer, conversation_id: str) -> httpx.Response:
    return httpx.get(f"{server.url}/api/conversations/{conversation_id}", timeout=TIMEOUT)


def test_an_answer_is_numbered_and_comes_back_unchanged_after_a_reload(
    server: LiveServer, first: dict
) -> None:
    assert first["turn"] == 1
    cid = first["conversation_id"]
    second = httpx.post(
        f"{server.url}/api/ask",
        json={"question": FOLLOW_UP, "conversation_id": cid},
        timeout=TIMEOUT,
    ).json()
    assert second["turn"] == 2

    stored = _conversation(server, cid)
    assert stored.status_code == 200
    turns = stored.json()["turns"]
    assert [(t["n"], t["question"]) for t in turns] == [(1, PARTNER_EN), (2, FOLLOW_UP)]
    assert turns[0]["answer"] == first
    assert turns[1]["answer"] == second


def test_unknown_or_malformed_conversation_ids_are_refused(server: LiveServer) -> None:
    missing = _conversation(server, "no-such-conversation")
    assert missing.status_code == 404
    assert "no-such-conversation" in missing.json()["detail"]
    assert _conversation(server, "bad%20id!").status_code == 422


def test_feedback_is_stored_with_question_answer_and_cited_text(
    server: LiveServer, first: dict, db_path: Path
) -> None:
    response = _feedback(
        server,
        conversation_id=first["conversation_id"],
        turn=1,
        rating=-1,
        comment="  Mangler noget om kontrakten.  ",
    )
    assert response.status_code == 201, response.text
    stored_id = response.json()["id"]
    (row,) = db_rows(db_path, "SELECT * FROM feedback WHERE id = ?", stored_id)
    assert row["conversation_id"] == first["conversation_id"]
    assert row["rating"] == -1
    assert row["comment"] == "Mangler noget om kontrakten."
    assert row["question"] == PARTNER_EN
    assert row["lang"] == "en"
    assert row["answer"] == first["text"]
    cited = json.loads(row["citations"])
    assert [c["text"] for c in cited] == [c["text"] for c in first["citations"]]
    assert [c["chunk_id"] for c in cited] == [c["chunk_id"] for c in first["citations"]]
    assert all(c["text"] for c in cited)


def test_a_reloaded_conversation_shows_each_answers_latest_rating(server: LiveServer) -> None:
    answer = httpx.post(
        f"{server.url}/api/ask", json={"question": PARTNER_EN}, timeout=TIMEOUT
    ).json()
    cid = answer["conversation_id"]
    assert _conversation(server, cid).json()["turns"][0]["rating"] is None
    assert _feedback(server, conversation_id=cid, turn=1, rating=-1).status_code == 201
    assert _feedback(server, conversation_id=cid, turn=1, rating=1).status_code == 201
    assert _conversation(server, cid).json()["turns"][0]["rating"] == 1


def test_the_client_cannot_supply_the_question_or_answer(server: LiveServer, first: dict) -> None:
    response = _feedback(
        server, conversation_id=first["conversation_id"], turn=1, rating=1, question="forged"
    )
    assert response.status_code == 422
    assert "question" in response.text


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"rating": 0}, "1 or -1"),
        ({"rating": 5}, "1 or -1"),
        ({"rating": "good"}, "1 or -1"),
        ({"comment": "x" * 2001}, "at most 2000 characters"),
        ({"turn": 0}, "greater than or equal to 1"),
        ({"turn": 2**63}, "less than or equal to 1000000"),
        ({"conversation_id": "not valid!"}, "should match pattern"),
    ],
)
def test_malformed_feedback_gets_422_saying_what_is_wrong(
    server: LiveServer, first: dict, changes: dict, complaint: str
) -> None:
    body = {"conversation_id": first["conversation_id"], "turn": 1, "rating": 1, **changes}
    response = _feedback(server, **body)
    assert response.status_code == 422
    assert complaint in str(response.json()["detail"])


def test_feedback_on_an_unknown_turn_is_404(server: LiveServer, first: dict) -> None:
    unknown_turn = _feedback(server, conversation_id=first["conversation_id"], turn=99, rating=1)
    assert unknown_turn.status_code == 404
    assert "no answer 99" in unknown_turn.json()["detail"]
    unknown = _feedback(server, conversation_id="never-started", turn=1, rating=1)
    assert unknown.status_code == 404


def test_deleting_a_conversation_keeps_its_feedback_unlinked(
    server: LiveServer, db_path: Path
) -> None:
    answer = httpx.post(
        f"{server.url}/api/ask", json={"question": PARTNER_EN}, timeout=TIMEOUT
    ).json()
    cid = answer["conversation_id"]
    given = _feedback(server, conversation_id=cid, turn=1, rating=1)
    assert given.status_code == 201
    deleted = httpx.delete(f"{server.url}/api/conversations/{cid}", timeout=TIMEOUT)
    assert deleted.status_code == 204

    assert _conversation(server, cid).status_code == 404
    assert db_rows(db_path, "SELECT * FROM turns WHERE conversation_id = ?", cid) == []
    (kept,) = db_rows(db_path, "SELECT * FROM feedback WHERE id = ?", given.json()["id"])
    assert kept["conversation_id"] is None
    assert (kept["question"], kept["answer"]) == (PARTNER_EN, answer["text"])
    assert _feedback(server, conversation_id=cid, turn=1, rating=1).status_code == 404


def test_an_expired_conversation_is_not_shown_nor_rated(
    server: LiveServer, db_path: Path
) -> None:
    cid = httpx.post(
        f"{server.url}/api/ask", json={"question": PARTNER_EN}, timeout=TIMEOUT
    ).json()["conversation_id"]
    long_ago = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (long_ago, cid))
    assert _conversation(server, cid).status_code == 404
    assert _feedback(server, conversation_id=cid, turn=1, rating=1).status_code == 404


def test_a_conversation_started_empty_keeps_its_id_for_the_first_question(
    server: LiveServer,
) -> None:
    started = httpx.post(f"{server.url}/api/conversations", timeout=TIMEOUT)
    assert started.status_code == 201
    cid = started.json()["conversation_id"]
    # known before any question: a reloaded page finds it (empty) and can delete it
    empty = _conversation(server, cid)
    assert empty.status_code == 200 and empty.json()["turns"] == []
    answer = httpx.post(
        f"{server.url}/api/ask", json={"question": PARTNER_EN, "conversation_id": cid},
        timeout=TIMEOUT,
    ).json()
    assert (answer["conversation_id"], answer["turn"]) == (cid, 1)
    assert [t["question"] for t in _conversation(server, cid).json()["turns"]] == [PARTNER_EN]
    assert httpx.delete(f"{server.url}/api/conversations/{cid}", timeout=TIMEOUT).status_code == 204
    assert _conversation(server, cid).status_code == 404
    # the deleted one is not brought back by a late question
    late = httpx.post(
        f"{server.url}/api/ask", json={"question": PARTNER_EN, "conversation_id": cid},
        timeout=TIMEOUT,
    )
    assert late.status_code == 404 and _conversation(server, cid).status_code == 404
