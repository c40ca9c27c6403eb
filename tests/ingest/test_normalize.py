from tvaers.ingest.normalize import normalize_line


def test_acute_accent_used_as_apostrophe_becomes_right_quote():
    assert normalize_line("at det ikke er FU´s opgave") == "at det ikke er FU’s opgave"


def test_left_single_quote_becomes_right_quote():
    assert normalize_line("er de nye ‘buzz-words’.") == "er de nye ’buzz-words’."


def test_ascii_double_quote_becomes_danish_quote():
    assert normalize_line('"Vi har været rigtig') == "”Vi har været rigtig"


def test_tab_after_bullet_becomes_one_space():
    assert normalize_line("•\t At inspirere velfærdsledere til at spejle ") == (
        "• At inspirere velfærdsledere til at spejle"
    )


def test_ellipsis_runs_collapse_to_one_ellipsis():
    assert normalize_line("’vi er kommet til at …..’") == "’vi er kommet til at …’"
    assert normalize_line("”….kunne jeg godt tænke mig") == "”…kunne jeg godt tænke mig"


def test_space_runs_collapse():
    assert normalize_line("erfaringer,  der") == "erfaringer, der"


def test_glued_tokens_from_the_explicit_list_are_split():
    assert normalize_line("hvor man harRegionen med") == "hvor man har Regionen med"
    assert normalize_line("en god idé,bliver") == "en god idé, bliver"


def test_space_before_punctuation_is_removed():
    assert normalize_line("Foreløbig konklusion : Indrag") == "Foreløbig konklusion: Indrag"


def test_danish_letters_accents_and_dashes_are_kept():
    line = "dét er én idé – ”sundhedsvæsen” 1½ år"
    assert normalize_line(line) == line
