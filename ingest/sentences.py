"""Danish sentence boundaries, as character spans.

Chunks must never end mid-sentence, and over-long paragraphs are split at
sentence ends, so the splitter has to know that ``fx.``, ``bl.a.``,
``f.eks.`` or an initial such as ``C.`` do not end a sentence. It returns
spans rather than strings so that chunk offsets stay exact.
"""

from __future__ import annotations

import re

__all__ = ["ABBREVIATIONS", "is_abbreviation", "sentence_spans", "split_sentences"]

# Lower-cased tokens (with their final dot) that never end a sentence here.
# Ambiguous ones such as ``osv.`` and ``mv.`` are included on purpose: a missed
# boundary only makes a unit longer, a false one cuts a sentence in two.
_ABBREVIATION_LIST = """
fx. f.x. f.eks. bl.a. dvs. d.v.s. ca. jf. jvf. pct. mht. m.h.t. evt. inkl. ekskl. nr. mv. m.v.
osv. o.s.v. m.fl. mfl. o.l. ol. pga. p.g.a. vedr. hhv. ift. i.f.t. iflg. ifm. ang. kr. mio. mia.
stk. kap. s. red. dr. prof. cand. ph.d. mm. m.m. etc. el. o.a. a. b. ex. tlf. ff. pkt. afd. jan.
feb. aug. sept. okt. nov. dec. bd. årh. vs. mr. hr. fr. sdr. nb. obs. st. ed. eds.
"""
ABBREVIATIONS: frozenset[str] = frozenset(_ABBREVIATION_LIST.split())

# Candidate end: terminal punctuation, closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?…]+[”’\")\]]*(?=\s)")
# What may open the next sentence: a capital, a digit, an opening quote or dash.
_NEXT = re.compile(r"\s+(?=[A-ZÆØÅÉ0-9”\"’(–•])")
_INITIALS = re.compile(r"(?:[A-Za-zÆØÅæøå]{1,3}\.){2,}")
_INITIAL = re.compile(r"[A-ZÆØÅ]\.")


def is_abbreviation(token: str) -> bool:
    """True if ``token`` (ending in '.') is an abbreviation or an initial, not a sentence end."""
    token = token.lstrip('(”"’–-[')
    if token.lower() in ABBREVIATIONS:
        return True
    return bool(_INITIAL.fullmatch(token) or _INITIALS.fullmatch(token))


def _token_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` in ``text`` coordinates, without edge whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _END.finditer(text, start, end):
        stop = match.end()
        gap = _NEXT.match(text, stop, end)
        if gap is None:
            continue
        if (
            match.group().startswith(".")
            and match.group() == "."
            and is_abbreviation(_token_before(text, stop))
        ):
            continue
        spans.append((cursor, stop))
        cursor = gap.end()
    spans.append((cursor, end))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (for tests and speaker lead-ins)."""
    return [text[a:b] for a, b in sentence_spans(text)]
