"""``tvaers serve``: the web chat and JSON API."""

from __future__ import annotations

import errno
import socket

import click

from tvaers.cli._common import user_errors
from tvaers.settings import Settings


@click.command()
@click.option("--host", default=None, help="Address to bind (default from settings: 127.0.0.1).")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None,
    help="Port (default from settings: 8000).",
)
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
    host, port = host or settings.host, port or settings.port
    _check_free(host, port)  # before the model loads, not after
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,  # access lines would carry question text (GET /api/search?q=...)
    )


def _check_free(host: str, port: int) -> None:
    """Refuse a port that is taken or an address that cannot be bound, in one line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.create_server((host, port), family=family).close()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            message = f"{host}:{port} is in use; choose another port with --port (or the setting)"
        else:
            message = f"cannot listen on {host}:{port}: {exc.strerror}; check --host"
        raise click.ClickException(message) from exc
