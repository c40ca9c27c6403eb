"""The whole shipped corpus, cleaned with its overrides: invariants and expected structure."""

import re
import unicodedata
from functools import cache

import pytest
from _cleaning import CORPUS

from tvaers.contracts import BlockType
from tvaers.ingest.blocks import CleanedText
from tvaers.ingest.clean import clean_source
from tvaers.ingest.overrides import load_overrides
from tvaers.ingest.readers.txt import source_from_text

FILES = sorted(p.name for p in CORPUS.glob("*.txt"))
LEFTOVER_HYPHEN = re.compile(r"[a-zæøå]- (?!og\b|eller\b|samt\b|til\b)[a-zæøå]")


@cache
def cleaned(name: str) -> CleanedText:
    overrides = load_overrides(CORPUS / "overrides.yaml").get(name)
    path = CORPUS / name
    return clean_source(source_from_text(str(path), path.read_text(encoding="utf-8")), overrides)


@pytest.mark.parametrize("name", FILES)
def test_clean_text_has_no_extraction_artefacts(name):
    text = cleaned(name).clean_text
    assert not LEFTOVER_HYPHEN.findall(text)
    assert "´" not in text and "\t" not in text and "  " not in text and "‘" not in text
    assert "\ue000" not in text
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize("name", FILES)
def test_every_block_offset_points_at_its_text(name):
    doc = cleaned(name)
    for block in doc.blocks:
        assert doc.clean_text[block.char_start : block.char_end] == block.text
    for heading in doc.outline:
        assert doc.clean_text[heading.char_start :].startswith(heading.path[-1])


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("menings-og-tillidsskabelse.txt", 31),  # title + 20 numbered + 10 unnumbered
        ("projektledernes-9-budskaber.txt", 14),  # title + 13
        ("ledere-ud-af-komfortzonen.txt", 4),
        ("ledelse-over-graenser.txt", 41),
        # 3 chapters + 10 articles + 10 fact boxes + 6 ellipsis boxes + 27 subheadings + 8 other
        ("velfaerdsledelse-ti-projekter.txt", 64),
    ],
)
def test_expected_number_of_headings(name, count):
    assert len(cleaned(name).outline) == count


def test_menings_headings_match_the_documented_outline():
    outline = [h.path[-1] for h in cleaned("menings-og-tillidsskabelse.txt").outline]
    assert "4.5 Ude af komfortzonen og sikkert tilbage" in outline
    assert outline.count("Foreløbig konklusion") == 2
    assert "Kort om de to cases:" not in outline
    assert outline[-1] == "Ledelse på nye måder?"


def test_small_caps_chapters_are_repaired_in_ledelse_over_graenser():
    outline = cleaned("ledelse-over-graenser.txt").outline
    tops = [h.path[-1] for h in outline if len(h.path) == 1]
    assert "Samarbejdets syv plager" in tops
    assert "Chefopgaver og -kompetencer" in tops
    paths = [h.path for h in outline]
    assert ["De fire cases kort fortalt", "Akutsamarbejde i Viborg"] in paths


def test_footnotes_become_notes_with_marker_offsets():
    doc = cleaned("menings-og-tillidsskabelse.txt")
    assert [n.marker for n in doc.notes] == ["1", "2", "3"]
    assert "i 2005 formulerede" in doc.clean_text
    assert doc.clean_text[doc.notes[2].char_start - 13 : doc.notes[2].char_start] == "Chrobot-Mason"


def test_source_url_of_the_web_article_is_metadata():
    doc = cleaned("ledere-ud-af-komfortzonen.txt")
    assert doc.source_url.startswith("https://kommunen.dk/")
    assert "kommunen.dk/nye-veje" not in doc.clean_text


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("menings-og-tillidsskabelse.txt", "egen-interessen"),
        ("menings-og-tillidsskabelse.txt", "social- og sundhedsområdet"),
        ("menings-og-tillidsskabelse.txt", "it-leverandør"),
        ("menings-og-tillidsskabelse.txt", "SSF’s"),
        ("projektledernes-9-budskaber.txt", "silo-ledelse"),
        ("ledelse-over-graenser.txt", "rotations- og delestillinger"),
        ("ledelse-over-graenser.txt", "IV-medicin"),
        ("ledelse-over-graenser.txt", "SAM:BO-aftalen"),
        ("ledelse-over-graenser.txt", "it-understøttede"),
        ("velfaerdsledelse-ti-projekter.txt", "HR-chef"),
        ("velfaerdsledelse-ti-projekter.txt", "Karl-Henrik Jørgensen"),
        ("velfaerdsledelse-ti-projekter.txt", "Børne- og Ungdomsforvaltning"),
        ("velfaerdsledelse-ti-projekter.txt", "velfaerdsledelse.dk"),
    ],
)
def test_real_hyphens_and_breaks_come_out_as_readers_expect(name, phrase):
    assert phrase in cleaned(name).clean_text


def test_page_nine_ten_column_order_is_fixed_in_ledelse_over_graenser():
    text = cleaned("ledelse-over-graenser.txt").clean_text
    assert text.index("KENDSKAB til hinanden") < text.index("kendskabet til den anden sektors")


VELFAERD = "velfaerdsledelse-ti-projekter.txt"
# The ten titles of the "Projekteksempler" index pages (raw 477-492, 1617-1629, 2564-2576).
ARTICLES = {
    "Første ledelsesudfordring: At skabe en samlende mening": [
        "Akutte ledelsesudfordringer",
        "Marcus og meningen med det hele",
        "En ny bro mellem ledelse og profession",
        "Et etisk perspektiv på ledelse og styring",
    ],
    "Anden ledelsesudfordring: At lede tværgående relationer": [
        "Ledere lykkes aldrig alene",
        "Koordinering kræver knivskarpt fokus",
        "Broer bygges ikke af papir",
    ],
    "Tredje ledelsesudfordring: At styrke udviklingskulturen": [
        "Innovation skal ledes – anderledes",
        "Forandring = strategi + nærvær",
        "Fuld fart frem og frie hænder",
    ],
}


@pytest.mark.parametrize(
    "joined",
    [
        "den udbredte skepsis over for akutkonceptet – og dermed også et klarere blik",  # 589/653
        "Og derefter bruger disse meningsmolekyler til at opbygge",  # 741/789
        "Men oplevelsen af den dybe mening er der stadigvæk",  # 778/843
        "Derfor blev projektets hovedfokus ikke en fælles visionsudvikling",  # 979/1024
        "over egen praksis og egen tid. Hvis den kulturforandring",  # 1060/981
        "målgruppens behov og udførernes leverancer ikke kan matches",  # 1258/1286
        "hvor det ikke på forhånd er givet, hvem der har ansvaret",  # 1442/1448
        "faglige dialoger med ledere og personale på en anden arbejdsplads",  # 1683/1703
        "koordinerede vi for borgeren. Nu sørger vi",  # 1721/1731
        "Man kan aldrig på forhånd sige, hvad der er den optimale pleje",  # 1803/1815
        "De vælger sig ind på et tema og arbejder sig frem",  # 2172/2230
        "der er udsprunget af tre sjællandske kommuners fælles projekt Innovationsledelse",
        "se deres egen indsats i en større samarbejdende helhed",  # 2881/2795
        "Til daglig er det på en måde systemerne",  # 3114/3149
    ],
)
def test_velfaerdsledelse_column_breaks_read_in_order(joined):
    assert cleaned(VELFAERD).clean_text.count(joined) == 1


def test_velfaerdsledelse_body_is_never_cut_by_a_box_or_title():
    for block in cleaned(VELFAERD).blocks:
        if block.is_heading:
            continue
        for line in block.text.split("\n"):
            assert not re.search(r"[a-zæøå]-$", line), line[-60:]
            if block.kind.value in ("paragraph", "quote", "standfirst"):
                assert re.search(r"[.!?:”)…]$", line), line[-60:]


def test_velfaerdsledelse_articles_open_with_title_and_standfirst_under_their_chapter():
    blocks = cleaned(VELFAERD).blocks
    articles = {}
    for i, block in enumerate(blocks):
        if block.is_heading and block.level == 2 and blocks[i + 1].kind is BlockType.STANDFIRST:
            articles.setdefault(block.heading_path[0], []).append(block.text)
            assert blocks[i + 2].kind is not BlockType.STANDFIRST
    assert articles == ARTICLES


def test_velfaerdsledelse_heading_paths_nest_subheadings_and_fact_boxes():
    doc = cleaned(VELFAERD)
    paths = [h.path for h in doc.outline]
    first = "Første ledelsesudfordring: At skabe en samlende mening"
    assert [first, "Akutte ledelsesudfordringer", "En tredobbelt ledelsesudfordring"] in paths
    assert [first, "Akutte ledelsesudfordringer", "Ledelse i akutmodtagelser"] in paths
    assert [
        "Anden ledelsesudfordring: At lede tværgående relationer",
        "Koordinering kræver knivskarpt fokus",
        "Relationel koordinering",
    ] in paths
    assert all(len(p) <= 3 for p in paths)
    # every project fact box sits under its article, below a fact-box title
    boxes = [b for b in doc.blocks if b.kind is BlockType.FACTBOX]
    assert len(boxes) == 10
    assert all(len(b.heading_path) == 3 and b.text.startswith("Projektdeltagere") for b in boxes)
    # no fact-box wrap line, pull-quote credit, reference or URL line became a heading
    titles = {p[-1] for p in paths}
    assert not titles & {"Akutmodtagelsen", "Nordjylland", "Birgitte Rømer, HR-chef, Greve Kommune"}
    assert not any(t.endswith(".dk") or t[:1].islower() for t in titles)


def test_velfaerdsledelse_pull_quotes_are_gone():
    text = cleaned(VELFAERD).clean_text
    assert text.count("mental omstilling for lægerne ikke længere") == 1  # 600-604 / 684-692
    assert text.count("Nogle taler om, at det bliver besværligt") == 1  # 1805-1813 / 1758-1760
    assert "Karin Boye, projektleder" not in text
    assert "Hans Peder Graversen, cheflæge og afdelingschef, Region Midtjylland" not in text


def test_velfaerdsledelse_reading_list_is_references():
    blocks = [
        b for b in cleaned(VELFAERD).blocks if b.heading_path[:1] == ["Læs mere om velfærdsledelse"]
    ]
    body = [b for b in blocks if not b.is_heading]
    assert body and all(b.kind is BlockType.REFERENCES for b in body)


def test_ledelse_over_graenser_standfirsts_are_tagged_and_recapitalised():
    standfirsts = [
        b for b in cleaned("ledelse-over-graenser.txt").blocks if b.kind is BlockType.STANDFIRST
    ]
    assert [b.heading_path[0] for b in standfirsts] == [
        "En vanskelig rejse",
        "Når samarbejdet lykkes ...",
        "Samarbejdets syv plager",
        "Chefopgaver og -kompetencer",
        "Strukturelle barrierer for samarbejdet",
    ]
    text = " ".join(b.text for b in standfirsts)
    assert not re.search(r"(^|[.!?] )[a-zæøå]", text)
    assert "i flere årtier. Der er sket en del" in text
    assert "betragtes som vellykket. At kende forhindringsbanen" in text
    assert "Som chef kan man øge chancerne" in text
