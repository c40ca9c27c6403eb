from __future__ import annotations

import pytest

from tvaers.prompts.sentences import SentenceKind, classify, passage_sentences


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Hvordan vil I løse konflikter i partnerskabet?", "question"),
        ("Netværke, skabe relationer og opbygge tillid", "fragment: no sentence end"),
        ("og det skal ske i fællesskab med de andre parter i projektet.", "fragment: starts"),
        ("Jeg mener, at man skal have tillid til hinanden hele vejen.", "first person"),
        ("”Vi skal skabe sammenhæng i borgernes forløb for alle parter.”", "interview speech"),
        ("Denne konflikt er således løst, og man skal videre nu.", "refers back"),
        # the contents passage of menings-og-tillidsskabelse, quoted as advice before
        ("Afsnit 4 har fokus på hvordan man leder innovationsprojekter.", "a guide to the text"),
        ("I 3.2 drejer det sig om, hvad man skal være opmærksom på.", "a guide to the text"),
    ],
)
def test_questions_fragments_and_asides_are_never_advice(sentence: str, reason: str) -> None:
    kind, why = classify(sentence, has_case=False)
    assert kind is SentenceKind.REJECT
    assert why.startswith(reason)


@pytest.mark.parametrize(
    "sentence",
    [
        "Det er vigtigt med mellemrum at revitalisere visionen, da det er visionen, der sætter "
        "retningen for samarbejdet.",
        "De må i stedet stille krav til den ledende private part.",
        "Sørg for at aftale spillereglerne, inden problemerne opstår.",
        "I 2008 besluttede kommunen, at lederne skal mødes hver måned.",  # a year, not a section
    ],
)
def test_recommendations_and_imperatives_are_actions(sentence: str) -> None:
    assert classify(sentence, has_case=False)[0] is SentenceKind.ACTION


def test_what_a_case_did_is_practice_only_in_a_case_passage() -> None:
    sentence = "I SSF har man aftalt et værdigrundlag for det fremadrettede arbejde i projektet."
    assert classify(sentence, has_case=True)[0] is SentenceKind.PRACTICE
    assert classify(sentence, has_case=False)[0] is SentenceKind.OTHER


def test_we_is_a_first_person_aside_in_an_interview_passage() -> None:
    sentence = "Det er svært at vente, men vi har et stort ønske om at de skal med."
    assert classify(sentence, has_case=True, spoken=True)[0] is SentenceKind.REJECT


def test_sentence_spans_map_into_the_passage_and_stop_at_line_breaks() -> None:
    text = "En leder siger:\n”Det er svært.”\n\nDet er vigtigt at afsætte tid til læring undervejs."
    sentences = passage_sentences(text, has_case=False)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.text for s in sentences][-1].startswith("Det er vigtigt")
    assert not any("\n" in s.text for s in sentences)
