"""POST /api/eval/score and /api/eval/overrides: score one answer; record evaluator overrides."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from tvaers.contracts import GoldItem
from tvaers.eval.answer_eval import AnswerEvaluator
from tvaers.eval.answers import AnswerCitation, AnswerScorer, SubmittedAnswer
from tvaers.eval.gold import load_gold
from tvaers.eval.overrides import OVERRIDABLE, OverrideStore
from tvaers.service.state import RuntimeDep, StateDep

router = APIRouter(prefix="/api/eval", tags=["eval"])


KeyPoint = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class ScoreRequest(BaseModel):
    """An answer, scored against a gold item id or an inline reference and key points.

    Sizes are capped so that one request stays within seconds: the system's own
    answers are ~3,000 characters, gold references under 700.
    """

    model_config = ConfigDict(extra="forbid")

    answer: str = Field(max_length=10_000)
    citations: list[AnswerCitation] = Field(default=[], max_length=50)
    item_id: str | None = Field(
        default=None, max_length=200, description="Id of an item of the dev gold set."
    )
    reference: str | None = Field(default=None, max_length=5_000)
    key_points: list[KeyPoint] = Field(default=[], max_length=30)
    lang: Literal["da", "en"] = "da"
    out_of_scope: bool = False

    @model_validator(mode="after")
    def _one_target(self) -> ScoreRequest:
        if self.item_id is None and not (self.reference or self.key_points):
            raise ValueError("give item_id, or reference and/or key_points inline")
        inline = sorted(self.model_fields_set & {"reference", "key_points", "lang", "out_of_scope"})
        if self.item_id is not None and inline:
            # they would be ignored: the gold item has its own
            raise ValueError(f"give item_id or inline {', '.join(inline)}, not both")
        return self


class OverrideRequest(BaseModel):
    """An evaluator's score for one metric of one item (of any gold set), with the reason."""

    model_config = ConfigDict(extra="forbid")

    item_id: str = Field(min_length=1, max_length=200)
    metric: str = Field(description=f"One of: {', '.join(OVERRIDABLE)}.")
    value: float = Field(
        ge=0, le=1, allow_inf_nan=False, description="0 to 1, as the scores; declined: 0 or 1."
    )
    comment: str = Field(min_length=1, max_length=2_000)
    evaluator: str | None = Field(default=None, max_length=200)
    answer: str | None = Field(default=None, max_length=10_000)

    @model_validator(mode="after")
    def _declined_is_yes_or_no(self) -> OverrideRequest:
        if self.metric == "declined" and self.value not in (0, 1):
            raise ValueError("declined is 0 (answered) or 1 (declined)")
        return self


class ScoreResponse(BaseModel):
    """One answer's scores, as a row of ``tvaers eval answers --json``; null where a
    metric does not apply (no key points, no gold quotes, an in-scope item's declining)."""

    id: str = Field(description="The gold item's id, or 'inline'.")
    lang: str
    kind: str
    key_points: float | None = Field(description="Share of the key points the answer covers.")
    key_points_hit: list[bool] = Field(description="Per key point, whether it is covered.")
    cosine: float | None = Field(description="e5 cosine between answer and reference.")
    similarity: float | None = Field(
        description="The cosine rescaled so that unrelated references score 0 (0..1)."
    )
    rouge_l: float | None = Field(description="ROUGE-L F1 on tokens that keep æ, ø, å.")
    citation_precision: float | None = Field(description="Share of citations on gold quotes.")
    citation_recall: float | None = Field(description="Share of gold quotes cited.")
    declined: bool | None = Field(description="For out-of-scope items: the answer declined.")


@lru_cache(maxsize=1)
def _gold() -> dict[str, GoldItem]:
    from tvaers.eval.gold import BUNDLED_DEV_GOLD

    return {i.id: i for i in load_gold(BUNDLED_DEV_GOLD)}


def get_store(state: StateDep) -> OverrideStore:
    return state.part(
        "overrides", lambda s: OverrideStore(s.settings.resolved_db_path), needs_index=False
    )


StoreDep = Annotated[OverrideStore, Depends(get_store)]


@router.post("/score", response_model=ScoreResponse)
def score(request: ScoreRequest, runtime: RuntimeDep, state: StateDep) -> dict[str, Any]:
    """The scores ``tvaers eval answers`` gives one item, ``similarity`` included:
    the cosine rescaled against the dev gold set's shuffled references, as there."""
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
            lang=request.lang,
            kind="out_of_scope" if request.out_of_scope else "advice",
            reference_answer=request.reference or "",
            key_points=request.key_points,
            relevant=[],
        )
    scorer = state.part(
        "answer_scorer",
        lambda s: AnswerScorer(
            runtime.index.documents.values(), embedder=runtime.embedder, chunks=runtime.index.chunks
        ),
    )
    unknown = _unknown_citations(request.citations, scorer, runtime.index.documents)
    if unknown:
        raise HTTPException(422, detail="citations name no passage of the index: " + unknown)
    result = scorer.score(
        item,
        SubmittedAnswer(
            id=item.id,
            answer=request.answer,  # type: ignore[attr-defined]
            citations=request.citations,
        ),
    )
    evaluator = state.part(
        "answer_evaluator", lambda s: AnswerEvaluator(list(_gold().values()), scorer)
    )
    similarity = evaluator.similarity(result.cosine)
    return {**result.to_dict(), "similarity": None if similarity is None else round(similarity, 4)}


def _unknown_citations(
    citations: list[AnswerCitation], scorer: AnswerScorer, documents: Mapping[str, object]
) -> str:
    """The citations that name a document or passage the index does not have."""
    bad = [
        f"#{n} chunk_id {c.chunk_id[:80]!r}" if c.chunk_id else f"#{n} doc {str(c.doc)[:80]!r}"
        for n, c in enumerate(citations, 1)
        if (c.chunk_id and c.chunk_id not in scorer.chunks)
        or (not c.chunk_id and c.doc not in documents)
    ]
    return "; ".join(bad)


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
