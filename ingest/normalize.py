"""Character normalisation: one spelling for each character the reports mix.

PDF extraction leaves several code points for the same visible thing (three
apostrophes, TABs after bullets, runs of dots around an ellipsis). Search and
citation both need one form, but the Danish typography stays: ” is both the
opening and closing quote, é stays é, real hyphens stay.
"""

from __future__ import annotations

import re

__all__ = ["GLUED_TOKENS", "normalize_chars", "normalize_line"]

_CHAR_MAP = str.maketrans({"´": "’", "‘": "’", '"': "”", "\t": " ", "\u00a0": " "})

# Tokens the extraction glued together; too irregular for a general rule
# (camel case is real in ``ForretningsUdvalgs`` and ``PatientforLØB`` is repaired elsewhere).
GLUED_TOKENS: dict[str, str] = {
    "harRegionen": "har Regionen",
    "idé,bliver": "idé, bliver",
    "1til10": "1 til 10",
}

_ELLIPSIS = re.compile(r"\.*…[.…]*")
_SPACES = re.compile(r" {2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\wæøåÆØÅ”]) +(?=[.,;:](?:\s|$))")
_GLUED = re.compile("|".join(re.escape(k) for k in GLUED_TOKENS))


def normalize_chars(text: str) -> str:
    """Map variant characters to one form; keeps line breaks and outer spacing."""
    text = text.translate(_CHAR_MAP)
    return _ELLIPSIS.sub("…", text)


def normalize_line(text: str) -> str:
    """Normalise one line's content: characters, glued tokens, inner space runs.

    Leading and trailing whitespace is stripped: the cleaner reads the
    trailing double space (a forced line break) before calling this.
    """
    text = normalize_chars(text)
    text = _GLUED.sub(lambda m: GLUED_TOKENS[m.group(0)], text)
    text = _SPACES.sub(" ", text.strip())
    return _SPACE_BEFORE_PUNCT.sub("", text)
