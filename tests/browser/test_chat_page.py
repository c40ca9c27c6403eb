"""The web chat at / in headless Chromium against a real server and the bundled index."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import LiveServer  # on the path through tests/browser/conftest.py

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTNER_DA = "Hvordan håndterer vi en privat partner, der ikke leverer?"
SCRIPT_QUESTION = "<script>alert(1)</script> Hvordan samarbejder vi?"
ANSWER_TIMEOUT_MS = 120_000
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(bundled_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(create_app(bundled_settings)) as live:  # the shipped thresholds
        yield live


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 390, "height": 844})  # a phone


def _ask(page, question: str) -> None:
    answers = page.locator("li.message.answer")
    before = answers.count()
    page.get_by_label("Dit spørgsmål").fill(question)
    page.keyboard.press("Enter")
    answers.nth(before).wait_for(timeout=ANSWER_TIMEOUT_MS)


def test_chat_answers_with_citation_chips_that_open_the_marked_passage(
    server: LiveServer, page
) -> None:
    page.goto(server.url + "/")
    assert page.locator("html").get_attribute("lang") == "da"

    _ask(page, PARTNER_DA)
    answer = page.locator("li.message.answer").last
    assert answer.locator(".tvaers .by").first.inner_text().strip() != ""
    actions = answer.locator("section.actions li")
    assert actions.count() >= 1
    assert answer.locator("section.actions h3").inner_text() == "Det kan I gøre"
    # what the texts say about the question comes before the advice
    assert answer.locator("section.findings h3").inner_text() == "Det siger teksterne"
    parts = answer.locator("section.part").evaluate_all("ns => ns.map(n => n.className)")
    assert parts.index("part findings") < parts.index("part actions"), parts
    assert "juridisk rådgivning" in answer.locator(".answer-disclaimer").inner_text()
    conversation_id = page.evaluate("localStorage.getItem('tvaers.conversation_id')")
    assert conversation_id

    actions.first.locator("button.chip").first.click()
    dialog = page.locator("dialog#passage")
    mark = dialog.locator(".highlight mark")
    mark.wait_for(timeout=30_000)
    quoted = actions.first.locator("q").inner_text()
    assert mark.inner_text().strip() == quoted.strip()
    assert dialog.locator("#passage-title").inner_text().strip()
    assert dialog.locator("#passage-meta").inner_text().strip()
    if os.environ.get("TVAERS_SCREENSHOT") == "1":
        page.set_viewport_size({"width": 1000, "height": 1400})
        page.locator("#passage-close").click()
        page.evaluate("window.scrollTo(0, 0)")
        (REPO / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "docs" / "chat.png"))
        actions.first.locator("button.chip").first.click()
        mark.wait_for(timeout=30_000)
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")

    findings = answer.locator("section.findings li")
    findings.first.locator("button.chip").first.click()
    mark.wait_for(timeout=30_000)
    assert mark.inner_text().strip() == findings.first.locator("q").inner_text().strip()
    page.keyboard.press("Escape")

    # "Ny samtale" forgets the conversation on the server and in the browser.
    page.get_by_role("button", name="Ny samtale").click()
    page.wait_for_function("localStorage.getItem('tvaers.conversation_id') === null")
    assert page.locator("li.message").count() == 0


def test_markup_in_a_question_is_shown_as_text(server: LiveServer, page) -> None:
    page.goto(server.url + "/")
    _ask(page, SCRIPT_QUESTION)
    shown = page.locator("li.message.question p").last
    assert shown.inner_text() == SCRIPT_QUESTION
    assert page.locator("li.message script").count() == 0


def test_english_toggle_switches_the_interface_and_is_remembered(server: LiveServer, page) -> None:
    page.goto(server.url + "/")
    page.get_by_role("button", name="Switch to English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Your question").is_visible()
    assert page.get_by_role("button", name="New conversation").is_visible()
