"""The CLI on the real model and the real index of the bundled corpus."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tvaers.cli import main
from tvaers.settings import Settings

pytestmark = pytest.mark.slow

PARTNER = {
    "da": "Hvordan håndterer vi en privat partner, der ikke leverer?",
    "en": "How do we handle a private partner who does not deliver?",
}


@pytest.fixture
def bundled_env(bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("TVAERS_DATA_DIR", str(bundled_settings.data_dir))
    monkeypatch.setenv("TVAERS_MODEL_CACHE_DIR", str(bundled_settings.model_cache_dir))
    return bundled_settings


@pytest.mark.parametrize("lang", ["da", "en"])
def test_search_ranks_the_horsens_consortium_passage_in_top_three(
    bundled_env: Settings, lang: str
) -> None:
    result = CliRunner().invoke(main, ["search", PARTNER[lang], "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    # the passages about the consortium partner that did not deliver: the gold quotes
    from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold

    (item,) = [i for i in load_gold(BUNDLED_DEV_GOLD) if i.question == PARTNER[lang]]
    starts = [" ".join(q.quote.split())[:60] for q in item.relevant]
    texts = [" ".join(h["text"].split()) for h in hits if "horsens-paa-forkant" in h["cases"]]
    assert any(s in t for s in starts for t in texts), [h["heading_path"] for h in hits]


def test_search_from_stdin_writes_one_json_line_per_question(bundled_env: Settings) -> None:
    questions = f"{PARTNER['da']}\n{PARTNER['en']}\n"
    result = CliRunner().invoke(main, ["search", "-", "--json", "-k", "2"], input=questions)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["question"] for line in lines] == [PARTNER["da"], PARTNER["en"]]
    assert all(len(line["hits"]) == 2 for line in lines)


def test_eval_retrieval_writes_a_self_contained_html_report(
    bundled_env: Settings, tmp_path: Path
) -> None:
    report = tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        ["eval", "retrieval", "--split", "test", "--json", "--no-details", "--html", str(report)],
    )
    assert result.exit_code == 0, result.output
    modes = json.loads(result.stdout)["modes"]
    assert set(modes) == {"hybrid", "dense", "bm25"}
    assert modes["hybrid"]["metrics"]["recall@10"] > 0.5
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html
    assert "src=\"http" not in html and "href=\"http" not in html


def test_eval_answers_system_answers_a_follow_up_in_its_openers_conversation(
    bundled_env: Settings, tmp_path: Path
) -> None:
    from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold
    from tvaers.prompts.followup import is_followup

    items = {i.id: i for i in load_gold(BUNDLED_DEV_GOLD)}
    followup = next(
        i for i in items.values() if i.follows and i.lang == "da" and is_followup(i.question)
    )
    chosen = [items[followup.follows], followup, next(
        i for i in items.values() if i.kind == "out_of_scope" and i.lang == "da"
    )]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "".join(i.model_dump_json(exclude_none=True) + "\n" for i in chosen), encoding="utf-8"
    )
    saved = tmp_path / "system.jsonl"
    result = CliRunner().invoke(
        main, ["eval", "answers", "--gold", str(gold), "--system", "-o", str(saved), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["answers"] == "system" and report["metrics"]["n"] == 3
    by_id = {row["id"]: row for row in report["items"]}
    assert by_id[chosen[2].id]["declined"] is True  # declining is scored for out-of-scope only

    answers = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [a["id"] for a in answers] == [i.id for i in chosen]
    assert [a["not_covered"] for a in answers] == [False, False, True]
    assert answers[2]["citations"] == []  # the nearest passages it lists are not evidence
    assert by_id[chosen[2].id]["citation_precision"] is None
    # the follow-up was searched with its opener in front, as the chat does
    from tvaers.prompts.composer import Composer
    from tvaers.runtime import load_runtime

    composer = Composer(load_runtime(bundled_env))
    in_thread = composer.compose(
        followup.question, query=f"{chosen[0].question} {followup.question}"
    )
    assert answers[1]["answer"] == in_thread.text
    assert [c["chunk_id"] for c in answers[1]["citations"]] == [
        c.chunk_id for c in in_thread.citations
    ]


def test_eval_answers_csv_opens_in_danish_excel(bundled_env: Settings, tmp_path: Path) -> None:
    from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold

    item = next(i for i in load_gold(BUNDLED_DEV_GOLD) if i.kind != "out_of_scope")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(item.model_dump_json(exclude_none=True) + "\n", encoding="utf-8")
    answers = tmp_path / "svar.jsonl"
    answer = {"id": item.id, "answer": item.reference_answer + " Særligt på tværs: »ja«."}
    answers.write_text(json.dumps(answer, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        main, ["eval", "answers", "--gold", str(gold), "--answers", str(answers), "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    import csv

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["id"] == item.id
    assert "," in rows[0]["key_points"] and "." not in rows[0]["key_points"]
    assert float(rows[0]["key_points"].replace(",", ".")) > 0.5


def test_eval_answers_says_yes_or_no_and_keeps_whole_words(
    bundled_env: Settings, tmp_path: Path
) -> None:
    """The CSV and the table say "yes"/"no" for declining, not True/False; the table's
    columns fit their values ("out_of_scope", not "out_of_sco"); one line says whether
    the controls hold."""
    from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold

    items = load_gold(BUNDLED_DEV_GOLD)
    inside = next(i for i in items if i.kind == "fact")
    outside = [i for i in items if i.kind == "out_of_scope"][:2]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "".join(i.model_dump_json(exclude_none=True) + "\n" for i in [inside, *outside]),
        encoding="utf-8",
    )
    answers = tmp_path / "svar.jsonl"
    lines = [
        {"id": inside.id, "answer": inside.reference_answer},
        {"id": outside[0].id, "answer": "Det dækker materialet ikke."},
        {"id": outside[1].id, "answer": "Tillid bygges over tid."},
    ]
    answers.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in lines), encoding="utf-8"
    )
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(
        main, ["eval", "answers", "--gold", str(gold), "--answers", str(answers), "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    import csv

    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r["declined"] for r in rows] == ["", "yes", "no"]
    table = result.stdout.splitlines()
    assert sum(" out_of_scope " in f"{line} " for line in table) == 2
    verdict = [line for line in table if re.fullmatch(
        r"  (all \d+ controls hold|\d+ of \d+ controls FAIL: [a-z_/]+(, [a-z_/]+)*)", line)]
    assert len(verdict) == 1
    row = next(line for line in table if line.strip().startswith(outside[1].id))
    assert row.split()[-1] == "no"


def test_eval_retrieval_scores_the_naive_baseline_beside_the_modes(
    bundled_env: Settings, tmp_path: Path
) -> None:
    from tvaers.eval.gold import BUNDLED_DEV_GOLD, load_gold

    chosen = [i for i in load_gold(BUNDLED_DEV_GOLD) if i.kind == "fact"][:3]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(i.model_dump_json(exclude_none=True) + "\n" for i in chosen),
                    encoding="utf-8")
    result = CliRunner().invoke(main, [
        "eval", "retrieval", "--gold", str(gold), "--modes", "bm25", "--baseline", "--json",
        "--no-not-covered",
    ])
    assert result.exit_code == 0, result.output
    modes = json.loads(result.stdout)["modes"]
    assert list(modes) == ["bm25", "naive"]
    naive = modes["naive"]
    assert naive["metrics"]["n"] == 3 and 0 <= naive["metrics"]["recall@5"] <= 1
    assert [o["id"] for o in naive["items"]] == [i.id for i in chosen]
    text = CliRunner().invoke(main, [
        "eval", "retrieval", "--gold", str(gold), "--modes", "bm25", "--baseline",
        "--no-not-covered",
    ]).stdout
    assert "recall@5 / recall@10 / mrr@10" in text and "naive" in text.splitlines()[2]


def test_an_answers_line_without_an_answer_is_named(bundled_env: Settings, tmp_path: Path) -> None:
    answers = tmp_path / "svar.jsonl"
    answers.write_text('{"id": "dev-001", "answer": "x"}\n{"id": "dev-002"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "answers", "--answers", str(answers)])
    assert result.exit_code == 1
    assert "line 2" in result.stderr and "answer" in result.stderr


def test_eval_calibrate_prints_settings_that_keep_tune_within_the_budget(
    bundled_env: Settings,
) -> None:
    result = CliRunner().invoke(main, ["eval", "calibrate", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["thresholds"]) == {"da", "en"}
    metrics = report["metrics"]
    for lang in ("da", "en"):
        assert metrics[f"split=tune,lang={lang}/not_covered/wrongly_flagged"] <= 0.05
        assert f"evidence_threshold_{lang} = {report['thresholds'][lang]}" in report["settings"]
    assert "split=test/not_covered/flagged" in metrics  # the frozen split, scored to confirm
    cv = report["cross_validation"]
    assert (cv["folds"], cv["repeats"]) == (5, 20)
    # the budget is chosen so that the cross-validated share keeps --max-wrong
    assert 0 <= report["budget"] <= 0.05 and cv["wrongly_flagged"] <= 0.05
    assert 0 <= cv["flagged"] <= 1


def test_eval_calibrate_warns_when_a_given_budget_breaks_the_promise(bundled_env: Settings) -> None:
    result = CliRunner().invoke(main, ["eval", "calibrate", "--budget", "0.2", "--details"])
    assert result.exit_code == 0, result.output
    assert "with --budget 0.2 about" in result.stderr and "more than --max-wrong 0.05" in (
        result.stderr
    )
    assert "--details adds every item's evidence to --json output only" in result.stderr
    assert "evidence_threshold_da = " in result.stdout
