import logging

import pytest

from tvaers.contracts import BlockType
from tvaers.errors import TvaersError
from tvaers.ingest.clean import clean_source
from tvaers.ingest.overrides import DocumentOverrides, file_sha256, load_overrides
from tvaers.ingest.readers.txt import source_from_text

TEXT = (
    " Første afsnit er kort og slutter her. \n\n"
    "Tabelrest \n"
    "Celle \n\n"
    "Andet afsnit står i den forkerte spalte. \n\n"
    "Tredje afsnit hører til før det andet. \n"
)


def _source(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, encoding="utf-8")
    return source_from_text(str(path), TEXT), file_sha256(path)


def test_load_overrides_reads_every_key(tmp_path):
    yaml_file = tmp_path / "overrides.yaml"
    yaml_file.write_text(
        "doc.txt:\n"
        "  sha256: abc\n"
        "  drop: [[3, 4], 9]\n"
        "  moves: [{lines: [8, 8], after: 2}]\n"
        "  headings: [{lines: [1, 1], level: 1, text: Titel}]\n"
        "  not_headings: [5]\n"
        "  footnotes: [{marker: 1, lines: [10, 11]}]\n"
        "  kinds: {factbox: [[12, 14]]}\n",
        encoding="utf-8",
    )
    ov = load_overrides(yaml_file)["doc.txt"]
    assert ov.drop == [(3, 4), (9, 9)]
    assert ov.moves[0].after == 2
    assert ov.headings[0].text == "Titel"
    assert ov.kind_of(13) is BlockType.FACTBOX


def test_unknown_override_key_is_rejected_with_the_valid_keys(tmp_path):
    yaml_file = tmp_path / "overrides.yaml"
    yaml_file.write_text("doc.txt:\n  dorp: [1]\n", encoding="utf-8")
    with pytest.raises(TvaersError, match=r"unknown keys.*dorp.*valid"):
        load_overrides(yaml_file)


def test_drop_and_move_apply_when_the_hash_matches(tmp_path):
    source, digest = _source(tmp_path)
    ov = DocumentOverrides(sha256=digest, drop=[(3, 4)])
    ov.moves = DocumentOverrides.from_dict({"moves": [{"lines": [8, 8], "after": 5}]}).moves
    text = clean_source(source, ov).clean_text
    assert "Tabelrest" not in text
    assert text.index("Tredje") < text.index("Andet")


def test_overrides_for_other_bytes_are_ignored_with_a_warning(tmp_path, caplog):
    source, _ = _source(tmp_path)
    ov = DocumentOverrides(sha256="0" * 64, drop=[(3, 4)])
    with caplog.at_level(logging.WARNING):
        text = clean_source(source, ov).clean_text
    assert "Tabelrest" in text
    assert "overrides ignored" in caplog.text


def test_shipped_overrides_are_pinned_to_the_shipped_files():
    from _cleaning import CORPUS

    for name, ov in load_overrides(CORPUS / "overrides.yaml").items():
        assert ov.sha256 == file_sha256(CORPUS / name), name


def test_heading_override_can_nest_the_detected_subheadings(tmp_path):
    yaml_file = tmp_path / "overrides.yaml"
    yaml_file.write_text(
        "doc.txt:\n"
        "  headings:\n"
        "    - {lines: [3, 4], level: 2, nest: true}\n"
        "    - {lines: [9, 9], level: 1}\n",
        encoding="utf-8",
    )
    article, chapter = load_overrides(yaml_file)["doc.txt"].headings
    assert article.nest and not chapter.nest
