"""GET /api/search: the same hits as ``tvaers search --json``."""

from __future__ import annotations

import unicodedata
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel, BeforeValidator

from tvaers.contracts import Hit
from tvaers.index.language import NO_WORDS, clean_question, has_words
from tvaers.service.state import RuntimeDep
from tvaers.settings import SearchMode

router = APIRouter(prefix="/api", tags=["search"])

MAX_QUESTION_CHARS = 1000


def nfc(value: object) -> object:
    """NFC before any length rule: an NFD "å" is two code points, so a question within
    the limit as typed on one keyboard would be refused as pasted from another."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def words_in(question: str) -> str:
    """The question stripped and NFC; ValueError when it has no letter or digit to search for."""
    question = clean_question(question)
    if not has_words(question):
        raise ValueError(NO_WORDS)
    return question


class SearchResponse(BaseModel):
    question: str
    mode: SearchMode
    hits: list[Hit]


@router.get("/search", response_model=SearchResponse)
def search(
    runtime: RuntimeDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUESTION_CHARS,
            description="The question, in Danish or English.",
        ),
        AfterValidator(words_in),
        BeforeValidator(nfc),  # last: it runs first
    ],
    k: Annotated[int, Query(ge=1, le=100, description="Number of hits.")] = 10,
    mode: Annotated[SearchMode | None, Query(description="Retrieval mode.")] = None,
) -> SearchResponse:
    chosen = mode or runtime.settings.search_mode
    hits = runtime.retriever.search(q, k=k, mode=chosen)
    return SearchResponse(question=q, mode=chosen, hits=hits)
