"""What the service loads once at start-up, and how routes get at it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, TypeVar, cast

from fastapi import Depends, HTTPException, Request

from tvaers.errors import TvaersError
from tvaers.runtime import Runtime, load_runtime
from tvaers.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")


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
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def part(
        self, name: str, build: Callable[[ServiceState], T], *, needs_index: bool = True
    ) -> T:
        """A router's expensive or shared parts (composer, builders, stores), built once.

        Built on first use or at start-up; a part that ``needs_index`` gives
        the unserved index's 503 instead.
        """
        with self._lock:
            if name not in self.extras:
                if needs_index and self.runtime is None:
                    raise HTTPException(status_code=503, detail=self.problem or "index not loaded")
                self.extras[name] = build(self)
            return cast(T, self.extras[name])

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
