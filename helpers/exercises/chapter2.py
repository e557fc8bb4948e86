"""Exercises of chapter 2 (Data windowing): the windowing loop, counting samples, unfold, splitting.

Loaded in the notebook with ``from helpers.exercises import chapter2 as ex``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from helpers.data import make_windows, noisy_sine
from helpers.exercises.checking import Fail, call_answer, expect_close
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.i18n import N_, gettext

COUNT_POINTS, COUNT_N_TIME = 250, 25  # q2: the series and window whose samples are counted
UNFOLD_POINTS, UNFOLD_SIZE = 50, 7  # q3: unfold's windows of 7 in 50 points


def make_windows_loop(series, n_time):
    """Cut a 1-D series into windows of n_time steps and the value right after each.

    Shapes: series (n,) -> input_data (n - n_time, n_time, 1),
    correct_data (n - n_time, 1).
    """
    ### BEGIN SOLUTION
    n_sample = len(series) - n_time
    input_data = torch.zeros(n_sample, n_time, 1)
    correct_data = torch.zeros(n_sample, 1)
    for i in range(n_sample):
        input_data[i] = series[i : i + n_time].view(-1, 1)
        correct_data[i] = series[i + n_time : i + n_time + 1]
    return input_data, correct_data
    ### END SOLUTION


def _check_windows(fn: Callable[..., Any]) -> str:
    cases = [
        (N_("series=torch.arange(12.0), n_time=3"), torch.arange(12.0), 3),
        (N_("series=noisy_sine(seed=0)[1] (100 points), n_time=10"), noisy_sine(seed=0)[1], 10),
        (N_("series=torch.arange(5.0), n_time=1"), torch.arange(5.0), 1),
    ]
    for k, (label, series, n_time) in enumerate(cases, 1):
        case = gettext("case {k}/3 ({label})").format(k=k, label=gettext(label))
        expected_in, expected_out = make_windows(series, n_time)
        got = call_answer(fn, case, series.clone(), n_time)
        if not (isinstance(got, tuple) and len(got) == 2):
            raise Fail(
                gettext("{case}: return the pair (input_data, correct_data), got {kind}.").format(
                    case=case, kind=type(got).__name__
                )
            )
        stuck = expected_in[:1].expand_as(expected_in)  # the first window, every time
        expect_close(
            "input_data",
            got[0],
            expected_in,
            case,
            [(stuck, N_("every window is the first one: slide the start with i"))],
        )
        last_of_window = expected_in[:, -1]  # each window's own last point
        expect_close(
            "correct_data",
            got[1],
            expected_out,
            case,
            [
                (
                    last_of_window,
                    N_(
                        "that is the window's own last value; the answer is the "
                        "point right after the window"
                    ),
                )
            ],
        )
    return gettext("your loop cuts the same windows and answers as make_windows on all 3 cases.")


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="The windowing loop",
        reference=make_windows_loop,
        checker=_check_windows,
        hints=[
            "First count the samples: a window of `n_time` points plus one answer must fit in "
            "the series. Then allocate `torch.zeros` of the two shapes and fill them in a loop.",
            "Sample `i` reads `series[i : i + n_time]` (reshape it to `(n_time, 1)` with "
            "`.view(-1, 1)`) and its answer is the single point at index `i + n_time`.",
        ],
        explanation="There are `len(series) - n_time` samples. Sample `i` is the slice "
        "`i : i + n_time` and its answer the next point, `i + n_time`; the slice "
        "`i + n_time : i + n_time + 1` keeps it one-dimensional, the shape `correct_data[i]` has.",
    ),
    PredictExercise(
        title="Predict n_sample and the shape of input_data",
        answers={
            "answer_n_sample": "len(series) - n_time",
            "answer_shape": "(n_sample, n_time, features)",
        },
        # make_windows(torch.zeros(COUNT_POINTS), COUNT_N_TIME)
        expected={"answer_n_sample": 225, "answer_shape": (225, 25, 1)},
        mistakes={
            "answer_n_sample": [
                (
                    226,
                    N_(
                        "answer_n_sample {value} counts one window too many: the last "
                        "window still needs one point after it, its answer."
                    ),
                )
            ]
        },
        wrong={
            "answer_n_sample": N_(
                "answer_n_sample {value}: count the start positions i for which "
                "i + n_time is still inside the series."
            ),
            "answer_shape": N_(
                "answer_shape {value}: input_data is (n_sample, n_time, features), "
                "one feature per step here."
            ),
        },
        success=N_("{answer_n_sample} windows of {n_time} steps, stored as {answer_shape}."),
        facts={"n_time": COUNT_N_TIME},
        hints=[
            "A sample needs `n_time` input points and one more point as its answer.",
            "The last sample's answer is the last point of the series; where does it start?",
        ],
        explanation="A sample starting at $i$ uses the points $i$ to $i + n_{time}$, its answer "
        "included, so the last start is `len(series) - n_time - 1` and "
        "`n_sample = len(series) - n_time`. The inputs are stored as (n_sample, n_time, 1).",
    ),
    PredictExercise(
        title="The off-by-one trap in unfold",
        answers={"answer_n_windows": "windows that fit, answer or not"},
        # torch.zeros(UNFOLD_POINTS).unfold(0, UNFOLD_SIZE, 1).shape[0]
        expected={"answer_n_windows": 44},
        mistakes={
            "answer_n_windows": [
                (
                    43,
                    N_(
                        "answer_n_windows {value} is n_sample, the windows that have an answer; "
                        "unfold knows nothing about answers: it counts every start that fits."
                    ),
                )
            ]
        },
        wrong={
            "answer_n_windows": N_(
                "answer_n_windows {value}: a window of {size} can start at 0 and slide "
                "until its end reaches the last point; count those starts."
            )
        },
        success=N_(
            "unfold cuts {answer_n_windows} windows, one more than n_sample: the last window, "
            "ending at the last point, has no answer after it and must be dropped."
        ),
        facts={"size": UNFOLD_SIZE},
        hints=[
            "`unfold(0, size, step)` returns every window of `size` consecutive points, "
            "moving by `step`.",
            f"Windows of {UNFOLD_SIZE} in {UNFOLD_POINTS} points: the first starts at 0, "
            f"the last ends at index {UNFOLD_POINTS - 1}.",
        ],
        explanation="`unfold` returns every window that fits: starts $0$ to $n - n_{time}$, "
        "that is $n - n_{time} + 1$ windows. The last of them ends at the last point and has no "
        "answer, so `make_windows` drops it (`[:-1]`), leaving `n_sample = n - n_time`.",
    ),
    OpenQuestion(
        title="Why split a time series by time, not at random?",
        hints=[
            "Neighbouring windows share most of their points: window 10 and window 11 "
            "overlap in 9 of 10 values.",
            "What is the model for? Which part of the series will it face after training?",
        ],
        explanation="Windows overlap: if held-out windows are picked at random, almost every "
        "one of them has a neighbour in the training set that shares nine of its ten inputs and "
        "sees its answer as an input, so the test score measures memory, not forecasting. A "
        "forecaster will face the future, so the honest test is a block from later in time that "
        "training never saw (with a gap of `n_time` points so no window straddles the "
        "boundary). Shuffling the training windows among themselves is fine: each window "
        "already carries its own order inside it, and shuffling only decorrelates mini-batches.",
    ),
)
