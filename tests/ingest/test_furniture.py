from _cleaning import clean

NOTE_RULE = " " * 48


def test_glued_year_footnote_marker_is_unglued_and_recorded():
    text = (
        " Det er ikke nye krav, da Kodeks for god offentlig topledelse allerede i \n"
        "20051formulerede som det fjerde bud, at ”du skaber en organisation”. \n"
        f"{NOTE_RULE}\n"
        "1 Forum for Offentlig Topledelse: Public Governance. Kodeks for god offentlig "
        "topledelse i Danmark. 2005 \n"
        " Den erkendelse er mange ledere på sundhedsområdet kommet frem til. \n"
    )
    cleaned = clean(text)
    assert "i 2005 formulerede som" in cleaned.clean_text
    assert "Forum for Offentlig" not in cleaned.clean_text
    [note] = cleaned.notes
    assert note.marker == "1"
    assert note.text.startswith("Forum for Offentlig Topledelse")
    assert cleaned.clean_text[note.char_start - 4 : note.char_start] == "2005"


def test_footnote_marker_glued_to_a_word_is_removed():
    text = (
        " ledelse af tværgående samarbejder ifølge \n"
        "KORA er et understuderet emne2. Når systemerne hver for sig har erkendt det. \n"
        f"{NOTE_RULE}\n"
        "2 Holm-Petersen, C & Buch M.S. Ledelse af tværgående samarbejder. KORA \n"
        "2014 \n"
        " Næste side begynder her med en ny sætning. \n"
    )
    cleaned = clean(text)
    assert "understuderet emne. Når" in cleaned.clean_text
    assert (
        cleaned.notes[0].text
        == "Holm-Petersen, C & Buch M.S. Ledelse af tværgående samarbejder. KORA 2014"
    )
    assert (
        cleaned.clean_text[cleaned.notes[0].char_start - 4 : cleaned.notes[0].char_start] == "emne"
    )


def test_stray_page_number_line_is_dropped():
    text = " Første side slutter med en hel sætning. \n 21 \nOg teksten fortsætter her. \n"
    assert "21" not in clean(text).clean_text


def test_url_line_moves_to_source_url():
    url = "https://kommunen.dk/nye-veje/ledere-skal-ud-af-komfortzonen-og-samarbejde-paa-tvaers/"
    text = f" Han formulerede det således: \n\n{url}\n\n\n”Det er sværere end krig.” \n"
    cleaned = clean(text)
    assert cleaned.source_url == url
    assert "https" not in cleaned.clean_text
