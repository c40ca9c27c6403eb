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
penge", "whoever pays your salary", "hvor meget får borgerne ud af det?",
"hvad koster det os at sige nej?" or "how much time does it cost?" do not.
The patterns prefer missing a money question (its score still decides) to
declining an answerable one.
"""

from __future__ import annotations

import re

__all__ = ["asks_for_amount", "states_amount"]

_CLAUSE = r"[^?.!;]"  # within one clause of the question

_NOT_ABSTRACT = r"(?! det\b)"  # "hvad koster det (os) at …" is mostly about other costs
_NOT_US = r"(?! (?:us|me|you|them)\b)"  # "what does it cost us to say no"
_MONEY_NOUN_DA = r"(?:prisen|pris|lønnen|løn|honoraret|honorar|taksten|takst|gebyret|gebyr|beløbet)"

_ASKS = {
    "da": [
        rf"\bhvad (?:koster|kostede){_NOT_ABSTRACT}\b",
        rf"\bhvor meget (?:koster|kostede){_NOT_ABSTRACT}\b",
        r"\bhvor mange (?:kroner|penge|euro)\b",
        r"\bhvor meget (?:tjener|tjente)\b",
        r"\bhvor dyre?\b(?!t)",
        rf"\bhvad\b{_CLAUSE}{{0,60}}\b(?:får|fik|tjener|tjente)\b"
        rf"{_CLAUSE}{{0,60}}\b(?:i løn|i honorar|i betaling|for (?:et|en))\b",
        rf"\bhvad (?:er|var)\b{_CLAUSE}{{0,40}}\b{_MONEY_NOUN_DA}\b",
        r"\btærskelværdi",
    ],
    "en": [
        r"\bhow much money\b",
        rf"\bhow much (?:does|did|do|would|will|is|was)\b{_CLAUSE}{{0,60}}\bcost{_NOT_US}\b",
        rf"\bhow much (?:do|does|did)\b{_CLAUSE}{{0,60}}\b(?:pay|paid|earn|earns|charge|charged)\b",
        rf"\bwhat (?:does|did|do|would|will)\b{_CLAUSE}{{0,60}}\bcost{_NOT_US}\b",
        r"\bhow expensive\b",
        r"\bwhat (?:salary|fee|price)\b",
        r"\bwhat (?:is|was|are|were) (?:the |their |his |her |its |[\w'’]+'s )?"
        r"(?:price|fee|salary|tariff)s?\b",
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
