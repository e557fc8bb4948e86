"""Exercises of chapter 3 (Training an RNN): the closed loop, the noise floor, one epoch, drift.

Loaded in the notebook with ``from helpers.exercises import chapter3 as ex``.
"""

from __future__ import annotations

import copy
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
    call_answer,
    expect_close,
    fmt,
)
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.forecast import closed_loop
from helpers.i18n import N_, gettext
from helpers.models import SequenceRegressor
from helpers.training import train


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
        case = gettext(
            "case {k}/2 (a small RNN, seed_window of shape ({n_time}, 1), steps={steps})"
        ).format(k=k, n_time=n_time, steps=steps)
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
                gettext(
                    "{case}: your function left gradients switched off for everything "
                    "after it; use `with torch.no_grad():` so they come back on."
                ).format(case=case)
            )
        if any(grad for grad, _ in calls):
            raise Fail(
                gettext(
                    "{case}: the model ran with gradients on; predict inside "
                    "`with torch.no_grad():`, which also saves memory and time."
                ).format(case=case)
            )
        if any(training for _, training in calls):
            raise Fail(
                gettext(
                    "{case}: the model ran in training mode; call `model.eval()` first."
                ).format(case=case)
            )
        if isinstance(got, list):
            got = torch.tensor(got)
        if isinstance(got, torch.Tensor) and got.numel() == steps + n_time:
            raise Fail(
                gettext(
                    "{case}: got {got} values, expected {expected}: return only "
                    "the predictions, not the seed window."
                ).format(case=case, got=got.numel(), expected=steps)
            )
        if isinstance(got, torch.Tensor) and got.numel() == steps:
            got = got.reshape(steps)
        once = expected[:1].expand(steps)  # the first forecast, from the seed window alone
        expect_close(
            gettext("prediction"),
            got,
            expected,
            case,
            [
                (
                    once,
                    N_(
                        "every prediction is the first one: slide the window to end with "
                        "the newest prediction"
                    ),
                )
            ],
        )
    return gettext(
        "your loop generates the same forecasts as helpers.forecast.closed_loop, in eval mode "
        "and without gradients."
    )


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
    # the reference is helpers.training.train for one epoch; the learner's loader serves the
    # batches in the order train draws them with seed=5
    order = torch.randperm(len(input_data), generator=torch.Generator().manual_seed(5))
    dataset = TensorDataset(input_data[order], correct_data[order])
    loader = DataLoader(dataset, batch_size=4, shuffle=False)
    case = gettext("case 1/1 (one epoch of a small RNN, 12 windows in 3 batches of 4, SGD lr=0.1)")
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
    outputs: list[torch.Tensor] = []  # the reference's prediction for each batch, in order
    hook = mirror.register_forward_hook(lambda module, inputs, out: outputs.append(out.detach()))
    try:
        history = train(
            mirror, input_data, correct_data, epochs=1, batch_size=4, lr=0.1,
            snapshot_every=None, verbose=False, seed=5, progress=False,
        )  # fmt: skip
    finally:
        hook.remove()
    targets = correct_data[order].split(4)
    losses = [nn.functional.mse_loss(y, t).item() for y, t in zip(outputs, targets, strict=True)]
    if modes and not all(modes):
        raise Fail(
            gettext(
                "{case}: the model ran in eval mode; call `model.train()` at the start."
            ).format(case=case)
        )
    if all(torch.equal(p, start[n]) for n, p in model.state_dict().items()):
        raise Fail(
            gettext(
                "{case}: the weights did not change; call `optimizer.step()` after "
                "`loss.backward()`."
            ).format(case=case)
        )
    for name, p in mirror.state_dict().items():
        if not torch.allclose(model.state_dict()[name], p, rtol=RTOL, atol=ATOL):
            raise Fail(
                gettext(
                    "{case}: after the epoch the weights differ from 3 plain SGD steps "
                    "(is `optimizer.zero_grad()` called for every batch?)."
                ).format(case=case)
            )
    if isinstance(got, torch.Tensor) and got.numel() == 1:
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        raise Fail(
            gettext("{case}: return the mean loss as a float, got {kind}.").format(
                case=case, kind=type(got).__name__
            )
        )
    expected = history.final_loss
    if math.isclose(got, expected, rel_tol=RTOL):
        return gettext("one SGD step per batch, and the mean of the 3 batch losses.")
    values = {"case": case, "expected": fmt(expected), "got": fmt(got)}
    for wrong, meaning in [
        (sum(losses), N_("that is the sum of the batch losses; divide by the number of batches")),
        (losses[-1], N_("that is the last batch's loss, not the mean")),
    ]:
        if math.isclose(got, wrong, rel_tol=RTOL):
            raise Fail(
                gettext("{case}: mean loss expected {expected}, got {got}; {meaning}.").format(
                    **values, meaning=gettext(meaning)
                )
            )
    raise Fail(gettext("{case}: mean loss expected {expected}, got {got}.").format(**values))


NOISE = 0.3  # q2: the exercise's noise, three times the book's, so the chapter's floor won't do
BOOK_NOISE = 0.1  # the chapter's noise: the lecture's, and noisy_sine's default


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
        title="The noise floor, a lower bound",
        answers={"answer_noise_floor": "expected MSE of a model that outputs sin(x) exactly"},
        expected={"answer_noise_floor": 0.09},  # NOISE**2, the noise variance
        mistakes={
            "answer_noise_floor": [
                (
                    0.01,  # BOOK_NOISE**2
                    N_(
                        "that is the chapter's floor, for noise of standard deviation {noise}; "
                        "here the noise is larger."
                    ),
                ),
                (
                    0.3,  # NOISE
                    N_(
                        "that is the noise's standard deviation; the MSE averages *squared* errors."
                    ),
                ),
            ]
        },
        wrong={
            "answer_noise_floor": N_(
                "answer_noise_floor {value}: a model that outputs sin(x) exactly still misses "
                "every answer by its noise; what is the mean squared size of that miss?"
            )
        },
        success=N_(
            "a model that outputs sin(x) exactly still misses by the noise, whose mean square is "
            "its variance. That is a lower bound, not a score to aim for: a model that reads "
            "only noisy windows stays above it, and a training loss well below it means "
            "memorised noise."
        ),
        facts={"noise": BOOK_NOISE},
        hints=[
            f"The data is $\\sin(x) + \\varepsilon$ with noise of standard deviation {NOISE}. "
            "A model that outputs $\\sin(x)$ exactly: by how much does it miss each noisy "
            "answer?",
            "It misses by $\\varepsilon$; the mean of $\\varepsilon^2$ is the variance, the "
            "square of the standard deviation.",
        ],
        explanation="A model that outputs the clean $\\sin(x)$ misses every answer by its noise "
        "$\\varepsilon$, so its expected MSE is the variance $\\sigma^2$. No model can beat that "
        "on average, because nothing it reads predicts fresh noise; but $\\sigma^2$ is a lower "
        "bound, not a score a model reaches. A model that sees only a window of noisy points "
        "does worse: the noise of its inputs passes into its prediction, as the chapter's last "
        "section explains. A training loss far below $\\sigma^2$ means the model memorised the "
        "noise of its training points.",
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
