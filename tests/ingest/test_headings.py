from pathlib import Path

from _cleaning import CORPUS, clean

from tvaers.ingest.headings import repair_small_caps


def test_small_caps_title_is_case_repaired():
    assert repair_small_caps("samarBejdets syv PLager") == "Samarbejdets syv plager"
    assert repair_small_caps("ChefoPgaver og -komPetenCer") == "Chefopgaver og -kompetencer"


def test_small_caps_repair_restores_proper_nouns():
    assert repair_small_caps("akutsamarBejde i viBorg") == "Akutsamarbejde i Viborg"
    assert repair_small_caps("samarBejdsaftaLe om PatientforLØB På fyn") == (
        "Samarbejdsaftale om patientforløb på Fyn"
    )


def test_small_caps_chapter_at_page_start_absorbs_its_second_line():
    text = (
        " Det er slutningen på et kapitel. \n\n"
        " struktureLLe Barrierer \n"
        "for samarBejdet \n"
        "tværsektorielt samarbejde er svært og kræver meget af alle parter i mange år. \n"
    )
    headings = [b for b in clean(text).blocks if b.is_heading]
    assert [h.text for h in headings] == ["Strukturelle barrierer for samarbejdet"]


def test_numbered_headings_get_levels_by_depth():
    text = (
        "1. Indledning \n"
        "Det er næsten ikke til at udholde at sige det længere. \n"
        " \n"
        "3.1 Ambitionen - i Horsens på Forkant \n"
        "I HpF er der på det overordnede niveau enighed om ambitionen. \n"
    )
    headings = [(b.text, b.level, b.heading_path) for b in clean(text).blocks if b.is_heading]
    assert headings == [
        ("1. Indledning", 1, ["1. Indledning"]),
        (
            "3.1 Ambitionen - i Horsens på Forkant",
            2,
            ["1. Indledning", "3.1 Ambitionen - i Horsens på Forkant"],
        ),
    ]


def test_unnumbered_heading_sits_one_below_the_numbered_section():
    text = (
        "3.2 Ambitionen - i Slip Sundheden Fri \n"
        "SSF er opstået på en anden baggrund end HpF. \n"
        " \n"
        "Fra ord til handling \n"
        "På møderne bliver det tydeligt at der er forskellige opfattelser af ambitionen. \n"
    )
    blocks = clean(text).blocks
    assert blocks[-1].heading_path == [
        "3.2 Ambitionen - i Slip Sundheden Fri",
        "Fra ord til handling",
    ]


def test_wrapped_numbered_heading_joins_its_short_lower_case_tail():
    text = (
        "Sidste sætning i afsnittet. \n\n"
        "4. INNOVATIONSLEDELSE PÅ TVÆRS – som det udfolder sig i de to \n"
        "projekter \n"
        "4.1 Nye værktøjer og kompetencer er nødvendige – SSF som eksempel \n"
        "Tekst der følger efter overskriften og er lang nok til at være brødtekst. \n"
    )
    headings = [b.text for b in clean(text).blocks if b.is_heading]
    assert headings[0] == "4. INNOVATIONSLEDELSE PÅ TVÆRS – som det udfolder sig i de to projekter"


def test_two_line_heading_with_trailing_double_space_is_one_heading():
    text = (
        "Og det gjorde de. \n\n"
        "2. At have føling med  \n\n"
        "hverdagens samarbejde \n\n"
        "Chefen skal vide, hvad der sker i samarbejdet, og det kræver kontakt. \n"
    )
    headings = [b.text for b in clean(text).blocks if b.is_heading]
    assert headings == ["2. At have føling med hverdagens samarbejde"]


def test_lead_in_ending_in_colon_is_not_a_heading():
    text = (
        "Begge projekter er flerårige. \n"
        "Kort om de to cases: \n"
        "Slip Sundheden Fri (SSF) er et samarbejde mellem Hospitalsenheden Vest og kommunerne. \n"
    )
    assert not any(b.is_heading and "cases" in b.text for b in clean(text).blocks)


def test_question_followed_by_a_gap_is_a_list_item_not_a_heading():
    raw = Path(CORPUS / "ledere-ud-af-komfortzonen.txt").read_text(encoding="utf-8")
    snippet = "\n".join(raw.split("\n")[57:82])  # lines 58-82: lead-in, three bare questions
    cleaned = clean(" " + snippet)
    assert [b.text for b in cleaned.blocks if b.is_heading] == ["Grænsekrydsende lederkompetencer"]
    lists = [b.text for b in cleaned.blocks if b.kind == "list"]
    assert lists == [
        "Når første udgave af visionen er på plads, er det vigtigt at få opstillet spilleregler "
        "for samarbejdet mellem de konkurrerende perspektiver:\n"
        "Hvordan vil I løse konflikter i partnerskabet?\n"
        "Hvordan skal der træffes beslutninger?\n"
        "Hvordan vil I undgå, at egeninteressen fylder for meget?"
    ]


def test_title_is_the_first_heading_and_the_byline_is_not_a_heading():
    text = (
        " Tværsektoriel ledelse – hvad fortæller projektlederne og \n\n"
        "forskningen herom? \n\n"
        "Janne Seemann, Ninna Meier & Anne Lyngby Pedersen \n\n"
        " \n\n"
        "Introduktion og formål \n\n"
        "Dette notat er en koncentreret udgave af følgeforskningen om den tværsektorielle "
        "ledelse. \n"
    )
    cleaned = clean(text)
    assert (
        cleaned.title
        == "Tværsektoriel ledelse – hvad fortæller projektlederne og forskningen herom?"
    )
    assert [h.path[-1] for h in cleaned.outline] == [cleaned.title, "Introduktion og formål"]
