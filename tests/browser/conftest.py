"""Headless Chromium (Debian's package) for the browser tests, and a page factory.

Outside CI the tests skip when /usr/bin/chromium or Playwright is missing;
under CI=true they fail instead, so a green CI always means they ran.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

# LiveServer lives with the service tests; tests/service is not a package, so put it on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 667}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed; the browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[dev]'")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(dialogs=False, **context_options)``: a page in a fresh browser context.

    Uncaught script errors fail the test, and so do dialogs (alert, confirm)
    unless ``dialogs=True``: then the test answers them itself.
    """
    contexts: list[Any] = []
    errors: list[str] = []

    def _new(*, dialogs: bool = False, **context_options: Any) -> Any:
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if not dialogs:
            page.on("dialog", lambda d: errors.append(f"unexpected dialog: {d.message}"))
        return page

    yield _new
    for context in contexts:
        context.close()
    assert not errors, errors


@pytest.fixture
def confirm_page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page whose confirm() dialogs the test answers itself."""
    return new_page(viewport={"width": 1000, "height": 900}, dialogs=True)


@pytest.fixture
def open_page(new_page: Callable[..., Any]) -> Callable[..., Any]:
    """``open_page(url, viewport=..., clipboard=False, lang=None)``: the chat, restored."""

    def _open(
        url: str, *, viewport: dict | None = None, clipboard: bool = False, lang: str | None = None
    ) -> Any:
        page = new_page(viewport=viewport or PHONE)
        if clipboard:
            page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
        if lang:
            page.context.add_init_script(f"localStorage.setItem('tvaers.lang', '{lang}')")
        page.goto(url + "/")
        page.wait_for_selector("body[data-restored='true']")
        return page

    return _open


@pytest.fixture(scope="module")
def serve(
    bundled_settings: Any, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., AbstractContextManager[Any]]:
    """``with serve(name, **settings) as live``: a real server on the bundled index, with
    a database of its own (so that saved sheets and conversations stay in one module).
    ``wrap``: an ASGI wrapper around the app (a test that must hold a request)."""
    from live_server import LiveServer

    from tvaers.service.app import create_app

    @contextmanager
    def _serve(
        name: str, wrap: Callable[[Any], Any] | None = None, **updates: Any
    ) -> Iterator[Any]:
        db_path = tmp_path_factory.mktemp(name) / "tvaers.sqlite"
        settings = bundled_settings.model_copy(update={"db_path": db_path, **updates})
        app = create_app(settings)
        with LiveServer(wrap(app) if wrap else app) as live:
            yield live

    return _serve
