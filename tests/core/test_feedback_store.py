"""Feedback in SQLite: taken from the stored turn, validated, kept after the conversation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tvaers.contracts import Answer, Citation
from tvaers.conversations import ConversationStore
from tvaers.feedback import FeedbackStore, UnknownTurnError

QUESTION = "Hvordan håndterer vi en privat partner, der ikke leverer?"


def _answer() -> Answer:
    citation = Citation(
        n=1, chunk_id="doc#abc", doc_id="doc", title="En rapport", year=2014,
        heading_path=["Kapitel", "Afsnit"], page_start=21, page_end=22,
        text="De må i stedet stille krav til den ledende private part.",
        char_start=0, char_end=57, score=0.9,
    )
    return Answer(question=QUESTION, lang="da", not_covered=False, evidence=4.2,
                  text="[Tværs] Stil krav. [1]", citations=[citation])


@pytest.fixture
def stores(tmp_path: Path) -> tuple[ConversationStore, FeedbackStore]:
    path = tmp_path / "db.sqlite"
    return ConversationStore(path), FeedbackStore(path)


def test_feedback_holds_the_stored_question_answer_and_cited_text(stores) -> None:
    conversations, feedback = stores
    n = conversations.add_turn("c1", QUESTION, anchor=QUESTION, lang="da",
                               answer=_answer().model_dump_json())
    stored = feedback.add_for_turn(conversations, "c1", n, rating=-1, comment=" For kort. ")
    (row,) = feedback.all()
    assert row["id"] == stored["id"]
    assert (row["conversation_id"], row["rating"], row["comment"]) == ("c1", -1, "For kort.")
    assert (row["question"], row["lang"], row["answer"]) == (QUESTION, "da", _answer().text)
    assert row["citations"] == [{
        "n": 1, "chunk_id": "doc#abc", "doc_id": "doc", "title": "En rapport", "year": 2014,
        "heading_path": ["Kapitel", "Afsnit"], "page_start": 21, "page_end": 22,
        "text": "De må i stedet stille krav til den ledende private part.",
    }]

    conversations.delete("c1")
    (kept,) = feedback.all()
    assert kept["conversation_id"] is None and kept["question"] == QUESTION


def test_unknown_turns_and_turns_without_answers_are_refused(stores) -> None:
    conversations, feedback = stores
    conversations.add_turn("c1", QUESTION, anchor=QUESTION, lang="da")  # stored before m003
    with pytest.raises(UnknownTurnError, match="no answer 1"):
        feedback.add_for_turn(conversations, "c1", 1, rating=1)
    with pytest.raises(UnknownTurnError):
        feedback.add_for_turn(conversations, "nope", 1, rating=1)
    assert feedback.all() == []


@pytest.mark.parametrize(
    ("rating", "comment", "complaint"),
    [(0, "", "rating must be 1 or -1"), (1, "x" * 2001, "at most 2000 characters")],
)
def test_bad_ratings_and_long_comments_are_refused(stores, rating, comment, complaint) -> None:
    conversations, feedback = stores
    n = conversations.add_turn("c1", QUESTION, anchor=QUESTION, lang="da",
                               answer=_answer().model_dump_json())
    with pytest.raises(ValueError, match=complaint):
        feedback.add_for_turn(conversations, "c1", n, rating=rating, comment=comment)
