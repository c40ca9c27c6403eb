"""Speaker roles for quotes, on sentences taken from the corpus (dehyphenated, joined)."""

from __future__ import annotations

import pytest

from tvaers.ingest.speakers import known_roles, speaker_role

# (block text, expected role); line numbers refer to the raw corpus files.
LEAD_INS = [
    (  # menings-og-tillidsskabelse:145-150
        "Den konkrete løsning er ikke lige så vigtig som det overordnede samarbejdsprojekt. "
        "Den lægelige direktør siger: ” Det kunne godt være noget andet, men nu er vi havnet "
        "i en telemedicinsk løsning.”",
        "den lægelige direktør",
    ),
    (  # projektledernes-9-budskaber:259
        "En projektleder udtaler: ”Vi er projektledere på tværs af hierarkier, og det er ikke "
        "nemt.”",
        "en projektleder",
    ),
    (  # menings-og-tillidsskabelse:187
        "En direktør fra det private konsortium siger på et fællesmøde: ”Vi skal kunne tjene "
        "penge.”",
        "en direktør fra det private konsortium",
    ),
    (  # menings-og-tillidsskabelse:131
        "En forretningsudvikler, der var med til at sætte projektet i gang sammenfatter "
        "visionen således: ”Ambitionen var at skabe en ny model.”",
        "en forretningsudvikler",
    ),
    (  # menings-og-tillidsskabelse:242
        "Man skal turde gå i gang uden at kende svaret på forhånd, således udtrykt af den "
        "kommunale chef: ”Det er svært.”",
        "den kommunale chef",
    ),
    (  # menings-og-tillidsskabelse:960
        "Et FU-medlem udtrykker problemstillingen meget diplomatisk: ”Det er ikke let.”",
        "et FU-medlem",
    ),
    (  # menings-og-tillidsskabelse:343
        "Hospitalsdirektøren beskriver det således: ”Vi har aftalt et værdigrundlag.”",
        "hospitalsdirektøren",
    ),
    (  # projektledernes-9-budskaber:198
        "Projektlederne fortæller: ”Vi har ikke mandat.”",
        "projektlederne",
    ),
    (  # ledelse-over-graenser:1071
        "Det var meget direkte indbygget i en af casenes arbejdsform, fortæller en deltager: "
        "”Hvis vi havde startet i stor skala, ville det hurtigt være blevet for meget.”",
        "en deltager",
    ),
]

ATTRIBUTIONS = [
    (  # ledelse-over-graenser:826-835
        "”At vores sygeplejersker bliver stærkere fagligt, giver en nemmere dialog med "
        "hospitalet. Faktisk er sprogbarriererne ofte større internt i kommunen, fx mellem "
        "sygeplejersker og socialrådgivere,” fortæller en kommunal chef.",
        "en kommunal chef",
    ),
    (  # ledelse-over-graenser:1320-1326
        "”Vi skal skabe sammenhæng i borgernes forløb. Alle borgere efterspørger en fælles "
        "plan, men hvordan laver vi den, når vi ikke må kigge i hinandens systemer?” spørger "
        "en frustreret leder.",
        "en frustreret leder",
    ),
    (  # ledelse-over-graenser:1845-1850
        "”Det hjalp også – i en periode,” fortæller en chef og tilføjer, at der også ligger "
        "en vigtig chefopgave i at hjælpe med at fortolke initiativerne.",
        "en chef",
    ),
    (  # velfaerdsledelse-ti-projekter:868-875
        "– Det oplagte strategiske fokus for de nye klyngeledelser var, hvordan vi for alvor "
        "kunne sætte kvaliteten i kerneydelsen på dagsordenen, siger Claus Poulsen.",
        "Claus Poulsen",
    ),
    (  # velfaerdsledelse-ti-projekter:1225-1229
        "– Det er den logik, der definerer, hvordan man kan snakke om sagerne, siger "
        "udviklingskonsulent Lisbeth Broberg, der har været projektleder for Slagelse Kommune.",
        "udviklingskonsulent Lisbeth Broberg",
    ),
    (  # velfaerdsledelse-ti-projekter:1733-1735
        "– Vi er blevet bedre til at løse opgaverne sammen med borgeren, fortæller Karin "
        "Boye, Aalborg Kommune.",
        "Karin Boye, Aalborg Kommune",
    ),
]


@pytest.mark.parametrize(("text", "role"), LEAD_INS)
def test_speaker_is_read_from_the_lead_in(text: str, role: str) -> None:
    assert speaker_role(text) == role


@pytest.mark.parametrize(("text", "role"), ATTRIBUTIONS)
def test_speaker_is_read_from_the_attribution_after_the_quote(text: str, role: str) -> None:
    assert speaker_role(text) == role


def test_lead_in_given_as_a_separate_paragraph_is_used() -> None:
    lead = "Det er derfor ikke kun et spørgsmål om teknik. Den ledende overlæge siger:"
    assert speaker_role("”Konflikten med PLO er den største risiko.”", lead_in=lead) == (
        "den ledende overlæge"
    )


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (  # menings-og-tillidsskabelse:157
            "Heller ikke praksiskonsulenten er sikker på om løsningen er telemedicinsk: ”Måske.”",
            "praksiskonsulenten",
        ),
        (  # menings-og-tillidsskabelse:524
            "Den ledende overlæge har oplevet det på denne måde: ”HpF blev tænkt skævt.”",
            "den ledende overlæge",
        ),
        (  # menings-og-tillidsskabelse:795
            "En af sundhedsdirektørerne har dette svar på hvordan det kan gøres: ”Man skaber …”",
            "en af sundhedsdirektørerne",
        ),
    ],
)
def test_role_noun_opening_the_lead_in_is_the_speaker_without_a_speech_verb(
    text: str, role: str
) -> None:
    assert speaker_role(text) == role


def test_pronoun_speaker_is_resolved_from_the_sentence_before() -> None:
    text = (
        "En repræsentant for almen praksis har oplevet forløbet anderledes. Han formulerer sig "
        "således: ”Jeg var ikke med i starten.”"
    )
    assert speaker_role(text) == "en repræsentant for almen praksis"


def test_verb_second_lead_in_puts_the_speaker_after_the_verb() -> None:
    assert speaker_role("Derfor siger hospitalsdirektøren: ”Nej.”") == "hospitalsdirektøren"


@pytest.mark.parametrize(
    "text",
    [
        # menings-og-tillidsskabelse:293 -- "svaret" is not a speaker
        "På spørgsmålet om hvor den lethed kommer fra lyder svaret: ”Tillid.”",
        # projektledernes-9-budskaber:158 -- a topic label, not a speaker
        "Om dårlig ledelsesmæssig opbakning: ”Vi står alene.”",
        # pronouns inside the quote are not attributions
        "”Det er svært. De siger: ’Det kommer nok.’ Jeg siger: ’Nu.’”",
        # menings-og-tillidsskabelse:810 -- the director is praised, not speaking
        "Igen får hospitalsdirektøren ros for at understøtte den tillid: ”Første gang …”",
    ],
)
def test_no_role_is_better_than_a_wrong_one(text: str) -> None:
    assert speaker_role(text) is None


def test_a_bare_name_gets_the_role_the_document_gives_elsewhere() -> None:
    document = (
        "For specialkonsulent Claus Poulsen fra Københavns Kommune har projektet været en "
        "øjenåbner. – Vi har lært meget, siger Claus Poulsen."
    )
    roles = known_roles(document)
    assert roles == {"Claus Poulsen": "specialkonsulent"}
    quote = "– Vi har lært meget, siger Claus Poulsen."
    assert speaker_role(quote, known=roles) == "Claus Poulsen, specialkonsulent"


def test_known_roles_reads_name_comma_role_and_ignores_narrative() -> None:
    document = (  # velfaerdsledelse-ti-projekter:527-529, 957, 2112, 2578-2579
        "Netop den sidste gruppe af patienter er ifølge Hans Peder Graversen, cheflæge og "
        "afdelingschef i Region Midtjylland, en af de afgørende grunde. Greve Gymnasiums "
        "rektor, Karl-Henrik Jørgensen, er ikke i tvivl. Ifølge projektleder, ledelseskonsulent "
        "i Region Hovedstadens Psykiatri Jan Skielboe, er samarbejdsaftalen rigtig god. "
        "– Ja, siger Hans Peder Graversen. – Nej, siger Karl-Henrik Jørgensen. "
        "– Måske, siger Jan Skielboe."
    )
    assert known_roles(document) == {
        "Hans Peder Graversen": "cheflæge og afdelingschef i Region Midtjylland",
        "Karl-Henrik Jørgensen": "rektor",
    }
