"""How a document's line ends must be read, measured from the document itself.

The same raw signal means different things per document: a line-end hyphen
is a break in justified text and an author's hyphen in ragged Word text; an
empty line is a paragraph break in one file and mere double spacing in
another. New documents come without overrides, so the cleaner decides from
counts, and logs what it decided.
"""

from __future__ import annotations

import logging
import statistics
from dataclasses import dataclass
from itertools import pairwise

from tvaers.ingest.dehyphenate import ends_in_hyphen
from tvaers.ingest.lines import Line
from tvaers.ingest.source import Layout

__all__ = ["DOUBLE_SPACED_SHARE", "TYPESET_HYPHEN_SHARE", "Profile", "profile_lines"]

log = logging.getLogger(__name__)

TYPESET_HYPHEN_SHARE = 0.03  # corpus: ragged ≤ 0.5 %, auto-hyphenated ≥ 20 %
DOUBLE_SPACED_SHARE = 0.6  # share of text lines directly followed by an empty line
SHORT_LINE_SHARE = 0.8  # a line ending a sentence below this share of the width ends a paragraph


@dataclass(frozen=True)
class Profile:
    layout: Layout
    double_spaced: bool  # empty lines are line spacing, not paragraph breaks
    width: int  # typical body line length

    @property
    def typeset(self) -> bool:
        return self.layout == Layout.TYPESET

    @property
    def short_line(self) -> int:
        return int(self.width * SHORT_LINE_SHARE)


def profile_lines(lines: list[Line], layout: Layout = Layout.UNKNOWN) -> Profile:
    """Measure hyphen density, blank-line pattern and line width."""
    text = [ln for ln in lines if ln.text]
    if not text:
        return Profile(layout if layout != Layout.UNKNOWN else Layout.RAGGED, False, 80)
    if layout == Layout.UNKNOWN:
        share = sum(ends_in_hyphen(ln.text) for ln in text) / len(text)
        layout = Layout.TYPESET if share > TYPESET_HYPHEN_SHARE else Layout.RAGGED
        log.debug("layout %s: %.1f %% of text lines end in a hyphen", layout, 100 * share)
    followed = sum(1 for a, b in pairwise(lines) if a.text and b.raw == "")
    double = layout != Layout.STRUCTURED and followed / len(text) >= DOUBLE_SPACED_SHARE
    lengths = sorted(len(ln.text) for ln in text)
    width = int(statistics.quantiles(lengths, n=4)[2]) if len(lengths) >= 4 else lengths[-1]
    log.debug("double spaced: %s; body width %d", double, width)
    return Profile(layout, double, max(width, 20))
