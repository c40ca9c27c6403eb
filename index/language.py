"""Question language and the English→Danish domain glossary.

BM25 only sees Danish text, so an English question reaches it through a small
glossary of this corpus' domain terms (``glossary_en_da.yaml``); words without
an entry (names, abbreviations such as KORA or HpF) pass through unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma
import yaml
from bm25s.stopwords import STOPWORDS_EN
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = [
    "FUNCTION_WORDS",
    "GLOSSARY_PATH",
    "NO_WORDS",
    "Glossary",
    "clean_question",
    "detect_language",
    "has_words",
    "load_glossary",
]

GLOSSARY_PATH = Path(__file__).with_name("glossary_en_da.yaml")

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

# Words that exist in only one of the two languages ("i", "to", "man", "den",
# "for", "under" are in both and count for neither).
_DA_TEXT = (
    "og at det der er en et ikke vi jeg hvordan hvad hvorfor hvornår hvilke hvilken "
    "hvem som med af på til fra kan skal vil har være blive bliver mellem når også "
    "eller hvis kun noget nogle vores deres sig sin mere skulle kunne ville "
    "om ved efter uden hos mod mit min mine dem de os ud op"
)
_EN_TEXT = (
    "the and of is are was were be been being what how why when which who whom "
    "whose do does did can could should would will shall we you they it its this "
    "that these those with from into about our their there have has had not no "
    "between without within among by on at as or if than then so such any some "
    "more most must may might"
)
_DA_WORDS = frozenset(_DA_TEXT.split())
_EN_WORDS = frozenset(_EN_TEXT.split())
#: Question words and other function words of either language (and those in both).
FUNCTION_WORDS = _DA_WORDS | _EN_WORDS | frozenset(["i", "to", "man", "den", "for", "under"])
#: English words an English question's topic does not rest on. bm25s's list (Lucene's
#: 33 words) keeps "my", "get", "me", "us", "your", and each of those left untranslated
#: counted as a term the corpus lacks, sinking the question's term coverage ("How do I
#: get buy-in from my boss?"); scikit-learn's 318 add them. Kept: words the Danish texts
#: use as content ("den private part", "it-system", "side", "top").
_EN_STOP = (frozenset(STOPWORDS_EN) | ENGLISH_STOP_WORDS | _EN_WORDS) - {
    "part", "system", "side", "top"
}


def clean_question(text: str) -> str:
    """A question as it is searched and echoed: stripped, a BOM dropped, NFC."""
    return unicodedata.normalize("NFC", text.lstrip("\ufeff").strip())


#: Why a question of whitespace, punctuation or undecodable bytes alone is refused:
#: dense search always finds a nearest passage, so it would get confident-looking hits.
NO_WORDS = "the question has no words: give at least one letter or digit"


def has_words(text: str) -> bool:
    """True when there is a letter or digit to search for."""
    return any(ch.isalnum() for ch in text)


def detect_language(text: str, *, default: str | None = None) -> str:
    """``"da"`` or ``"en"`` from function words and letters; ties go to Danish.

    Function words decide most questions; æ, ø, å count as strong Danish
    evidence, ``th`` and ``w`` (rare in Danish) as weak English evidence. A
    question without either ("trust?", "general practice") is decided by its
    words (:func:`_vocabulary_votes`): a leader who types one English term
    wants an English answer. ``default`` (a conversation's language) decides
    instead when the function words tie, so a one-word follow-up keeps it.
    """
    typed = _WORD.findall(unicodedata.normalize("NFC", text))
    words = [w.lower() for w in typed]
    da = sum(w in _DA_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    da += 2 * sum(any(c in "æøå" for c in w) for w in words)
    en += 0.5 * sum(("th" in w or "w" in w) for w in words)
    if da == en:
        if default is not None:
            return default
        # names and abbreviations (KORA, HpF, GDPR) are neither language
        da, en = _vocabulary_votes([w.lower() for w in typed if not _is_acronym(w)])
    return "en" if en > da else "da"


def _is_acronym(word: str) -> bool:
    return any(c.isupper() for c in word[1:])


def _vocabulary_votes(words: list[str]) -> tuple[int, int]:
    """Danish and English votes of content words: a word only one language's
    dictionary knows votes for it; one both know ("trust", "partnership" are
    loanwords in simplemma's Danish list) votes English when the domain glossary
    renders it as another Danish word ("trust" → "tillid", but not "budget")."""
    glossary = load_glossary()
    da = en = 0
    for word in words:
        in_da = simplemma.is_known(word, lang="da")
        in_en = simplemma.is_known(word, lang="en")
        if in_da != in_en:
            da, en = da + in_da, en + in_en
        elif in_en:
            danish = glossary._lookup([word], [_en_lemma(word)])
            en += danish is not None and word not in danish
    return da, en


@dataclass(frozen=True)
class Glossary:
    """English term (one to three words, lemmatised) → Danish words."""

    entries: dict[tuple[str, ...], tuple[str, ...]]

    @property
    def max_words(self) -> int:
        return max((len(k) for k in self.entries), default=1)

    def translate(self, text: str) -> list[str]:
        """Danish words for an English question: longest glossary match first.

        Example:
            >>> load_glossary().translate("the supplier does not deliver")[:2]
            ['leverandør', 'underleverandør']
        """
        return [word for _, danish in self.entries_in(text) for word in danish]

    def entries_in(self, text: str) -> list[tuple[bool, tuple[str, ...]]]:
        """The question as glossary matches: ``(True, Danish words of one entry)``, or
        ``(False, (word,))`` for an English word without an entry (stop words dropped)."""
        words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
        lemmas = [_en_lemma(w) for w in words]
        out: list[tuple[bool, tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            for n in range(min(self.max_words, len(words) - i), 0, -1):
                danish = self._lookup(words[i : i + n], lemmas[i : i + n])
                if danish:
                    out.append((True, danish))
                    i += n
                    break
            else:
                if words[i] not in _EN_STOP:
                    out.append((False, (words[i],)))
                i += 1
        return out

    def _lookup(self, words: list[str], lemmas: list[str]) -> tuple[str, ...] | None:
        # simplemma leaves plural abbreviations alone: "GPs" -> "gps"
        depluralised = [w[:-1] if len(w) > 2 and w.endswith("s") else w for w in words]
        for key in (lemmas, words, depluralised):
            found = self.entries.get(tuple(key))
            if found:
                return found
        return None


@lru_cache(maxsize=50_000)
def _en_lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").lower()


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    """Read the YAML glossary: ``english term: [dansk, ord]`` (or one string)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries: dict[tuple[str, ...], tuple[str, ...]] = {}
    for english, danish in raw.items():
        values = (danish,) if isinstance(danish, str) else tuple(danish)
        words = tuple(_WORD.findall(str(english).lower()))
        for key in {words, tuple(_en_lemma(w) for w in words)}:
            entries[key] = tuple(dict.fromkeys(entries.get(key, ()) + values))
    return Glossary(entries)
