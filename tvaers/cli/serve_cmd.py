"""``tvaers serve``: the web chat and JSON API."""

from __future__ import annotations

import click

from tvaers.cli._common import user_errors
from tvaers.settings import Settings


@click.command()
@click.option("--host", default=None, help="Address to bind (default from settings: 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default from settings: 8000).")
@user_errors
def serve(host: str | None, port: int | None) -> None:
    """Start the FastAPI service.

    GET /healthz reports the state of the corpus and the index; the OpenAPI
    docs are at /docs.

    \b
    Examples:
      tvaers serve
      tvaers serve --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from tvaers.service.app import create_app

    settings = Settings()
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        access_log=False,  # access lines would carry question text (GET /api/search?q=...)
    )
