"""The team's frame text (``frames.yaml``) and the per-item seeds.

Frame text is data so that trainers can reword it without touching code; it
is kept apart from quotes in every export. Seeds are derived from the sheet
seed and the item's position with a hash, so an item never depends on how
many random numbers its neighbours drew: regenerating one leaves the rest
byte-identical.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["frames", "item_seed", "load_yaml", "regenerated_seed", "year_label"]

SEED_MAX = 2**31 - 1


@cache
def load_yaml(name: str) -> dict[str, Any]:
    """A YAML file shipped with this package (cached)."""
    text = resources.files("tvaers.prompts.exercises").joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)


def frames(lang: str) -> dict[str, Any]:
    """The frame text for one language (``da`` or ``en``)."""
    return load_yaml("frames.yaml")[lang]


def year_label(year: int | None, lang: str) -> str:
    """The year as a source line shows it: "u.å." / "n.d." when the text has none."""
    return str(year) if year is not None else frames(lang)["labels"]["no_year"]


def _hash_seed(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % SEED_MAX


def item_seed(sheet_seed: int, position: int) -> int:
    """The seed of the item at ``position`` (0-based) of a sheet built with ``sheet_seed``."""
    return _hash_seed(f"tvaers-exercise:{sheet_seed}:{position}")


def regenerated_seed(seed: int) -> int:
    """A new seed for an item regenerated without an explicit one."""
    return _hash_seed(f"tvaers-exercise-regenerate:{seed}")
