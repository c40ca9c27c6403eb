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
from live_server import LiveServer  # on the path through tests/browser/conftest.py
from trainer_sheet import build_sheet

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORTS = {"desktop": {"width": 1000, "height": 900}, "phone": {"width": 375, "height": 667}}


@pytest.fixture(scope="module")
def server(bundled_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    LiveServer
]:
    settings = bundled_settings.model_copy(
        update={"db_path": tmp_path_factory.mktemp("trainer-a11y") / "tvaers.sqlite"}
    )
    with LiveServer(create_app(settings)) as live:
        yield live




def _axe(page: Any, where: str) -> list[str]:
    """Run axe-core on the page; print and return every violation, whatever its impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    for v in violations:
        targets = [n["target"] for n in v["nodes"]][:5]
        print(f"axe [{where}] {v['id']} ({v['impact']}): {v['help']} {targets}")
    return [f"{where}: {v['id']} ({v['impact']})" for v in violations]


def _focused(page: Any) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, id: e.id, cls: e.className,
                    label: e.getAttribute('aria-label') || '',
                    sheet: e.dataset.sheetId || '', text: e.textContent.trim(),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
        }"""
    )


def _tab_to(page: Any, matches, limit: int = 300) -> dict:
    """Press Tab until the focused element matches; every stop must show a visible focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused["tag"] != "BODY":
            assert focused["outline"] != "none" and focused["width"] >= 2, focused
        if matches(focused):
            return focused
    raise AssertionError("not reachable with Tab")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_violations_with_a_sheet_shown(
    server: LiveServer, new_page, viewport: str
) -> None:
    page = new_page(viewport=VIEWPORTS[viewport])
    page.goto(server.url + "/trainer")
    page.get_by_label("Private partnere og konsortier", exact=True).wait_for()
    violations = _axe(page, f"{viewport}, empty form")
    build_sheet(page)
    assert page.locator("#sheet").is_visible()
    assert page.locator("#saved button.delete").count() >= 1
    violations += _axe(page, f"{viewport}, sheet shown")
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
    focused = _tab_to(page, lambda f: "delete" in f["cls"].split() and f["sheet"] == sheet_id)
    assert focused["text"] == "Slet"
    assert focused["label"].startswith("Slet arket Øvelsesark: ")
    remaining = page.locator("#saved li").count() - 1
    page.once("dialog", accept)
    page.keyboard.press("Enter")
    page.locator(f'#saved li[data-sheet-id="{sheet_id}"]').wait_for(state="detached")
    assert len(asked) == 1 and asked[0].startswith("Vil du slette arket »Øvelsesark: ")
    assert page.locator("#sheet").is_hidden()  # it was the sheet shown
    listed = httpx.get(server.url + "/api/exercises", timeout=30).json()
    assert sheet_id not in [s["sheet_id"] for s in listed]

    # Focus stays in the list rather than falling back to the top of the page.
    after = _focused(page)
    if remaining:
        assert "delete" in after["cls"].split(), after
    else:
        assert after["id"] == "saved-title", after
        assert page.locator("#saved-empty").is_visible()
    assert _axe(page, "after deleting") == []
