"""The project's own answers to a gold set, as an answers file would hold them.

Each item is asked through the same flow as the chat and ``tvaers ask``
(:func:`tvaers.prompts.ask.ask`); a follow-up item is asked in the
conversation of the item it follows, after that item, so the dev set's
follow-up pairs measure the follow-up handling. Conversations live in a
temporary database that is removed afterwards.

Example:
    >>> answers = system_answers(items, Composer(runtime))   # doctest: +SKIP
    >>> AnswerEvaluator(items, scorer).evaluate(answers)      # doctest: +SKIP
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from tvaers.contracts import Answer, GoldItem
from tvaers.conversations import ConversationStore
from tvaers.eval.answers import AnswerCitation, SubmittedAnswer
from tvaers.prompts.ask import ask
from tvaers.prompts.composer import Composer

__all__ = ["as_submitted", "system_answers"]


def as_submitted(item_id: str, answer: Answer) -> SubmittedAnswer:
    """An ``Answer`` in the answers-file shape: its text and the passages it cites.

    A not-covered answer cites nothing: the nearest passages it lists are pointers
    for the reader to check the decision, not evidence for an answer.
    """
    cited = [] if answer.not_covered else answer.citations
    return SubmittedAnswer(
        id=item_id,
        answer=answer.text,
        citations=[AnswerCitation(chunk_id=c.chunk_id) for c in cited],
        not_covered=answer.not_covered,
    )


def system_answers(
    items: Sequence[GoldItem],
    composer: Composer,
    *,
    progress: Callable[[GoldItem], None] | None = None,
) -> list[SubmittedAnswer]:
    """Answer every item, in gold-set order, a follow-up in its opener's conversation."""
    by_id = {i.id: i for i in items}
    conversation: dict[str, str] = {}
    answers: dict[str, SubmittedAnswer] = {}
    with tempfile.TemporaryDirectory(prefix="tvaers-system-") as folder:
        store = ConversationStore(Path(folder) / "conversations.sqlite")

        def answer(item: GoldItem) -> None:
            if item.id in answers:
                return
            opener = by_id.get(item.follows) if item.follows else None
            if opener is not None:
                answer(opener)  # the opener first, so the follow-up has its thread
            cid = conversation.get(opener.id) if opener is not None else None
            result = ask(composer, item.question, store=store, conversation_id=cid)
            assert result.conversation_id is not None
            conversation[item.id] = result.conversation_id
            answers[item.id] = as_submitted(item.id, result)
            if progress is not None:
                progress(item)

        for item in items:
            answer(item)
    return [answers[i.id] for i in items]
