"""Short questions that refer back to the previous one in a conversation.

"Og hvis det er almen praksis?" means nothing alone; it is searched together
with the conversation's previous question. A question counts as a follow-up
when it is short and opens or leans on words that point back.
"""

from __future__ import annotations

import re

__all__ = ["MAX_FOLLOWUP_WORDS", "is_courtesy", "is_followup", "retrieval_query"]

MAX_FOLLOWUP_WORDS = 9

_OPENERS = re.compile(
    r"^\s*(og|men|så|hvad med|hvad så|hvis|hvordan med|end|også|and|but|so|what about|"
    r"how about|what if|and if|then|also)\b",
    re.IGNORECASE,
)
_POINTERS = re.compile(
    r"\b(det|den|dem|dette|disse|der|deres|han|hun|it|that|this|they|them|those|there|"
    r"he|she|their)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
# "tak" after an answer is not a question about the previous one: searched with
# it, it would get the previous answer again
_COURTESY = re.compile(
    r"^\s*((mange|tusind|1000) )?(tak|tak skal du have|thanks|thank you|thx|ok|okay|fint|"
    r"super|godt|great|perfect|perfekt)( (for det|for that|a lot))?\s*[.!]*\s*$",
    re.IGNORECASE,
)


def is_courtesy(text: str) -> bool:
    """True for a thanks or an "ok": answered with a courtesy, not searched."""
    return bool(_COURTESY.match(text))


def is_followup(question: str) -> bool:
    """True for a short question that opens with "og/men/hvad med…" or leans on a pronoun."""
    words = _WORD.findall(question)
    if len(words) > MAX_FOLLOWUP_WORDS or is_courtesy(question):
        return False
    return bool(_OPENERS.match(question) or _POINTERS.search(question) or len(words) <= 3)


def retrieval_query(question: str, previous: str | None) -> str:
    """What is searched: the previous question and this one, when this one refers back."""
    if previous and is_followup(question):
        return f"{previous} {question}"
    return question
