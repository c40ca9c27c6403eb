"""/api/exercises over real HTTP: build, save, list, reopen, regenerate, remove, download."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
import httpx
import pytest
from live_server import LiveServer

from tvaers.service.app import create_app
from tvaers.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "prompts" / "exercises"))
from gift_syntax import parse_gift

pytestmark = pytest.mark.slow

TIMEOUT = 120
DONE = {"topics": ["private partnere og konsortier"], "kinds": ["case", "dilemma", "quiz"],
        "n": 6, "seed": 1}


@pytest.fixture(scope="module")
def server(bundled_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    settings = bundled_settings.model_copy(
        update={"db_path": tmp_path_factory.mktemp("exercise-db") / "tvaers.sqlite"}
    )
    with LiveServer(create_app(settings)) as live:
        yield live


def _post(server: LiveServer, path: str, body: dict | None = None) -> httpx.Response:
    return httpx.post(f"{server.url}{path}", json=body, timeout=TIMEOUT)


def test_done_sheet_is_built_saved_listed_and_downloaded(server: LiveServer) -> None:
    response = _post(server, "/api/exercises", {**DONE, "format": "docx"})
    assert response.status_code == 200, response.text
    body = response.json()
    sheet = body["sheet"]
    assert [i["kind"] for i in sheet["items"]] == ["case", "dilemma"] + ["quiz"] * 4
    assert body["downloads"][0]["format"] == "docx"
    assert {(d["format"], d["part"]) for d in body["downloads"]} >= {
        ("docx", "handout"), ("docx", "key"), ("gift", "handout"), ("md", "key")
    }
    for item in sheet["items"]:
        for citation in item["citations"]:
            passage = httpx.get(
                f"{server.url}/api/passages/{citation['chunk_id'].replace('#', '%23')}",
                timeout=TIMEOUT,
            ).json()
            assert passage["chunk"]["text"] == citation["text"]
            assert passage["chunk"]["char_start"] == citation["char_start"]

    listed = httpx.get(f"{server.url}/api/exercises", timeout=TIMEOUT).json()
    assert listed[0]["sheet_id"] == sheet["sheet_id"] and listed[0]["items"] == 6
    reopened = httpx.get(f"{server.url}{listed[0]['url']}", timeout=TIMEOUT).json()
    assert reopened["sheet"]["items"] == sheet["items"]

    files = {(d["format"], d["part"]): httpx.get(server.url + d["url"], timeout=TIMEOUT)
             for d in body["downloads"]}
    handout = files[("docx", "handout")]
    assert handout.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in handout.headers["content-disposition"]
    key_text = "\n".join(p.text for p in docx.Document(io.BytesIO(files[("docx", "key")]
                                                                     .content)).paragraphs)
    assert "Trænerens nøgle" in key_text and "Svar:" in key_text
    gift = parse_gift(files[("gift", "handout")].text)
    assert [q.right[0] for q in gift] == [i["answer"] for i in sheet["items"][2:]]
    assert "Øvelsesark" in files[("md", "handout")].text
    assert files[("html", "key")].text.startswith("<!doctype html>")


def test_regenerate_and_remove_change_only_that_item(server: LiveServer) -> None:
    sheet = _post(server, "/api/exercises", DONE).json()["sheet"]
    base = f"/api/exercises/{sheet['sheet_id']}/items"
    new = _post(server, f"{base}/quiz-4/regenerate", {"seed": 99}).json()["sheet"]
    for old, now in zip(sheet["items"], new["items"], strict=True):
        if old["item_id"] == "quiz-4":
            assert now["seed"] == 99 and now != old
        else:
            assert now == old
    again = _post(server, f"{base}/case-1/regenerate").json()["sheet"]  # no body: derived seed
    assert again["items"][0]["seed"] != sheet["items"][0]["seed"]
    assert again["items"][1:] == new["items"][1:]
    removed = httpx.delete(f"{server.url}{base}/dilemma-2", timeout=TIMEOUT)
    assert removed.status_code == 200
    assert [i["item_id"] for i in removed.json()["sheet"]["items"]] == [
        "case-1", "quiz-3", "quiz-4", "quiz-5", "quiz-6"
    ]
    saved = httpx.get(f"{server.url}/api/exercises/{sheet['sheet_id']}", timeout=TIMEOUT).json()
    assert len(saved["sheet"]["items"]) == 5
    assert httpx.delete(f"{server.url}{base}/dilemma-2", timeout=TIMEOUT).status_code == 404
    assert httpx.get(f"{server.url}/api/exercises/nosuchsheet", timeout=TIMEOUT).status_code == 404


def test_a_deleted_sheet_is_gone_from_the_list_and_its_downloads(server: LiveServer) -> None:
    body = _post(server, "/api/exercises", {**DONE, "n": 2, "kinds": ["quiz"]}).json()
    sheet_id = body["sheet"]["sheet_id"]
    kept = _post(server, "/api/exercises", {**DONE, "n": 2, "kinds": ["quiz"], "seed": 2}).json()

    response = httpx.delete(f"{server.url}/api/exercises/{sheet_id}", timeout=TIMEOUT)
    assert response.status_code == 204 and response.content == b""
    listed = [s["sheet_id"] for s in httpx.get(f"{server.url}/api/exercises",
                                               timeout=TIMEOUT).json()]
    assert sheet_id not in listed and kept["sheet"]["sheet_id"] in listed
    assert httpx.get(f"{server.url}/api/exercises/{sheet_id}", timeout=TIMEOUT).status_code == 404
    download = httpx.get(server.url + body["downloads"][0]["url"], timeout=TIMEOUT)
    assert download.status_code == 404
    again = httpx.delete(f"{server.url}/api/exercises/{sheet_id}", timeout=TIMEOUT)
    assert again.status_code == 404 and sheet_id in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"kinds": ["essay"]}, "'case', 'dilemma', 'discussion' or 'quiz'"),
        ({"kinds": []}, "at least 1 item"),
        ({"n": 0}, "greater than or equal to 1"),
        ({"n": 41}, "less than or equal to 40"),
        ({"seed": -1}, "greater than or equal to 0"),
        ({"format": "pdf"}, "'md', 'html', 'docx' or 'gift'"),
        ({"topics": ["ledelse"]}, "unknown topic 'ledelse'; valid: faelles-vision"),
        ({"cases": ["Odense"]}, "unknown case 'Odense'"),
        ({"kinds": ["case", "quiz"], "n": 1}, "fewer than the 2 kinds"),
        ({"colour": "blue"}, "Extra inputs are not permitted"),
        ({"kinds": ["quiz", "quiz"]}, "each kind once: quiz given twice"),
    ],
)
def test_bad_options_get_422_saying_what_is_wrong(
    server: LiveServer, body: dict, complaint: str
) -> None:
    response = _post(server, "/api/exercises", body)
    assert response.status_code == 422
    assert complaint in str(response.json()["detail"])


def test_a_sheet_without_quiz_questions_offers_no_gift(server: LiveServer) -> None:
    body = _post(server, "/api/exercises", {**DONE, "kinds": ["case", "dilemma"], "n": 2}).json()
    assert {d["format"] for d in body["downloads"]} == {"md", "html", "docx"}
    sheet_id = body["sheet"]["sheet_id"]
    gift = httpx.get(f"{server.url}/api/exercises/{sheet_id}/download?format=gift",
                     timeout=TIMEOUT)
    assert gift.status_code == 422 and "no quiz questions" in gift.json()["detail"]


def test_bad_download_format_and_the_options_catalog(server: LiveServer) -> None:
    sheet = _post(server, "/api/exercises", {"kinds": ["quiz"], "n": 1}).json()["sheet"]
    bad = httpx.get(f"{server.url}/api/exercises/{sheet['sheet_id']}/download?format=pdf",
                    timeout=TIMEOUT)
    assert bad.status_code == 422
    key = httpx.get(
        f"{server.url}/api/exercises/{sheet['sheet_id']}/download?format=gift&part=key",
        timeout=TIMEOUT,
    )
    assert key.status_code == 422 and "GIFT has no separate key" in key.json()["detail"]
    catalog = httpx.get(f"{server.url}/api/exercises/options", timeout=TIMEOUT).json()
    assert {"slug": "private-partnere", "name": "Private partnere og konsortier",
            "name_en": "Private partners and consortia"} in catalog["topics"]
    assert len(catalog["cases"]) == 15 and len(catalog["kinds"]) == 4
    page = httpx.get(f"{server.url}/trainer", timeout=TIMEOUT)
    assert page.status_code == 200 and "trainer.js" in page.text


def test_a_decomposed_case_name_names_the_same_case(server: LiveServer) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Horsens på Forkant")
    response = _post(server, "/api/exercises", {"cases": [nfd], "kinds": ["case"], "n": 1})
    assert response.status_code == 200, response.text
    assert response.json()["sheet"]["items"][0]["target"]


def test_edits_at_the_same_time_are_all_kept(server: LiveServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    sheet = _post(server, "/api/exercises", {"kinds": ["quiz"], "n": 6, "seed": 3}).json()
    sid = sheet["sheet"]["sheet_id"]
    ids = [i["item_id"] for i in sheet["sheet"]["items"]]
    with ThreadPoolExecutor(len(ids)) as pool:  # before: only the last save survived
        done = list(pool.map(
            lambda i: _post(server, f"/api/exercises/{sid}/items/{i}/regenerate", {"seed": 5}),
            ids,
        ))
    assert all(r.status_code == 200 for r in done)
    items = httpx.get(f"{server.url}/api/exercises/{sid}", timeout=TIMEOUT).json()["sheet"]["items"]
    assert [i["seed"] for i in items] == [5] * len(ids)
    with ThreadPoolExecutor(len(ids)) as pool:
        removed = list(pool.map(
            lambda i: httpx.delete(f"{server.url}/api/exercises/{sid}/items/{i}", timeout=TIMEOUT),
            ids[:-1],
        ))
    assert all(r.status_code == 200 for r in removed)
    left = httpx.get(f"{server.url}/api/exercises/{sid}", timeout=TIMEOUT).json()["sheet"]["items"]
    assert [i["item_id"] for i in left] == ids[-1:]
