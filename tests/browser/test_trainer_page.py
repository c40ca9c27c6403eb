"""The trainer page at /trainer in headless Chromium against a real server and index."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "prompts" / "exercises"))
from gift_syntax import parse_gift
from live_server import LiveServer  # on the path through tests/browser/conftest.py
from trainer_sheet import TIMEOUT_MS, build_sheet

pytestmark = [pytest.mark.browser, pytest.mark.slow]



@pytest.fixture(scope="module")
def server(serve) -> Iterator[LiveServer]:
    with serve("trainer-db") as live:
        yield live


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1000, "height": 900}, accept_downloads=True)




def _saved(server: LiveServer) -> dict[str, str]:
    """The saved sheets according to the live server's API: id -> title."""
    response = httpx.get(server.url + "/api/exercises", timeout=30)
    response.raise_for_status()
    return {s["sheet_id"]: s["title"] for s in response.json()}


def _texts(page) -> list[str]:
    return page.locator("#items li.item").evaluate_all("els => els.map(e => e.innerText)")


def test_trainer_builds_previews_regenerates_removes_and_downloads(server, page) -> None:
    page.goto(server.url + "/trainer")
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_label("Private partnere og konsortier", exact=True).check()
    page.get_by_label("Diskussionsspørgsmål").uncheck()
    for kind in ("Case", "Dilemmakort", "Quiz"):
        assert page.get_by_label(kind, exact=True).is_checked()
    page.get_by_label("Antal øvelser").fill("6")
    page.get_by_role("button", name="Byg ark").click()
    items = page.locator("#items li.item")
    page.wait_for_function("document.querySelectorAll('#items li.item').length === 6",
                           timeout=TIMEOUT_MS)
    assert page.locator("#sheet-title").inner_text() == "Øvelsesark: Private partnere og konsortier"
    kinds = items.evaluate_all("els => els.map(e => e.className)")
    assert kinds == ["item case", "item dilemma"] + ["item quiz"] * 4
    for i in range(6):  # every item points to its source passage
        assert items.nth(i).locator("ul.sources li").count() >= 1
        assert items.nth(i).locator("blockquote q").count() >= 1

    before = _texts(page)
    seeds = items.evaluate_all("els => els.map(e => e.dataset.seed)")
    items.nth(3).get_by_role("button", name="Ny udgave").click()
    page.wait_for_function(
        f"document.querySelectorAll('#items li.item')[3].dataset.seed !== '{seeds[3]}'",
        timeout=TIMEOUT_MS,
    )
    after = _texts(page)
    assert [a for i, a in enumerate(after) if i != 3] == [b for i, b in enumerate(before)
                                                          if i != 3]

    items.nth(1).get_by_role("button", name="Fjern").click()
    page.wait_for_function("document.querySelectorAll('#items li.item').length === 5",
                           timeout=TIMEOUT_MS)

    with page.expect_download() as handout_info:
        page.get_by_role("link", name="DOCX (deltagerark)").click()
    handout = docx.Document(handout_info.value.path())
    assert "Private partnere og konsortier" in "\n".join(p.text for p in handout.paragraphs)
    with page.expect_download() as key_info:
        page.get_by_role("link", name="DOCX (trænerens nøgle)").click()
    assert key_info.value.suggested_filename.endswith("-key.docx")
    key_text = "\n".join(p.text for p in docx.Document(key_info.value.path()).paragraphs)
    assert "Svar:" in key_text
    with page.expect_download() as gift_info:
        page.get_by_role("link", name="GIFT (Moodle-quiz)").click()
    questions = parse_gift(Path(gift_info.value.path()).read_text("utf-8"))
    assert len(questions) == 4

    # The saved sheet is listed and reopens with the same (edited) items.
    page.reload()
    saved = page.locator("#saved button.open").first
    saved.wait_for(timeout=TIMEOUT_MS)
    assert "5 øvelser" in saved.inner_text()
    saved.click()
    page.wait_for_function("document.querySelectorAll('#items li.item').length === 5",
                           timeout=TIMEOUT_MS)
    reopened = page.locator('#items li.item[data-item-id="quiz-4"]')
    assert reopened.get_attribute("data-seed") != seeds[3]
    assert reopened.locator("blockquote").inner_text() in after[3]


def test_a_saved_sheet_is_deleted_from_the_list_after_confirmation(server, confirm_page) -> None:
    page = confirm_page
    page.goto(server.url + "/trainer")
    first = build_sheet(page, 3, seed=7)
    second = build_sheet(page, 4, seed=8)  # now the shown sheet
    saved = _saved(server)
    assert {first, second} <= saved.keys()
    title = saved[first]
    entry = page.locator(f'#saved li[data-sheet-id="{first}"]')
    delete = entry.get_by_role("button", name=f"Slet arket {title}")
    assert delete.inner_text() == "Slet"
    asked: list[str] = []

    def answer(accept: bool) -> None:
        def handle(dialog: Any) -> None:
            asked.append(f"{dialog.type}: {dialog.message}")
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        page.once("dialog", handle)

    # Cancelling the confirmation keeps the sheet, in the list and on the server.
    answer(False)
    delete.click()
    assert asked == [f"confirm: Vil du slette arket »{title}«? Det kan ikke fortrydes."]
    assert entry.is_visible() and first in _saved(server)

    # A failing DELETE is reported in the status line, and the entry stays.
    def refuse(route: Any) -> None:
        if route.request.method != "DELETE":
            return route.fallback()
        route.fulfill(status=503, json={"detail": "Databasen er optaget"})

    sheet_url = f"**/api/exercises/{first}"
    page.route(sheet_url, refuse)
    answer(True)
    delete.click()
    page.get_by_text("Fejl: Databasen er optaget").wait_for()
    assert entry.is_visible() and first in _saved(server)
    page.unroute(sheet_url)

    # Confirmed: gone from the list and from the server; the shown (other) sheet stays.
    answer(True)
    delete.click()
    entry.wait_for(state="detached")
    assert len(asked) == 3
    assert page.locator("#status").inner_text() == f"Arket »{title}« er slettet."
    assert first not in _saved(server)
    assert httpx.get(f"{server.url}/api/exercises/{first}", timeout=30).status_code == 404
    assert page.locator("#sheet").is_visible()
    assert page.locator("#items li.item").count() == 4
    assert second in _saved(server)

    # Deleting the shown sheet clears it from the page as well; a sheet that
    # another tab already deleted (404) just leaves the list.
    assert httpx.delete(f"{server.url}/api/exercises/{second}", timeout=30).status_code == 204
    answer(True)
    page.locator(f'#saved li[data-sheet-id="{second}"] button.delete').click()
    page.locator(f'#saved li[data-sheet-id="{second}"]').wait_for(state="detached")
    assert page.locator("#status").inner_text().endswith("var allerede slettet.")
    assert page.locator("#sheet").is_hidden()
    assert page.locator("#items li.item").count() == 0
    assert page.locator("#sheet-title").inner_text() == ""
    assert second not in _saved(server)

    # After a reload the list comes from the server: neither sheet is back.
    page.reload(wait_until="networkidle")
    listed = page.locator("#saved li").evaluate_all("els => els.map(e => e.dataset.sheetId)")
    assert first not in listed and second not in listed
    assert listed == list(_saved(server))
