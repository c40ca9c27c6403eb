"""Asking in the chat when things go wrong, in headless Chromium against a real server."""

from __future__ import annotations

from collections.abc import Iterator

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
    assert answer.locator("section.actions h3").inner_text() == "What you can do"
    chip = answer.locator("section.actions button.chip").first
    assert chip.get_attribute("aria-label").startswith("Show source 1")
    assert answer.locator(".answer-tools").get_attribute("lang") == "da"  # the page's controls

    page.get_by_role("button", name="Switch to English").click()
    page.get_by_role("button", name="Skift til dansk").click()  # and back: nothing changes
    assert answer.locator("section.actions h3").inner_text() == "What you can do"
    assert answer.locator(".answer-tools").get_attribute("lang") == "da"


def test_a_refused_question_comes_back_with_the_servers_reason(server: LiveServer, page) -> None:
    page.goto(server.url + "/")
    _send(page, "???")
    status = page.locator("#status")
    status.get_by_text("Spørgsmålet kan ikke besvares").wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "no words" in status.inner_text()
    assert page.get_by_label("Dit spørgsmål").input_value() == "???"  # to edit and resend
    assert page.locator("li.message").count() == 0  # no question left without an answer


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
