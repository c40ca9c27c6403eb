"""One question in a conversation: the flow shared by ``tvaers ask`` and POST /api/ask."""

from __future__ import annotations

from tvaers.contracts import Answer
from tvaers.conversations import ConversationStore
from tvaers.index.language import detect_language
from tvaers.prompts.composer import Composer
from tvaers.prompts.followup import is_courtesy, is_followup, retrieval_query
from tvaers.settings import SearchMode

__all__ = ["ask"]


def ask(
    composer: Composer,
    question: str,
    *,
    store: ConversationStore | None = None,
    conversation_id: str | None = None,
    k: int | None = None,
    mode: SearchMode | str | None = None,
    lang: str | None = None,
) -> Answer:
    """Answer ``question``; a follow-up is searched with its thread's opening question.

    Without a store nothing is remembered; with one, the turn is recorded, and
    a new conversation id is made when none is given or the store does not
    know the one given (deleted, expired, or never issued: ids are the
    server's, so a client cannot pick a guessable one); a conversation the
    store started empty is used. The answer carries the id that was used.
    """
    question = question.strip()
    previous = store.last_turn(conversation_id) if store and conversation_id else None
    followup = previous is not None and is_followup(question)
    # a thanks keeps the thread's question for the next follow-up
    keeps_thread = followup or is_courtesy(question)
    anchor = previous.anchor if keeps_thread and previous else question
    query = retrieval_query(question, previous.anchor if previous else None)
    if followup and previous and lang is None:
        # "tillid" after an English question: the conversation's language, not a guess
        lang = detect_language(question, default=previous.lang)
    if store is not None and previous is None:
        # a conversation started empty (POST /api/conversations) is used as it is
        known = conversation_id is not None and store.exists(conversation_id)
        conversation_id = conversation_id if known else store.new_id()
    answer = composer.compose(
        question, k=k, mode=mode, lang=lang, query=query, conversation_id=conversation_id
    )
    if store is not None and conversation_id is not None:
        n = store.add_turn(  # the answer is kept so that a reloaded chat shows it again
            conversation_id, question, anchor=anchor, lang=answer.lang,
            answer=answer.model_dump_json(),
        )
        answer = answer.model_copy(update={"turn": n})
    return answer
