"""Accessibility of the trainer page: axe-core with a built sheet shown, and the keyboard.

axe-core comes bundled in the ``axe-playwright-python`` wheel (axe.min.js is
injected into the page; nothing is fetched). Unlike the chat's check, any
violation fails, whatever its impact.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from a11y import axe_violations, focused, tab_to
from live_server import LiveServer  # on the path through tests/browser/conftest.py
from trainer_sheet import build_sheet

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORTS = {"desktop": {"width": 1000, "height": 900}, "phone": {"width": 375, "height": 667}}


@pytest.fixture(scope="module")
def server(serve) -> Iterator[LiveServer]:
    with serve("trainer-a11y") as live:
        yield live







@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_violations_with_a_sheet_shown(
    server: LiveServer, new_page, viewport: str
) -> None:
    page = new_page(viewport=VIEWPORTS[viewport])
    page.goto(server.url + "/trainer")
    page.get_by_label("Private partnere og konsortier", exact=True).wait_for()
    violations = axe_violations(page, f"{viewport}, empty form")
    build_sheet(page)
    assert page.locator("#sheet").is_visible()
    assert page.locator("#saved button.delete").count() >= 1
    violations += axe_violations(page, f"{viewport}, sheet shown")
    assert violations == []


def test_the_delete_button_works_from_the_keyboard(server: LiveServer, confirm_page) -> None:
    page = confirm_page
    page.goto(server.url + "/trainer")
    sheet_id = build_sheet(page, n=3, seed=5)
    asked: list[str] = []

    def accept(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.locator("body").focus()
    button = tab_to(page, lambda f: "delete" in f["cls"].split() and f["sheet"] == sheet_id,
                    limit=300)
    assert button["text"] == "Slet"
    assert button["label"].startswith("Slet arket Øvelsesark: ")
    remaining = page.locator("#saved li").count() - 1
    page.once("dialog", accept)
    page.keyboard.press("Enter")
    page.locator(f'#saved li[data-sheet-id="{sheet_id}"]').wait_for(state="detached")
    assert len(asked) == 1 and asked[0].startswith("Vil du slette arket »Øvelsesark: ")
    assert page.locator("#sheet").is_hidden()  # it was the sheet shown
    listed = httpx.get(server.url + "/api/exercises", timeout=30).json()
    assert sheet_id not in [s["sheet_id"] for s in listed]

    # Focus stays in the list rather than falling back to the top of the page.
    after = focused(page)
    if remaining:
        assert "delete" in after["cls"].split(), after
    else:
        assert after["id"] == "saved-title", after
        assert page.locator("#saved-empty").is_visible()
    assert axe_violations(page, "after deleting") == []


def test_keyboard_focus_stays_on_the_work_after_build_new_version_and_remove(
    server: LiveServer, new_page
) -> None:
    # before: each of these left focus on the page body, so a keyboard user began again
    page = new_page(viewport=VIEWPORTS["desktop"])
    page.goto(server.url + "/trainer")
    page.get_by_label("Private partnere og konsortier", exact=True).check()
    page.get_by_label("Antal øvelser").fill("4")
    page.get_by_role("button", name="Byg ark").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#items li.item').length === 4",
                           timeout=120_000)
    page.wait_for_function("document.activeElement.id === 'sheet-title'")

    items = page.locator("#items li.item")
    second = items.nth(1).get_attribute("data-item-id")
    third = items.nth(2).get_attribute("data-item-id")
    items.nth(1).locator("button.regenerate").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Ny udgave klar.").wait_for(timeout=120_000)
    now = focused(page)
    assert now["cls"] == "regenerate" and now["label"].startswith("Ny udgave"), now
    assert page.evaluate("document.activeElement.closest('li.item').dataset.itemId") == second

    items.nth(1).locator("button.remove").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Øvelsen er fjernet.").wait_for(timeout=120_000)
    now = focused(page)
    assert now["cls"] == "remove", now
    assert page.evaluate("document.activeElement.closest('li.item').dataset.itemId") == third


def test_a_sheet_without_exercise_types_is_refused_in_danish_before_it_is_sent(
    server: LiveServer, new_page
) -> None:
    page = new_page(viewport=VIEWPORTS["desktop"])
    page.goto(server.url + "/trainer")
    page.get_by_label("Private partnere og konsortier", exact=True).wait_for()
    for box in page.locator("#kinds input[type=checkbox]").all():
        box.uncheck()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.get_by_role("button", name="Byg ark").click()
    page.get_by_text("Vælg mindst én øvelsestype.").wait_for()
    assert sent == []
    assert page.evaluate("document.activeElement.closest('#kinds') !== null")
