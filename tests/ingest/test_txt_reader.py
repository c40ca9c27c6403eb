from tvaers.ingest.readers.txt import source_from_text
from tvaers.ingest.source import Layout


def test_page_start_space_becomes_page_number_and_is_stripped():
    text = " Tværsektoriel ledelse \nforskningen herom? \n\n og værdier, kompromisser \n"
    source = source_from_text("x.txt", text)
    assert source.lines == [
        "Tværsektoriel ledelse ",
        "forskningen herom? ",
        "",
        "og værdier, kompromisser ",
    ]
    assert source.pages == [1, 1, 1, 2]
    assert source.layout == Layout.UNKNOWN


def test_text_is_nfc_normalised():
    decomposed = "tvæ\u0301rs"  # a combining accent
    source = source_from_text("x.txt", decomposed)
    assert source.lines == ["tvǽrs"]


def test_no_page_markers_gives_unknown_pages():
    source = source_from_text("x.txt", "Første linje\nanden linje\n")
    assert source.pages == [None, None]


def test_whitespace_only_and_indented_lines_are_not_page_starts():
    source = source_from_text("x.txt", " Titel\n \n  To mellemrum\n")
    assert source.pages == [1, 1, 1]
    assert source.lines[1] == " "
