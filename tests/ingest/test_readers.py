"""Readers on real files: generated PDFs and DOCX, encoded text, broken inputs."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from ingest_fixtures import (
    DANISH_TEXT,
    HEADER,
    PAGES,
    TITLE,
    encrypted_pdf,
    headed_docx,
    image_only_pdf,
    two_column_pdf,
)

from tvaers.errors import UnreadableDocumentError
from tvaers.ingest.readers import decode_text, read_source
from tvaers.ingest.source import Layout


def _reason(path: Path) -> str:
    with pytest.raises(UnreadableDocumentError) as info:
        read_source(path)
    return info.value.reason


# --- PDF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_column(tmp_path_factory: pytest.TempPathFactory):
    return read_source(two_column_pdf(tmp_path_factory.mktemp("pdf") / "rapport.pdf"))


def test_two_column_pdf_reads_left_column_before_right_on_every_page(two_column) -> None:
    body = [line for line in two_column.lines if line and line != TITLE]
    expected = [line for left, right in PAGES for line in left + right]
    assert body == expected


def test_two_column_pdf_keeps_hyphenated_column_break_as_adjacent_lines(two_column) -> None:
    lines = two_column.lines
    i = lines.index("interesser i det nære sundheds-")
    assert lines[i + 1] == "væsen, hvor borgerne møder både"
    assert two_column.layout is Layout.UNKNOWN  # the cleaner dehyphenates


def test_two_column_pdf_drops_running_header_and_page_numbers(two_column) -> None:
    assert not [line for line in two_column.lines if "Væksthus" in line or HEADER in line]
    assert not [line for line in two_column.lines if line.strip().isdigit()]


def test_two_column_pdf_reads_full_width_title_first_with_page_numbers(two_column) -> None:
    assert two_column.lines[0] == TITLE
    assert two_column.format == "pdf"
    by_page = {p: line for line, p in zip(two_column.lines, two_column.pages, strict=True)}
    assert sorted(by_page) == [1, 2, 3]
    page_of = dict(zip(two_column.lines, two_column.pages, strict=True))
    assert page_of["hed om økonomi eller ansvar. Det"] == 2
    assert page_of["organisationernes grænser."] == 3


def test_two_column_pdf_keeps_danish_letters(two_column) -> None:
    text = "\n".join(two_column.lines)
    assert "Ildsjæle" in text and "økonomi" in text and "forståelse" in text


def test_image_only_pdf_is_reported_as_without_text_layer(tmp_path: Path) -> None:
    reason = _reason(image_only_pdf(tmp_path / "scan.pdf"))
    assert reason == "no text layer (scanned or image-only PDF); run OCR first"


def test_encrypted_pdf_is_reported_as_password_protected(tmp_path: Path) -> None:
    assert "encrypted PDF" in _reason(encrypted_pdf(tmp_path / "locked.pdf"))


def test_truncated_pdf_is_reported_as_corrupt(tmp_path: Path) -> None:
    good = two_column_pdf(tmp_path / "good.pdf").read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good[: len(good) // 3])
    assert _reason(broken).startswith("corrupt PDF")


def test_non_pdf_bytes_with_pdf_suffix_are_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"Dette er ikke en PDF.\n")
    assert _reason(path).startswith("corrupt PDF")


# --- DOCX ---------------------------------------------------------------------------------


def test_docx_heading_levels_come_from_styles(tmp_path: Path) -> None:
    source = read_source(headed_docx(tmp_path / "notat.docx"))
    headings = {source.lines[i]: level for i, level in source.headings.items()}
    assert headings == {
        "Ledelse på tværs": 1,  # Title
        "Baggrund": 1,  # Heading 1
        "Økonomi og incitamenter": 2,  # Heading 2
        "Erfaringer": 1,  # Danish "Overskrift 1"
    }
    assert source.title == "Ledelse på tværs"
    assert source.layout is Layout.STRUCTURED
    assert source.pages == [None] * len(source.lines)


def test_docx_keeps_paragraph_order_lists_and_table_rows(tmp_path: Path) -> None:
    source = read_source(headed_docx(tmp_path / "notat.docx"))
    assert source.lines == [
        "Ledelse på tværs",
        "Et notat om samarbejde mellem region og kommune.",
        "Baggrund",
        "Sundhedsvæsenet gennemgår store forandringer. Det påvirker ledelsen.",
        "Økonomi og incitamenter",
        "• Skæve økonomiske incitamenter",
        "• Siloopdeling og kulturforskelle",
        "1. Aftal spillereglerne",
        "2. Følg op på visionen",
        "Erfaringer",
        "Projekt | Deltagere",
        "Randers | Kommune og hospital",
        "Tillid opstår gennem relationer.",
    ]


def test_docx_that_is_not_a_zip_is_reported_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 truncated")
    assert _reason(path).startswith("corrupt .docx")


def test_zip_without_word_document_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "regneark.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hej")
    assert _reason(path).startswith("corrupt .docx")


def test_password_protected_docx_is_reported_as_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "beskyttet.docx"  # Office encryption wraps the package in an OLE file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert "encrypted" in _reason(path)


# --- text and markdown ----------------------------------------------------------------------


def test_empty_file_is_reported_as_empty(tmp_path: Path) -> None:
    for name in ("tom.txt", "tom.pdf", "tom.docx", "tom.md"):
        path = tmp_path / name
        path.write_bytes(b"")
        assert _reason(path) == "empty file"


def test_whitespace_only_text_is_reported_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\n  \n", encoding="utf-8")
    assert _reason(path).startswith("empty file")


def test_binary_file_with_txt_suffix_is_reported_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "billede.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert _reason(path).startswith("binary file")


def test_unsupported_suffix_names_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    path.write_bytes(b"PK\x03\x04")
    assert _reason(path) == "unsupported file type .xlsx; supported: .txt, .md, .pdf, .docx"


def test_utf8_text_reads_pages_from_page_start_lines(tmp_path: Path) -> None:
    path = tmp_path / "notat.txt"
    path.write_text(DANISH_TEXT, encoding="utf-8")
    source = read_source(path)
    assert source.lines[0] == "Ledelse på tværs af sektorer"
    assert source.pages[0] == 1


def test_cp1252_danish_text_is_decoded_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Documented choice: Windows-1252 Danish is read (æøå intact), not rejected.
    path = tmp_path / "windows.txt"
    path.write_bytes(DANISH_TEXT.encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        source = read_source(path)
    assert "\n".join(source.lines) + "\n" == DANISH_TEXT.replace(" Ledelse", "Ledelse", 1)
    assert "cp1252" in caplog.text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("æøå – ”citat”".encode("utf-8-sig"), "æøå – ”citat”"),
        ("æøå\r\nlinje".encode("utf-16"), "æøå\nlinje"),
        ("æøå\r\nlinje".encode(), "æøå\nlinje"),
        ("a\u030a".encode(), "å"),  # decomposed å is composed (NFC)
    ],
)
def test_decode_text_handles_bom_line_ends_and_nfc(data: bytes, expected: str) -> None:
    assert decode_text(data) == expected


def test_undecodable_bytes_are_reported_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Ledelse" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 10)
    assert "save the file as UTF-8" in _reason(path)


def test_markdown_headings_paragraphs_and_list_items(tmp_path: Path) -> None:
    path = tmp_path / "noter.md"
    path.write_text(
        "---\nforfatter: X\n---\n"
        "# Ledelse på tværs\n\n"
        "Et afsnit der er\nbrudt over to linjer med **fed** og [et link](https://x.dk).\n\n"
        "## Gode råd\n\n"
        "- Aftal spilleregler\n  i fredstid\n* Gentag visionen\n\n"
        "1. Først\n2. Dernæst\n\n"
        "Underoverskrift\n---------------\n\n"
        "> Et citat fra en leder.\n",
        encoding="utf-8",
    )
    source = read_source(path)
    assert source.lines == [
        "Ledelse på tværs",
        "Et afsnit der er brudt over to linjer med fed og et link.",
        "Gode råd",
        "• Aftal spilleregler i fredstid",
        "• Gentag visionen",
        "1. Først",
        "2. Dernæst",
        "Underoverskrift",
        "Et citat fra en leder.",
    ]
    assert source.headings == {0: 1, 2: 2, 7: 2}
    assert source.title == "Ledelse på tværs"
    assert source.layout is Layout.STRUCTURED


def test_non_utf8_text_that_is_not_danish_cp1252_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "symbols.txt"
    path.write_bytes(b"Ledelse " + bytes(range(0xA0, 0xC0)) * 20)
    assert "does not read as Danish text" in _reason(path)
