"""The whole shipped corpus, cleaned with its overrides: invariants and expected structure."""

import re
import unicodedata
from functools import cache

import pytest
from _cleaning import CORPUS
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
