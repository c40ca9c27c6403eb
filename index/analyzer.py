"""The Danish lexical analyser behind BM25.

Passages and questions go through the same steps, so a question's tokens can
only match what the analyser also produced for the text: lower-case, NFC,
accent folding (é→e, only here: the stored text keeps its accents), hyphenated
compounds split *and* joined, source typos mapped to the right word, Danish
stop words dropped, then a lemma or stem. Variant groups (sygehus/hospital,
praktiserende læge/almen praksis, ...) add one shared concept token, so any
spelling in a question reaches every spelling in the corpus. English questions
are first translated token by token through the domain glossary
(:mod:`tvaers.index.language`).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

import simplemma
import Stemmer
from bm25s.stopwords import STOPWORDS_DANISH

from tvaers.index.language import Glossary, detect_language, load_glossary

__all__ = ["ANALYZER_VERSION", "Analyzer", "DanishAnalyzer", "Normalisation"]

#: Bump when a change alters the tokens of indexed text: old indexes become stale.
ANALYZER_VERSION = "1"

_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_POSSESSIVE = re.compile(r"(?<=\w)['’´]s\b")
_FOLD = str.maketrans("éèêëáàâíìîóòôúùû", "eeeeaaaiiiooouuu")

#: Spelling errors in the sources (kept in the text, corrected for search).
TYPOS: dict[str, str] = {
    "risisi": "risici",
    "ricisi": "risici",
    "tværsektiorielle": "tværsektorielle",
    "tværsektioriel": "tværsektoriel",
    "kontortieledelse": "konsortieledelse",
    "kontortieledelsen": "konsortieledelsen",
    "chromot": "chrobot",
}

#: Words whose dictionary lemma is wrong for this corpus (simplemma: lederne → led).
LEMMA_FIXES: dict[str, str] = {
    "lederne": "leder",
    "leders": "leder",
    "ledernes": "leder",
    "lederes": "leder",
}

#: Variant groups: any member (a word or a phrase) adds the group's concept token.
VARIANT_GROUPS: dict[str, list[str]] = {
    "§hospital": ["sygehus", "hospital", "sygehusene", "hospitalerne"],
    "§almenpraksis": [
        "praksislæge",
        "praktiserende læge",
        "almen praksis",
        "alment praktiserende",
        "egen læge",
    ],
    "§risiko": ["risiko", "risici"],
}

_EXTRA_STOPWORDS = {"får", "få", "fik", "mere", "mest", "flere", "ret", "ofte", "bl", "f", "fx"}
STOPWORDS = frozenset(STOPWORDS_DANISH) | _EXTRA_STOPWORDS


class Normalisation(StrEnum):
    """How a word is reduced to an index term.

    Snowball over-stems (ledelsen, ledere → led) and simplemma has gaps
    (levere → lever); on a 22-question check over the ingested corpus they
    tied (BM25 MRR@10 da 0.89 / 0.91, en 0.80 / 0.79), so the default is
    the simpler Snowball. LEMMA_SNOWBALL counts a word twice when its lemma
    and stem differ, which over-weights such words: it measured worst (da 0.72).
    """

    SNOWBALL = "snowball"
    LEMMA = "lemma"
    #: Both the lemma and the stem, so a word matches when either agrees
    #: (simplemma: levere → lever but leverer → levere; Snowball: both → lev).
    LEMMA_SNOWBALL = "lemma+snowball"


class Analyzer(Protocol):
    """Turns text into index terms; ``name`` goes into the manifest."""

    @property
    def name(self) -> str: ...

    def analyze(self, text: str) -> list[str]:
        """Terms of a passage, in order, with repeats (BM25 counts them)."""
        ...

    def analyze_query(self, text: str, lang: str | None = None) -> list[str]:
        """Distinct terms of a question; English is translated through the glossary."""
        ...

    def alternatives(self, text: str, lang: str | None = None) -> list[set[str]]:
        """Groups of question terms that are other words for one concept."""
        ...


class DanishAnalyzer:
    """Danish analyser with typo, variant and English-glossary support.

    Example:
        >>> a = DanishAnalyzer(Normalisation.LEMMA)
        >>> a.analyze("egen-interessen")
        ['egen', 'interesse', 'egeninteresse']
    """

    def __init__(
        self,
        normalisation: Normalisation = Normalisation.SNOWBALL,
        *,
        glossary: Glossary | None = None,
    ) -> None:
        self.normalisation = Normalisation(normalisation)
        self._stemmer = Stemmer.Stemmer("danish")
        self._glossary = glossary
        self._variants = self._compile_variants()

    @property
    def name(self) -> str:
        return f"da-{self.normalisation.value}-v{ANALYZER_VERSION}"

    @classmethod
    def from_name(cls, name: str) -> DanishAnalyzer:
        """Rebuild the analyser a manifest names (``da-lemma-v1``)."""
        lang, normalisation, _version = name.split("-")
        if lang != "da":
            raise ValueError(f"unknown analyser {name!r}; known: da-<normalisation>-v<n>")
        return cls(Normalisation(normalisation))

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            self._glossary = load_glossary()
        return self._glossary

    # -- passages -------------------------------------------------------

    def analyze(self, text: str) -> list[str]:
        words = self.words(text)
        terms: list[str] = []
        for word in words:
            terms.extend(self.forms(word))
        return terms + self._concepts([self.normalise(w) for w in words])

    def words(self, text: str) -> list[str]:
        """Surface words: folded, typos fixed, compounds split and joined, stop words out."""
        text = unicodedata.normalize("NFC", text).lower()
        text = _POSSESSIVE.sub("", text).translate(_FOLD)
        out: list[str] = []
        for match in _TOKEN.finditer(text):
            token = match.group()
            parts = token.split("-")
            pieces = [*parts, "".join(parts)] if len(parts) > 1 else parts
            for piece in pieces:
                piece = TYPOS.get(piece, piece)
                if piece in STOPWORDS or (len(piece) < 2 and not piece.isdigit()):
                    continue
                out.append(piece)
        return out

    def normalise(self, word: str) -> str:
        """The primary form: the stem for Snowball, else the lemma."""
        if self.normalisation is Normalisation.SNOWBALL:
            return self._stemmer.stemWord(word)
        return _lemma(word)

    def forms(self, word: str) -> list[str]:
        """The index terms of one word (two for lemma+snowball when they differ)."""
        primary = self.normalise(word)
        if self.normalisation is not Normalisation.LEMMA_SNOWBALL:
            return [primary]
        stem = self._stemmer.stemWord(word)
        return [primary] if stem == primary else [primary, stem]

    # -- questions ------------------------------------------------------

    def analyze_query(self, text: str, lang: str | None = None) -> list[str]:
        lang = lang or detect_language(text)
        if lang == "en":
            text = " ".join(self.glossary.translate(text))
        return list(dict.fromkeys(self.analyze(text)))

    def alternatives(self, text: str, lang: str | None = None) -> list[set[str]]:
        """The terms of each glossary entry an English question matched (the Danish
        words offered for one English term: "authority" gives myndighed, mandat,
        beslutningskompetence); a Danish question has none."""
        if (lang or detect_language(text)) != "en":
            return []
        return [
            set(self.analyze(" ".join(danish)))
            for from_glossary, danish in self.glossary.entries_in(text)
            if from_glossary and len(danish) > 1
        ]

    # -- variant groups -------------------------------------------------

    def _compile_variants(self) -> list[tuple[tuple[str, ...], str]]:
        compiled: dict[tuple[str, ...], str] = {}
        for concept, variants in VARIANT_GROUPS.items():
            for variant in variants:
                key = tuple(self.normalise(w) for w in self.words(variant))
                if key:
                    compiled[key] = concept
        return list(compiled.items())

    def _concepts(self, terms: list[str]) -> list[str]:
        """One concept token per variant occurrence, so BM25's tf counts them."""
        found: list[str] = []
        for key, concept in self._variants:
            n = len(key)
            for i in range(len(terms) - n + 1):
                if tuple(terms[i : i + n]) == key:
                    found.append(concept)
        return found


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    if word in LEMMA_FIXES:
        return LEMMA_FIXES[word]
    if word.isdigit():
        return word
    return simplemma.lemmatize(word, lang="da").lower()
