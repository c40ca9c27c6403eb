"""GET /healthz: is the corpus indexed, and is the index the one being served?"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from tvaers import __version__
from tvaers.service.state import StateDep

router = APIRouter(tags=["health"])


class IndexHealth(BaseModel):
    status: str
    message: str | None = None
    generation: str | None = None
    model_id: str | None = None
    chunks: int | None = None
    documents: int | None = None


class Health(BaseModel):
    status: str
    version: str
    corpus_dir: str
    index: IndexHealth


@router.get("/healthz", response_model=Health)
def healthz(state: StateDep, response: Response) -> Health:
    """``ok`` when a current index is served; otherwise 503 with what is wrong and the fix."""
    if state.runtime is None:
        response.status_code = 503
        kind = {
            "IndexNotFoundError": "missing",
            "StaleIndexError": "stale",
            "CorruptIndexError": "corrupt",
        }.get(state.problem_kind or "", "error")
        index = IndexHealth(status=kind, message=state.problem)
        status = "unavailable"
    else:
        manifest = state.runtime.index.manifest
        index = IndexHealth(
            status="ok",
            generation=state.runtime.index.path.name,
            model_id=manifest.model_id,
            chunks=manifest.chunk_count,
            documents=len(state.runtime.index.documents),
        )
        status = "ok"
    return Health(
        status=status,
        version=__version__,
        corpus_dir=str(state.settings.corpus_dir),
        index=index,
    )
