"""Exercises of chapter 1 (RNN concepts): one step by hand, shapes, the last output, gradients.

Loaded in the notebook with ``from helpers.exercises import chapter1 as ex``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from helpers.exercises.checking import Fail, as_int, as_shape, call_answer, expect_close, seeded
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.i18n import N_, gettext

TRAP_INPUT = (8, 10, 1)  # q3: a (batch, time, features) batch fed to an RNN without batch_first


def rnn_step_by_hand(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """One RNN step.

    Shapes: x (batch, input_size), h_prev (batch, hidden) -> (batch, hidden).
    """
    ### BEGIN SOLUTION
    return torch.tanh(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh)
    ### END SOLUTION


def _check_rnn_step(fn: Callable[..., Any]) -> str:
    shapes = [(1, 1, 4), (3, 2, 4), (2, 3, 5)]  # (batch, input_size, hidden)
    for k, (batch, n_in, hidden) in enumerate(shapes, 1):
        g = seeded(k)
        cell = nn.RNNCell(n_in, hidden)
        with torch.no_grad():
            for p in cell.parameters():
                p.copy_(torch.randn(p.shape, generator=g))
        x, h_prev = torch.randn(batch, n_in, generator=g), torch.randn(batch, hidden, generator=g)
        w_ih, w_hh, b_ih, b_hh = (p.detach().clone() for p in cell.parameters())
        with torch.no_grad():
            expected = cell(x, h_prev)
        pre = x @ w_ih.T + b_ih + h_prev @ w_hh.T + b_hh
        mistakes = [
            (torch.sigmoid(pre), N_("that is a sigmoid, but nn.RNN squashes with tanh")),
            (
                torch.tanh(x @ w_ih.T + b_ih + b_hh),
                N_("h_prev is missing: the step also adds W_hh h_prev"),
            ),
            (
                torch.tanh(x @ w_ih.T + b_ih + h_prev @ w_hh + b_hh),
                N_("W_hh needs a transpose (.T)"),
            ),
            (torch.tanh(x @ w_ih.T + h_prev @ w_hh.T), N_("the two biases are missing")),
        ]
        case = gettext("case {k}/3 (batch {batch}, input_size {n_in}, hidden {hidden})").format(
            k=k, batch=batch, n_in=n_in, hidden=hidden
        )
        args = (x, h_prev, w_ih, w_hh, b_ih, b_hh)
        got = call_answer(fn, case, *(a.clone() for a in args))
        expect_close("h", got, expected, case, mistakes)
    return gettext("your step matches PyTorch's nn.RNNCell on all 3 cases.")


def _rnn_shapes() -> tuple[tuple[int, ...], tuple[int, ...]]:
    rnn = nn.RNN(input_size=3, hidden_size=32, num_layers=2, batch_first=True)
    with torch.no_grad():
        y_rnn, h = rnn(torch.zeros(4, 25, 3))
    return tuple(y_rnn.shape), tuple(h.shape)


def _judge_rnn_shapes(answers: tuple[Any, ...], truth: tuple[Any, ...]) -> str:
    y_shape = as_shape("answer_y_shape", answers[0])
    h_shape = as_shape("answer_h_shape", answers[1])
    true_y, true_h = truth
    if (y_shape, h_shape) == (true_h, true_y):
        raise Fail("you swapped them: which of the two keeps an output for every time step?")
    if y_shape != true_y:
        if len(y_shape) != 3:
            raise Fail(f"answer_y_shape {y_shape}: y_rnn has 3 dimensions, one of them time.")
        raise Fail(
            f"answer_y_shape {y_shape} is not y_rnn's shape; with batch_first=True the order "
            "is (batch, time, hidden), and only the top layer's outputs come out."
        )
    if h_shape != true_h:
        if len(h_shape) != 3:
            raise Fail(f"answer_h_shape {h_shape}: h has 3 dimensions; the first counts layers.")
        raise Fail(f"answer_h_shape {h_shape} is not h's shape; batch_first does not apply to h.")
    return gettext(
        "y_rnn {y} holds the top layer's output at every step; h {h} the last step's state of "
        "each layer."
    ).format(y=true_y, h=true_h)


def _time_first() -> tuple[int, tuple[int, ...]]:
    rnn = nn.RNN(input_size=1, hidden_size=64)  # batch_first forgotten
    with torch.no_grad():
        y_rnn, h = rnn(torch.zeros(TRAP_INPUT))
    return y_rnn.shape[0], tuple(h.shape)


def _judge_time_first(answers: tuple[Any, ...], truth: tuple[Any, ...]) -> str:
    steps = as_int("answer_steps_read", answers[0])
    h_shape = as_shape("answer_h_time_first", answers[1])
    true_steps, true_h = truth
    if steps != true_steps:
        raise Fail(
            f"answer_steps_read {steps}: without batch_first, which axis of the input does "
            "nn.RNN take for time?"
        )
    if h_shape != true_h:
        raise Fail(
            f"answer_h_time_first {h_shape}: h is (num_layers, batch, hidden); what does this "
            "RNN take for the batch?"
        )
    return gettext(
        "the RNN reads {steps} steps of a batch of {batch} and raises no error; only h's "
        "shape, or the numbers, give the mistake away."
    ).format(steps=true_steps, batch=true_h[1])


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="One RNN step by hand",
        reference=rnn_step_by_hand,
        checker=_check_rnn_step,
        hints=[
            "Write the update rule as one line: a tanh around the sum of four terms.",
            "The weights are stored (hidden, input), so multiply a batch of rows as "
            "`x @ weight_ih.T`; likewise `h_prev @ weight_hh.T`. Add both biases.",
        ],
        explanation="The step is $h_t = \\tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})$; "
        "with a batch of rows, `x @ W.T` applies the weight matrix to every row at once.",
    ),
    PredictExercise(
        title="Predict the shapes of y_rnn and h",
        answers={
            "answer_y_shape": "(batch, time, hidden)",
            "answer_h_shape": "(num_layers, batch, hidden)",
        },
        truth=_rnn_shapes,
        judge=_judge_rnn_shapes,
        hints=[
            "`y_rnn` keeps an output for every time step (from the top layer only); `h` keeps "
            "the last step's state of every layer.",
            "With `batch_first=True` the input is (batch, time, features); `h` is always "
            "(num_layers, batch, hidden), whatever batch_first says.",
        ],
        explanation="`y_rnn` stacks the top layer's hidden state at every step: "
        "(batch, time, hidden). `h` is the state after the last step, one per layer: "
        "(num_layers, batch, hidden).",
    ),
    PredictExercise(
        title="The batch_first trap",
        answers={
            "answer_steps_read": "steps the RNN reads",
            "answer_h_time_first": "(num_layers, batch, hidden)",
        },
        truth=_time_first,
        judge=_judge_time_first,
        hints=[
            "Without `batch_first=True`, `nn.RNN` expects (time, batch, features).",
            f"So `{TRAP_INPUT}` is read as {TRAP_INPUT[0]} steps of a batch of {TRAP_INPUT[1]}; "
            "`h` is (num_layers, batch, hidden).",
        ],
        explanation=f"Without `batch_first`, the first axis is time: the RNN reads the input as "
        f"{TRAP_INPUT[0]} steps of a batch of {TRAP_INPUT[1]} sequences, so the batch axis of "
        f"`h` is {TRAP_INPUT[1]}, not {TRAP_INPUT[0]}. `y_rnn` keeps the input's layout either "
        "way, which is why the mistake raises no error.",
    ),
    OpenQuestion(
        title="Why do gradients vanish in an RNN?",
        hints=[
            "Backpropagation through time multiplies one factor per step; what happens to a "
            "product of many numbers smaller than one?",
            "Each factor holds $W_{hh}$ and the slope of tanh, $1 - h^2$, which is at most 1 "
            "and much smaller where tanh saturates.",
        ],
        explanation="The gradient that reaches step $t - k$ is a product of $k$ Jacobians "
        "$\\partial h_{s}/\\partial h_{s-1} = \\mathrm{diag}(1 - h_s^2)\\, W_{hh}$. The tanh "
        "slope is at most 1, so unless $W_{hh}$ is large these factors shrink the gradient, and "
        "the product shrinks geometrically with $k$: the error from far back barely moves the "
        "weights, so the network learns short-range patterns only (if $W_{hh}$ is large, the "
        "product can instead explode). An RNN has one such factor per time step, as many as the "
        "sequence is long. A feed-forward network has one per layer, and a deep one meets the "
        "same problem; ResNets avoid it by adding each layer's output to its input, which keeps "
        "an identity term in every factor, as the LSTM's additive memory does along time.",
    ),
)
