"""Case tags: the table loads, sections and names map to one canonical tag."""

from __future__ import annotations

import re

import pytest

from tvaers.ingest.cases import case_names, heading_key, load_cases, tag_cases

OVER = "ledelse-over-graenser"
TEN = "velfaerdsledelse-ti-projekter"
MENING = "menings-og-tillidsskabelse"
RANDERS = "randers-naere-sundhedsvaesen"


def test_table_has_the_six_cases_and_ten_projects() -> None:
    cases = load_cases()
    slugs = [c.slug for c in cases]
    assert len(slugs) == len(set(slugs))
    for slug in (
        "horsens-paa-forkant",
        "slip-sundheden-fri",
        "psykiatriens-hus",
        RANDERS,
        "sam-bo",
        "viborg-akut",
    ):
        assert slug in slugs
    projects = [c for c in cases if c.article]
    assert len(projects) == 10  # the Projekteksempler pages list ten articles
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", s) for s in slugs)


def test_display_names_include_the_short_form() -> None:
    names = case_names()
    assert names["horsens-paa-forkant"] == "Horsens på Forkant med Sundhed (HpF)"
    assert names["sam-bo"].startswith("SAM:BO")
    assert list(names) == [c.slug for c in load_cases()]


def test_randers_is_one_tag_in_both_documents() -> None:
    over = tag_cases(
        [
            "De fire cases kort fortalt",
            "Sundhedsstrategisk ledelse af det nære sundhedsvæsen i Randers",
        ],
        "Projektet er gennemført af Regionshospitalet Randers.",
        OVER,
    )
    ten = tag_cases(
        ["Tredje ledelsesudfordring", "Fuld fart frem og frie hænder"],
        "Topledelsen gjorde en forskel.",
        TEN,
    )
    assert over == [RANDERS]
    assert ten == [RANDERS]


def test_section_titles_match_despite_case_and_line_break_artefacts() -> None:
    # the KORA booklet's small-caps titles come out lower-cased by the cleaner
    assert tag_cases(["de fire cases kort fortalt", "akutsamarbejde i viborg"], "x", OVER) == [
        "viborg-akut"
    ]
    assert heading_key("Akutte ledelses- udfordringer") == heading_key(
        "Akutte ledelsesudfordringer"
    )


def test_a_section_title_tags_only_in_the_case_documents() -> None:
    # "Relationel koordinering" is the name of a 004 project and a general concept
    assert tag_cases(["Relationel koordinering"], "x", TEN) == ["relationel-koordinering"]
    assert tag_cases(["Relationel koordinering"], "x", OVER) == []


def test_text_naming_the_case_tags_it() -> None:
    text = (  # menings-og-tillidsskabelse:114
        "Når organisationerne kaster sig ud i projekter som Horsens på Forkant (HpF) og Slip "
        "Sundheden Fri (SSF), er det fordi de ikke kan løse opgaven alene."
    )
    assert tag_cases(["3. Meningsskabelse hvorfor og hvordan?"], text, MENING) == [
        "horsens-paa-forkant",
        "slip-sundheden-fri",
    ]


def test_alias_spanning_a_line_break_still_matches() -> None:
    text = "I 2008 indgik Region Syddanmark og kommunerne en samarbejdsaftale (SAM:BO)."
    assert tag_cases([], text, OVER) == ["sam-bo"]
    assert tag_cases([], "projektet Ledelse i\nakutmodtagelser", TEN) == [
        "ledelse-i-akutmodtagelser"
    ]


@pytest.mark.parametrize(
    ("text", "doc_id"),
    [
        # a general use of the concept, not the project (velfaerdsledelse-ti-projekter:1982)
        ("Relationel koordinering handler altid om at dele mål.", TEN),
        # Randers hospital in the emergency-department project's fact box (004:615)
        ("Regionshospitalet Randers, Akutafdelingen", TEN),
        # a local alias is not used outside the case's documents
        ("Horsens Kommune har et sundhedshus.", OVER),
        ("Viborg Katedralskole", TEN),
    ],
)
def test_ambiguous_mentions_are_not_tagged(text: str, doc_id: str) -> None:
    assert tag_cases(["Noget andet"], text, doc_id) == []


def test_local_alias_is_used_in_the_case_document() -> None:
    assert tag_cases(["4.6 Partnerskabsledelse i Horsens"], "Tillid er afgørende.", MENING) == [
        "horsens-paa-forkant"
    ]
