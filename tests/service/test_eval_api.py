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


def test_off_topic_answer_to_a_gold_item_scores_near_zero(server: LiveServer) -> None:
    body = {"item_id": "dev-001", "answer": "Bag lasagnen i en time ved 200 grader."}
    score = httpx.post(f"{server.url}/api/eval/score", json=body, timeout=60).json()
    assert score["key_points"] == 0.0
    assert score["rouge_l"] < 0.1


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
