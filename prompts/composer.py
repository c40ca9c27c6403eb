"""Templated advice built from quoted sentences of the retrieved passages.

The composer retrieves passages, picks the closest topic(s) of the topic map,
and quotes sentences: the best passages' sentences closest to the question
for "Det siger teksterne" (a fact asked for is there, advice or not),
recommendations and actions for "Det kan I gøre", what the named cases did
for "Eksempler fra praksis". Every quoted line carries the
citation it rests on and its span in that passage's text; orientation and
reflection questions are the team's words from the topic map. Nothing is
generated, and a question below the evidence threshold gets no advice.

Example:
    >>> composer = Composer(runtime)                               # doctest: +SKIP
    >>> composer.compose("Hvordan håndterer vi en privat partner, der ikke leverer?")
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from tvaers.contracts import (
    Advice,
    AdviceLine,
    Answer,
    BlockType,
    Citation,
    Hit,
)
from tvaers.index.answer_type import AMOUNT
from tvaers.index.evidence import RESCUE_DEPTH
from tvaers.index.language import detect_language
from tvaers.ingest.cases import load_cases
from tvaers.prompts.coverage import assess_coverage
from tvaers.prompts.exercises.frames import year_label
from tvaers.prompts.followup import is_courtesy
from tvaers.prompts.frame import (
    AnswerContext,
    OrientationContext,
    QuoteLine,
    SourceLine,
    render_answer,
    render_orientation,
)
from tvaers.prompts.sentence_vectors import SentenceVectors
from tvaers.prompts.sentences import Sentence, SentenceKind, content_words, passage_sentences
from tvaers.prompts.topics import ResolvedTopic, load_topics, resolve_topics
from tvaers.settings import SearchMode

if TYPE_CHECKING:
    from tvaers.runtime import Runtime

log = logging.getLogger(__name__)

__all__ = ["Composer"]

#: "Det siger teksterne": sentences quoted, and the best passages they come from.
MAX_FINDINGS = 2
FINDINGS_DEPTH = 3
MAX_ACTIONS = 5
MAX_EXAMPLES = 3
MAX_PER_PASSAGE = 2
MAX_REFLECTION = 3
#: Passages listed with a not-covered answer, so that a reader can check the decision.
NEAREST_PASSAGES = 3
#: Words of a passage's opening that tell two source lines of one section apart.
OPENING_WORDS = 8
#: Sentences embedded per question (in rank order): bounds the time per answer.
MAX_POOL = 48
#: Two quoted sentences sharing more than this share of content words repeat each other.
MAX_OVERLAP = 0.5
#: A second topic is named when it scores within this margin of the first.
SECOND_TOPIC_MARGIN = 0.015
#: Added to a topic that a follow-up names by one of its keywords (which also ranks first).
FOCUS_BONUS = 0.05


@dataclass(frozen=True)
class _Candidate:
    hit: Hit
    rank: int
    sentence: Sentence
    score: float


class Composer:
    """Answers questions with quoted, cited advice; built once per process."""

    def __init__(self, runtime: Runtime, topics: list[ResolvedTopic] | None = None) -> None:
        self.runtime = runtime
        self.topics = topics or resolve_topics(
            load_topics(), runtime.index.documents.values(), runtime.index.chunks
        )
        unresolved = [t.topic.slug for t in self.topics if t.unresolved]
        if unresolved:
            log.warning("topics with unresolved passages: %s", ", ".join(unresolved))
        self._topic_vectors = {
            lang: runtime.embedder.embed_passages([t.topic.match_text(lang) for t in self.topics])
            for lang in ("da", "en")
        }
        # each topic's keywords of either language, lower-cased; one letter or two match too much
        self._keywords = [
            [kw.lower() for kw in t.topic.keywords["da"] + t.topic.keywords["en"] if len(kw) > 2]
            for t in self.topics
        ]
        self._case_names = {c.slug: c.display_name for c in load_cases()}
        self._sentence_vectors = SentenceVectors(runtime)

    # -- the answer -----------------------------------------------------------------

    def compose(
        self,
        question: str,
        *,
        k: int | None = None,
        mode: SearchMode | str | None = None,
        lang: str | None = None,
        query: str | None = None,
        conversation_id: str | None = None,
    ) -> Answer:
        """Answer ``question``; ``query`` (e.g. with a follow-up's context) is what is searched."""
        settings = self.runtime.settings
        query = query or question
        lang = lang or detect_language(question)
        if is_courtesy(question):  # "tak" would otherwise be searched and answered
            return self._courtesy(question, lang, conversation_id)
        search_mode = SearchMode(mode or settings.search_mode)
        # one embedding of the query serves retrieval, the evidence and the topic ranking
        focus = question if query != question else None  # a follow-up after its thread
        vectors, tokens = self.runtime.retriever.embed_questions([query], search_mode, [focus])
        qvec = vectors[0]
        wanted = k or settings.top_k
        # at least the passages the evidence rescue reads, so the decision does not depend on k
        found = self.runtime.retriever.search(
            query, k=max(wanted, RESCUE_DEPTH), mode=search_mode, lang=lang, vector=qvec,
            tokens=None if tokens is None else tokens[0],
        )
        hits = found[:wanted]
        # the evidence rescue reads the top hybrid passages; other modes let it search
        own_kind = search_mode is SearchMode(settings.search_mode)
        decision = assess_coverage(
            self.runtime, query, found if own_kind else None, lang, vector=qvec,
            followup=question,
        )
        evidence = float(decision.score)
        topics = self._rank_topics(query, qvec, hits, lang, focus=focus)
        if decision.not_covered or not hits:
            return self._not_covered(
                question, lang, evidence, topics, hits, conversation_id,
                reason=decision.reason,
            )

        chosen = [topics[0]]
        if len(topics) > 1 and topics[0][1] - topics[1][1] <= SECOND_TOPIC_MARGIN:
            chosen.append(topics[1])
        findings, actions, examples = self._select(
            hits, qvec, amount=AMOUNT.asked_by(query, lang)
        )
        citations: dict[str, Citation] = {}
        advice_findings = [self._line(c, citations) for c in findings]
        advice_actions = [self._line(c, citations) for c in actions]
        advice_examples = [
            self._line(c, citations).model_copy(update={"case": self._case_name(c.hit)})
            for c in examples
        ]
        first = chosen[0][0].topic
        orientation = render_orientation(
            lang,
            OrientationContext(
                names=[t.topic.name[lang] for t, _ in chosen], description=first.description[lang]
            ),
        )
        advice = Advice(
            orientation=orientation,
            findings=advice_findings,
            actions=advice_actions,
            examples=advice_examples,
            reflection=first.reflection[lang][:MAX_REFLECTION],
        )
        cited = list(citations.values())
        text = render_answer(
            lang,
            AnswerContext(
                not_covered=False,
                orientation=orientation,
                findings=[self._quote_line(f) for f in advice_findings],
                actions=[self._quote_line(a) for a in advice_actions],
                examples=[self._quote_line(line) for line in advice_examples],
                reflection=advice.reflection,
                sources=_source_lines(cited, lang),
                years=self._years(lang),
            ),
        )
        return Answer(
            question=question,
            lang=lang,  # type: ignore[arg-type]
            not_covered=False,
            evidence=evidence,
            conversation_id=conversation_id,
            advice=advice,
            text=text,
            citations=cited,
        )

    def _not_covered(
        self,
        question: str,
        lang: str,
        evidence: float,
        topics: list[tuple[ResolvedTopic, float]],
        hits: list[Hit],
        conversation_id: str | None,
        *,
        reason: str | None = None,
    ) -> Answer:
        """No advice; the nearest topics, and the nearest passages as citations that no
        advice line uses, so that a reader can judge a wrong decision in one click.
        ``reason``: the evidence's (:attr:`~tvaers.index.evidence.Evidence.reason`); a
        rule's reason (it asks for an amount or a legal rule none of them states) is said."""
        nearest = [t.topic.name[lang] for t, _ in topics[:3]]
        citations = [
            Citation.from_hit(n, hit, self.runtime.index.documents.get(hit.doc_id))
            for n, hit in enumerate(
                [h for h in hits if h.block_type is not BlockType.REFERENCES][:NEAREST_PASSAGES],
                start=1,
            )
        ]
        context = AnswerContext(
            not_covered=True, orientation="", nearest_topics=nearest, reason=reason,
            sources=_source_lines(citations, lang), years=self._years(lang),
        )
        text = render_answer(lang, context)
        orientation = text.split("\n\n")[0].removeprefix("[Tværs] ")
        return Answer(
            question=question,
            lang=lang,  # type: ignore[arg-type]
            not_covered=True,
            evidence=evidence,
            conversation_id=conversation_id,
            advice=Advice(orientation=orientation),
            text=text,
            citations=citations,
        )

    def _courtesy(self, question: str, lang: str, conversation_id: str | None) -> Answer:
        text = render_answer(lang, AnswerContext(not_covered=False, orientation="", courtesy=True))
        return Answer(
            question=question,
            lang=lang,  # type: ignore[arg-type]
            not_covered=False,
            evidence=0.0,
            conversation_id=conversation_id,
            advice=Advice(orientation=text.removeprefix("[Tværs] ")),
            text=text,
        )

    # -- topics ---------------------------------------------------------------------

    def _rank_topics(
        self, query: str, qvec: np.ndarray, hits: list[Hit], lang: str, focus: str | None = None
    ) -> list[tuple[ResolvedTopic, float]]:
        """Cosine to the topic's text, plus a bonus for retrieved passages it rests on
        and for its keywords in the question.

        ``focus``: a follow-up as typed. Its query is mostly the thread's first
        question, so a topic it names ("And if it is general practice?", "tillid"
        after an English question) ranks first whatever its score, else the
        answer would keep the first question's topic.
        """
        cosine = self._topic_vectors[lang] @ qvec
        lowered = query.lower()
        focused = focus.lower() if focus else ""
        ranks = {h.chunk_id: r for r, h in enumerate(hits)}
        scored: list[tuple[ResolvedTopic, float, bool]] = []
        for i, (topic, words) in enumerate(zip(self.topics, self._keywords, strict=True)):
            overlap = sum(1.0 / (1 + ranks[c]) for c in topic.chunk_ids if c in ranks)
            keywords = sum(1 for kw in words if kw in lowered)
            named = bool(focused) and any(
                re.search(rf"\b{re.escape(kw)}\b", focused) for kw in words
            )
            bonus = 0.02 * overlap + 0.01 * min(keywords, 3) + (FOCUS_BONUS if named else 0.0)
            scored.append((topic, float(cosine[i]) + bonus, named))
        scored.sort(key=lambda t: (not t[2], -t[1], t[0].topic.slug))
        return [(topic, score) for topic, score, _ in scored]

    # -- sentences ------------------------------------------------------------------

    def _select(
        self, hits: list[Hit], qvec: np.ndarray, *, amount: bool = False
    ) -> tuple[list[_Candidate], list[_Candidate], list[_Candidate]]:
        """Findings, actions and examples, no sentence twice.

        ``amount``: the question asks for an amount, and the evidence found one
        stated in a top passage, so a sentence stating one comes first.
        """
        advice: list[tuple[Hit, int, Sentence]] = []
        statements: list[tuple[Hit, int, Sentence]] = []
        for rank, hit in enumerate(hits):
            if hit.block_type is BlockType.REFERENCES:
                continue
            spoken = hit.block_type is BlockType.QUOTE
            for sentence in passage_sentences(hit.text, has_case=bool(hit.cases), spoken=spoken):
                if sentence.kind in (SentenceKind.ACTION, SentenceKind.PRACTICE):
                    advice.append((hit, rank, sentence))
                elif sentence.kind is SentenceKind.OTHER and rank < FINDINGS_DEPTH:
                    statements.append((hit, rank, sentence))
        pool = advice[:MAX_POOL] + statements
        if not pool:
            return [], [], []
        vectors = self._sentence_vectors(
            [(h.chunk_id, s.start, s.end, s.text) for h, _, s in pool]
        )
        cosines = vectors @ qvec
        candidates = [
            _Candidate(hit, rank, sentence, float(cos) - 0.005 * rank)
            for (hit, rank, sentence), cos in zip(pool, cosines, strict=True)
        ]
        candidates.sort(key=lambda c: (-c.score, c.rank, c.sentence.start))
        near = [c for c in candidates if c.rank < FINDINGS_DEPTH]
        if amount:
            near.sort(key=lambda c: not AMOUNT.stated_in(c.sentence.text))  # stable
        findings = _diverse(near, MAX_FINDINGS, [])
        rest = [c for c in candidates if c not in findings]
        actions = _diverse(
            [c for c in rest if c.sentence.kind is SentenceKind.ACTION], MAX_ACTIONS, findings
        )
        examples = _diverse(
            [
                c for c in rest
                if c.hit.cases and c not in actions
                and c.sentence.kind in (SentenceKind.PRACTICE, SentenceKind.ACTION)
                and (c.sentence.kind is SentenceKind.PRACTICE or _names_case(c))
            ],
            MAX_EXAMPLES,
            findings + actions,
        )
        return findings, actions, examples

    def _line(self, candidate: _Candidate, citations: dict[str, Citation]) -> AdviceLine:
        hit = candidate.hit
        if hit.chunk_id not in citations:
            doc = self.runtime.index.documents.get(hit.doc_id)
            citations[hit.chunk_id] = Citation.from_hit(len(citations) + 1, hit, doc)
        s = candidate.sentence
        return AdviceLine(
            text=s.text,
            citations=[citations[hit.chunk_id].n],
            sentence_start=s.start,
            sentence_end=s.end,
        )

    def _case_name(self, hit: Hit) -> str | None:
        return self._case_names.get(hit.cases[0], hit.cases[0]) if hit.cases else None

    def _quote_line(self, line: AdviceLine) -> QuoteLine:
        return QuoteLine(
            text=line.text, refs="".join(f"[{n}]" for n in line.citations), case=line.case or ""
        )

    def _years(self, lang: str) -> list[str]:
        labels = {year_label(d.year, lang) for d in self.runtime.index.documents.values()}
        return sorted(labels, key=lambda y: (not y.isdigit(), y))


def _names_case(candidate: _Candidate) -> bool:
    return any(word[:1].isupper() for word in candidate.sentence.text.split()[1:])


def _diverse(
    candidates: list[_Candidate], limit: int, already: list[_Candidate]
) -> list[_Candidate]:
    """Best-first, skipping sentences that repeat a chosen one and crowded passages."""
    chosen: list[_Candidate] = []
    seen = [content_words(c.sentence.text) for c in already]
    per_passage: dict[str, int] = {}
    for c in candidates:
        if len(chosen) >= limit:
            break
        words = content_words(c.sentence.text)
        if any(_overlap(words, other) > MAX_OVERLAP for other in seen):
            continue
        if per_passage.get(c.hit.chunk_id, 0) >= MAX_PER_PASSAGE:
            continue
        chosen.append(c)
        seen.append(words)
        per_passage[c.hit.chunk_id] = per_passage.get(c.hit.chunk_id, 0) + 1
    return chosen


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _source_lines(citations: Sequence[Citation], lang: str) -> list[SourceLine]:
    """One line per citation; two passages of one section on the same pages would read
    alike, so each of those also names its opening words."""
    lines = [
        SourceLine(
            n=c.n,
            title=c.title,
            year=year_label(c.year, lang),
            heading=c.heading,
            pages=c.pages_label(lang),
        )
        for c in citations
    ]
    seen = Counter((line.title, line.heading, line.pages) for line in lines)
    return [
        replace(line, opening=_opening(c.text))
        if seen[(line.title, line.heading, line.pages)] > 1
        else line
        for line, c in zip(lines, citations, strict=True)
    ]


def _opening(text: str, words: int = OPENING_WORDS) -> str:
    head = text.split()
    return " ".join(head[:words]) + (" …" if len(head) > words else "")
