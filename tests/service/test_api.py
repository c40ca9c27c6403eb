"""The JSON API over a real HTTP server, real model and real index."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import httpx
import pytest
from live_server import LiveServer

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = pytest.mark.slow

PARTNER_DA = "Hvordan håndterer vi en privat partner, der ikke leverer?"
PARTNER_EN = "How do we handle a private partner who does not deliver?"


@pytest.fixture(scope="module")
def server(bundled_settings: Settings):
    with LiveServer(create_app(bundled_settings)) as live:
        yield live


def test_healthz_reports_the_served_index(server: LiveServer) -> None:
    body = httpx.get(f"{server.url}/healthz").json()
    assert body["status"] == "ok"
    assert body["index"]["status"] == "ok"
    assert body["index"]["documents"] == 5
    assert body["index"]["chunks"] > 250


@pytest.mark.parametrize("question", [PARTNER_DA, PARTNER_EN])
def test_search_ranks_the_horsens_consortium_passage_in_top_three(
    server: LiveServer, question: str
) -> None:
    response = httpx.get(f"{server.url}/api/search", params={"q": question, "k": 3})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert len(hits) == 3
    assert any(
        "horsens-paa-forkant" in hit["cases"] and "konsorti" in hit["text"].lower() for hit in hits
    ), [h["heading_path"] for h in hits]


def test_search_hits_carry_the_documented_fields(server: LiveServer) -> None:
    hit = httpx.get(f"{server.url}/api/search", params={"q": "tillid", "k": 1}).json()["hits"][0]
    for field in (
        "chunk_id",
        "doc_id",
        "title",
        "heading_path",
        "text",
        "char_start",
        "char_end",
        "page_start",
        "page_end",
        "score",
        "scores",
    ):
        assert field in hit
    # hybrid search over an index with token vectors adds the late-interaction score
    assert set(hit["scores"]) == {"dense", "bm25", "late"}
    # score = late + 0.01 * BM25 / best BM25: at most 0.01 above the late score
    assert 0 <= hit["score"] - hit["scores"]["late"] <= 0.01 + 1e-9


@pytest.mark.parametrize(
    ("params", "complaint"),
    [
        ({"q": ""}, "at least 1 character"),
        ({"q": "   "}, "no words"),
        ({"q": "\t\n"}, "no words"),
        ({"q": "?!.,"}, "no words"),
        ({"q": "x" * 1001}, "at most 1000 characters"),
        ({"q": "tillid", "k": 0}, "greater than or equal to 1"),
        ({"q": "tillid", "mode": "fuzzy"}, "'hybrid', 'dense' or 'bm25'"),
    ],
)
def test_malformed_search_gets_422_saying_what_is_wrong(
    server: LiveServer, params: dict, complaint: str
) -> None:
    response = httpx.get(f"{server.url}/api/search", params=params)
    assert response.status_code == 422
    assert complaint in response.text


def test_nfd_and_nfc_questions_search_alike_and_echo_nfc(server: LiveServer) -> None:
    nfc = "Hvordan skaber vi tillid på tværs?"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    a = httpx.get(f"{server.url}/api/search", params={"q": nfc, "k": 3}).json()
    b = httpx.get(f"{server.url}/api/search", params={"q": f"  {nfd} ", "k": 3}).json()
    assert b["question"] == nfc
    assert [h["chunk_id"] for h in a["hits"]] == [h["chunk_id"] for h in b["hits"]]


def test_a_question_of_undecodable_bytes_gets_400_naming_the_byte(server: LiveServer) -> None:
    # before, the server decoded them as "\ufffd" and the question had "no words"
    for query in ("q=%ff%fe%c3", "q=s%E6rlig&k=2"):
        response = httpx.get(f"{server.url}/api/search?{query}")
        assert response.status_code == 400, query
        assert "not UTF-8" in response.json()["detail"]
    assert "0xe6 after 'q=s'" in response.json()["detail"]  # the æ of særlig, in Latin-1


def test_a_body_that_is_not_utf8_gets_a_400_that_says_so(server: LiveServer) -> None:
    body = '{"question": "Hvordan håndterer vi en privat partner?"}'.encode("cp1252")
    response = httpx.post(
        f"{server.url}/api/ask", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.json()["detail"]
    assert "0xe5" in response.json()["detail"]  # the å of håndterer, in Windows-1252


def test_other_http_errors_keep_fastapi_s_shape(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/api/no-such-route")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_stale_index_is_reported_and_never_served(
    bundled_settings: Settings, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(bundled_settings.corpus_dir, corpus)
    (corpus / "ny-note.md").write_text("# Ny note\n\nEn ny tekst om tillid.\n", encoding="utf-8")
    settings = bundled_settings.model_copy(update={"corpus_dir": corpus})
    with LiveServer(create_app(settings)) as live:
        health = httpx.get(f"{live.url}/healthz")
        search = httpx.get(f"{live.url}/api/search", params={"q": "tillid"})
    assert health.status_code == 503
    assert health.json()["index"]["status"] == "stale"
    assert "tvaers ingest" in health.json()["index"]["message"]
    assert search.status_code == 503
    assert "tvaers ingest" in search.json()["detail"]


def test_missing_index_is_reported(bundled_settings: Settings, tmp_path: Path) -> None:
    settings = bundled_settings.model_copy(update={"index_dir": tmp_path / "none"})
    with LiveServer(create_app(settings)) as live:
        health = httpx.get(f"{live.url}/healthz")
    assert health.status_code == 503
    assert health.json()["index"]["status"] == "missing"


def test_the_length_limit_counts_a_question_as_nfc(server: LiveServer) -> None:
    question = ("Hvordan får vi tillid på tværs af sektorer? " * 30)[:990]
    nfd = unicodedata.normalize("NFD", question)
    assert len(nfd) > 1000  # each å and æ two code points
    response = httpx.get(f"{server.url}/api/search", params={"q": nfd, "k": 1})
    assert response.status_code == 200, response.text[:300]
    asked = httpx.post(f"{server.url}/api/ask", json={"question": nfd}, timeout=60)
    assert asked.status_code == 200, asked.text[:300]


def test_a_one_word_question_is_scored_by_late_interaction_too(server: LiveServer) -> None:
    # its only word used to be dropped from the question's tokens: late 0.0 on every
    # passage, so hybrid search ranked by BM25 alone
    for word in ("samarbejde", "økonomi"):
        hit = httpx.get(f"{server.url}/api/search", params={"q": word, "k": 1}).json()["hits"][0]
        assert hit["scores"]["late"] > 0.7, (word, hit["scores"])
