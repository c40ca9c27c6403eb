"""The ingest pipeline over real folders: good files ingested, bad files reported, never aborted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ingest_fixtures import DANISH_TEXT, headed_docx, image_only_pdf, two_column_pdf

from tvaers.contracts import NO_YEAR
from tvaers.errors import TvaersError
from tvaers.ingest.pipeline import (
    IngestResult,
    corpus_fingerprint,
    discover_files,
    load_documents,
)
from tvaers.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"


def _mixed_folder(root: Path) -> Path:
    folder = root / "corpus"
    folder.mkdir()
    (folder / "Ledelse på tværs.txt").write_text(
        DANISH_TEXT + "\nTopledelsen skal bakke op om ildsjælene i begge sektorer.\n",
        encoding="utf-8",
    )
    (folder / "noter.md").write_text(
        "# Gode råd om samarbejde\n\nAftal spillereglerne i fredstid, før konflikterne "
        "opstår, og vend jævnligt tilbage til den fælles vision.\n",
        encoding="utf-8",
    )
    headed_docx(folder / "notat.docx")
    two_column_pdf(folder / "rapport.pdf")
    image_only_pdf(folder / "scan.pdf")
    (folder / "tom.txt").write_bytes(b"")
    (folder / "data.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "catalog.json").write_text("[]", encoding="utf-8")
    (folder / "README.md").write_text("# Om mappen\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00")
    (folder / "~$notat.docx").write_bytes(b"lock")
    (folder / "arkiv").mkdir()
    (folder / "arkiv" / "gammel.md").write_text("# Gammel\n\nEn gammel note.\n", encoding="utf-8")
    (folder / "flyttet.pdf").symlink_to(root / "findes-ikke.pdf")
    return folder


def test_discovery_skips_control_hidden_and_lock_files(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    names = [p.name for p in discover_files(folder)]
    assert names == [
        "Ledelse på tværs.txt",
        "budget.xlsx",
        "data.txt",
        "notat.docx",
        "noter.md",
        "rapport.pdf",
        "scan.pdf",
        "tom.txt",
    ]


def test_discovery_adds_extra_files_and_folders_once(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "a.txt").write_text("hej\n", encoding="utf-8")
    files = discover_files(folder, [extra, folder / "noter.md", extra / "a.txt"])
    assert [p.name for p in files].count("noter.md") == 1
    assert [p.name for p in files][-1] == "a.txt"


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TvaersError, match="does not exist"):
        load_documents(tmp_path / "nope", overrides_path=None)


@pytest.fixture
def mixed(tmp_path: Path) -> IngestResult:
    folder = _mixed_folder(tmp_path)
    return load_documents(folder, [tmp_path / "mangler.pdf"], overrides_path=None)


def test_mixed_folder_ingests_good_files_and_lists_bad_ones(mixed: IngestResult) -> None:
    assert sorted(d.source_file for d in mixed.documents) == [
        "Ledelse på tværs.txt",
        "notat.docx",
        "noter.md",
        "rapport.pdf",
    ]
    reasons = {Path(s.path).name: s.reason for s in mixed.skipped}
    assert reasons == {
        "mangler.pdf": "file not found",
        "budget.xlsx": "unsupported file type .xlsx; supported: .txt, .md, .pdf, .docx",
        "data.txt": "binary file (contains NUL bytes), not text",
        "scan.pdf": "no text layer (scanned or image-only PDF); run OCR first",
        "tom.txt": "empty file",
        "arkiv": "a folder: only the files directly in the corpus folder are read; "
        "move its documents up, or run `tvaers ingest FOLDER` to copy them in",
        "flyttet.pdf": "a link to a file that is not there",
    }


def test_a_second_copy_of_a_text_is_reported_not_ingested_twice(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = "# Samarbejde\n\nEn note om tillid mellem kommune og hospital, på tværs.\n"
    (folder / "a-note.md").write_text(text, encoding="utf-8")
    (folder / "b-kopi.md").write_text(text, encoding="utf-16")  # other bytes, same text
    (folder / "c-anden.md").write_text(text.replace("tillid", "tvivl"), encoding="utf-8")
    result = load_documents(folder, overrides_path=None)
    assert [d.source_file for d in result.documents] == ["a-note.md", "c-anden.md"]
    assert [(Path(s.path).name, s.reason) for s in result.skipped] == [
        ("b-kopi.md", "the same text as a-note.md, already ingested; remove one of the two copies")
    ]


def test_of_two_copies_the_catalogued_one_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = "# Samarbejde\n\nEn note om tillid mellem kommune og hospital, på tværs.\n"
    (folder / "a-kopi.md").write_text(text, encoding="utf-8")
    (folder / "original.md").write_text(text, encoding="utf-8")
    entry = {"id": "notat-2024", "file": "original.md", "title": "Notat om tillid", "year": 2024}
    (folder / "catalog.json").write_text(json.dumps([entry]), encoding="utf-8")
    result = load_documents(folder, overrides_path=None)
    assert [d.doc_id for d in result.documents] == ["notat-2024"]
    assert [Path(s.path).name for s in result.skipped] == ["a-kopi.md"]


def test_chunk_offsets_point_into_document_clean_text(mixed: IngestResult) -> None:
    texts = {d.doc_id: d.clean_text for d in mixed.documents}
    assert mixed.chunks
    for chunk in mixed.chunks:
        assert texts[chunk.doc_id][chunk.char_start : chunk.char_end] == chunk.text
    assert {c.doc_id for c in mixed.chunks} == set(texts)


def test_uncatalogued_files_get_slug_ids_heading_titles_and_no_year(mixed: IngestResult) -> None:
    by_file = {d.source_file: d for d in mixed.documents}
    txt = by_file["Ledelse på tværs.txt"]
    assert txt.doc_id == "ledelse-paa-tvaers"
    assert by_file["noter.md"].title == "Gode råd om samarbejde"
    assert by_file["notat.docx"].title == "Ledelse på tværs"
    assert by_file["rapport.pdf"].pages == 3
    assert txt.year_label == NO_YEAR
    assert len(txt.source_sha256) == 64


def test_two_files_with_the_same_slug_keep_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "Ledelse på tværs.txt").write_text(DANISH_TEXT, encoding="utf-8")
    (folder / "ledelse-paa-tvaers.md").write_text("# Ledelse\n\nTekst om tillid.\n", "utf-8")
    result = load_documents(folder, overrides_path=None)
    assert [d.source_file for d in result.documents] == ["Ledelse på tværs.txt"]
    assert "duplicate document id 'ledelse-paa-tvaers'" in result.skipped[0].reason


def test_unexpected_error_in_one_file_skips_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tvaers.ingest.pipeline as pipeline

    real = pipeline.clean_source

    def flaky(source, overrides):  # a cleaner bug that only this file triggers
        if source.path.endswith("b.txt"):
            raise IndexError("list index out of range")
        return real(source, overrides)

    monkeypatch.setattr(pipeline, "clean_source", flaky)
    folder = tmp_path / "c"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"{DANISH_TEXT}\nFil {name}.\n", encoding="utf-8")
    result = load_documents(folder, overrides_path=None)
    assert [d.source_file for d in result.documents] == ["a.txt", "c.txt"]
    assert result.skipped[0].reason == "IndexError: list index out of range"


def test_catalog_metadata_is_applied_by_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(DANISH_TEXT, encoding="utf-8")
    entry = {"id": "notat-a", "file": "a.txt", "title": "Et notat", "year": 2015}
    entry["authors"] = ["A. Forfatter"]
    (folder / "catalog.json").write_text(json.dumps([entry]), encoding="utf-8")
    doc = load_documents(folder, overrides_path=None).documents[0]
    assert (doc.doc_id, doc.title, doc.year_label, doc.authors) == (
        "notat-a",
        "Et notat",
        "2015",
        ["A. Forfatter"],
    )


def test_progress_bar_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(DANISH_TEXT, encoding="utf-8")
    load_documents(folder, overrides_path=None, progress=True)
    captured = capsys.readouterr()
    assert "ingest" in captured.err and captured.out == ""


def test_fingerprint_changes_with_a_file_or_the_catalog(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.txt").write_text(DANISH_TEXT, encoding="utf-8")
    first = corpus_fingerprint(folder)
    assert corpus_fingerprint(folder) == first
    (folder / "a.txt").write_text(DANISH_TEXT + "Mere tekst.\n", encoding="utf-8")
    second = corpus_fingerprint(folder)
    (folder / "catalog.json").write_text("[]", encoding="utf-8")
    third = corpus_fingerprint(folder)
    (folder / "overrides.yaml").write_text("{}\n", encoding="utf-8")
    assert len({first, second, third, corpus_fingerprint(folder)}) == 4


def test_fingerprint_ignores_the_folder_location(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    (a / "x.txt").write_text(DANISH_TEXT, encoding="utf-8")
    shutil.copytree(a, b)
    assert corpus_fingerprint(a) == corpus_fingerprint(b)


def test_result_fingerprint_matches_corpus_fingerprint(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    result = load_documents(folder, overrides_path=None)
    assert result.fingerprint == corpus_fingerprint(folder)


def test_bundled_corpus_ingests_all_five_documents() -> None:
    result = load_documents(CORPUS, overrides_path=CORPUS / "overrides.yaml")
    assert result.skipped == []
    assert sorted(d.doc_id for d in result.documents) == [
        "ledelse-over-graenser",
        "ledere-ud-af-komfortzonen",
        "menings-og-tillidsskabelse",
        "projektledernes-9-budskaber",
        "velfaerdsledelse-ti-projekter",
    ]
    by_id = {d.doc_id: d for d in result.documents}
    assert by_id["projektledernes-9-budskaber"].year_label == NO_YEAR
    assert by_id["ledere-ud-af-komfortzonen"].source_url.startswith("https://kommunen.dk/")
    for chunk in result.chunks:
        text = by_id[chunk.doc_id].clean_text
        assert text[chunk.char_start : chunk.char_end] == chunk.text


def test_document_that_repeats_a_paragraph_is_ingested_once_per_passage(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    repeated = (
        "Det fælles mål skal være tydeligt for alle parter, og lederne skal mødes jævnligt "
        "for at følge op på aftalerne om patientforløbene på tværs af sektorerne."
    )
    (folder / "gentagelse.md").write_text(
        f"# Første del\n\n{repeated}\n\n# Anden del\n\n{repeated}\n\n# Tredje del\n\n"
        "Her følger en afsluttende bemærkning om, hvordan samarbejdet kan fortsætte.\n",
        encoding="utf-8",
    )
    result = load_documents(folder, overrides_path=None)
    assert result.skipped == []
    [document] = result.documents
    texts = [c.text for c in result.chunks]
    assert texts.count(repeated) == 1
    assert any("afsluttende bemærkning" in t for t in texts)
    assert len({c.chunk_id for c in result.chunks}) == len(result.chunks)
    assert document.clean_text.count(repeated) == 2  # the text itself keeps both
