"""POST /api/eval/score and /api/eval/overrides: score one answer; record evaluator overrides."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field, model_validator

from tvaers.contracts import GoldItem, GoldQuote
from tvaers.eval.answers import AnswerCitation, AnswerScorer, SubmittedAnswer
from tvaers.eval.gold import load_gold
from tvaers.eval.overrides import OVERRIDABLE, OverrideStore
from tvaers.service.state import RuntimeDep, StateDep

router = APIRouter(prefix="/api/eval", tags=["eval"])


class ScoreRequest(BaseModel):
    """An answer, scored against a gold item id or an inline reference and key points."""

    answer: str = Field(max_length=20_000)
    citations: list[AnswerCitation] = []
    item_id: str | None = Field(default=None, description="Id of an item of the dev gold set.")
    reference: str | None = None
    key_points: list[str] = []
    lang: str = "da"
    out_of_scope: bool = False

    @model_validator(mode="after")
    def _one_target(self) -> ScoreRequest:
        if self.item_id is None and not (self.reference or self.key_points):
            raise ValueError("give item_id, or reference and/or key_points inline")
        return self


class OverrideRequest(BaseModel):
    item_id: str
    metric: str = Field(description=f"One of: {', '.join(OVERRIDABLE)}.")
    value: float
    comment: str = Field(min_length=1)
    evaluator: str | None = None
    answer: str | None = None


@lru_cache(maxsize=1)
def _gold() -> dict[str, GoldItem]:
    from tvaers.eval.gold import BUNDLED_DEV_GOLD

    return {i.id: i for i in load_gold(BUNDLED_DEV_GOLD)}


def get_store(state: StateDep) -> OverrideStore:
    return state.part(
        "overrides", lambda s: OverrideStore(s.settings.resolved_db_path), needs_index=False
    )


StoreDep = Annotated[OverrideStore, Depends(get_store)]


@router.post("/score")
def score(request: ScoreRequest, runtime: RuntimeDep, state: StateDep) -> dict[str, Any]:
    if request.item_id is not None:
        item = _gold().get(request.item_id)
        if item is None:
            raise HTTPException(
                404,
                detail=f"unknown gold item {request.item_id!r}; "
                "ids look like 'dev-001' (see eval/gold/dev.jsonl)",
            )
    else:
        item = GoldItem(
            id="inline",
            question="",
            lang="en" if request.lang == "en" else "da",
            kind="out_of_scope" if request.out_of_scope else "advice",
            reference_answer=request.reference or "",
            key_points=request.key_points,
            relevant=[GoldQuote(doc="-", quote="-")][:0],
        )
    scorer = state.part(
        "answer_scorer",
        lambda s: AnswerScorer(
            runtime.index.documents.values(), embedder=runtime.embedder, chunks=runtime.index.chunks
        ),
    )
    result = scorer.score(
        item,
        SubmittedAnswer(
            id=item.id,
            answer=request.answer,  # type: ignore[attr-defined]
            citations=request.citations,
        ),
    )
    return result.to_dict()


@router.post("/overrides", status_code=201)
def add_override(request: OverrideRequest, store: StoreDep) -> dict[str, Any]:
    try:
        return store.add(
            request.item_id,
            request.metric,
            request.value,
            request.comment,
            evaluator=request.evaluator,
            answer=request.answer,
        )
    except ValueError as exc:
        raise HTTPException(422, detail=str(exc)) from exc


@router.get("/overrides")
def list_overrides(store: StoreDep) -> list[dict[str, Any]]:
    return store.all()
