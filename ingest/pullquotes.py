"""Pull quotes: sentences a magazine repeats in large type beside the article.

They duplicate body text, so indexing them would double a passage and can
cut a sentence into the middle of another paragraph. A pull quote is found by
what it is, not where: a short paragraph opening with a quote mark or a
dialogue dash whose words (almost) all occur in nearby body text, optionally
followed by a credit line (``Navn, rolle, Organisation``) that is dropped
with it.
"""

from __future__ import annotations

import logging
import re

from tvaers.ingest.paragraphs import Paragraph

__all__ = ["OVERLAP", "drop_pull_quotes"]

log = logging.getLogger(__name__)

OVERLAP = 0.9  # share of the candidate's words found in the body window
_WINDOW_LINES = 260  # body copy sits within this many raw lines (corpus max: 155)
_MIN_WORDS = 8
_MAX_CHARS = 600
_WORD = re.compile(r"[\wæøåé]+")
_CREDIT = re.compile(r"^[A-ZÆØÅ][^.!?:]*,\s[^.!?:]*$")


def drop_pull_quotes(paras: list[Paragraph]) -> list[Paragraph]:
    """``paras`` without pull quotes and their credit lines."""
    dropped: set[int] = set()
    for i, para in enumerate(paras):
        if i in dropped or not _candidate(para):
            continue
        words = _words(para.text)
        if not _covered(words, paras, i, dropped):
            continue
        log.debug("line %d: pull quote dropped: %r", para.first_no, para.text[:60])
        dropped.add(i)
        j = i + 1
        while j < len(paras) and _continues(paras, j, dropped):
            dropped.add(j)
            j += 1
        if j < len(paras) and _is_credit(paras[j]):
            log.debug("line %d: pull-quote credit dropped: %r", paras[j].first_no, paras[j].text)
            dropped.add(j)
    return [p for k, p in enumerate(paras) if k not in dropped]


def _candidate(para: Paragraph) -> bool:
    if para.heading or para.bullet or len(para.text) > _MAX_CHARS:
        return False
    return para.text.startswith(("–", "”")) and len(_words(para.text)) >= _MIN_WORDS


def _continues(paras: list[Paragraph], j: int, dropped: set[int]) -> bool:
    para = paras[j]
    if para.heading or para.bullet or _is_credit(para) or len(para.text) > _MAX_CHARS:
        return False
    words = _words(para.text)
    return len(words) >= 3 and _covered(words, paras, j, dropped)


def _covered(words: list[str], paras: list[Paragraph], i: int, dropped: set[int]) -> bool:
    """Do the words occur in a run of up to three other paragraphs nearby?"""
    wanted = set(words)
    line = paras[i].first_no
    near = [
        k
        for k, p in enumerate(paras)
        if k != i and k not in dropped and not p.heading and abs(p.first_no - line) <= _WINDOW_LINES
    ]
    for pos in range(len(near)):
        run = [paras[m] for m in near[pos : pos + 3] if m != i]
        body = set()
        for p in run:
            body.update(_words(p.text))
        if len(wanted & body) >= OVERLAP * len(wanted) and sum(len(p.text) for p in run) > len(
            " ".join(words)
        ):
            return True
    return False


def _is_credit(para: Paragraph) -> bool:
    return not para.heading and len(para.text) < 120 and bool(_CREDIT.match(para.text))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())
