"""POST /api/ask, the documents and passages routes and conversations, over real HTTP."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from live_server import LiveServer

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = pytest.mark.slow

PARTNER_DA = "Hvordan håndterer vi en privat partner, der ikke leverer?"
PARTNER_EN = "How do we handle a private partner who does not deliver?"
TIMEOUT = 120


@pytest.fixture(scope="module")
def server(bundled_settings: Settings):
    with LiveServer(create_app(bundled_settings)) as live:  # the shipped thresholds
        yield live


def _ask(server: LiveServer, **body) -> httpx.Response:
    return httpx.post(f"{server.url}/api/ask", json=body, timeout=TIMEOUT)


@pytest.mark.parametrize("question", [PARTNER_DA, PARTNER_EN])
def test_private_partner_advice_cites_the_horsens_consortium_passage(
    server: LiveServer, question: str
) -> None:
    response = _ask(server, question=question)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"lang", "not_covered", "evidence", "conversation_id", "advice", "text",
                         "citations"}
    assert body["not_covered"] is False
    by_n = {c["n"]: c for c in body["citations"]}
    advice = body["advice"]
    assert advice["findings"] and advice["actions"]
    lines = advice["findings"] + advice["actions"] + advice["examples"]
    for line in lines:
        citation = by_n[line["citations"][0]]
        assert citation["text"][line["sentence_start"] : line["sentence_end"]] == line["text"]
    cited = [by_n[n] for line in lines for n in line["citations"]]
    assert any(
        "konsorti" in c["text"] or "private part" in c["text"] for c in cited
    ), [c["heading_path"] for c in cited]
    for field in ("n", "chunk_id", "doc_id", "title", "authors", "publisher", "year",
                  "heading_path", "page_start", "page_end", "text", "char_start", "char_end",
                  "score"):
        assert field in body["citations"][0]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"question": ""}, "at least 1 character"),
        ({"question": "   "}, "at least 1 character"),
        ({"question": "?!"}, "no words"),
        ({"question": "x" * 1001}, "at most 1000 characters"),
        ({"question": "tillid", "k": 0}, "greater than or equal to 1"),
        ({"question": "tillid", "k": "many"}, "valid integer"),
        ({"question": "tillid", "mode": "fuzzy"}, "'hybrid', 'dense' or 'bm25'"),
        ({"question": "tillid", "lang": "sv"}, "'da' or 'en'"),
        ({"question": "tillid", "conversation_id": "no spaces!"}, "should match pattern"),
        ({"k": 3}, "Field required"),
    ],
)
def test_malformed_ask_gets_422_saying_what_is_wrong(
    server: LiveServer, body: dict, complaint: str
) -> None:
    response = _ask(server, **body)
    assert response.status_code == 422
    assert complaint in str(response.json()["detail"])


def test_a_follow_up_uses_the_conversations_previous_question(server: LiveServer) -> None:
    first = _ask(server, question=PARTNER_DA).json()
    conversation = first["conversation_id"]
    assert conversation
    alone = _ask(server, question="Og hvad betød det for projektlederen?").json()
    follow = _ask(
        server, question="Og hvad betød det for projektlederen?", conversation_id=conversation
    ).json()
    assert follow["conversation_id"] == conversation
    texts = " ".join(c["text"] for c in follow["citations"])
    assert "konsorti" in texts or "private part" in texts
    assert [c["chunk_id"] for c in follow["citations"]] != [
        c["chunk_id"] for c in alone["citations"]
    ]


def test_an_unknown_conversation_id_is_a_404_and_nothing_is_stored(server: LiveServer) -> None:
    # a new id would reach only the answer: a page reloaded meanwhile could never delete it
    response = _ask(server, question=PARTNER_DA, conversation_id="a")
    assert response.status_code == 404
    assert "'a'" in response.json()["detail"] and "deleted, expired" in response.json()["detail"]
    gone = httpx.get(f"{server.url}/api/conversations/a", timeout=TIMEOUT)
    assert gone.status_code == 404
    fresh = _ask(server, question=PARTNER_DA).json()  # no id: a new conversation
    assert len(fresh["conversation_id"]) == 32 and fresh["turn"] == 1


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_not_covered_decision_does_not_depend_on_k(server: LiveServer, k: int) -> None:
    """The rescue reads the top five passages, however few the caller wants shown."""
    few = _ask(server, question=PARTNER_DA, k=k).json()
    assert few["not_covered"] is False
    assert few["evidence"] == _ask(server, question=PARTNER_DA).json()["evidence"]


def test_delete_forgets_the_conversation(server: LiveServer) -> None:
    conversation = _ask(server, question=PARTNER_DA).json()["conversation_id"]
    url = f"{server.url}/api/conversations/{conversation}"
    assert httpx.delete(url, timeout=TIMEOUT).status_code == 204
    again = httpx.delete(url, timeout=TIMEOUT)
    assert again.status_code == 404
    assert conversation in again.json()["detail"]


def test_documents_list_metadata_and_outline(server: LiveServer) -> None:
    documents = httpx.get(f"{server.url}/api/documents", timeout=TIMEOUT).json()
    assert len(documents) == 5
    assert all(d["chunks"] > 0 for d in documents)
    one = httpx.get(
        f"{server.url}/api/documents/menings-og-tillidsskabelse", timeout=TIMEOUT
    ).json()
    assert one["year"] == 2014 and one["outline"]
    missing = httpx.get(f"{server.url}/api/documents/nope", timeout=TIMEOUT)
    assert missing.status_code == 404 and "menings-og-tillidsskabelse" in missing.json()["detail"]


def test_each_outline_heading_names_the_first_passage_under_it(server: LiveServer) -> None:
    one = httpx.get(
        f"{server.url}/api/documents/menings-og-tillidsskabelse", timeout=TIMEOUT
    ).json()
    outline = one["outline"]
    assert all({"path", "char_start", "page", "chunk_id"} <= set(h) for h in outline)
    with_passage = [h for h in outline if h["chunk_id"]]
    assert len(with_passage) >= 0.9 * len(outline)
    for heading in with_passage:
        url = f"{server.url}/api/passages/{quote(heading['chunk_id'], safe='')}"
        chunk = httpx.get(url, params={"context": 0}, timeout=TIMEOUT).json()["chunk"]
        assert chunk["doc_id"] == "menings-og-tillidsskabelse"
        assert chunk["heading_path"][: len(heading["path"])] == heading["path"]
        assert chunk["char_start"] >= heading["char_start"]


def test_passage_comes_with_paragraphs_around_it(server: LiveServer) -> None:
    hit = httpx.get(
        f"{server.url}/api/search", params={"q": "hulemøder", "k": 1}, timeout=TIMEOUT
    ).json()["hits"][0]
    url = f"{server.url}/api/passages/{quote(hit['chunk_id'], safe='')}"
    body = httpx.get(url, params={"context": 2}, timeout=TIMEOUT).json()
    assert body["highlight"] == hit["text"]
    assert len(body["before"]) <= 2 and len(body["after"]) <= 2
    assert body["before"] or body["after"]
    assert httpx.get(url, params={"context": -1}, timeout=TIMEOUT).status_code == 422
    assert httpx.get(f"{server.url}/api/passages/nope%23x", timeout=TIMEOUT).status_code == 404
    long_id = httpx.get(f"{server.url}/api/passages/{'x' * 5000}", timeout=TIMEOUT)
    assert long_id.status_code == 422 and "at most 300 characters" in long_id.text
    assert len(long_id.text) < 1000  # not echoed back whole
