"""GET /: the web chat page; its script and styles are served from /static."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from tvaers import __version__
from tvaers.service.state import StateDep

_SERVICE_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = _SERVICE_DIR / "static"
TEMPLATES = Jinja2Templates(directory=_SERVICE_DIR / "templates")  # autoescapes .html

router = APIRouter(tags=["pages"], include_in_schema=False)


def static_files() -> StaticFiles:
    """The mount for ``/static`` (chat.js, chat.css); no external assets are used."""
    return StaticFiles(directory=STATIC_DIR)


@router.get("/", response_class=HTMLResponse)
def chat(request: Request, state: StateDep) -> HTMLResponse:
    """The chat: ask a question, read quoted advice, open the cited passages.

    The privacy notice names the retention period from the settings.
    """
    context = {
        "version": __version__,
        "retention_days": state.settings.conversation_retention_days,
    }
    return TEMPLATES.TemplateResponse(request, "chat.html", context)
