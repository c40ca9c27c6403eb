"""The catalog: bundled metadata, ids for dropped-in files, clear errors for a bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tvaers.errors import CatalogError
from tvaers.ingest.catalog import default_title, load_catalog, slugify
from tvaers.settings import PROJECT_ROOT

BUNDLED = PROJECT_ROOT / "corpus" / "catalog.json"


def test_bundled_catalog_has_an_entry_per_corpus_file() -> None:
    catalog = load_catalog(BUNDLED)
    corpus_files = sorted(p.name for p in BUNDLED.parent.glob("*.txt"))
    assert sorted(catalog) == corpus_files
    assert all(entry.id == slugify(name) for name, entry in catalog.items())


def test_bundled_catalog_keeps_missing_years_and_source_url() -> None:
    catalog = load_catalog(BUNDLED)
    assert catalog["menings-og-tillidsskabelse.txt"].year == 2014
    assert catalog["projektledernes-9-budskaber.txt"].year is None
    assert catalog["projektledernes-9-budskaber.txt"].authors[0] == "Janne Seemann"
    assert catalog["ledere-ud-af-komfortzonen.txt"].source_url.startswith("https://kommunen.dk/")


@pytest.mark.parametrize(
    ("file_name", "slug"),
    [
        ("Ledelse på Tværs.pdf", "ledelse-paa-tvaers"),
        ("Æblets Ø-rapport (2014).docx", "aeblets-oe-rapport-2014"),
        ("velfærd_og_ÅRHUS.md", "velfaerd-og-aarhus"),
        ("Idé-katalog.txt", "ide-katalog"),
        ("___.txt", "dokument"),
    ],
)
def test_slugify_transliterates_danish_letters(file_name: str, slug: str) -> None:
    assert slugify(file_name) == slug


def test_default_title_is_the_file_name_without_suffix() -> None:
    assert default_title("Notat_om_ledelse.docx") == "Notat om ledelse"


def test_missing_catalog_is_empty(tmp_path: Path) -> None:
    assert load_catalog(tmp_path / "catalog.json") == {}


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('[{"id": "a",', encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid UTF-8 JSON"):
        load_catalog(path)


def test_entry_without_title_names_entry_and_field(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps([{"id": "a", "file": "a.txt"}]), encoding="utf-8")
    with pytest.raises(CatalogError, match="entry 1, field 'title'"):
        load_catalog(path)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    entries = [{"id": "x", "file": f"{n}.txt", "title": "T"} for n in ("a", "b")]
    path.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(CatalogError, match="id 'x' is used twice"):
        load_catalog(path)
