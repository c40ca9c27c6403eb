from _cleaning import body


def test_hyphen_across_blank_line_in_typeset_text_is_removed():
    line = "Teksten er sat i spalter med orddeling og lige margin hele vejen ned. \n\n"
    text = " " + line * 8 + "Derfor blev pro-\n\njektets hovedfokus at samle lederne om målet. \n"
    assert body(text)[-1].endswith("Derfor blev projektets hovedfokus at samle lederne om målet.")


def test_double_spaced_document_ignores_empty_lines_and_breaks_on_short_sentence_end():
    text = (
        " Det er til stadighed blevet sværere og sværere for den enkelte offentlige "
        "organisation, \n\n"
        "den enkelte sektor og det enkelte politiske niveau at løse aktuelle udfordringer "
        "alene. \n\n"
        "Udfordringerne hænger sammen på tværs og kræver et samarbejde mellem flere parter. \n\n"
        "Det er kort. \n\n"
        "Forskning vedrørende ledelse og samarbejde på tværs af organisationer og sektorer "
        "viser \n\n"
        "generelt, at gode tværgående samarbejdsrelationer er kendetegnet ved komplementaritet. \n"
    )
    paras = body(text)
    assert len(paras) == 2
    assert paras[0].startswith("Det er til stadighed") and paras[0].endswith("Det er kort.")


def test_empty_line_mid_sentence_is_a_column_break_not_a_paragraph_break():
    text = (
        " Indledningen slutter her med et punktum. \n\n"
        "Et stort beløb fra en pulje \n"
        "skulle bruges til – via \n\n"
        "ti udvalgte projekter – at udvikle \n"
        "velfærdsledelsen i kommunerne. \n\n"
        "Ny paragraf begynder her med en \n"
        "sætning om noget helt andet. \n"
    )
    paras = body(text)[1:]
    assert paras[0] == (
        "Et stort beløb fra en pulje skulle bruges til – via ti udvalgte projekter – "
        "at udvikle velfærdsledelsen i kommunerne."
    )
    assert len(paras) == 2


def test_whitespace_only_line_separates_paragraphs_in_ragged_text():
    text = (
        " Første afsnit slutter uden kort linje og fortsætter med en sætning helt ud til "
        "kanten af \n"
        "siden og videre til næste linje, der også er lang nok til at fylde hele vejen ud til "
        "kanten. \n"
        " \n"
        "Andet afsnit begynder her og har også en lang linje, der fylder hele vejen ud til "
        "kanten. \n"
    )
    assert len(body(text)) == 2


def test_page_start_mid_sentence_is_not_a_paragraph_break():
    text = (
        " Værdier og mål, kompromisser og afvejninger sker på de øverste niveauer. Fælles mål \n"
        " og værdier, kompromisser og afvejninger sker i et stærkt forhandlet miljø. \n"
    )
    assert body(text) == [
        "Værdier og mål, kompromisser og afvejninger sker på de øverste niveauer. Fælles mål "
        "og værdier, kompromisser og afvejninger sker i et stærkt forhandlet miljø."
    ]


def test_en_dash_at_line_end_joins_with_a_space():
    text = (
        " Indrag, indrag og indrag – \n"
        "det er det vigtigste for de ledere, der skal lede tværsektorielle innovationsprojekter. \n"
    )
    assert body(text)[0].startswith("Indrag, indrag og indrag – det er")
