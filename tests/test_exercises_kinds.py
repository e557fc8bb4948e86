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
    return PredictExercise(
        title="Count the rows",
        answers={"answer_n": "rows of the tensor"},
        expected={"answer_n": 3},
        wrong={"answer_n": "answer_n {value} is not the number of rows."},
        success="three rows.",
        hints=["Read the first axis."],
        explanation="The first axis has 3 entries.",
    )


def _shapes() -> PredictExercise:
    """Two answers, checked in another order than they are passed, with typical mistakes."""
    exercise = PredictExercise(
        title="Shapes",
        answers={"answer_y": "y's shape", "answer_share": "a share"},
        expected={"answer_share": 0.25, "answer_y": (4, 8)},
        swapped="swapped.",
        mistakes={
            "answer_y": [
                ((8, 4), "{name} {value} is transposed."),
                (lambda shape: len(shape) != 2 and {"n": len(shape)}, "{n} axes, not 2."),
            ],
            "answer_share": [(0.5, "{value} is half; of {rows} rows?")],
        },
        wrong={"answer_y": "{name} is off.", "answer_share": "{name} {value:.2f} is off."},
        success="y {answer_y}, a share of {answer_share}, {rows} rows.",
        facts={"rows": 4},
        hints=["Think."],
        explanation="Because.",
    )
    bind_exercises({}, exercise)
    return exercise


@pytest.mark.parametrize(
    ("answers", "said"),
    [
        (((4, 8), 0.25), "✓ q1 correct: y (4, 8), a share of 0.25, 4 rows."),
        (([4, 8], 0.25 * (1 + 5e-5)), "✓ q1 correct: y (4, 8), a share of 0.25, 4 rows."),
        ((0.25, (4, 8)), "answer_y should be a tuple of ints"),  # read before compared
        (((4, 8), 0.2501), "answer_share 0.25 is off."),  # floats: within checking.RTOL
        (((8, 4), 0.25), "answer_y (8, 4) is transposed."),
        (((8, 4), 0.5), "0.5 is half; of 4 rows?"),  # in the order `expected` lists them
        (((4, 8, 1), 0.25), "3 axes, not 2."),  # a predicate's dict: fields for its message
        (((2, 8), 0.25), "answer_y is off."),
        (((4, 8), 1), "answer_share 1.00 is off."),  # an int where a float is declared
    ],
)
def test_predictions_are_compared_with_the_declared_values_in_one_way(answers, said):
    assert said in _shapes().check(*answers).text


def test_swapped_answers_are_named_before_any_other_mistake():
    exercise = PredictExercise(
        title="Two counts",
        answers={"answer_a": "a", "answer_b": "b"},
        expected={"answer_a": 1, "answer_b": 2},
        swapped="you swapped them.",
        mistakes={"answer_a": [(2, "a is b.")]},
        wrong={"answer_a": "a is off.", "answer_b": "b is off."},
        success="yes.",
        hints=["Think."],
        explanation="Because.",
    )
    bind_exercises({}, exercise)
    assert "you swapped them." in exercise.check(2, 1).text
    assert "a is b." in exercise.check(2, 2).text
    assert exercise.check(1, 2).text == "✓ q1 correct: yes."


def test_a_prediction_declares_its_value_and_its_fix_for_every_answer():
    declared = {
        "title": "Half declared",
        "answers": {"answer_a": "a", "answer_b": "b"},
        "expected": {"answer_a": 1, "answer_b": 2},
        "wrong": {"answer_a": "a is off.", "answer_b": "b is off."},
        "success": "yes.",
        "hints": ["Think."],
        "explanation": "Because.",
    }
    PredictExercise(**declared)
    for key, value in [
        ("expected", {"answer_a": 1}),
        ("wrong", {"answer_a": "a is off."}),
        ("mistakes", {"answer_c": [(3, "c?")]}),
    ]:
        with pytest.raises(ValueError, match="declare expected and wrong for each answer"):
            PredictExercise(**(declared | {key: value}))


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
