"""The trainer page at /trainer in headless Chromium against a real server and index."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "prompts" / "exercises"))
from gift_syntax import parse_gift
from live_server import LiveServer  # on the path through tests/browser/conftest.py

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def server(bundled_settings: Settings, tmp_path_factory) -> Iterator[LiveServer]:
    settings = bundled_settings.model_copy(
        update={"db_path": tmp_path_factory.mktemp("trainer-db") / "tvaers.sqlite"}
    )
    with LiveServer(create_app(settings)) as live:
        yield live


@pytest.fixture
def page(new_page):
    return new_page(viewport={"width": 1000, "height": 900}, accept_downloads=True)


def _texts(page) -> list[str]:
    return page.locator("#items li.item").evaluate_all("els => els.map(e => e.innerText)")


def test_trainer_builds_previews_regenerates_removes_and_downloads(server, page) -> None:
    page.goto(server.url + "/trainer")
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_label("Private partnere og konsortier").check()
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
