"""A whole visit in headless Chromium: ask, read, open a source, rate, copy, reload, browse, delete.

Against a real server, the real model and index, and the SQLite file it writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import LiveServer, db_rows  # on the path through tests/browser/conftest.py

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PARTNER_DA = "Hvordan håndterer vi en privat partner, der ikke leverer?"
COMMENT = "Savner noget om kontrakten <b>og</b> bod."
ANSWER_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chat-feedback") / "tvaers.sqlite"


@pytest.fixture(scope="module")
def server(bundled_settings: Settings, db_path: Path) -> Iterator[LiveServer]:
    # The shipped evidence thresholds: the Danish question must be answered with them.
    settings = bundled_settings.model_copy(update={"db_path": db_path})
    with LiveServer(create_app(settings)) as live:
        yield live


def _ask(page: Any, question: str) -> Any:
    answers = page.locator("li.message.answer")
    before = answers.count()
    page.get_by_label("Dit spørgsmål").fill(question)
    page.keyboard.press("Enter")
    answers.nth(before).wait_for(timeout=ANSWER_TIMEOUT_MS)
    return answers.nth(before)


def _open_first_citation(page: Any, answer: Any) -> tuple[str, Any]:
    """Click the first action's first chip; return the quoted sentence and the dialog."""
    first = answer.locator("section.actions li").first
    quoted = first.locator("q").inner_text().strip()
    first.locator("button.chip").first.click()
    dialog = page.locator("dialog#passage")
    dialog.locator(".highlight mark").wait_for(timeout=30_000)
    return quoted, dialog


def test_ask_rate_copy_reload_browse_and_delete(
    server: LiveServer, open_page, db_path: Path
) -> None:
    page = open_page(server.url, clipboard=True)

    # Ask: advice with numbered citation chips.
    answer = _ask(page, PARTNER_DA)
    assert answer.locator("section.actions li").count() >= 1
    assert answer.locator("button.chip").count() >= 1
    conversation_id = page.evaluate("localStorage.getItem('tvaers.conversation_id')")
    assert conversation_id

    # A citation opens the passage with the quoted sentence marked and its page shown.
    quoted, dialog = _open_first_citation(page, answer)
    assert dialog.locator(".highlight mark").inner_text().strip() == quoted
    assert re.search(r"s\. \d+", dialog.locator("#passage-meta").inner_text())
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.classList.contains('chip')")

    # Thumbs down with a comment: stored with question, answer and the cited text.
    down = answer.get_by_role("button", name="Ikke nyttigt svar")
    up = answer.get_by_role("button", name="Nyttigt svar", exact=True)
    down.click()
    assert down.get_attribute("aria-pressed") == "true"
    assert up.get_attribute("aria-pressed") == "false"
    answer.get_by_label("Kommentar (valgfri)").fill(COMMENT)
    answer.get_by_role("button", name="Send tilbagemelding").click()
    answer.get_by_text("Tak for din tilbagemelding").wait_for()
    (row,) = db_rows(db_path, "SELECT * FROM feedback WHERE conversation_id = ?", conversation_id)
    assert (row["rating"], row["comment"], row["question"]) == (-1, COMMENT, PARTNER_DA)
    assert quoted in row["answer"]
    cited = json.loads(row["citations"])
    assert any(quoted in c["text"] for c in cited)

    # Copy answer: the answer text with full references, built from the answer's citations.
    copy = answer.get_by_role("button", name="Kopiér svar")
    copy.click()
    answer.get_by_text("Kopieret").first.wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert quoted in copied
    assert "Kilder:" in copied
    first = cited[0]
    pages = f"s. {first['page_start']}"
    if first["page_end"] not in (None, first["page_start"]):
        pages += f"–{first['page_end']}"
    year = str(first["year"]) if first["year"] is not None else "u.å."
    reference = next(line for line in copied.splitlines() if line.startswith("[1] "))
    assert reference.startswith(f"[1] {first['title']}, ")
    assert f", {year}, {pages} — {' › '.join(first['heading_path'])}" in reference
    assert copied.count("Kilder:") == 1

    # Reload: the conversation comes back, and its chips still open the passage.
    actions_before = answer.locator("section.actions li").count()
    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    restored = page.locator("li.message.answer")
    assert restored.count() == 1
    assert page.locator("li.message.question p").inner_text() == PARTNER_DA
    assert restored.locator("section.actions li").count() == actions_before
    # the thumbs down that was sent is shown pressed again
    restored_down = restored.get_by_role("button", name="Ikke nyttigt svar")
    assert restored_down.get_attribute("aria-pressed") == "true"
    assert restored.get_by_role("button", name="Nyttigt svar", exact=True).get_attribute(
        "aria-pressed"
    ) == "false"
    quoted_again, dialog = _open_first_citation(page, restored.first)
    assert quoted_again == quoted
    page.keyboard.press("Escape")

    # The document browser: list, outline, and a heading's first passage.
    page.get_by_role("button", name="Dokumenter").click()
    documents = page.locator("dialog#documents")
    documents.locator("button.doc").first.wait_for()
    assert documents.locator("button.doc").count() == 5
    documents.locator("button.doc", has_text="Menings- og tillidsskabelse").click()
    heading = documents.locator("button.heading").nth(1)
    heading.wait_for()
    heading_text = heading.locator("span").first.inner_text()
    heading.click()
    dialog.locator(".highlight").wait_for()
    assert heading_text in dialog.locator("#passage-meta").inner_text()
    assert "Menings- og tillidsskabelse" in dialog.locator("#passage-title").inner_text()
    page.keyboard.press("Escape")  # the passage; focus goes back to the heading
    assert page.evaluate("document.activeElement.classList.contains('heading')")
    page.keyboard.press("Escape")  # the browser; focus goes back to its button
    assert page.evaluate("document.activeElement.id") == "documents-open"

    # "Ny samtale": messages gone, conversation gone from the database, feedback kept unlinked.
    page.get_by_role("button", name="Ny samtale").click()
    page.get_by_text("Ny samtale startet.").wait_for()  # shown once the server has deleted it
    assert page.evaluate("localStorage.getItem('tvaers.conversation_id')") is None
    assert page.locator("li.message").count() == 0
    assert db_rows(db_path, "SELECT * FROM conversations WHERE id = ?", conversation_id) == []
    assert db_rows(db_path, "SELECT * FROM turns WHERE conversation_id = ?", conversation_id) == []
    (kept,) = db_rows(db_path, "SELECT * FROM feedback WHERE id = ?", row["id"])
    assert kept["conversation_id"] is None and kept["comment"] == COMMENT
    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    assert page.locator("li.message").count() == 0


def test_a_forgotten_conversation_id_is_dropped_silently(server: LiveServer, open_page) -> None:
    page = open_page(server.url)
    page.evaluate("localStorage.setItem('tvaers.conversation_id', 'expired-or-deleted')")
    page.reload()
    page.wait_for_selector("body[data-restored='true']")
    assert page.evaluate("localStorage.getItem('tvaers.conversation_id')") is None
    assert page.locator("li.message").count() == 0
    assert page.locator("#status").inner_text() == ""
