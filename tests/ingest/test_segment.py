from _cleaning import clean


def test_interview_quote_is_one_block_with_its_double_spaced_lines_and_lead_in():
    text = (
        " En forretningsudvikler, der var med til at sætte projektet i gang sammenfatter "
        "visionen således: \n"
        "”Ambitionen var og er at vende tingene om. Før har man sagt, at borgeren skal passe "
        "ind i det \n"
        "\n"
        "system, der er der i forvejen – i stedet for det omvendte.” \n"
        " \n"
        "Det tog tid at nå frem til visionen, selv om gruppen, der arbejdede med den, var lille. \n"
    )
    blocks = clean(text).blocks
    assert [b.kind for b in blocks] == ["quote", "paragraph"]
    assert blocks[0].text == (
        "En forretningsudvikler, der var med til at sætte projektet i gang sammenfatter visionen "
        "således:\n”Ambitionen var og er at vende tingene om. Før har man sagt, at borgeren skal "
        "passe ind i det system, der er der i forvejen – i stedet for det omvendte.”"
    )


def test_quote_with_attribution_after_it_stays_one_block():
    text = (
        " Chefen skal kende den anden sektors virkelighed, og det \n\n"
        "kræver tid og tålmodighed af alle parter i samarbejdet. \n\n"
        "Det tager tid. \n\n"
        "”Vi har lært meget af hinanden i det her forløb, og det \n\n"
        "har gjort en forskel,” siger en chef. \n\n"
        "Næste afsnit handler om noget helt andet end citatet, og \n\n"
        "det fortsætter på næste linje med flere ord om sagen. \n"
    )
    blocks = clean(text).blocks
    quote = next(b for b in blocks if b.kind == "quote")
    assert quote.text == (
        "”Vi har lært meget af hinanden i det her forløb, og det har gjort en forskel,” "
        "siger en chef."
    )


def test_dialogue_dash_quote_runs_to_its_attribution():
    text = (
        " Han har arbejdet med ledelse af \n"
        "klynger i mange år og kender \n"
        "udfordringerne godt. \n\n"
        "– Vi måtte starte forfra med hele \n"
        "organisationen. \n\n"
        "– Men det lykkedes til sidst, \n"
        "siger Claus Poulsen. \n\n"
        "Projektet fortsætter næste år med \n"
        "nye deltagere fra kommunen. \n"
    )
    kinds = [(b.kind, b.text) for b in clean(text).blocks]
    assert (
        "quote",
        "– Vi måtte starte forfra med hele organisationen.\n"
        "– Men det lykkedes til sidst, siger Claus Poulsen.",
    ) in kinds


def test_list_keeps_its_lead_in_and_normalises_bullets():
    text = (
        " En brobyggende leder skal kunne følgende: \n"
        "o Se helheden \n"
        "\n"
        "o Skabe tillid mellem \n"
        "\n"
        "parterne \n"
        "•\t Håndtere konflikter \n"
        " \n"
        "Det er mange krav til en leder på én gang. \n"
    )
    blocks = clean(text).blocks
    assert blocks[0].kind == "list"
    assert blocks[0].text == (
        "En brobyggende leder skal kunne følgende:\n• Se helheden\n• Skabe tillid mellem parterne\n"
        "• Håndtere konflikter"
    )


def test_factbox_labels_make_one_factbox_block():
    text = (
        " Artiklens sidste sætning står her \n"
        "og slutter med et punktum. \n\n"
        "Projektdeltagere \n"
        "•\t Aarhus Kommune \n"
        "•\t Region Midtjylland \n\n"
        "Hovedaktiviteter \n"
        "•\t Ledelsesseminarer \n"
    )
    blocks = clean(text).blocks
    box = next(b for b in blocks if b.kind == "factbox")
    assert box.text == (
        "Projektdeltagere\n• Aarhus Kommune\n• Region Midtjylland\nHovedaktiviteter\n• "
        "Ledelsesseminarer"
    )


def test_offsets_point_into_clean_text_for_every_block():
    text = " Titel \n\nFørste afsnit er her. \n\n”Et citat.” \n"
    cleaned = clean(text)
    for b in cleaned.blocks:
        assert cleaned.clean_text[b.char_start : b.char_end] == b.text
