"""Line-end hyphens in Danish text: a typesetting break or a real hyphen.

Danish writes compounds solid, so in justified, auto-hyphenated text a
line-final ``-`` is almost always a break to remove. It stays in suspended
compounds (``social- og sundhedsområdet``), in compounds with an
abbreviation or a digit (``it-leverandør``, ``HR-chef``, ``65-årige``) and in
documents that were never auto-hyphenated (ragged Word text), where every
line-end hyphen was typed by the author (``egen-interessen``). When the next
line starts with a capital, a bullet, a dash or a quote, the text does not
continue there (a column or box interrupts it): that is a flow break.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

__all__ = [
    "ABBREVIATION_PREFIXES",
    "FLOW_BREAK",
    "SUSPENSION_WORDS",
    "Vocabulary",
    "ends_in_hyphen",
    "hyphen_joiner",
    "join_hyphenated",
]

log = logging.getLogger(__name__)

SUSPENSION_WORDS = frozenset({"og", "eller", "samt", "til", "&"})
ABBREVIATION_PREFIXES = frozenset({"it", "cpr", "iv", "pc", "hr", "ph.d"})
FLOW_BREAK = None

_END_HYPHEN = re.compile(r"(\S*[A-Za-zÆØÅæøåÉé0-9])-$")
_WORD = re.compile(r"[\wæøåÆØÅé:.-]+")
_SEGMENT_SPLIT = re.compile(r"[-/]")


class Vocabulary:
    """Word forms seen inline in a document: the safety net for a hyphen decision.

    If ``frag+next`` never occurs solid but ``frag-next`` occurs inline, the
    hyphen is the author's (``HR-chef``) and is kept.
    """

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self.words: set[str] = set()
        for line in lines:
            body = line.rstrip()
            if body.endswith("-"):
                body = body[: body.rfind(" ") + 1] if " " in body else ""
            self.words.update(w.strip(".:").lower() for w in _WORD.findall(body))

    def prefers_hyphen(self, fragment: str, token: str) -> bool:
        joined = (fragment + token).lower()
        hyphenated = f"{fragment}-{token}".lower()
        return joined not in self.words and hyphenated in self.words


def ends_in_hyphen(line: str) -> bool:
    """A line ending in a letter plus ``-`` (an en dash or a spaced ``-`` is a dash)."""
    return bool(_END_HYPHEN.search(line.rstrip()))


def hyphen_joiner(
    line: str, next_line: str, *, typeset: bool, vocabulary: Vocabulary | None = None
) -> str | None:
    """What replaces the final ``-`` of ``line`` when ``next_line`` follows.

    Returns ``"- "`` (suspended compound), ``"-"`` (real hyphen), ``""``
    (typesetting break) or ``FLOW_BREAK`` (``None``: do not join here).
    """
    match = _END_HYPHEN.search(line.rstrip())
    if not match:
        raise ValueError(f"line does not end in a hyphen: {line!r}")
    fragment = match.group(1)
    token = next_line.strip().split(" ", 1)[0] if next_line.strip() else ""
    if token.rstrip(".,;:") in SUSPENSION_WORDS:
        return "- "
    if not typeset:
        if token[:1].isupper() or token[:1] in "•–”":
            log.debug("hyphen before %r kept as a flow break (ragged text)", token)
            return FLOW_BREAK
        return "-"
    last = _SEGMENT_SPLIT.split(fragment)[-1]
    if _is_abbreviation(last):
        return "-"
    first = token[:1]
    if first.islower():
        bare = re.sub(r"[^\wæøåé]+$", "", token)
        if vocabulary is not None and vocabulary.prefers_hyphen(fragment, bare):
            log.debug("kept hyphen in %s-%s: only the hyphenated form occurs", fragment, bare)
            return "-"
        return ""
    log.debug("flow break after %r: next line starts %r", fragment, token)
    return FLOW_BREAK


def join_hyphenated(
    line: str, next_line: str, *, typeset: bool, vocabulary: Vocabulary | None = None
) -> str | None:
    """``line`` and ``next_line`` joined across the hyphen, or ``None`` on a flow break."""
    joiner = hyphen_joiner(line, next_line, typeset=typeset, vocabulary=vocabulary)
    if joiner is FLOW_BREAK:
        return None
    return line.rstrip()[:-1] + joiner + next_line.strip()


def _is_abbreviation(segment: str) -> bool:
    if not segment:
        return False
    if segment.isupper() or ":" in segment or any(c.isdigit() for c in segment):
        return True
    return segment.lower() in ABBREVIATION_PREFIXES
