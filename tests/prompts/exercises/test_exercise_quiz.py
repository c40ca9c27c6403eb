"""Quiz rules: the blank is a unique content word; no distractor's stem is in the source
passage or in the top passages retrieved for the question."""

from __future__ import annotations

import re

import pytest

from tvaers.contracts import ExerciseOptions
from tvaers.index.analyzer import STOPWORDS
from tvaers.prompts.exercises.quiz import BLANK, blank_candidates, question_query, stems

WORD = re.compile(r"[^\W\d_]+")


def test_blank_candidates_skip_stop_words_repeats_and_compounds() -> None:
    sentence = "Ledelsen skal skabe tillid og tillid kræver tid i it-systemerne og samarbejdet."
    words = [b.word for b in blank_candidates(sentence)]
    assert "tillid" not in words  # twice in the sentence
    assert "skabe" in words and "samarbejdet" in words
    assert not any(w in STOPWORDS for w in words)
    assert not any("system" in w for w in words)  # part of a hyphenated compound
    assert "Ledelsen" not in words  # capitalised: a sentence opener or a name
    for b in blank_candidates(sentence):
        assert sentence[b.start : b.end] == b.word


def test_blank_candidates_use_the_stem_for_uniqueness() -> None:
    words = [b.word for b in blank_candidates("Samarbejdet og samarbejder trives med tillid.")]
    assert "samarbejder" not in words  # shares its stem with "Samarbejdet"


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        ExerciseOptions(topics=["private-partnere"], kinds=["quiz"], n=6, seed=1),
        ExerciseOptions(topics=["tillid-og-relationer"], kinds=["quiz"], n=6, seed=7),
        ExerciseOptions(cases=["SAM:BO"], kinds=["quiz"], n=3, seed=3, k=10),
        ExerciseOptions(kinds=["quiz"], n=6, seed=11),
    ],
    ids=["partners", "trust", "sambo-k10", "corpus"],
)
def test_quiz_items_keep_the_blank_and_distractor_rules(builder, runtime, options) -> None:
    sheet = builder.build(options)
    quizzes = [i for i in sheet.items if i.kind == "quiz"]
    assert len(quizzes) == options.n
    chunks = {c.chunk_id: c for c in runtime.index.chunks}
    answers = []
    for item in quizzes:
        citation = item.citations[0]
        quote = item.quotes[0]
        sentence = quote.text
        answer = item.answer
        assert answer and citation.text[item.blank_start : item.blank_end] == answer
        offset = item.blank_start - quote.sentence_start
        assert item.gapped == sentence[:offset] + BLANK + sentence[offset + len(answer) :]
        # The blank: a content word, unique in its sentence by form and by stem.
        assert answer.islower() and answer not in STOPWORDS and len(answer) >= 5
        words = [w.casefold() for w in WORD.findall(sentence)]
        assert words.count(answer.casefold()) == 1
        (answer_stem,) = stems(answer)
        assert sum(1 for w in words if stems(w) == {answer_stem}) == 1
        answers.append(answer_stem)
        if item.quiz_type == "fill_blank":
            assert item.options == [] and item.correct_index is None
            continue
        assert item.quiz_type == "multiple_choice" and len(item.options) == 4
        assert item.options[item.correct_index] == answer
        assert len(set(item.options)) == 4
        source = chunks[citation.chunk_id].text
        retrieved = runtime.retriever.search(question_query(item.gapped), k=options.k, lang="da")
        assert len(retrieved) == options.k
        forbidden = stems(source).union(*(stems(h.text) for h in retrieved))
        for distractor in item.options:
            if distractor == answer:
                continue
            assert not stems(distractor) & forbidden, (distractor, item.gapped)
            assert distractor not in source
    assert len(set(answers)) == len(answers)  # no answer twice on a sheet
