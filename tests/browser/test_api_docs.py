"""/docs renders offline: Swagger UI comes from the server, never a CDN."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from live_server import LiveServer  # on the path through tests/browser/conftest.py

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """No model and no index: the API description needs neither."""
    data = tmp_path_factory.mktemp("docs-data")
    settings = Settings(data_dir=data, model_cache_dir=Path(data) / "models")
    with LiveServer(create_app(settings)) as live:
        yield live


def _offline_page(new_page, server: LiveServer) -> tuple[object, list[str]]:
    """A page whose requests to any other host are refused and recorded."""
    page = new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    local = urlsplit(server.url).netloc

    def route(route) -> None:
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return page, outside


def test_swagger_ui_lists_the_api_without_the_internet(server: LiveServer, new_page) -> None:
    page, outside = _offline_page(new_page, server)
    page.goto(server.url + "/docs")
    page.locator(".opblock-summary-path", has_text="/api/ask").first.wait_for(timeout=30_000)
    assert page.locator(".opblock").count() >= 8
    assert outside == []
