"""POST /api/feedback: thumbs up or down, with an optional comment, on one answer."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from tvaers.conversations import CONVERSATION_ID, ConversationStore
from tvaers.feedback import MAX_COMMENT_CHARS, FeedbackStore, UnknownTurnError
from tvaers.service.state import StateDep

router = APIRouter(prefix="/api", tags=["feedback"])

#: Far above any real conversation, and inside SQLite's 64-bit integers.
MAX_TURN = 1_000_000


class FeedbackRequest(BaseModel):
    """Which answer and the verdict; question, answer and cited text are taken from the server."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: Annotated[str, StringConstraints(pattern=CONVERSATION_ID.pattern)]
    turn: int = Field(
        ge=1, le=MAX_TURN, description="The answer's `turn` number from POST /api/ask."
    )
    rating: Literal[1, -1] = Field(description="1 for thumbs up, -1 for thumbs down.")
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS)

    @field_validator("rating", mode="before")
    @classmethod
    def _not_a_bool(cls, value: object) -> object:
        if isinstance(value, bool):  # true == 1 would pass as a thumbs up
            raise ValueError("rating is 1 or -1, not true or false")
        return value


class FeedbackStored(BaseModel):
    id: int
    rating: int
    comment: str
    created: str


class Stores:
    def __init__(self, conversations: ConversationStore, feedback: FeedbackStore) -> None:
        self.conversations = conversations
        self.feedback = feedback


def get_stores(state: StateDep) -> Stores:
    """The stores over the settings' SQLite file; made once and kept in the state."""
    return state.part(
        "feedback",
        lambda s: Stores(
            ConversationStore(
                s.settings.resolved_db_path,
                retention_days=s.settings.conversation_retention_days,
            ),
            FeedbackStore(s.settings.resolved_db_path),
        ),
        needs_index=False,
    )


StoresDep = Annotated[Stores, Depends(get_stores)]


@router.post("/feedback", status_code=201, response_model=FeedbackStored)
def add_feedback(request: FeedbackRequest, stores: StoresDep) -> dict[str, Any]:
    """Store a rating of one answer with its question, answer text and cited passages."""
    try:
        return stores.feedback.add_for_turn(
            stores.conversations,
            request.conversation_id,
            request.turn,
            rating=request.rating,
            comment=request.comment,
        )
    except UnknownTurnError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
