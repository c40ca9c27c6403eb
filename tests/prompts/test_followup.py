from __future__ import annotations

import pytest

from tvaers.prompts.followup import is_courtesy, is_followup, retrieval_query


@pytest.mark.parametrize(
    "question",
    ["Og hvis det er almen praksis?", "Og hvad betød det for projektlederen?", "What about GPs?"],
)
def test_short_questions_that_refer_back_are_follow_ups(question: str) -> None:
    assert is_followup(question)


def test_a_full_question_is_not_a_follow_up() -> None:
    question = "Hvordan håndterer vi en privat partner i konsortiet, der ikke leverer som aftalt?"
    assert not is_followup(question)
    assert retrieval_query(question, "Hvad er hulemøder?") == question


def test_a_follow_up_is_searched_with_the_previous_question() -> None:
    assert retrieval_query("Og hvis det er almen praksis?", "Hvordan skaber vi tillid?") == (
        "Hvordan skaber vi tillid? Og hvis det er almen praksis?"
    )


@pytest.mark.parametrize(
    "text", ["tak", "Tusind tak!", "thanks", "Thank you.", "ok", "Tak for det"]
)
def test_a_thanks_is_a_courtesy_not_a_follow_up(text: str) -> None:
    assert is_courtesy(text) and not is_followup(text)


@pytest.mark.parametrize("text", ["Tak for hjælpen, men hvad med almen praksis?", "takt", "Why?"])
def test_a_question_is_no_courtesy(text: str) -> None:
    assert not is_courtesy(text)
