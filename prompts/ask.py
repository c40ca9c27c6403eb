"""One question in a conversation: the flow shared by ``tvaers ask`` and POST /api/ask."""

from __future__ import annotations

from tvaers.contracts import Answer
from tvaers.conversations import ConversationStore, UnknownConversationError
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

    Without a store nothing is remembered; with one, the turn is recorded: in a
    new conversation with a new id when none is given, else in the one given
    (started empty by :meth:`ConversationStore.create`, or with turns). An id
    the store does not know (deleted, expired, or never issued: ids are the
    server's) raises :class:`UnknownConversationError`, as does a conversation
    deleted while its question was answered: nothing is stored that its asker
    could no longer delete. The answer carries the id that was used.
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
    started = store is not None and conversation_id is None
    if started:
        conversation_id = store.new_id()  # type: ignore[union-attr]
    elif store is not None and previous is None and not store.exists(str(conversation_id)):
        # a new id would reach only the answer, which a reloaded page never sees
        raise UnknownConversationError(str(conversation_id))
    answer = composer.compose(
        question, k=k, mode=mode, lang=lang, query=query, conversation_id=conversation_id
    )
    if store is not None and conversation_id is not None:
        n = store.add_turn(  # the answer is kept so that a reloaded chat shows it again
            conversation_id, question, anchor=anchor, lang=answer.lang,
            answer=answer.model_dump_json(), create=started,
        )
        answer = answer.model_copy(update={"turn": n})
    return answer
