"""Requests FastAPI would let through or fail on with a 500, against the real server."""

from __future__ import annotations

import logging

import httpx
import pytest
from live_server import LiveServer

from tvaers.service.app import create_app
from tvaers.service.request_checks import (
    MAX_BODY_BYTES,
    body_problem,
    slash_redirect,
    url_problem,
)
from tvaers.settings import Settings


@pytest.fixture(scope="module")
def server(bundled_settings: Settings):
    with LiveServer(create_app(bundled_settings)) as live:
        yield live


def _post(server: LiveServer, path: str, raw: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}{path}", content=raw.encode(), headers={"content-type": "application/json"}
    )


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/ask", '{"question": "tillid \\ud800"}', "body.question"),
        ("/api/eval/score", '{"answer": "x\\udfff", "item_id": "dev-001"}', "body.answer"),
        ("/api/exercises", '{"topics": ["Tillid", "\\ud83d"]}', "body.topics[1]"),
    ],
)
def test_a_lone_surrogate_gets_a_422_naming_the_field_and_is_not_logged(
    server: LiveServer, path: str, body: str, field: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = _post(server, path, body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(f"{field} holds a lone surrogate")
    assert "tillid" not in caplog.text and "Traceback" not in caplog.text


def test_a_surrogate_pair_is_an_emoji_and_passes(server: LiveServer) -> None:
    response = _post(server, "/api/ask", '{"question": "tillid \\ud83d\\ude00"}')
    assert response.status_code == 200, response.text


def test_a_body_over_the_limit_gets_413_before_it_is_parsed(server: LiveServer) -> None:
    big = '{"question": "' + "a" * (MAX_BODY_BYTES + 10) + '"}'
    response = _post(server, "/api/ask", big)
    assert response.status_code == 413
    assert "larger than 1,000,000 bytes" in response.json()["detail"]


def test_a_path_id_that_is_not_utf8_gets_400(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/api/documents/%FF")
    assert response.status_code == 400 and "path is not UTF-8" in response.json()["detail"]


def test_pages_link_their_assets_by_path_not_by_the_host_header(server: LiveServer) -> None:
    for page in ("/", "/trainer"):
        html = httpx.get(f"{server.url}{page}", headers={"host": "evil.example"}).text
        assert "evil.example" not in html and '"/static/' in html


def test_a_trailing_slash_redirects_on_this_server_whatever_the_host_header(
    server: LiveServer,
) -> None:
    forged = {"host": "evil.example"}
    response = httpx.get(f"{server.url}/api/search/?q=tillid&k=1", headers=forged)
    assert response.status_code == 307
    assert response.headers["location"] == "/api/search?q=tillid&k=1"
    followed = httpx.get(f"{server.url}/api/search/?q=tillid&k=1", follow_redirects=True)
    assert followed.status_code == 200 and len(followed.json()["hits"]) == 1
    posted = httpx.post(f"{server.url}/api/conversations/", follow_redirects=True)
    assert posted.status_code == 201  # 307 keeps the method
    for path in ("/trainer/", "/docs/"):
        page = httpx.get(f"{server.url}{path}", headers=forged)
        assert page.status_code == 307 and page.headers["location"] == path.rstrip("/")


def test_a_slash_redirect_never_leaves_the_server() -> None:
    assert slash_redirect(b"/", b"") is None
    assert slash_redirect(b"/api/search", b"q=x") is None
    assert slash_redirect(b"//evil.example/", b"") == b"/evil.example"  # not "//evil.example"
    assert slash_redirect(b"/api/search//", b"q=s%C3%A6rlig") == b"/api/search?q=s%C3%A6rlig"
    assert slash_redirect(b"/\\evil.example/", b"") is None  # browsers read "/\\" as "//"


def test_url_and_body_checks_accept_ordinary_danish() -> None:
    assert url_problem(b"/api/documents/ledelse-over-gr%C3%A6nser", b"q=s%C3%A6rlig+tillid") is None
    assert url_problem(b"/", b"q=s%E6rlig").startswith("the URL's query string is not UTF-8")
    assert body_problem('{"q": "særlig \\u00e6"}'.encode()) is None
    assert body_problem(b"not json \\u") is None  # FastAPI reports what is not JSON


def test_head_answers_as_get_without_a_body(server: LiveServer) -> None:
    for path in ("/healthz", "/api/search?q=tillid&k=1", "/", "/static/chat.js"):
        head = httpx.head(f"{server.url}{path}")
        get = httpx.get(f"{server.url}{path}")
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_true_is_no_count_and_no_rating(server: LiveServer) -> None:
    asked = _post(server, "/api/ask", '{"question": "tillid", "k": true}')
    assert asked.status_code == 422 and "valid integer" in asked.text
    rated = _post(server, "/api/feedback", '{"conversation_id": "c1", "turn": 1, "rating": true}')
    assert rated.status_code == 422 and "rating is 1 or -1, not true or false" in rated.text


def test_a_body_without_a_json_content_type_gets_a_422_even_when_it_is_not_utf8(
    server: LiveServer,
) -> None:
    response = httpx.post(
        f"{server.url}/api/ask", content=b'\xff\xfe{"q"', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 422, response.text  # was a 500 from the 422 handler
    assert "valid dictionary" in response.text
