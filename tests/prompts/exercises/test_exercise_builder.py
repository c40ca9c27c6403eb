"""The exercise builder on the real index: the done-means sheet, every case and topic,
determinism and single-item regeneration."""

from __future__ import annotations

import pytest
from conftest import DONE_OPTIONS
from resolve_check import assert_item_resolves

from tvaers.contracts import ExerciseOptions
from tvaers.ingest.cases import load_cases
from tvaers.prompts.exercises.builder import ExerciseRequestError
from tvaers.prompts.exercises.dilemmas import load_tensions, pole_of
from tvaers.prompts.exercises.select import ExerciseOptionError
from tvaers.prompts.topics import load_topics

pytestmark = pytest.mark.slow


def test_done_sheet_has_a_case_a_dilemma_and_four_quiz_questions(done_sheet, runtime) -> None:
    assert [i.kind for i in done_sheet.items] == ["case", "dilemma", "quiz", "quiz", "quiz",
                                                 "quiz"]
    assert done_sheet.title == "Øvelsesark: Private partnere og konsortier"
    for item in done_sheet.items:
        assert_item_resolves(item, runtime.index)
    quiz_types = {i.quiz_type for i in done_sheet.items if i.kind == "quiz"}
    assert quiz_types == {"multiple_choice", "fill_blank"}
    case = done_sheet.items[0]
    assert case.quotes and case.trainer_note and len(case.questions) >= 3
    assert case.target == "horsens-paa-forkant"  # the consortium case of this topic


def test_same_seed_same_items_and_another_seed_differs(builder, done_sheet) -> None:
    again = builder.build(DONE_OPTIONS)
    assert [i.model_dump_json() for i in again.items] == [
        i.model_dump_json() for i in done_sheet.items
    ]
    other = builder.build(DONE_OPTIONS.model_copy(update={"seed": 2}))
    assert [i.model_dump_json() for i in other.items] != [
        i.model_dump_json() for i in done_sheet.items
    ]


def test_regenerating_one_item_leaves_the_others_byte_identical(
    builder, done_sheet, runtime
) -> None:
    for item_id in ("quiz-4", "case-1", "dilemma-2"):
        new = builder.regenerate(done_sheet, item_id, seed=12345)
        assert [i.item_id for i in new.items] == [i.item_id for i in done_sheet.items]
        for old, now in zip(done_sheet.items, new.items, strict=True):
            if old.item_id == item_id:
                assert now.seed == 12345 and now.kind == old.kind
                assert now.quiz_type == old.quiz_type
                assert_item_resolves(now, runtime.index)
            else:
                assert now.model_dump_json() == old.model_dump_json()
    regenerated = builder.regenerate(done_sheet, "quiz-3")  # no seed: a derived new one
    assert regenerated.items[2].seed != done_sheet.items[2].seed
    assert regenerated.items[2].model_dump() != done_sheet.items[2].model_dump()
    again = builder.regenerate(done_sheet, "quiz-3")
    assert again.items[2].model_dump_json() == regenerated.items[2].model_dump_json()


def test_removing_an_item_keeps_the_rest(builder, done_sheet) -> None:
    smaller = builder.remove(done_sheet, "dilemma-2")
    assert [i.item_id for i in smaller.items] == ["case-1", "quiz-3", "quiz-4", "quiz-5",
                                                  "quiz-6"]
    with pytest.raises(ExerciseRequestError, match="no item 'nope'"):
        builder.remove(done_sheet, "nope")


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c.slug)
def test_every_named_case_gives_a_case_exercise(builder, runtime, case) -> None:
    sheet = builder.build(ExerciseOptions(cases=[case.name], kinds=["case"], n=1))
    (item,) = sheet.items
    assert item.target == case.slug and len(item.quotes) >= 2
    assert_item_resolves(item, runtime.index)
    assert case.name in " ".join(item.questions)


@pytest.mark.parametrize("topic", load_topics(), ids=lambda t: t.slug)
def test_every_topic_gives_discussion_questions(builder, runtime, topic) -> None:
    sheet = builder.build(ExerciseOptions(topics=[topic.name["da"].upper()],
                                          kinds=["discussion"], n=1))
    (item,) = sheet.items
    assert item.title.endswith(topic.name["da"]) and item.body == topic.description["da"]
    assert item.questions[: len(topic.reflection["da"])] == topic.reflection["da"]
    assert_item_resolves(item, runtime.index)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_dilemma_positions_are_each_supported_by_their_quote(builder, runtime, seed) -> None:
    sheet = builder.build(ExerciseOptions(kinds=["dilemma"], n=4, seed=seed))
    assert len(sheet.items) == 4
    assert len({i.target for i in sheet.items}) == 4  # each tension once
    tensions = {t.slug: t for t in load_tensions()}
    for item in sheet.items:
        tension = tensions[item.target]
        assert [p.label for p in item.positions] == [lab["da"] for lab in tension.labels]
        for side, position in enumerate(item.positions):
            assert pole_of(tension, position.quote.text) == side
        assert item.questions == tension.prompts["da"]
        assert_item_resolves(item, runtime.index)


def test_names_match_case_insensitively_and_unknown_names_list_the_valid_ones(builder) -> None:
    by_name = builder.resolve(ExerciseOptions(topics=["PRIVATE PARTNERE OG KONSORTIER"],
                                              cases=["sam:bo"], docs=["Ledelse-Over-Graenser"]))
    assert by_name.topics == ["private-partnere"]
    assert by_name.cases == ["sam-bo"] and by_name.docs == ["ledelse-over-graenser"]
    assert builder.resolve(ExerciseOptions(topics=["private-partnere"])).topics == [
        "private-partnere"
    ]
    with pytest.raises(ExerciseOptionError) as err:
        builder.resolve(ExerciseOptions(topics=["private partnere"]))
    assert "private-partnere (Private partnere og konsortier)" in str(err.value)
    with pytest.raises(ExerciseOptionError, match="sam-bo"):
        builder.resolve(ExerciseOptions(cases=["Fyn"]))


def test_too_few_items_for_the_kinds_is_an_error(builder) -> None:
    with pytest.raises(ExerciseRequestError, match="fewer than the 3 kinds"):
        builder.build(ExerciseOptions(kinds=["case", "dilemma", "quiz"], n=2))


def test_english_frame_keeps_danish_quotes(builder, runtime) -> None:
    sheet = builder.build(DONE_OPTIONS.model_copy(update={"lang": "en"}))
    da = builder.build(DONE_OPTIONS)
    assert sheet.title == "Exercise sheet: Private partners and consortia"
    assert sheet.items[0].questions[0].startswith("Which parties")
    assert [i.quotes for i in sheet.items] == [i.quotes for i in da.items]
