"""Exercises of chapter 3 (Training an RNN): the closed loop, the noise floor, one epoch, drift.

Loaded in the notebook with ``from helpers.exercises import chapter3 as ex``.
"""

from __future__ import annotations

import copy
import inspect
import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers.data import make_windows, noisy_sine
from helpers.exercises.checking import (
    ATOL,
    RTOL,
    Fail,
    as_number,
    call_answer,
    expect_close,
    fmt,
)
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.forecast import closed_loop
from helpers.models import SequenceRegressor


def closed_loop_by_hand(model, seed_window, steps):
    """Predict steps values, feeding each prediction back in as the newest input.

    Shapes: seed_window (n_time, 1), like input_data[0] -> (steps,).
    """
    ### BEGIN SOLUTION
    n_time = len(seed_window)
    values = seed_window.reshape(-1).tolist()  # the known window, then each prediction
    model.eval()
    with torch.no_grad():
        for _ in range(steps):
            x = torch.tensor(values[-n_time:]).view(1, n_time, 1)  # batch of one window
            values.append(model(x).item())
    return torch.tensor(values[n_time:])
    ### END SOLUTION


def _tiny_model(cell: str = "rnn", seed: int = 0) -> SequenceRegressor:
    torch.manual_seed(seed)  # the caller runs inside fork_rng
    return SequenceRegressor(cell, hidden_size=8)


def _recorder(calls: list[tuple[bool, bool]]) -> Callable[..., None]:
    """A forward pre-hook noting whether gradients were on and the model in training mode."""

    def hook(module: nn.Module, inputs: Any) -> None:
        calls.append((torch.is_grad_enabled(), module.training))

    return hook


def _check_closed_loop(fn: Callable[..., Any]) -> str:
    for k, (n_time, steps) in enumerate([(10, 15), (4, 6)], 1):
        case = f"case {k}/2 (a small RNN, seed_window of shape ({n_time}, 1), steps={steps})"
        model = _tiny_model(seed=k)
        window = noisy_sine(n_time + 1, seed=k)[1][:n_time].view(n_time, 1)
        expected = closed_loop(model, window, steps)
        model.train()  # as during training: the learner's loop must switch to eval itself
        calls: list[tuple[bool, bool]] = []  # (gradients on, training mode) at each forward
        hook = model.register_forward_pre_hook(_recorder(calls))
        grad_before = torch.is_grad_enabled()
        try:
            got = call_answer(fn, case, model, window.clone(), steps)
        finally:
            hook.remove()
            grad_after = torch.is_grad_enabled()
            torch.set_grad_enabled(grad_before)
        if grad_before and not grad_after:
            raise Fail(
                f"{case}: your function left gradients switched off for everything "
                "after it; use `with torch.no_grad():` so they come back on."
            )
        if any(grad for grad, _ in calls):
            raise Fail(
                f"{case}: the model ran with gradients on; predict inside "
                "`with torch.no_grad():`, which also saves memory and time."
            )
        if any(training for _, training in calls):
            raise Fail(f"{case}: the model ran in training mode; call `model.eval()` first.")
        if isinstance(got, list):
            got = torch.tensor(got)
        if isinstance(got, torch.Tensor) and got.numel() == steps + n_time:
            raise Fail(
                f"{case}: got {got.numel()} values, expected {steps}: return only "
                "the predictions, not the seed window."
            )
        if isinstance(got, torch.Tensor) and got.numel() == steps:
            got = got.reshape(steps)
        once = model(window.view(1, n_time, 1)).detach().reshape(()).expand(steps)
        expect_close(
            "prediction",
            got,
            expected,
            case,
            [
                (
                    once,
                    "every prediction is the first one: slide the window to end with "
                    "the newest prediction",
                )
            ],
        )
    return (
        "your loop generates the same forecasts as helpers.forecast.closed_loop, in eval mode "
        "and without gradients."
    )


def _train_one_epoch_reference(model, loader, loss_func, optimizer):
    model.train()
    losses = []
    for x, t in loader:
        loss = loss_func(model(x), t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def train_one_epoch(model, loader, loss_func, optimizer):
    """Train model for one pass over loader; return the mean batch loss (a float)."""
    ### BEGIN SOLUTION
    model.train()
    loss_train = 0.0
    for x, t in loader:
        loss = loss_func(model(x), t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss_train += loss.item()
    return loss_train / len(loader)
    ### END SOLUTION


def _check_train_epoch(fn: Callable[..., Any]) -> str:
    input_data, correct_data = make_windows(noisy_sine(16, seed=3)[1], 4)  # 12 samples
    loader = DataLoader(TensorDataset(input_data, correct_data), batch_size=4, shuffle=False)
    case = "case 1/1 (one epoch of a small RNN, 12 windows in 3 batches of 4, SGD lr=0.1)"
    model = _tiny_model(seed=4)
    mirror = copy.deepcopy(model)
    start = copy.deepcopy(model.state_dict())
    model.eval()  # as after a closed-loop display: the epoch must switch back to training
    modes: list[bool] = []
    hook = model.register_forward_pre_hook(lambda module, inputs: modes.append(module.training))
    try:
        got = call_answer(
            fn, case, model, loader, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1)
        )
    finally:
        hook.remove()
    losses = _train_one_epoch_reference(
        mirror, loader, nn.MSELoss(), torch.optim.SGD(mirror.parameters(), lr=0.1)
    )
    if modes and not all(modes):
        raise Fail(f"{case}: the model ran in eval mode; call `model.train()` at the start.")
    if all(torch.equal(p, start[n]) for n, p in model.state_dict().items()):
        raise Fail(
            f"{case}: the weights did not change; call `optimizer.step()` after `loss.backward()`."
        )
    for name, p in mirror.state_dict().items():
        if not torch.allclose(model.state_dict()[name], p, rtol=RTOL, atol=ATOL):
            raise Fail(
                f"{case}: after the epoch the weights differ from 3 plain SGD steps "
                "(is `optimizer.zero_grad()` called for every batch?)."
            )
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        raise Fail(f"{case}: return the mean loss as a float, got {type(got).__name__}.")
    expected = sum(losses) / len(losses)
    if math.isclose(got, expected, rel_tol=RTOL):
        return "one SGD step per batch, and the mean of the 3 batch losses."
    for wrong, meaning in [
        (sum(losses), "that is the sum of the batch losses; divide by the number of batches"),
        (losses[-1], "that is the last batch's loss, not the mean"),
    ]:
        if math.isclose(got, wrong, rel_tol=RTOL):
            raise Fail(f"{case}: mean loss expected {fmt(expected)}, got {fmt(got)}; {meaning}.")
    raise Fail(f"{case}: mean loss expected {fmt(expected)}, got {fmt(got)}.")


NOISE = 0.3  # q2: the exercise's noise, three times the book's, so the chapter's floor won't do
BOOK_NOISE = inspect.signature(noisy_sine).parameters["noise"].default  # the chapter's 0.1


def _noise_floor() -> tuple[float]:
    return (NOISE**2,)  # the variance: no model can predict the noise


def _judge_noise_floor(answers: tuple[Any, ...], truth: tuple[Any, ...]) -> str:
    value = as_number("answer_noise_floor", answers[0])
    (floor,) = truth
    if math.isclose(value, BOOK_NOISE**2, rel_tol=0.05):
        raise Fail(
            f"that is the chapter's floor, for noise of standard deviation {BOOK_NOISE}; "
            "here the noise is larger."
        )
    if math.isclose(value, math.sqrt(floor), rel_tol=0.05):
        raise Fail("that is the noise's standard deviation; the MSE averages *squared* errors.")
    if not math.isclose(value, floor, rel_tol=0.05):
        raise Fail(
            f"answer_noise_floor {value}: even a model that knows sin(x) exactly "
            "misses by the noise on every point; what is its mean squared size?"
        )
    return (
        "the best a model can do is predict sin(x) exactly; what remains is the noise, "
        "whose mean square is its variance. A training loss well below it means memorised noise."
    )


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="The closed-loop forecast",
        reference=closed_loop_by_hand,
        checker=_check_closed_loop,
        hints=[
            "Keep a list of values that starts as the seed window; in each step predict from "
            "its last `n_time` entries and append the prediction.",
            "Switch the model to `model.eval()` and run the loop inside `with torch.no_grad():`. "
            "The model wants a batch: `.view(1, n_time, 1)`; `.item()` turns its (1, 1) "
            "output into a float.",
        ],
        explanation="After the first `n_time` steps the model reads only its own predictions. "
        "`torch.no_grad()` stops PyTorch from recording a graph nobody will backpropagate "
        "through, and `eval()` is the habit that matters once a model has dropout or "
        "batch normalisation.",
    ),
    PredictExercise(
        title="The noise floor",
        answers={"answer_noise_floor": "the variance of the noise"},
        truth=_noise_floor,
        judge=_judge_noise_floor,
        hints=[
            f"The data is $\\sin(x) + \\varepsilon$ with noise of standard deviation {NOISE}. "
            "Suppose a model predicted $\\sin(x)$ perfectly: what error would remain?",
            "The mean of $\\varepsilon^2$ is the variance, the square of the standard deviation.",
        ],
        explanation="The noise is unpredictable, so the best one-step MSE is its variance "
        "$\\sigma^2$, the square of its standard deviation. A training loss far below it means "
        "the model memorised the noise.",
    ),
    CodeExercise(
        title="One training epoch and its mean loss",
        reference=train_one_epoch,
        checker=_check_train_epoch,
        hints=[
            "Per batch: forward, loss, `optimizer.zero_grad()`, `loss.backward()`, "
            "`optimizer.step()`. Start the epoch with `model.train()`.",
            "Add up `loss.item()` over the batches and divide by `len(loader)`, the number of "
            "batches, as the lecture's `loss_train /= j + 1` does.",
        ],
        explanation="`zero_grad` before `backward`, because gradients add up otherwise; "
        "`.item()` turns the loss into a float so the log does not keep every batch's graph "
        "alive.",
    ),
    OpenQuestion(
        title="Why does the closed-loop forecast drift?",
        hints=[
            "During training, what does the model see as input: true values or its own "
            "predictions? And after the first 10 closed-loop steps?",
            "Think of an error made at one step: where does it go next?",
        ],
        explanation="The model was trained on true windows only (teacher forcing), so each "
        "one-step prediction is good when its input is real data. In the closed loop its input "
        "becomes its own predictions: each error is fed back as input, the next prediction "
        "starts from a slightly wrong window it never saw in training, and small errors "
        "compound step after step, typically as a growing phase or amplitude shift. The "
        "one-step error stays near the noise floor while the closed-loop error grows with the "
        "horizon.",
    ),
)
