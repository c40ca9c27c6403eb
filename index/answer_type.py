"""Questions that ask for an amount of money, and passages that state one.

The near misses the evidence score lets through are questions whose words are
all in the corpus but whose answer is not: "Hvilken telemedicinsk platform
valgte Horsens på Forkant, og hvad kostede den?", "Hvad får lederen af det
kommunale sundhedsvæsen i Viborg i løn?". They score like paraphrased
in-scope questions, because the texts do discuss those platforms and leaders.
What they ask for is a *price, salary, fee or threshold*, and an answer to
that must state an amount; when none of the best passages states one, the
texts do not answer the question, however well they match its words (the
expected answer type of classic question answering, for the one type that
is both common in leaders' questions and easy to recognise in a passage).

Only questions that ask *for* an amount match: "den koster min forvaltning
penge" or "whoever pays your salary" do not.
"""

from __future__ import annotations

import re

__all__ = ["asks_for_amount", "states_amount"]

_CLAUSE = r"[^?.!;]"  # within one clause of the question

_ASKS = {
    "da": [
        r"\bhvad (?:koster|kostede|koste)\b",
        r"\bhvor mange (?:kroner|penge|euro)\b",
        r"\bhvor meget (?:koster|kostede|betaler|betalte|tjener|tjente|får|fik)\b",
        rf"\bhvad\b{_CLAUSE}{{0,60}}\b(?:får|fik|tjener|tjente|betaler|betalte)\b"
        rf"{_CLAUSE}{{0,60}}\b(?:i løn|i honorar|i betaling|for (?:et|en))\b",
        rf"\bhvad (?:er|var)\b{_CLAUSE}{{0,40}}\b(?:prisen|lønnen|honoraret|taksten|gebyret)\b",
        r"\btærskelværdi",
    ],
    "en": [
        rf"\bhow much\b{_CLAUSE}{{0,60}}\b(?:cost|costs|pay|paid|charge|charged|earn|earns)\b",
        r"\bhow much money\b",
        rf"\bwhat (?:does|did|do|would|will)\b{_CLAUSE}{{0,60}}\bcost\b",
        r"\bwhat (?:is|was|are|were) the (?:price|cost|fee|salary|rate|tariff)s?\b",
        r"\bprocurement thresholds?\b",
    ],
}
_ASK_PATTERNS = {
    lang: re.compile("|".join(patterns), re.IGNORECASE) for lang, patterns in _ASKS.items()
}

#: "5 mill. kr.", "20 millioner kr.", "300 kroner", "DKK 1,2 mio.", "€ 5.000".
_AMOUNT = re.compile(
    r"\d[\d.,]*\s*(?:kr\b\.?|kroner|mio\b\.?|mia\b\.?|mill\b\.?|millioner|milliarder"
    r"|dkk|euro|€)|(?:dkk|€|\$)\s*\d",
    re.IGNORECASE,
)


def asks_for_amount(question: str, lang: str) -> bool:
    """The question asks for a price, salary, fee or threshold (an amount of money).

    A language without patterns (neither Danish nor English) never does.
    """
    pattern = _ASK_PATTERNS.get(lang)
    return bool(pattern and pattern.search(question))


def states_amount(text: str) -> bool:
    """The text states an amount of money."""
    return bool(_AMOUNT.search(text))
