"""Helpers for the cleaning tests: clean a raw snippet the way the corpus is read."""

from __future__ import annotations

from pathlib import Path

from tvaers.ingest.blocks import CleanedText
from tvaers.ingest.clean import clean_source
from tvaers.ingest.readers.txt import source_from_text

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def clean(text: str) -> CleanedText:
    cleaned = clean_source(source_from_text("snippet.txt", text))
    for block in cleaned.blocks:
        assert cleaned.clean_text[block.char_start : block.char_end] == block.text
    return cleaned


def body(text: str) -> list[str]:
    return [b.text for b in clean(text).blocks if not b.is_heading]
