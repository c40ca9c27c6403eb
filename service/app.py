"""The FastAPI application: loads model and index once, in ``lifespan``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from tvaers import __version__
from tvaers.service.logs import redact_access_log
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

    app = FastAPI(
        title="Tværs",
        version=__version__,
        description="Cited guidance on cross-sector leadership from Danish texts.",
        lifespan=lifespan,
    )
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
