"""What the service loads once at start-up, and how routes get at it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from tvaers.errors import TvaersError
from tvaers.runtime import Runtime, load_runtime
from tvaers.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class ServiceState:
    """The runtime, or the reason it could not be loaded (reported by /healthz).

    A stale, corrupt or missing index is never served: search routes answer
    503 with the reason and the fix instead.
    """

    settings: Settings
    runtime: Runtime | None = None
    problem: str | None = None
    problem_kind: str | None = None
    extras: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, settings: Settings) -> ServiceState:
        try:
            return cls(settings=settings, runtime=load_runtime(settings))
        except TvaersError as exc:
            log.error("index not served: %s", exc)
            return cls(settings=settings, problem=str(exc), problem_kind=type(exc).__name__)


def get_state(request: Request) -> ServiceState:
    return request.app.state.tvaers


def get_runtime(state: Annotated[ServiceState, Depends(get_state)]) -> Runtime:
    if state.runtime is None:
        raise HTTPException(status_code=503, detail=state.problem or "index not loaded")
    return state.runtime


StateDep = Annotated[ServiceState, Depends(get_state)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
