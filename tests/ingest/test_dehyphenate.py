import pytest

from tvaers.ingest.dehyphenate import Vocabulary, ends_in_hyphen, join_hyphenated

TYPESET_CASES = [
    ("rotations- ", "og delestillinger", "rotations- og delestillinger"),
    ("drifts- ", "og udviklingsmøder", "drifts- og udviklingsmøder"),
    ("fx chefer på æl-", "dre- og sundhedsområdet", "fx chefer på ældre- og sundhedsområdet"),
    ("organisa-", "tions- og fagkulturer", "organisations- og fagkulturer"),
    ("ledelsesopgaver og -kompeten-", "cer", "ledelsesopgaver og -kompetencer"),
    ("overlæger/over-", "sygeplejersker", "overlæger/oversygeplejersker"),
    ("to cpr-", "numre", "to cpr-numre"),
    ("omkring IV-", "medicin,", "omkring IV-medicin,"),
    ("it-un-", "derstøttede", "it-understøttede"),
    ("HR-", "chef i Greve Kommune", "HR-chef i Greve Kommune"),
    ("”etisk BUM-mo-", "del”", "”etisk BUM-model”"),
    (
        "benhavns Kommunes Børne- og Ungdoms-",
        "forvaltning",
        "benhavns Kommunes Børne- og Ungdomsforvaltning",
    ),
    ("Karl-Henrik Jør-", "gensen", "Karl-Henrik Jørgensen"),
    ("velfaerds-", "ledelse.dk", "velfaerdsledelse.dk"),
    ("www.velfaerdsle-", "delse.dk", "www.velfaerdsledelse.dk"),
    ("Ledelses- ", "udfordringer", "Ledelsesudfordringer"),
    ("vi- ", "sionsproces", "visionsproces"),
    ("inklusions- ", "konsulent", "inklusionskonsulent"),
    ("behandlings- og social-", "psykiatri", "behandlings- og socialpsykiatri"),
    ("SAM:BO-", "aftalen", "SAM:BO-aftalen"),
    ("65-", "årige", "65-årige"),
    ("op-", "føre", "opføre"),
    ("Derfor blev pro-", "jektets hovedfokus", "Derfor blev projektets hovedfokus"),
]


@pytest.mark.parametrize(("line", "nxt", "expected"), TYPESET_CASES)
def test_typeset_line_end_hyphen_follows_danish_rules(line, nxt, expected):
    assert join_hyphenated(line, nxt, typeset=True) == expected


@pytest.mark.parametrize(
    ("line", "nxt"),
    [("akutkon-", "Oprettelsen af"), ("målgruppens behov og ud-", "Styrket"), ("udsprun-", "• Et")],
)
def test_capital_bullet_or_dash_after_hyphen_is_a_flow_break(line, nxt):
    assert join_hyphenated(line, nxt, typeset=True) is None


@pytest.mark.parametrize(
    ("line", "nxt", "expected"),
    [
        (
            "når man sætter egen-",
            "interessen på stand by",
            "når man sætter egen-interessen på stand by",
        ),
        ("silo-", "ledelse.", "silo-ledelse."),
        ("dilemma-", "fyldte", "dilemma-fyldte"),
        ("inter-", "organisatoriske", "inter-organisatoriske"),
    ],
)
def test_ragged_document_keeps_author_hyphen(line, nxt, expected):
    assert join_hyphenated(line, nxt, typeset=False) == expected


def test_suspended_compound_keeps_hyphen_and_space():
    assert join_hyphenated(
        "skal også virksomheder, social-", "og sundhedsområdet", typeset=False
    ) == ("skal også virksomheder, social- og sundhedsområdet")


def test_en_dash_and_spaced_hyphen_at_line_end_are_not_hyphens():
    assert not ends_in_hyphen("kan man tale om –")
    assert not ends_in_hyphen("Ambitionen -")
    assert ends_in_hyphen("refleks- ")


def test_vocabulary_keeps_hyphen_seen_only_hyphenated_inline():
    vocab = Vocabulary(["en ny HRchef nej", "en fag-leder her", "og fag-"])
    assert join_hyphenated("og fag-", "leder", typeset=True, vocabulary=vocab) == "og fag-leder"
    assert join_hyphenated("og sund-", "hed", typeset=True, vocabulary=vocab) == "og sundhed"
