"""helpers.exercises' machinery: declaring exercises, the kinds, the checking tools."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import helpers.exercises
from helpers.exercises import CHAPTERS, checking
from helpers.exercises.checking import Fail
from helpers.exercises.kinds import (
    CodeExercise,
    Exercise,
    OpenQuestion,
    PredictExercise,
    bind_exercises,
)


def _open(title: str = "Why?") -> OpenQuestion:
    return OpenQuestion(title=title, hints=["Think."], explanation="Because.")


def _predict() -> PredictExercise:
    def judge(answers, truth):
        if answers != truth:
            raise Fail("answer_n is not the number of rows.")
        return "three rows."

    return PredictExercise(
        title="Count the rows",
        answers={"answer_n": "rows of the tensor"},
        truth=lambda: (torch.zeros(3, 2).shape[0],),
        judge=judge,
        hints=["Read the first axis."],
        explanation="The first axis has 3 entries.",
    )


def test_bind_exercises_names_them_by_their_order_and_binds_the_names():
    namespace: dict = {}
    first, second = _predict(), _open()
    assert bind_exercises(namespace, first, second) == (first, second)
    assert (first.name, second.name) == ("q1", "q2")
    assert namespace == {"q1": first, "q2": second}
    assert first.check(3).text == "✓ q1 correct: three rows."
    assert second.hint(5).text.startswith("q2 has 1 hint; `ex.q2.solution()`")


def test_bind_exercises_refuses_an_exercise_or_a_name_twice():
    exercise = _open()
    bind_exercises({}, exercise)
    with pytest.raises(ValueError, match="q1 is bound twice"):
        bind_exercises({}, exercise)  # one object declared in two places
    with pytest.raises(ValueError, match="q1 is bound twice"):
        bind_exercises({"q1": "typed by hand"}, _open())


def test_the_base_is_abstract_and_every_exercise_has_a_hint():
    with pytest.raises(TypeError, match="abstract"):
        Exercise(title="x", hints=["h"], explanation="e")
    with pytest.raises(ValueError, match="'Silent' has no hint"):
        OpenQuestion(title="Silent", hints=[], explanation="e")


def test_predict_solution_cell_holds_the_computed_values_between_markers():
    exercise = _predict()
    bind_exercises({}, exercise)
    assert exercise.cell_source == (
        "### BEGIN SOLUTION\nanswer_n = 3  # rows of the tensor\n### END SOLUTION"
    )
    assert exercise.solution().text == "Solution (q1):\nanswer_n = 3  # rows of the tensor\n" + (
        "The first axis has 3 entries."
    )
    assert "pass your answers: `ex.q1.check(answer_n)`" in exercise.check().text


def test_code_exercise_refuses_what_is_not_a_function():
    def double(x):
        ### BEGIN SOLUTION
        return 2 * x
        ### END SOLUTION

    def checker(fn):
        got = checking.call_answer(fn, "case 1/1 (x=2)", 2)
        if got != 4:
            raise Fail(f"case 1/1 (x=2): expected 4, got {got}.")
        return "doubles."

    exercise = CodeExercise(
        title="Double", reference=double, checker=checker, hints=["2x"], explanation="x + x."
    )
    bind_exercises({}, exercise)
    assert exercise.check(double) and exercise.answer_name == "double"
    assert "pass your double itself" in exercise.check(4).text
    assert "expected 4, got 3" in exercise.check(lambda x: x + 1).text
    assert "SOLUTION" not in exercise.solution_code()


def test_chapters_are_found_on_disk_in_reading_order():
    here = Path(helpers.exercises.__file__).parent
    on_disk = {p.stem for p in here.glob("chapter*.py")}
    assert set(CHAPTERS) == on_disk
    numbers = [int(name.removeprefix("chapter")) for name in CHAPTERS]
    assert numbers == sorted(numbers)


@pytest.mark.parametrize(
    ("got", "message"),
    [
        ([1.0, 2.0], "case 1: h should be a tensor, got list."),
        (torch.zeros(3), "case 1: h has shape (3,), expected (2,)."),
        (torch.tensor([1.0, 5.0]), "case 1: h[1] expected 2, got 5."),
        (torch.tensor([2.0, 1.0]), "case 1: h[0] expected 1, got 2; the order is reversed."),
    ],
)
def test_expect_close_names_the_worst_element_and_a_known_mistake(got, message):
    expected = torch.tensor([1.0, 2.0])
    with pytest.raises(Fail) as info:
        checking.expect_close(
            "h", got, expected, "case 1", [(expected.flip(0), "the order is reversed")]
        )
    assert str(info.value) == message
    checking.expect_close("h", expected + 1e-7, expected, "case 1")  # close enough: no Fail


def test_call_answer_reports_the_learners_exception_in_one_line():
    def broken(x):
        raise ValueError("no such\nkey")

    with pytest.raises(Fail, match=r"^case 2: your code raised ValueError: no such key\.$"):
        checking.call_answer(broken, "case 2", 1)


@pytest.mark.parametrize(
    ("reader", "value", "ok"),
    [
        (checking.as_int, 3, True),
        (checking.as_int, 3.0, False),
        (checking.as_int, True, False),
        (checking.as_number, 0.09, True),
        (checking.as_number, 1, True),
        (checking.as_number, "0.09", False),
        (checking.as_shape, (2, 3), True),
        (checking.as_shape, torch.Size([2, 3]), True),
        (checking.as_shape, (2, 3.0), False),
    ],
)
def test_readers_of_predictions(reader, value, ok):
    if ok:
        assert reader("answer", value) == value
    else:
        with pytest.raises(Fail, match="answer should be"):
            reader("answer", value)
