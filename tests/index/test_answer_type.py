"""Questions that ask for an amount of money or a legal rule, and passages that state one."""

from __future__ import annotations

import pytest

from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold
from tvaers.index.answer_type import (
    AMOUNT,
    LEGAL,
    asks_for_amount,
    question_names,
    states_amount,
)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Hvilken telemedicinsk platform valgte de, og hvad kostede den?", "da"),
        ("Hvad koster en proceskonsulent til en temadag?", "da"),
        ("Hvor mange kroner betaler kommunen pr. indlæggelse?", "da"),
        ("Hvor meget tjener en projektleder?", "da"),
        ("Hvad får lederen af sundhedsvæsenet i Viborg i løn?", "da"),
        ("hvad de praktiserende læger får for et sygebesøg", "da"),
        ("Hvad er taksten for en hjemmesygeplejerske?", "da"),
        ("Hvad er tærskelværdierne for EU-udbud?", "da"),
        ("How much does a telemedicine platform cost?", "en"),
        ("What did the new hospital cost?", "en"),
        ("What is the salary of a project leader?", "en"),
        ("What are the procurement thresholds?", "en"),
        ("Hvad er PLO's honorar for et sygebesøg?", "da"),
        ("Hvor dyr var platformen?", "da"),
        ("How expensive was the telemedicine platform?", "en"),
        ("What is PLO's fee for a home visit?", "en"),
        ("What salary does a cross-sector leader earn?", "en"),
        ("What does a project leader cost per year?", "en"),
        ("Hvor meget koster det at ansætte en projektleder?", "da"),
    ],
)
def test_a_question_for_a_price_salary_fee_or_threshold_asks_for_an_amount(
    question: str, lang: str
) -> None:
    assert asks_for_amount(question, lang)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Idéen er god for borgeren, men den koster min forvaltning penge. Hvad gør vi?", "da"),
        ("Hvad får de private virksomheder ud af at være med?", "da"),
        ("Hvor meget betyder det, at topledelsen bakker op?", "da"),
        ("Hvad koster", "en"),  # Danish words in an English question: no English pattern
        ("A director said you are loyal to whoever pays your salary. Is that typical?", "en"),
        ("What was the Videncenter for Velfærdsledelse, and how was it funded?", "en"),
        ("Hvad koster det?", "de"),  # a language without patterns never asks
        # other costs and gains, which the texts do discuss (a new user's probe)
        ("Hvor meget får borgerne ud af samarbejdet?", "da"),
        ("Hvor meget betaler det sig at samarbejde på tværs?", "da"),
        ("Hvad koster det at lade være med at samarbejde på tværs?", "da"),
        ("Hvad koster det os at sige nej til samarbejdet?", "da"),
        ("Hvor dyrt er det at vente?", "da"),
        ("Hvor meget koster det os at sige nej til samarbejdet?", "da"),
        ("Hvor meget koster det i tid at opbygge tillid?", "da"),
        ("What does it cost us to say no to the collaboration?", "en"),
        ("How much time does it cost to build trust?", "en"),
        ("What is the cost of doing nothing?", "en"),
    ],
)
def test_a_question_that_only_mentions_money_does_not(question: str, lang: str) -> None:
    assert not asks_for_amount(question, lang)


@pytest.mark.slow
def test_every_answerable_dev_question_that_asks_for_an_amount_finds_it(
    bundled_settings,
) -> None:
    """The rule declines a question whose passages state no amount about it; the dev
    set's answerable money questions ("Who funded Videncenter for Velfærdsledelse, and
    how much money did it have?") must find theirs."""
    from tvaers.runtime import load_runtime

    asking = [
        i for i in load_gold(BUNDLED_DEV_GOLD)
        if i.kind != "out_of_scope" and asks_for_amount(i.question, i.lang)
    ]
    assert asking  # fresh5-013
    scorer = load_runtime(bundled_settings).evidence
    for item in asking:
        evidence = scorer.assess(item.question, lang=item.lang)
        assert evidence.signals["amount_found"] == 1.0 and not evidence.not_covered, item.id


def test_amounts_as_the_texts_write_them() -> None:
    for text in ("skal aflevere 5 mill. kr. årligt", "De 20 millioner kr., der", "300 kroner",
                 "DKK 1,2 mio.", "€ 5.000", "2,5 mia. kr."):
        assert states_amount(text), text
    for text in ("i 2010 og 2012", "de tre kommuner", "mandatet, ikke kronerne", "s. 21–22"):
        assert not states_amount(text), text


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Må en kommunal sygeplejerske kigge i hospitalets journal, hvis borgeren giver samtykke?",
         "da"),
        ("Er det lovligt at dele patientdata med kommunen?", "da"),
        ("Hvad tillader persondataloven os at dele?", "da"),
        ("Må vi dele oplysninger uden samtykke?", "da"),
        ("Hvilke oplysninger må vores akutteam dele efter persondataloven?", "da"),
        ("What does GDPR allow us to share about a patient?", "en"),
        ("Is it legal to share patient records with the municipality?", "en"),
        ("Are we allowed to share records if the citizen gives consent?", "en"),
        ("Can we legally see the hospital's records?", "en"),
        # a new user's probe: permission without naming the law
        ("Er det tilladt for kommunen at se hospitalets journaler, hvis patienten siger ja?", "da"),
        ("Må vi dele data med en privat virksomhed i et konsortium?", "da"),
        # which provisions or legal rules apply (the fourth fresh batch)
        ("Hvilke ansættelsesretlige regler gælder, hvis vi udlåner sygeplejersker?", "da"),
        ("Hvilke bestemmelser i persondataloven forhindrer os i at dele oplysninger?", "da"),
        ("What does employment law say about lending staff to the hospital?", "en"),
        ("Which provisions of the Health Act apply to shared records?", "en"),
        ("Hvad står der i serviceloven om pligten, og hvilke paragraffer gælder?", "da"),
    ],
)
def test_a_question_for_what_the_law_permits_asks_for_a_legal_rule(
    question: str, lang: str
) -> None:
    assert LEGAL.asked_by(question, lang)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        # the law as a barrier to lead around, which the texts do discuss
        ("Hvordan håndterer vi, at persondataloven gør det svært at dele data?", "da"),
        ("Hvad må vi ikke glemme, når vi laver en fælles journal?", "da"),
        ("Vi må hellere få loven på plads, men hvordan leder vi imens?", "da"),
        ("Hvad siger lovgivningen om, hvem der har ansvaret?", "da"),
        ("How do we deal with data protection rules that make sharing hard?", "en"),
        ("The legal entities in the project disagree. What now?", "en"),
        ("Må vi dele oplysninger uden samtykke?", "de"),
        # what the texts report about the law (a new user's probe): the score decides
        ("Hvad tillader loven ikke, som gør samarbejdet svært, ifølge cheferne?", "da"),
        ("Er det lovligt at bryde sundhedsaftalens regler om varsling, som nogle ledere gjorde?",
         "da"),
        ("What does the law allow? The reports say the rules pull in different directions – "
         "how do managers cope?", "en"),
        ("Is it legal to mix municipal and regional staff? What did the cases do about it?", "en"),
        ("Hvilke regler gælder for samarbejdet i styregruppen?", "da"),  # rules of play
        ("Hvilke spilleregler skal vi aftale i fredstid?", "da"),
    ],
)
def test_a_question_that_only_mentions_the_law_does_not(question: str, lang: str) -> None:
    assert not LEGAL.asked_by(question, lang)


def test_no_answerable_dev_question_asks_for_a_legal_rule() -> None:
    asking = [
        i.id for i in load_gold(BUNDLED_DEV_GOLD)
        if i.kind != "out_of_scope" and LEGAL.asked_by(i.question, i.lang)
    ]
    assert asking == []


def test_legal_provisions_as_a_law_text_cites_them() -> None:
    for text in ("jf. sundhedslovens § 41", "lov nr. 502 af 23. maj 2018", "uden hjemmel i loven",
                 "bekendtgørelse om autorisation", "article 9 of the GDPR"):
        assert LEGAL.stated_in(text), text
    for text in ("persondataloven gør det sværere at dele patientdata",
                 "ifølge eksisterende lovgivning", "de juridiske enheder"):
        assert not LEGAL.stated_in(text), text


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("Hvor mange penge fik Randers-projektet fra Videncenter for Velfærdsledelse?",
         ["Randers", "Videncenter", "Velfærdsledelse"]),
        ("Hvad koster en projektleder til et tværsektorielt projekt om året?", []),
        ("Hvad koster uddannelsen hos COK? Og i Region Hovedstaden?",
         ["COK", "Region", "Hovedstaden"]),
        ("Hvad står der i PLO's overenskomst?", ["PLO"]),
        ("I asked: »Hvad gjorde Horsens?« Did Horsens deliver?", ["Horsens"]),
        ("How much did the Finance Act set aside? I wonder.", ["Finance", "Act"]),
    ],
)
def test_names_are_capitalised_words_inside_a_sentence_and_abbreviations(
    question: str, names: list[str]
) -> None:
    assert question_names(question) == names


def test_a_statement_is_the_text_around_the_amount_it_states() -> None:
    text = "Indledning. " + "x" * 300 + " Kommunen skal aflevere 5 mill. kr. årligt til regionen."
    (around,) = AMOUNT.statements(text, reach=40)
    assert "5 mill. kr." in around and "aflevere" in around and "Indledning" not in around
    assert AMOUNT.statements("Ingen beløb her.") == []
