"""Questions that ask for a kind of answer the nearest passages do not hold.

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

The same holds for *legal* questions: "Må en kommunal sygeplejerske kigge i
hospitalets journal, hvis borgeren giver samtykke?", "What does GDPR allow us
to share …?". The texts discuss data sharing and persondataloven as barriers
to collaboration, so such questions score like answerable ones, but an answer
to what the law permits must rest on a legal provision ("§ 41", "lov nr.",
"hjemmel"), and the texts about leadership cite none. A question that only
mentions the law ("persondataloven gør det svært at dele data – hvad gør
vi?") does not ask what it permits.

An amount or a provision only answers the question when it is stated about
what the question asks: in a passage that names what the question names
("Hvor mange penge fik Randers-projektet fra Videncenter for
Velfærdsledelse?" finds "20 millioner kr." in a passage on the Videncenter's
own grant, which never mentions Randers; :func:`question_names`), and with
one of the question's terms close by (:meth:`AnswerType.statements`: "Hvor
meget koster det at ansætte en projektleder?" finds "5 mill. kr. årligt til
regionen").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "AMOUNT",
    "ANSWER_TYPES",
    "LEGAL",
    "AnswerType",
    "asks_for_amount",
    "question_names",
    "states_amount",
]


#: Characters either side of an amount or a provision that say what it is about: about
#: a sentence ("Betyder projektet, at kommunen skal aflevere 5 mill. kr. årligt til
#: regionen, …"), without splitting at the periods of "mill. kr.".
STATEMENT_REACH = 150


@dataclass(frozen=True)
class AnswerType:
    """A kind of answer a question can ask for, and how a passage shows it holds one."""

    name: str  #: signal names are ``{name}_asked`` / ``{name}_found``; the reason ``no_{name}``
    asks: Mapping[str, re.Pattern[str]]  #: per language; a language without one never asks
    states: re.Pattern[str]
    #: per language: a question that also matches this asks what the texts report, not this
    unless: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    #: only the question's last sentence counts ("Is it legal …? What did the cases do?")
    last_sentence: bool = False

    def asked_by(self, question: str, lang: str) -> bool:
        pattern = self.asks.get(lang)
        if pattern is None:
            return False
        unless = self.unless.get(lang)
        if unless is not None and unless.search(question):
            return False
        if self.last_sentence:
            question = _last_sentence(question)
        return bool(pattern.search(question))

    def stated_in(self, text: str) -> bool:
        return bool(self.states.search(text))

    def statements(self, text: str, reach: int = STATEMENT_REACH) -> list[str]:
        """The text around each place that states this kind of answer: what the
        statement is about is written within ``reach`` characters of it."""
        return [
            text[max(0, m.start() - reach) : m.end() + reach] for m in self.states.finditer(text)
        ]


def _compile(patterns: Mapping[str, list[str]]) -> dict[str, re.Pattern[str]]:
    return {lang: re.compile("|".join(p), re.IGNORECASE) for lang, p in patterns.items()}


def _last_sentence(text: str) -> str:
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s.strip()]
    return sentences[-1] if sentences else text


_CLAUSE = r"[^?.!;]"  # within one clause of the question

_NOT_ABSTRACT = r"(?! det\b)"  # "hvad koster det (os) at …" is mostly about other costs
_NOT_US = r"(?! (?:us|me|you|them)\b)"  # "what does it cost us to say no"
_MONEY_NOUN_DA = r"(?:prisen|pris|lønnen|løn|honoraret|honorar|taksten|takst|gebyret|gebyr|beløbet)"

_ASKS = {
    "da": [
        rf"\bhvad (?:koster|kostede){_NOT_ABSTRACT}\b",
        # "hvor meget koster det at ansætte …" asks a price; "… det os at …" or "… i tid" not
        rf"\bhvor meget (?:koster|kostede)(?! det (?:os|mig|jer|dig)\b)(?!{_CLAUSE}*\bi tid\b)\b",
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

#: "5 mill. kr.", "20 millioner kr.", "300 kroner", "DKK 1,2 mio.", "€ 5.000".
_AMOUNT = re.compile(
    r"\d[\d.,]*\s*(?:kr\b\.?|kroner|mio\b\.?|mia\b\.?|mill\b\.?|millioner|milliarder"
    r"|dkk|euro|€)|(?:dkk|€|\$)\s*\d",
    re.IGNORECASE,
)


AMOUNT = AnswerType("amount", _compile(_ASKS), _AMOUNT)

_LAW_DA = (
    r"(?:persondataloven|persondatalovgivningen|gdpr|databeskyttelses\w*|tavshedspligt\w*"
    r"|samtykke\w*|hjemmel|lovgivningen|\w*loven)"  # sundhedsloven, serviceloven
)
#: "må" asks permission when its subject follows ("Må vi …", "hvad må en sygeplejerske …");
#: "vi må hellere …" states a need
_MAY_SUBJECT_DA = r"må (?:vi|jeg|man|du|de|en|et|vores|kommunen|hospitalet|sygehuset|regionen)"
_MAY_DA = rf"(?:{_MAY_SUBJECT_DA}|tillader|tillade|tilladt|lov til)"
#: sharing personal data is a legal question in itself
_SHARE_DA = r"(?:dele|videregive|udveksle|se|kigge i|få adgang til)"
_DATA_DA = r"(?:data|oplysninger|journal\w*|patientdata|patientoplysninger|cpr\w*)"
_LAW_EN = r"(?:gdpr|data protection|confidentiality|consent|the law|legislation)"
_MAY_EN = r"(?:allow|allows|allowed|permit|permits|permitted|may (?:we|i)|are we entitled)"
_LEGAL_ASKS = {
    "da": [
        r"\b(?:u)?lovlig(?:t|e)?\b",
        r"\ber det tilladt\b",
        rf"\b{_LAW_DA}\b{_CLAUSE}{{0,80}}\b{_MAY_DA}\b",
        rf"\b{_MAY_DA}\b{_CLAUSE}{{0,80}}\b{_LAW_DA}\b",
        rf"\b{_MAY_SUBJECT_DA}\b{_CLAUSE}{{0,40}}\b{_SHARE_DA}\b{_CLAUSE}{{0,60}}\b{_DATA_DA}\b",
        # which provisions of a law, or which legal rules, apply ("spilleregler" are not law)
        r"\b(?:ansættelsesretlig|arbejdsretlig|juridisk|lovgivningsmæssig)e"
        r" (?:regler|bestemmelser)\b",
        rf"\b(?:bestemmelser|bestemmelsen|paragraffer|paragraffen)\b{_CLAUSE}{{0,20}}\b{_LAW_DA}\b",
        r"\bhvilke (?:paragraffer|lovbestemmelser|lovregler)\b",
    ],
    "en": [
        r"\b(?:is it|is that|would it be) (?:legal|lawful|allowed)\b",
        r"\b(?:legally|lawful|unlawful|illegal)\b",
        rf"\b{_LAW_EN}\b{_CLAUSE}{{0,80}}\b{_MAY_EN}\b",
        rf"\b{_MAY_EN}\b{_CLAUSE}{{0,80}}\b{_LAW_EN}\b",
        r"\b(?:employment|labour|labor) (?:law|legislation)\b",
        r"\b(?:provisions?|sections?) of (?:the )?[\w-]+ (?:act|law)\b",
    ],
}
#: What the texts report about the law ("ifølge cheferne", "according to the reports",
#: "som nogle ledere gjorde"): the texts do discuss the law as a barrier.
_ABOUT_THE_TEXTS = {
    "da": [
        r"\bifølge (?:cheferne|lederne|teksterne|rapporten|rapporterne|materialet|hæftet"
        r"|notatet|forskningen|erfaringerne|projekterne)\b",
        r"\bhvad siger (?:teksterne|rapporten|rapporterne|materialet|hæftet|notatet"
        r"|cheferne|lederne|erfaringerne)\b",
        r"\bsom (?:nogle|flere|de) (?:ledere|chefer|direktører)\b",
    ],
    "en": [
        r"\baccording to (?:the )?(?:reports?|texts?|material|booklet|research|leaders"
        r"|managers|cases)\b",
        r"\bthe (?:reports?|texts?|booklet|material|research note|cases) "
        r"(?:say|says|describe|describes|mention|mentions)\b",
        r"\bwhat did (?:the cases|they|the leaders|the managers|the projects)\b",
    ],
}
#: A cited provision: "§ 41", "lov nr. 502", "bekendtgørelse om …", "hjemmel", "article 9".
_PROVISION = re.compile(
    r"§\s*\d|\blov nr\.|\blovbekendtgørelse|\bbekendtgørelse (?:nr\.|om)\b|\bhjemmel"
    r"|\b(?:artikel|article|section) \d",
    re.IGNORECASE,
)
LEGAL = AnswerType(
    "legal", _compile(_LEGAL_ASKS), _PROVISION, _compile(_ABOUT_THE_TEXTS), last_sentence=True
)

#: Checked in this order; the first one asked and not found is the reason given.
ANSWER_TYPES: tuple[AnswerType, ...] = (AMOUNT, LEGAL)


#: a word of letters; hyphens split it ("Randers-projektet": "Randers", "projektet")
_WORD = re.compile(r"[^\W\d_]+")
#: where a sentence (or a quoted or listed clause) begins, a capital says nothing
_SENTENCE_START = re.compile(r"(?:^|[.?!:;»«\"“”(\[\n]|\s[-–•])\s*$")


def question_names(question: str) -> list[str]:
    """The names a question uses: capitalised words that do not begin a sentence
    ("Randers", "Videncenter", "Region Hovedstaden"), and abbreviations anywhere
    ("COK", "PLO's" gives "PLO"), in order and without repeats.

    Danish capitalises only names, so a capital inside a sentence marks one; an
    English question's "Danish" or "Finance Act" comes along too, and the caller
    keeps only the names its corpus knows.
    """
    names: list[str] = []
    for match in _WORD.finditer(question):
        word = match.group()
        if len(word) < 2 or not word[0].isupper():
            continue
        abbreviation = sum(c.isupper() for c in word) >= 2
        inside = not _SENTENCE_START.search(question[: match.start()])
        if (abbreviation or inside) and word not in names:
            names.append(word)
    return names


def asks_for_amount(question: str, lang: str) -> bool:
    """The question asks for a price, salary, fee or threshold (an amount of money).

    A language without patterns (neither Danish nor English) never does.
    """
    return AMOUNT.asked_by(question, lang)


def states_amount(text: str) -> bool:
    """The text states an amount of money."""
    return AMOUNT.stated_in(text)
