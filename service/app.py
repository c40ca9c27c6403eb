"""The FastAPI application: loads model and index once, in ``lifespan``."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from tvaers import __version__
from tvaers.service.logs import redact_access_log
from tvaers.service.request_checks import RequestChecks
from tvaers.service.routers import ask, documents, exercises, feedback, health, pages, search
from tvaers.service.routers import eval as eval_router
from tvaers.service.state import ServiceState
from tvaers.settings import Settings, get_settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own ``Settings`` with temporary folders."""
    redact_access_log()  # GET /api/search?q=... would put the question in the access log

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = ServiceState.load(settings or get_settings())
        if state.runtime is not None:
            ask.prepare_parts(state)  # the composer loads once, not on the first question
        app.state.tvaers = state
        yield

    # /docs from assets inside the fastapi-offline wheel: FastAPI's default page loads
    # Swagger UI from a CDN, blank on a PC without internet. No /redoc: ReDoc still
    # fetches its logo from its CDN.
    app = FastAPIOffline(
        redoc_url=None,
        redirect_slashes=False,  # RequestChecks redirects, relative: never to the Host header
        title="Tværs",
        version=__version__,
        description="Cited guidance on cross-sector leadership from Danish texts.",
        lifespan=lifespan,
    )
    app.add_middleware(RequestChecks)  # text that is not UTF-8, lone surrogates, big bodies
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(eval_router.router)
    app.include_router(ask.router)
    app.include_router(documents.router)
    app.include_router(feedback.router)
    app.include_router(pages.router)
    app.include_router(exercises.router)
    app.include_router(exercises.page_router)
    app.mount("/static", pages.static_files(), name="static")
    return app


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422, made safe to echo: NaN and Infinity as text, bytes that are not
    UTF-8 replaced (FastAPI's own handler fails on both with a 500), and a long input
    cut to its start."""
    del request
    # a body sent without a JSON content type arrives as bytes, which need not be UTF-8
    as_text = {bytes: lambda raw: raw.decode("utf-8", "replace")}
    detail = [_echo_safe(err) for err in jsonable_encoder(exc.errors(), custom_encoder=as_text)]
    return JSONResponse(status_code=422, content={"detail": detail})


#: Characters of a rejected input echoed back in a 422.
ECHO_CHARS = 200


def _echo_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str) and len(value) > ECHO_CHARS:
        return f"{value[:ECHO_CHARS]}… ({len(value)} characters)"
    if isinstance(value, dict):
        return {k: _echo_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_echo_safe(v) for v in value]
    return value
