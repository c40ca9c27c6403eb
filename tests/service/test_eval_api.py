"""POST /api/eval/score and the override store over a real HTTP server."""

from __future__ import annotations

import httpx
import pytest
from live_server import LiveServer

from tvaers.service.app import create_app
from tvaers.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(bundled_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    settings = bundled_settings.model_copy(
        update={"db_path": tmp_path_factory.mktemp("db") / "tvaers.sqlite"})
    with LiveServer(create_app(settings)) as live:
        yield live


def test_inline_reference_and_key_points_are_scored(server: LiveServer) -> None:
    body = {"answer": "Samarbejdet kræver tillid og et fælles mål.",
            "reference": "Samarbejdet kræver tillid og fælles mål.",
            "key_points": ["Samarbejdet kræver tillid", "Lederne mødes hver uge"]}
    response = httpx.post(f"{server.url}/api/eval/score", json=body, timeout=60)
    assert response.status_code == 200
    score = response.json()
    assert score["key_points_hit"][0] is True
    assert score["rouge_l"] > 0.6
    assert score["similarity"] > 0.5  # the rescaled cosine, as `tvaers eval answers` gives it


def test_off_topic_answer_to_a_gold_item_scores_near_zero(server: LiveServer) -> None:
    body = {"item_id": "dev-001", "answer": "Bag lasagnen i en time ved 200 grader."}
    score = httpx.post(f"{server.url}/api/eval/score", json=body, timeout=60).json()
    assert score["key_points"] == 0.0
    assert score["rouge_l"] < 0.1
    assert score["similarity"] < 0.15


def test_unknown_item_id_is_a_404_naming_the_id(server: LiveServer) -> None:
    response = httpx.post(f"{server.url}/api/eval/score",
                          json={"item_id": "dev-999", "answer": "x"}, timeout=60)
    assert response.status_code == 404
    assert "dev-999" in response.json()["detail"]


def test_override_is_stored_and_listed(server: LiveServer) -> None:
    created = httpx.post(f"{server.url}/api/eval/overrides", json={
        "item_id": "dev-001", "metric": "key_points", "value": 1.0,
        "comment": "alle fire punkter er med, omskrevet", "evaluator": "ane"})
    assert created.status_code == 201
    listed = httpx.get(f"{server.url}/api/eval/overrides").json()
    assert listed[-1]["comment"] == "alle fire punkter er med, omskrevet"
    bad = httpx.post(f"{server.url}/api/eval/overrides", json={
        "item_id": "dev-001", "metric": "kp", "value": 1.0, "comment": "x"})
    assert bad.status_code == 422 and "choose from" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        ('"value": NaN', "finite number"),
        ('"value": Infinity', "finite number"),
        ('"value": 1e999', "finite number"),
        ('"value": -5', "greater than or equal to 0"),
        ('"value": 1.5', "less than or equal to 1"),
        ('"value": 1, "extra": 1', "Extra inputs are not permitted"),
        ('"value": 0.5, "metric": "declined"', "declined is 0"),
    ],
)
def test_a_nonsense_override_gets_422_and_is_not_stored(
    server: LiveServer, raw: str, complaint: str
) -> None:
    before = len(httpx.get(f"{server.url}/api/eval/overrides").json())
    metric = "" if '"metric"' in raw else '"metric": "cosine", '
    body = '{"item_id": "dev-001", "comment": "x", ' + metric + raw + "}"
    response = httpx.post(
        f"{server.url}/api/eval/overrides", content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert complaint in response.text
    assert len(httpx.get(f"{server.url}/api/eval/overrides").json()) == before


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"citations": [{}]}, 'needs \\"chunk_id\\", or \\"doc\\" and \\"quote\\"'),
        ({"citations": [{"doc": "ledelse-over-graenser"}]}, "needs"),
        ({"citations": [{"doc": "nope", "quote": "tillid"}]}, "doc 'nope'"),
        ({"citations": [{"chunk_id": "nope#123"}]}, "chunk_id 'nope#123'"),
        ({"citations": [{"chunk_id": "x"}] * 51}, "at most 50 items"),
        ({"reference": "x" * 5001}, "at most 5000 characters"),
        ({"key_points": ["x" * 501]}, "at most 500 characters"),
        ({"key_points": ["tillid"] * 31}, "at most 30 items"),
        ({"answer": "x" * 10_001}, "at most 10000 characters"),
        ({"lang": "sv"}, "'da' or 'en'"),
        ({"bogus": 1}, "Extra inputs are not permitted"),
        # the gold item's own reference and key points would be used, these ignored
        ({"item_id": "dev-001"}, "give item_id or inline key_points, lang, reference, not both"),
    ],
)
def test_a_malformed_score_request_gets_422_saying_what_is_wrong(
    server: LiveServer, changes: dict, complaint: str
) -> None:
    body = {"answer": "Tillid.", "reference": "Tillid.", "key_points": ["tillid"], **changes}
    if changes.get("item_id"):
        body["lang"] = "en"
    response = httpx.post(f"{server.url}/api/eval/score", json=body, timeout=60)
    assert response.status_code == 422, response.text
    assert complaint in response.text


def test_the_score_response_is_documented_field_by_field(server: LiveServer) -> None:
    schema = httpx.get(f"{server.url}/openapi.json", timeout=60).json()
    fields = schema["components"]["schemas"]["ScoreResponse"]["properties"]
    assert {"key_points", "similarity", "rouge_l", "citation_recall", "declined"} <= set(fields)
