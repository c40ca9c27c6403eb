"""Who is speaking in a quote, as the text itself says it.

Quotes are practitioners' voices, and the assistant must be able to say
"a municipal manager says …" rather than present a quote as a finding. The
reports give the speaker in three ways, all handled here:

* a lead-in before the quote: ``Den lægelige direktør siger:`` or
  ``…, fortæller en deltager: ”…”``;
* an attribution after it: ``”…,” fortæller en kommunal chef.`` (KORA
  booklet) or ``– …, siger Claus Poulsen.`` (journalistic dash);
* ``af <speaker>:`` as in ``således udtrykt af den kommunale chef:``.

A bare name is completed with the role the document gives elsewhere
(``specialkonsulent Claus Poulsen`` → ``Claus Poulsen, specialkonsulent``)
via :func:`known_roles`. Anything that is not a plausible speaker (a pronoun,
``at …``) yields ``None``: no role is better than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tvaers.ingest.sentences import split_sentences

__all__ = ["SPEECH_VERBS", "known_roles", "speaker_role"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SPEECH_VERBS: tuple[str, ...] = tuple(
    sorted(
        _words(
            "siger sagde fortæller fortalte udtaler udtalte formulerer formulerede forklarer"
            " forklarede mener påpeger understreger beskriver udtrykker sammenfatter fortsætter"
            " opregner tilføjer konstaterer fremhæver uddyber spørger svarer vurderer erkender"
            " pointerer supplerer nævner taler replicerer oplever opfatter omtaler præciserer"
            " forsvarer begrunder peger"
        )
    )
)
_VERB = r"(?:" + "|".join(SPEECH_VERBS) + r")"
_PARTICIPLE = r"(?:udtrykt|formuleret|beskrevet|sagt|fortalt|forklaret)"

# Words that cannot start a speaker phrase: pronouns, conjunctions, adverbs.
_NOT_SPEAKER = _words(
    "at det der han hun de den jeg vi man du i som så også nu til om noget ikke her der"
    " sig sin sit sine hans hendes deres dette disse hvad hvem hvor hvordan hvorfor når"
    " og men eller samt for med på af efter under ved fra meget mere tit ofte altid"
    " selv derfor således sådan herom heller blot bare endda netop"
)
# A finite verb or negation inside the phrase means it is a clause, not a speaker.
_CLAUSE_WORDS = _words(
    "er var har havde kan kunne skal skulle vil ville må får gør ikke blev bliver kommer"
)
_OBJECT_PRONOUNS = _words("dem os ham hende dig mig sig det dette dog")
# After ``ifølge`` the speaker phrase ends where the clause goes on.
_IFOLGE_STOP = _words("en et den de om fx f.eks. at i på med for til af blandt bl.a. ikke er var")
_DETERMINERS = _words("en et den de én samme flere nogle mange hver")
_ADVERBIAL_OPENERS = _words(
    "og men så derfor her endelig også desuden samtidig tilsvarende ligeledes da nu"
    " videre senere heller som"
)
_TRAILING = _words("det dette sådan således også her nu selv")
_QUOTE_START = re.compile(r"\s*(?:[”\"]|–\s)")
_LEAD_END = re.compile(r":\s*(?=[”\"]|–\s)")
_CUT = re.compile(
    r",\s*(?:der|som|da|når|hvor|at|og)\b|\s+og\s+" + _VERB + r"\b|[:;.!?”\"(]|\s+–\s"
)
_ATTRIBUTION = re.compile(
    r"(?:[,.!?…]\s*[”\"]|[,.!?…][”\"]?,?)\s+(?P<verb>" + _VERB + r")\s+(?P<who>[^.!?:;\n]+?)"
    r"\s*(?=[.:!?;]|$)"
)
_LEAD_VERB_FIRST = re.compile(
    r"\b" + _VERB + r"(?:\s+og\s+\w+)?\s+(?P<who>[^:]+?)\s*:\s*$"  # forklarer og forsvarer X
)
_LEAD_SUBJECT_FIRST = re.compile(r"(?P<who>[^:;]+?)\s+" + _VERB + r"\b[^:]*:\s*$")
_LEAD_BY = re.compile(r"\b" + _PARTICIPLE + r"\s+af\s+(?P<who>[^:]+?)\s*:\s*$")
_LEAD_IFOLGE = re.compile(r"\b[Ii]følge\s+(?P<who>[^:,]+?)\s*:\s*$")
_CLAUSE_SPLIT = re.compile(r"[,–]\s+|(?<!-)\s+(?:og|men|så)\s+")
_NAME = r"[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøåé]+)?"
_FULL_NAME = re.compile(rf"{_NAME}(?:\s+{_NAME}){{1,3}}")
_NAMED_SPEAKER = re.compile(r"\b" + _VERB + rf"\s+(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})\b")
_ROLE_NOUN = (
    r"(?:[A-ZÆØÅ]{2,}-)?[a-zæøå]*(?:chef|leder|konsulent|læge|rektor|direktør|fuldmægtig"
    r"|specialist|sygeplejerske|formand|professor|forsker|koordinator|medarbejder)"
)
_ROLE_AFTER = re.compile(rf",\s+(?P<role>{_ROLE_NOUN}\b[^,.;:()”]{{0,90}}?)\s*(?=[,.;:()”])")
_ROLE_BEFORE = re.compile(rf"(?<![\w-])(?P<role>(?:[A-ZÆØÅ](?=[a-zæøå]))?{_ROLE_NOUN}),?\s+$")
# A role noun as subject at a clause start (``Den ledende overlæge har …:``): the fallback
# for lead-ins without a speech verb. Only at a clause start, so that ``Igen får
# hospitalsdirektøren ros …:`` (praise *of* the director) is not read as the speaker.
_ROLE_WORD = (
    r"[a-zæøå-]*(?:direktør|overlæge|læge|chef|leder|konsulent|repræsentant|medlem"
    r"|sygeplejerske|formand)(?:en|erne|ne|e)?"
)
_ROLE_NP = re.compile(
    rf"(?:(?:en|et|den|de|samme)\s+(?:af\s+(?:de\s+)?)?)?(?:[a-zæøå-]+\s+){{0,2}}?{_ROLE_WORD}"
    r"(?:\s+(?:for|fra|i|på)\s+(?:det\s+|den\s+)?[a-zæøå-]+"
    r"(?:\s+(?!(?:er|har|var|kan|skal|vil|ved|får|siger|blev)\b)[a-zæøå-]+)?)?(?=[\s,:.])",
    re.IGNORECASE,
)
_CLAUSE_LEAD = re.compile(r"^(?:(?:men|og|så|også|heller ikke|her er det|derfor|nu)\s+)+", re.I)
_PRONOUN_SUBJECT = re.compile(r"^(?:[Hh]an|[Hh]un)\s+" + _VERB + r"\b|\b[Ii]følge (?:ham|hende)\b")
_MAX_WORDS = 12


def _clean_speaker(raw: str) -> str | None:
    """Trim a candidate speaker phrase; ``None`` if it is not a plausible speaker."""
    cut = _CUT.search(raw)
    words = (raw[: cut.start()] if cut else raw).strip(" ,–-").split()
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words.pop()
    while len(words) > 1 and words[0].lower() in _ADVERBIAL_OPENERS:
        words.pop(0)
    if not words or len(words) > _MAX_WORDS:
        return None
    if _FULL_NAME.fullmatch(" ".join(words)):
        return " ".join(words)  # ``Hans Peder Graversen``: "Hans" is a name here
    lowered = [w.lower() for w in words]
    first = lowered[0]
    if (first in _NOT_SPEAKER or first in _OBJECT_PRONOUNS) and first not in _DETERMINERS:
        return None
    if len(words) == 1 and not re.fullmatch(r"[A-ZÆØÅ]{2,}|\w+(?:en|et|ne)", words[0]):
        return None  # one word: a definite noun (``hospitalsdirektøren``) or ``XX``
    if first in _DETERMINERS and (
        len(words) == 1 or (lowered[1] in _NOT_SPEAKER and lowered[1] != "af")
    ):
        return None
    if _CLAUSE_WORDS.intersection(lowered) or lowered[-1] in _OBJECT_PRONOUNS:
        return None
    return _lower_first(" ".join(words))


def _lower_first(phrase: str) -> str:
    """``Den lægelige direktør`` → ``den lægelige direktør``; names and acronyms stay."""
    words = phrase.split()
    first = words[0]
    if first.lower() in _DETERMINERS:
        return first.lower() + phrase[len(first) :]
    is_name = len(words) > 1 and words[1][:1].isupper() and first[:1].isupper()
    if is_name or not first[:1].isupper() or any(c.isupper() for c in first[1:]):
        return phrase
    return first[:1].lower() + phrase[1:]


def _split_quote(text: str) -> tuple[str, str]:
    """Split a block into (lead-in ending in ':', quote); the lead-in may be empty."""
    if _QUOTE_START.match(text):
        return "", text
    match = _LEAD_END.search(text)
    if match is None:
        return "", text
    return text[: match.start() + 1], text[match.end() :]


def _subject_candidates(who: str) -> list[str]:
    """The clause right before the verb first, then the whole phrase (cut at ', der')."""
    last = _CLAUSE_SPLIT.split(who)[-1]
    return [last, who] if last != who else [who]


def _from_lead_in(lead_in: str) -> str | None:
    lead_in = lead_in.strip()
    if not lead_in.endswith(":"):
        return None
    sentence = split_sentences(lead_in)[-1]
    match = _LEAD_BY.search(sentence)
    if match and (speaker := _clean_speaker(match.group("who"))):
        return speaker
    match = _LEAD_IFOLGE.search(sentence)
    if match:
        words = match.group("who").split()
        end = next((i for i, w in enumerate(words) if i and w.lower() in _IFOLGE_STOP), None)
        if speaker := _clean_speaker(" ".join(words[:end])):
            return speaker
    match = _LEAD_SUBJECT_FIRST.search(sentence)
    if match:
        for who in _subject_candidates(match.group("who")):
            if speaker := _clean_speaker(who):
                return speaker
    # Danish verb-second: ``Derfor siger hospitalsdirektøren:``
    match = _LEAD_VERB_FIRST.search(sentence)
    if match and (speaker := _clean_speaker(match.group("who"))):
        return speaker
    sentences = split_sentences(lead_in)
    if _PRONOUN_SUBJECT.search(sentence) and len(sentences) > 1:
        return _role_subject(sentences[-2])  # ``… en repræsentant … Han formulerer …:``
    return _role_subject(sentence)


def _role_subject(sentence: str) -> str | None:
    """A role noun phrase opening one of the sentence's clauses, if any."""
    for clause in re.split(r"[,;]\s+", sentence):
        clause = _CLAUSE_LEAD.sub("", clause.strip())
        match = _ROLE_NP.match(clause)
        if match and (speaker := _clean_speaker(match.group())):
            return speaker
    return None


def _from_attribution(quote: str) -> str | None:
    for match in _ATTRIBUTION.finditer(quote):
        speaker = _clean_speaker(match.group("who"))
        if speaker:
            return speaker
    return None


def known_roles(text: str) -> dict[str, str]:
    """Speakers' names with the role the text gives them: ``Name, role`` or ``role Name``.

    Run over a whole document, so that ``siger Claus Poulsen`` can be reported
    as ``Claus Poulsen, specialkonsulent``. Only names that are attributed a
    quote somewhere are looked up, and a role must start with a role noun
    (``…chef``, ``…konsulent``, ``rektor`` …), so that narrative is not taken
    for a role.
    """
    names = {m.group("name") for m in _NAMED_SPEAKER.finditer(text)}
    roles: dict[str, str] = {}
    for name in sorted(names):
        spots = [m.span() for m in re.finditer(re.escape(name), text)]
        # ``Name, role …`` says more than a bare title before the name: try it first
        for _, end in spots:
            if after := _ROLE_AFTER.match(text, end):
                roles[name] = re.sub(r"\s+", " ", after.group("role")).strip()
                break
        else:
            for start, _ in spots:
                if before := _ROLE_BEFORE.search(text, max(0, start - 60), start):
                    roles[name] = before.group("role").lower()
                    break
    return roles


def speaker_role(
    text: str, lead_in: str | None = None, known: Mapping[str, str] | None = None
) -> str | None:
    """The speaker's role for a quote block, as the text gives it.

    ``text`` is the quote block (it may start with its own lead-in);
    ``lead_in`` is the paragraph before it when the cleaner kept them apart.
    ``known`` maps names to roles (see :func:`known_roles`).
    """
    own_lead, quote = _split_quote(text)
    speaker = None
    for candidate in (own_lead, lead_in):
        if candidate and (speaker := _from_lead_in(candidate)):
            break
    if speaker is None:
        speaker = _from_attribution(quote)
    if speaker and known:
        name = _FULL_NAME.match(speaker)
        if name and name.group() == speaker and speaker in known:
            speaker = f"{speaker}, {known[speaker]}"
    return speaker
