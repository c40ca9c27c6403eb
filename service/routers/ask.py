"""POST /api/ask and GET/DELETE /api/conversations/{id}: quoted, cited advice."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Response
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from tvaers.contracts import Answer
from tvaers.conversations import CONVERSATION_ID, ConversationStore, UnknownConversationError
from tvaers.prompts.ask import ask as ask_question
from tvaers.prompts.composer import Composer
from tvaers.service.routers.feedback import StoresDep
from tvaers.service.routers.search import MAX_QUESTION_CHARS, nfc, words_in
from tvaers.service.state import RuntimeDep, ServiceState, StateDep
from tvaers.settings import SearchMode

router = APIRouter(prefix="/api", tags=["ask"])

ConversationId = Annotated[
    str,
    StringConstraints(pattern=CONVERSATION_ID.pattern),
]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION_CHARS),
        AfterValidator(words_in),
        BeforeValidator(nfc),  # last: it runs first
    ] = Field(description="The question, in Danish or English.")
    k: int | None = Field(  # strict: true and 3.0 are not counts
        default=None, ge=1, le=50, strict=True, description="Passages to retrieve."
    )
    mode: SearchMode | None = Field(default=None, description="Retrieval mode.")
    lang: Literal["da", "en"] | None = Field(
        default=None, description="Question language; detected when not given."
    )
    conversation_id: ConversationId | None = Field(
        default=None,
        description="Continue a conversation (follow-ups use its previous question); "
        "a new id is returned when not given.",
    )


class Parts:
    """The composer and conversation store, built on first use and kept in the state."""

    def __init__(self, composer: Composer, store: ConversationStore) -> None:
        self.composer = composer
        self.store = store


def prepare_parts(state: ServiceState) -> Parts:
    """The composer and the conversation store, built once; the app calls this at start-up."""
    return state.part(
        "ask",
        lambda s: Parts(
            Composer(s.runtime),
            ConversationStore(
                s.settings.resolved_db_path,
                retention_days=s.settings.conversation_retention_days,
            ),
        ),
    )


def get_parts(state: StateDep, runtime: RuntimeDep) -> Parts:
    del runtime  # depended on so that an unserved index gives its 503 first
    return prepare_parts(state)


PartsDep = Annotated[Parts, Depends(get_parts)]


@router.post("/ask", response_model=Answer)
def ask(request: AskRequest, parts: PartsDep) -> Answer:
    """Quoted advice with numbered citations; the same answer as ``tvaers ask --json``.

    404 for a ``conversation_id`` the server does not know (deleted, expired, never
    started); leave it out, or POST /api/conversations, to start one.
    """
    try:
        return ask_question(
            parts.composer,
            request.question,
            store=parts.store,
            conversation_id=request.conversation_id,
            k=request.k,
            mode=request.mode,
            lang=request.lang,
        )
    except UnknownConversationError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


class StoredTurn(BaseModel):
    n: int
    question: str
    lang: str
    created: str | None = None
    answer: Answer | None = Field(
        default=None, description="The answer as it was given; null if it cannot be read."
    )
    rating: Literal[1, -1] | None = Field(
        default=None, description="The latest thumbs rating of this answer (POST /api/feedback)."
    )


class Conversation(BaseModel):
    conversation_id: str
    turns: list[StoredTurn]


def _stored_answer(raw: str | None, n: int) -> Answer | None:
    """The stored answer, or None when it predates answers being kept or the contract moved on."""
    if raw is None:
        return None
    try:
        return Answer.model_validate_json(raw).model_copy(update={"turn": n})
    except ValidationError:
        return None


class ConversationStarted(BaseModel):
    conversation_id: str


@router.post("/conversations", status_code=201, response_model=ConversationStarted)
def start_conversation(parts: PartsDep) -> ConversationStarted:
    """An empty conversation whose id the chat keeps before its first question,
    so that a page left while that question is answered can still delete it."""
    return ConversationStarted(conversation_id=parts.store.create())


@router.get("/conversations/{conversation_id}", response_model=Conversation)
def get_conversation(
    conversation_id: Annotated[str, Path(pattern=CONVERSATION_ID.pattern)],
    parts: PartsDep,
    stores: StoresDep,
) -> Conversation:
    """The questions and answers of a conversation, for a reloaded chat; 404 when gone."""
    turns = parts.store.turns(conversation_id)
    if not turns and not parts.store.exists(conversation_id):
        raise HTTPException(
            status_code=404,
            detail=f"no conversation {conversation_id!r} (deleted, expired or never started)",
        )
    ratings = stores.feedback.ratings(conversation_id)
    return Conversation(
        conversation_id=conversation_id,
        turns=[
            StoredTurn(
                n=t.n,
                question=t.question,
                lang=t.lang,
                created=t.created,
                answer=_stored_answer(t.answer, t.n),
                rating=ratings.get(t.n),
            )
            for t in turns
        ],
    )


@router.delete("/conversations/{conversation_id}", status_code=204)
def delete_conversation(
    conversation_id: Annotated[str, Path(pattern=CONVERSATION_ID.pattern)],
    parts: PartsDep,
) -> Response:
    """Forget a conversation and its questions; 404 when there is none."""
    if not parts.store.delete(conversation_id):
        raise HTTPException(
            status_code=404,
            detail=f"no conversation {conversation_id!r} (deleted, expired or never started)",
        )
    return Response(status_code=204)
