"""Bad input on the command line: one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tvaers.cli import main

_spec = importlib.util.spec_from_file_location(
    "toy_search_cli", Path(__file__).resolve().parent / "test_search_cmd.py"
)
search_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(search_tests)
runtime_loads = search_tests.runtime_loads  # the toy index behind load_runtime


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_a_question_in_windows_1252_bytes_is_read_as_such(runtime_loads) -> None:
    question = b"ildsj\xe6le".decode("utf-8", "surrogateescape")  # what Python makes of it
    result = CliRunner().invoke(main, ["search", question, "--json", "--mode", "bm25"])
    _no_traceback(result)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["question"] == "ildsjæle"
    assert "not UTF-8" in result.stderr


def test_questions_are_echoed_in_nfc_without_a_bom(runtime_loads) -> None:
    stdin = "\ufeffildsj\u0061\u030ale\nildsj\u00e6le\n"  # BOM, then NFD 'å'-like input
    result = CliRunner().invoke(main, ["search", "-", "--json", "--mode", "bm25"], input=stdin)
    assert result.exit_code == 0, result.output
    questions = [json.loads(line)["question"] for line in result.stdout.splitlines()]
    assert questions == ["ildsjåle", "ildsjæle"]


def test_an_empty_question_says_so(runtime_loads) -> None:
    result = CliRunner().invoke(main, ["search", "   "])
    assert result.exit_code == 2
    assert "the question is empty" in result.output


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"TVAERS_SEARCH_MODE": "foo"}, "search_mode (TVAERS_SEARCH_MODE)"),
        ({"TVAERS_TOP_K": "ti"}, "top_k (TVAERS_TOP_K): Input should be a valid integer"),
        # NaN compares false with everything: the not-covered decision would be off
        ({"TVAERS_EVIDENCE_THRESHOLD_DA": "nan"}, "Input should be a finite number"),
        ({"TVAERS_CONFIG": "/findes/ikke.toml"}, "TVAERS_CONFIG='/findes/ikke.toml' is not a file"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(env: dict, complaint: str) -> None:
    result = CliRunner().invoke(main, ["search", "tillid"], env=env)
    _no_traceback(result)
    assert result.exit_code == 1
    assert complaint in result.output


def test_a_config_file_that_is_not_toml_is_named(tmp_path: Path) -> None:
    config = tmp_path / "tvaers.toml"
    config.write_text("top_k = = 3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["search", "tillid"], env={"TVAERS_CONFIG": str(config)})
    _no_traceback(result)
    assert result.exit_code == 1
    assert f"the config file {config} is not TOML" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["exercise", "-o", "{file}/sheet.md"],
        ["eval", "retrieval", "--modes", "bm25", "--html", "{file}/report.html"],
        ["eval", "answers", "--answers", "{answers}", "--csv", "{file}/scores.csv"],
    ],
)
def test_an_unwritable_output_is_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.setattr("tvaers.runtime.load_runtime", lambda s: pytest.fail("work started"))
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    answers = tmp_path / "answers.jsonl"
    answers.write_text('{"id": "dev-001", "answer": "x"}\n', encoding="utf-8")
    args = [a.format(file=a_file, answers=answers) for a in args]
    result = CliRunner().invoke(main, args)
    _no_traceback(result)
    assert result.exit_code == 2
    assert f"{a_file} is a file, not a folder" in result.output


@pytest.mark.parametrize("command", [["eval", "check"], ["eval", "answers", "--answers"]])
def test_a_file_that_is_not_utf8_is_a_one_line_error(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"id": "dev-001", "answer": "på tværs"}\n'.encode("latin-1"))
    result = CliRunner().invoke(main, [*command, str(path)])
    _no_traceback(result)
    assert result.exit_code == 1
    assert "is not UTF-8 text" in result.output


def test_an_empty_gold_set_fails_the_check(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "check", str(path)])
    assert result.exit_code == 1
    assert "the gold set has no items" in result.output


def test_duplicate_and_empty_citations_in_an_answers_file_are_named(tmp_path: Path) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text(
        '{"id": "dev-001", "answer": "a"}\n{"id": "dev-001", "answer": "b"}\n'
        '{"id": "dev-002", "answer": "c", "citations": [{}]}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["eval", "answers", "--answers", str(path)])
    assert result.exit_code == 1
    assert "line 2: duplicate id 'dev-001' (first on line 1)" in result.output
    assert 'line 3: field \'citations.0\'' in result.output
    assert 'a citation needs "chunk_id", or "doc" and "quote"' in result.output


def test_if_stale_with_no_index_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["ingest", "--if-stale", "--no-index"])
    assert result.exit_code == 2
    assert "--if-stale checks the index" in result.output


def test_calibrate_without_tune_items_fails_before_loading_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tvaers.runtime.load_runtime", lambda s: pytest.fail("model loaded"))
    path = tmp_path / "test-only.jsonl"
    item = {"id": "t-1", "question": "Hvad er tillid?", "lang": "da", "kind": "fact",
            "split": "test", "relevant": [{"doc": "x", "quote": "tillid"}]}
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "calibrate", "--gold", str(path)])
    _no_traceback(result)
    assert result.exit_code == 1
    assert "has no in-scope items in its tune split" in result.output
    assert "evidence_background" not in result.stdout


def test_serve_on_a_port_in_use_says_so_before_loading_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    monkeypatch.setattr("tvaers.service.app.create_app", lambda s: pytest.fail("app built"))
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    _no_traceback(result)
    assert result.exit_code == 1
    assert f"127.0.0.1:{port} is in use" in result.output


def test_serve_refuses_a_port_out_of_range() -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "1<=x<=65535" in result.output


def test_an_output_the_system_refuses_is_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # os.access says yes to root everywhere; /proc refuses only when a file is made
    monkeypatch.setattr("tvaers.runtime.load_runtime", lambda s: pytest.fail("work started"))
    result = CliRunner().invoke(
        main, ["eval", "retrieval", "--modes", "bm25", "--html", "/proc/report.html"]
    )
    _no_traceback(result)
    assert result.exit_code == 2 and "cannot write in /proc" in result.output


@pytest.mark.parametrize(
    ("args", "complaint"),
    [(["--repeats", "0"], "--repeats"), (["--ann-vectors", "-5"], "--ann-vectors")],
)
def test_bench_refuses_counts_out_of_range(args: list[str], complaint: str) -> None:
    result = CliRunner().invoke(main, ["bench", *args])
    assert result.exit_code == 2 and complaint in result.output
