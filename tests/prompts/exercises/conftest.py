from __future__ import annotations

import time

import pytest

from tvaers.contracts import ExerciseOptions

#: The "done means" sheet of issue 6: one case, one dilemma and four quiz questions.
DONE_OPTIONS = ExerciseOptions(
    topics=["private partnere og konsortier"], kinds=["case", "dilemma", "quiz"], n=6, seed=1
)


@pytest.fixture(scope="session")
def builder(runtime):
    from tvaers.prompts.exercises.builder import ExerciseBuilder

    return ExerciseBuilder.from_runtime(runtime)


@pytest.fixture(scope="session")
def done_sheet(builder):
    started = time.perf_counter()
    sheet = builder.build(DONE_OPTIONS)
    print(f"\nsix-item sheet built in {time.perf_counter() - started:.2f} s")
    return sheet
