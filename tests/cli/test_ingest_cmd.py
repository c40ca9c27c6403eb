"""``tvaers ingest`` through click: report on stdout, skipped files listed, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tvaers.cli import main

TEXT = (
    " Ledelse på tværs\n"
    "Når region og kommune skal samarbejde, må lederne gå ud af komfortzonen.\n"
    "Det kræver tillid, tålmodighed og en fælles forståelse af opgaven.\n"
)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model_cache_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notat.txt").write_text(TEXT, encoding="utf-8")
    (folder / "tom.txt").write_bytes(b"")
    monkeypatch.setenv("TVAERS_CORPUS_DIR", str(folder))
    monkeypatch.setenv("TVAERS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TVAERS_MODEL_CACHE_DIR", str(model_cache_dir))
    return folder


def test_help_shows_examples() -> None:
    result = CliRunner().invoke(main, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "tvaers ingest --json" in result.output
    assert "--if-stale" in result.output


def test_text_report_lists_documents_and_skipped_files_with_exit_0(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 0, result.output
    assert "Ingested 1 document(s)" in result.stdout
    assert "notat" in result.stdout
    assert "tom.txt: empty file" in result.stdout


def test_json_report_is_one_document_on_stdout(corpus: Path, tmp_path: Path) -> None:
    extra = tmp_path / "ekstra.md"
    extra.write_text("# Gode råd\n\nAftal spillereglerne i fredstid.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--json", str(extra)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert sorted(d["doc_id"] for d in report["documents"]) == ["ekstra", "notat"]
    assert (corpus / "ekstra.md").exists(), "a PATH is added to the corpus folder"
    assert report["documents"][0]["year_label"] == "u.å."
    assert report["total_chunks"] == sum(d["chunks"] for d in report["documents"])
    assert report["skipped"] == [{"path": str(corpus / "tom.txt"), "reason": "empty file"}]
    assert len(report["corpus_fingerprint"]) == 64


def test_progress_and_warnings_go_to_stderr(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", "--json"])
    assert "skipped" in result.stderr
    json.loads(result.stdout)  # nothing but the report on stdout


def test_ingest_builds_an_index_that_if_stale_then_keeps(corpus: Path, tmp_path: Path) -> None:
    first = CliRunner().invoke(main, ["ingest", "--if-stale"])
    assert first.exit_code == 0, first.output
    assert "Index: " in first.stdout
    assert (tmp_path / "data" / "index" / "CURRENT").exists()
    again = CliRunner().invoke(main, ["ingest", "--if-stale"])
    assert again.exit_code == 0
    assert "up to date" in again.stderr
    assert "Ingested" not in again.stdout
    (corpus / "notat2.md").write_text("# Ny\n\nEn ny note om tillid.\n", encoding="utf-8")
    rebuilt = CliRunner().invoke(main, ["ingest", "--if-stale"])
    assert "Ingested 2 document(s)" in rebuilt.stdout


def test_a_copied_file_that_cannot_be_read_is_removed_again(corpus: Path, tmp_path: Path) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    result = CliRunner().invoke(main, ["ingest", "--no-index", str(bad)])
    assert result.exit_code == 0, result.output
    assert "removed from the corpus folder again" in result.stdout
    assert not (corpus / "scan.pdf").exists()


def test_nothing_ingested_exits_1(corpus: Path) -> None:
    (corpus / "notat.txt").unlink()
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 1
    assert "no document could be ingested" in result.stderr
    as_json = CliRunner().invoke(main, ["ingest", "--json"])
    assert as_json.exit_code == 1  # and the report still says why, for a script
    report = json.loads(as_json.stdout)
    assert report["documents"] == [] and report["skipped"][0]["reason"] == "empty file"


def test_a_copy_added_by_path_does_not_replace_the_document_already_there(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "kopi af notat.txt").write_text(TEXT, encoding="utf-8")  # not catalogued
    (corpus / "notat.txt").unlink()
    first = json.loads(CliRunner().invoke(main, ["ingest", "--no-index", "--json"]).stdout)
    assert [d["doc_id"] for d in first["documents"]] == ["kopi-af-notat"]
    again = tmp_path / "endnu en kopi.txt"  # sorts first
    again.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--no-index", "--json", str(again)])
    report = json.loads(result.stdout)
    assert [d["doc_id"] for d in report["documents"]] == ["kopi-af-notat"]  # ids stay cited
    assert "the same text as kopi af notat.txt" in report["skipped"][-1]["reason"]
    assert not (corpus / "endnu en kopi.txt").exists()


def test_the_report_times_reading_and_indexing_apart(corpus: Path) -> None:
    result = CliRunner().invoke(main, ["ingest", "--json"])
    report = json.loads(result.stdout)
    assert report["index_seconds"] is not None and report["elapsed_seconds"] >= 0
    unindexed = json.loads(CliRunner().invoke(main, ["ingest", "--no-index", "--json"]).stdout)
    assert unindexed["index_seconds"] is None
    text = CliRunner().invoke(main, ["ingest"]).stdout
    assert "s to read, clean and chunk, " in text and "s to embed and index" in text
    assert "DEBUG" not in CliRunner().invoke(main, ["ingest"]).stderr  # bm25s's build line


def test_missing_corpus_folder_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TVAERS_CORPUS_DIR", str(tmp_path / "findes-ikke"))
    result = CliRunner().invoke(main, ["ingest"])
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_a_name_clash_copies_nothing(corpus: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "a-first.txt").write_text(TEXT, encoding="utf-8")  # copied first, were it to go on
    (extra / "notat.txt").write_text("En anden tekst.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--no-index", str(extra)])
    assert result.exit_code == 1
    assert "notat.txt already exists with other content" in result.output
    assert "nothing was copied" in result.output
    assert not (corpus / "a-first.txt").exists()


def test_a_stale_index_names_the_corpus_files_that_changed(corpus: Path) -> None:
    assert CliRunner().invoke(main, ["ingest"]).exit_code == 0
    (corpus / "notat.txt").write_text(TEXT + "Og en ny sætning om tillid.\n", encoding="utf-8")
    (corpus / "nyt notat.md").write_text("# Nyt\n\nAftal spillereglerne.\n", encoding="utf-8")
    (corpus / "tom.txt").unlink()
    result = CliRunner().invoke(main, ["search", "tillid"])
    assert result.exit_code == 1
    assert "corpus files added nyt notat.md; removed tom.txt; changed notat.txt" in result.output
