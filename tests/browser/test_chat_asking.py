"""Asking in the chat when things go wrong, in headless Chromium against a real server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from live_server import LiveServer  # on the path through tests/browser/conftest.py

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTNER_EN = "How do we handle a private partner who does not deliver?"
ANSWER_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def server(serve) -> Iterator[LiveServer]:
    with serve("asking") as live:
        yield live


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1000, "height": 900})


def _send(page, question: str) -> None:
    page.get_by_label("Dit spørgsmål").fill(question)
    page.keyboard.press("Enter")


def test_an_english_answer_keeps_english_headings_under_the_danish_interface(
    server: LiveServer, page
) -> None:
    page.goto(server.url + "/")
    _send(page, PARTNER_EN)
    answer = page.locator("li.message.answer").first
    answer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert answer.get_attribute("lang") == "en"
    assert answer.locator("section.findings h3").inner_text() == "What the texts say"
    assert answer.locator("section.actions h3").inner_text() == "What you can do"
    chip = answer.locator("section.findings button.chip").first
    assert chip.get_attribute("aria-label").startswith("Show source 1")
    assert answer.locator(".answer-tools").get_attribute("lang") == "da"  # the page's controls

    page.get_by_role("button", name="Switch to English").click()
    page.get_by_role("button", name="Skift til dansk").click()  # and back: nothing changes
    assert answer.locator("section.actions h3").inner_text() == "What you can do"
    assert answer.locator(".answer-tools").get_attribute("lang") == "da"


def test_a_question_of_signs_alone_comes_back_with_a_reason_in_the_interface_language(
    server: LiveServer, page
) -> None:
    page.goto(server.url + "/")
    with page.expect_response("**/api/ask") as refused:
        _send(page, "???")
    assert refused.value.status == 422  # the server's refusal, said in Danish
    status = page.locator("#status")
    status.get_by_text("Spørgsmålet skal have ord i").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert page.get_by_label("Dit spørgsmål").input_value() == "???"  # to edit and resend
    assert page.locator("li.message").count() == 0  # no question left without an answer
    page.get_by_role("button", name="Switch to English").click()
    assert status.inner_text() == "The question needs words; signs alone cannot be searched."


def test_another_refusal_shows_the_servers_reason_and_follows_the_toggle(
    server: LiveServer, page
) -> None:
    page.goto(server.url + "/")
    page.route("**/api/ask", lambda route: route.fulfill(
        status=409, content_type="application/json", body='{"detail": "busy re-indexing"}'))
    _send(page, "Hvordan skaber vi tillid?")
    status = page.locator("#status")
    status.get_by_text("Spørgsmålet kan ikke besvares: busy re-indexing").wait_for(
        timeout=ANSWER_TIMEOUT_MS)
    page.get_by_role("button", name="Switch to English").click()
    assert status.inner_text() == "The question cannot be answered: busy re-indexing"
    assert page.get_by_label("Your question").input_value() == "Hvordan skaber vi tillid?"


def test_a_failed_request_keeps_the_question_to_send_again(server: LiveServer, page) -> None:
    page.goto(server.url + "/")
    page.route("**/api/ask", lambda route: route.abort())
    _send(page, "Hvordan skaber vi tillid?")
    page.locator("#status").get_by_text("Noget gik galt").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert page.get_by_label("Dit spørgsmål").input_value() == "Hvordan skaber vi tillid?"
    assert page.locator("li.message").count() == 0


def test_new_conversation_while_an_answer_is_pending_discards_it_here_and_on_the_server(
    server: LiveServer, page
) -> None:
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-restored='true']")
    held: list = []

    def hold(route) -> None:  # the answer is on its way while the user starts afresh
        held.append(route)

    page.route("**/api/ask", hold)
    _send(page, "Hvordan skaber vi tillid?")
    for _ in range(200):  # the question goes once the conversation has been started
        if held:
            break
        page.wait_for_timeout(50)  # lets Playwright run the route handler
    assert len(held) == 1
    started = page.evaluate("localStorage.getItem('tvaers.conversation_id')")
    assert started  # known before the answer: a reload now could still delete it
    with page.expect_response(f"**/api/conversations/{started}") as first:
        page.get_by_role("button", name="Ny samtale").click()
    assert first.value.request.method == "DELETE" and first.value.status == 204
    page.get_by_text("Ny samtale startet.").wait_for()
    assert not page.locator("#ask-button").is_disabled()
    with page.expect_response("**/api/ask") as late:
        held[0].continue_()
    # the question reached the server after its conversation was deleted: refused, not
    # stored under a new id that no page knows
    assert late.value.status == 404
    page.wait_for_timeout(300)
    assert page.locator("li.message").count() == 0  # the late answer did not land here
    assert page.evaluate("localStorage.getItem('tvaers.conversation_id')") is None
    assert httpx.get(f"{server.url}/api/conversations/{started}").status_code == 404


class HeldAsks:
    """ASGI wrapper: each POST /api/ask waits at the server until released.

    The body is read first, as FastAPI reads it on arrival, so the question is answered
    and stored to the end after the page that asked it has gone, as a slow real answer is.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.arrived = threading.Event()
        self.release = threading.Event()

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/api/ask":
            message = await receive()
            chunks = [message]
            while message.get("more_body"):
                message = await receive()
                chunks.append(message)
            self.arrived.set()
            await asyncio.to_thread(self.release.wait, 60)

            async def replay() -> dict:
                return chunks.pop(0) if chunks else await receive()

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)


def test_a_page_reloaded_before_its_answer_came_shows_the_answer_when_stored(
    serve, page
) -> None:
    held: list[HeldAsks] = []

    def wrap(app: Any) -> HeldAsks:
        held.append(HeldAsks(app))
        return held[0]

    with serve("reload-pending", wrap=wrap) as live:
        gate = held[0]
        page.goto(live.url + "/")
        page.wait_for_selector("body[data-restored='true']")
        _send(page, "Hvordan skaber vi tillid?")
        assert gate.arrived.wait(30)
        page.reload()
        status = page.locator("#status")
        status.get_by_text("Svaret på dit sidste spørgsmål er på vej").wait_for()
        assert page.locator("li.message.question").inner_text().endswith(
            "Hvordan skaber vi tillid?"
        )
        assert page.locator("#ask-button").is_disabled()
        gate.release.set()
        answer = page.locator("li.message.answer").first
        answer.wait_for(timeout=ANSWER_TIMEOUT_MS)
        assert answer.get_attribute("data-turn") == "1"
        assert page.locator("li.message.question").count() == 1  # shown once, not twice
        assert status.inner_text() == ""
        assert not page.locator("#ask-button").is_disabled()
        assert page.evaluate("localStorage.getItem('tvaers.pending')") is None
        page.reload()  # and it stays: the stored turn, nothing waiting
        page.wait_for_selector("body[data-restored='true']")
        page.locator("li.message.answer").first.wait_for()
        assert page.locator("li.message").count() == 2
        assert status.inner_text() == ""


def test_a_pending_question_whose_conversation_is_gone_is_given_back(
    server: LiveServer, page
) -> None:
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-restored='true']")
    started = httpx.post(f"{server.url}/api/conversations").json()["conversation_id"]
    page.evaluate(
        """(id) => {
          localStorage.setItem('tvaers.conversation_id', id);
          localStorage.setItem('tvaers.pending',
            JSON.stringify({conversation_id: id, question: 'Hvad med tillid?', turns: 1}));
        }""",
        started,
    )
    page.reload()
    page.locator("#status").get_by_text("er på vej").wait_for()
    httpx.delete(f"{server.url}/api/conversations/{started}")  # deleted in another tab
    page.locator("#status").get_by_text("kom ikke frem").wait_for(timeout=10_000)
    assert page.get_by_label("Dit spørgsmål").input_value() == "Hvad med tillid?"
    assert page.locator("li.message").count() == 0
    assert page.evaluate("localStorage.getItem('tvaers.pending')") is None


@pytest.mark.parametrize(
    ("pending_in", "says"),
    [("the-gone-one", "kom ikke frem"), ("another", "nåede ikke frem")],
)
def test_a_pending_question_is_given_back_when_its_conversation_is_gone_at_reload(
    server: LiveServer, page, pending_in: str, says: str
) -> None:
    """Expired or deleted before the reload: a question asked in it will not be
    answered, and one never sent (pending for no conversation the server has) neither."""
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-restored='true']")
    gone = httpx.post(f"{server.url}/api/conversations").json()["conversation_id"]
    httpx.delete(f"{server.url}/api/conversations/{gone}")
    page.evaluate(
        """([id, pendingIn]) => {
          localStorage.setItem('tvaers.conversation_id', id);
          localStorage.setItem('tvaers.pending', JSON.stringify({
            conversation_id: pendingIn === 'another' ? null : id,
            question: 'Hvad med tillid?', turns: 1}));
        }""",
        [gone, pending_in],
    )
    page.reload()
    page.locator("#status").get_by_text(says).wait_for(timeout=10_000)
    assert page.get_by_label("Dit spørgsmål").input_value() == "Hvad med tillid?"
    assert page.locator("li.message").count() == 0
    assert page.evaluate("localStorage.getItem('tvaers.pending')") is None
    assert page.evaluate("localStorage.getItem('tvaers.conversation_id')") is None


def test_a_question_reloaded_away_before_it_was_sent_is_given_back(
    server: LiveServer, page
) -> None:
    """A reload while the conversation is still being started: the question never left."""
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-restored='true']")
    page.route("**/api/conversations", lambda route: None)  # held: never answered
    _send(page, "Hvordan skaber vi tillid?")
    page.wait_for_function("localStorage.getItem('tvaers.pending') !== null")
    page.reload()  # still held: unrouting would let the start through before the reload
    page.locator("#status").get_by_text("nåede ikke frem").wait_for()
    assert page.get_by_label("Dit spørgsmål").input_value() == "Hvordan skaber vi tillid?"
    assert page.locator("li.message").count() == 0
    assert page.evaluate("localStorage.getItem('tvaers.pending')") is None
    assert not page.locator("#ask-button").is_disabled()


def test_new_conversation_while_restoring_shows_neither_the_old_one_nor_its_status(
    server: LiveServer, page
) -> None:
    started = httpx.post(f"{server.url}/api/conversations").json()["conversation_id"]
    httpx.post(
        f"{server.url}/api/ask", json={"question": "tillid", "conversation_id": started},
        timeout=120,
    ).raise_for_status()
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-restored='true']")
    page.evaluate("(id) => localStorage.setItem('tvaers.conversation_id', id)", started)
    held: list = []
    page.route(f"**/api/conversations/{started}", lambda route: held.append(route)
               if route.request.method == "GET" else route.fallback())
    page.reload()
    page.locator("#status").get_by_text("Henter samtalen").wait_for()
    page.get_by_role("button", name="Ny samtale").click()
    page.get_by_text("Ny samtale startet.").wait_for()
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    held[0].continue_()  # the old conversation arrives after "Ny samtale"
    page.wait_for_timeout(500)
    assert page.locator("li.message").count() == 0
    assert page.locator("#status").inner_text() == "Ny samtale startet."
    assert not page.locator("#ask-button").is_disabled()


def test_a_paste_over_the_limit_says_it_was_cut(server: LiveServer, page) -> None:
    page.goto(server.url + "/")
    field = page.get_by_label("Dit spørgsmål")
    field.focus()
    page.evaluate(
        """() => {
          const data = new DataTransfer();
          data.setData("text/plain", "tillid ".repeat(200));
          const input = document.querySelector("#question");
          input.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
          input.value = ("tillid ".repeat(200)).slice(0, 1000);  // what the browser keeps
        }"""
    )
    page.locator("#count").get_by_text("Højst 1000 tegn").wait_for()


def test_an_example_names_its_case_as_the_copied_text_does(server: LiveServer, page) -> None:
    page.goto(server.url + "/")
    _send(page, "Hvordan håndterer vi en privat partner, der ikke leverer?")
    answer = page.locator("li.message.answer").first
    answer.wait_for(timeout=ANSWER_TIMEOUT_MS)
    first = answer.locator("section.examples li").first
    assert first.locator(".case").inner_text().startswith("Horsens på Forkant")
