"""Exercises of chapter 1 (RNN concepts): a step backward, shapes, batch_first, vanishing.

Loaded in the notebook with ``from helpers.exercises import chapter1 as ex``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch
from torch import nn

from helpers.exercises.checking import Fail, call_answer, expect_close, seeded
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.i18n import N_, gettext

TRAP_INPUT = (8, 10, 1)  # q3: a (batch, time, features) batch fed to an RNN without batch_first


def rnn_step_backward(grad_h, h, h_prev, weight_hh):
    """Back through one step h = tanh(s): dL/dh_prev, and this step's dL/dweight_hh.

    Shapes: grad_h, h, h_prev (batch, hidden), weight_hh (hidden, hidden)
    -> grad_h_prev (batch, hidden), grad_weight_hh (hidden, hidden), summed over the batch.
    """
    ### BEGIN SOLUTION
    grad_pre = grad_h * (1 - h**2)  # back through tanh, whose slope is 1 - tanh^2
    grad_h_prev = grad_pre @ weight_hh  # the step added h_prev @ weight_hh.T
    grad_weight_hh = grad_pre.T @ h_prev  # one outer product per row, summed
    return grad_h_prev, grad_weight_hh
    ### END SOLUTION


def _check_rnn_backward(fn: Callable[..., Any]) -> str:
    shapes = [(1, 2, 4), (3, 2, 4), (2, 3, 5)]  # (batch, input_size, hidden)
    for k, (batch, n_in, hidden) in enumerate(shapes, 1):
        g = seeded(k)
        cell = nn.RNNCell(n_in, hidden)
        with torch.no_grad():
            for p in cell.parameters():
                p.copy_(0.5 * torch.randn(p.shape, generator=g))
        x, h_prev = torch.randn(batch, n_in, generator=g), torch.randn(batch, hidden, generator=g)
        grad_h = torch.randn(batch, hidden, generator=g)
        # the reference: PyTorch's cell forward, autograd backward
        h_prev.requires_grad_(True)
        h = cell(x, h_prev)
        h.backward(grad_h)
        expected_h_prev, expected_w = h_prev.grad, cell.weight_hh.grad
        assert expected_h_prev is not None and expected_w is not None  # backward filled both
        h, h_prev, w_hh = h.detach(), h_prev.detach(), cell.weight_hh.detach()
        case = gettext("case {k}/3 (batch {batch}, hidden {hidden})").format(
            k=k, batch=batch, hidden=hidden
        )
        got = call_answer(fn, case, grad_h.clone(), h.clone(), h_prev.clone(), w_hh.clone())
        if not (isinstance(got, (tuple, list)) and len(got) == 2):
            raise Fail(
                gettext(
                    "{case}: return the pair (grad_h_prev, grad_weight_hh), got a {kind}."
                ).format(case=case, kind=type(got).__name__)
            )

        # each typical mistake is the reference fed one wrong argument (after grad_h)
        slip = partial(rnn_step_backward, grad_h)
        no_slope = slip(torch.zeros_like(h), h_prev, w_hh)  # a slope of 1 - 0**2: no tanh
        slope_first = N_("first take grad_h back through tanh: multiply it by the slope, 1 - h**2")
        expect_close(
            "grad_h_prev",
            got[0],
            expected_h_prev,
            case,
            [
                (no_slope[0], slope_first),
                (
                    slip(h, h_prev, w_hh.T)[0],
                    N_("the step used h_prev @ weight_hh.T, so back it is @ weight_hh"),
                ),
                (
                    slip(h_prev, h_prev, w_hh)[0],
                    N_("the slope of tanh is 1 - h**2 at this step's output h, not at h_prev"),
                ),
                (
                    slip(torch.tanh(h), h_prev, w_hh)[0],
                    N_("h is already the tanh: its slope is 1 - h**2, not 1 - tanh(h)**2"),
                ),
            ],
        )
        expect_close(
            "grad_weight_hh",
            got[1],
            expected_w,
            case,
            [
                (no_slope[1], slope_first),
                (expected_w.T, N_("transposed: row j of weight_hh feeds unit j of this step")),
                (
                    slip(h, h, w_hh)[1],
                    N_("weight_hh multiplies h_prev, so pair the gradient with h_prev"),
                ),
                (expected_w / batch, N_("autograd sums over the batch; do not average")),
            ],
        )
    return gettext(
        "your backward step matches autograd through PyTorch's nn.RNNCell on all 3 cases."
    )


def _not_3d(shape: tuple[int, ...]) -> bool:
    return len(shape) != 3


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="One step backward by hand",
        reference=rnn_step_backward,
        checker=_check_rnn_backward,
        hints=[
            "Go back through the step's operations in reverse: first the tanh, then the sum "
            "`x @ weight_ih.T + ... + h_prev @ weight_hh.T + ...`. The slope of tanh, written "
            "with its output, is `1 - h**2`.",
            "Call `grad_pre = grad_h * (1 - h**2)` the gradient at the sum. The sum holds "
            "`h_prev @ weight_hh.T`, so `dL/dh_prev = grad_pre @ weight_hh`, and "
            "`dL/dweight_hh` is `grad_pre.T @ h_prev`: one outer product per row of the "
            "batch, summed.",
        ],
        explanation="Write the step as $h = \\tanh(s)$ with "
        "$s = x W_{ih}^\\top + b_{ih} + h_{t-1} W_{hh}^\\top + b_{hh}$ (rows are the batch). "
        "Back through tanh, $\\partial L / \\partial s = \\partial L / \\partial h \\odot "
        "(1 - h^2)$. Back through the product, $\\partial L / \\partial h_{t-1} = "
        "(\\partial L / \\partial s)\\, W_{hh}$: the Jacobian $J_t$ of equation (1.2), "
        "applied to the gradient from the other side, row by row. And "
        "$\\partial L / \\partial W_{hh} = (\\partial L / \\partial s)^\\top h_{t-1}$, summed "
        "over the batch. Backpropagation through time repeats the first product once per step, "
        "which is why the factors of equation (1.2) multiply, and adds up one weight gradient "
        "per step, because the same $W_{hh}$ serves them all.",
    ),
    PredictExercise(
        title="Predict the shapes of y_rnn and h",
        answers={
            "answer_y_shape": "(batch, time, hidden)",
            "answer_h_shape": "(num_layers, batch, hidden)",
        },
        # nn.RNN(input_size=3, hidden_size=32, num_layers=2, batch_first=True) on (4, 25, 3)
        expected={"answer_y_shape": (4, 25, 32), "answer_h_shape": (2, 4, 32)},
        swapped=N_("you swapped them: which of the two keeps an output for every time step?"),
        mistakes={
            "answer_y_shape": [
                (_not_3d, N_("answer_y_shape {value}: y_rnn has 3 dimensions, one of them time."))
            ],
            "answer_h_shape": [
                (
                    _not_3d,
                    N_("answer_h_shape {value}: h has 3 dimensions; the first counts layers."),
                )
            ],
        },
        wrong={
            "answer_y_shape": N_(
                "answer_y_shape {value} is not y_rnn's shape; with batch_first=True the order "
                "is (batch, time, hidden), and only the top layer's outputs come out."
            ),
            "answer_h_shape": N_(
                "answer_h_shape {value} is not h's shape; batch_first does not apply to h."
            ),
        },
        success=N_(
            "y_rnn {answer_y_shape} holds the top layer's output at every step; h "
            "{answer_h_shape} the last step's state of each layer."
        ),
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
        # nn.RNN(input_size=1, hidden_size=64) without batch_first, on TRAP_INPUT
        expected={"answer_steps_read": 8, "answer_h_time_first": (1, 10, 64)},
        wrong={
            "answer_steps_read": N_(
                "answer_steps_read {value}: without batch_first, which axis of the input does "
                "nn.RNN take for time?"
            ),
            "answer_h_time_first": N_(
                "answer_h_time_first {value}: h is (num_layers, batch, hidden); what does this "
                "RNN take for the batch?"
            ),
        },
        success=N_(
            "the RNN reads {answer_steps_read} steps of a batch of {answer_h_time_first[1]} and "
            "raises no error; only h's shape, or the numbers, give the mistake away."
        ),
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
        "weights, so long-range patterns are hard to learn, and easily missed (if $W_{hh}$ is "
        "large, the product can instead explode). An RNN has one such factor per time step, as "
        "many as the sequence is long. A feed-forward network has one per layer, and a deep one "
        "meets the same problem; ResNets avoid it by adding each layer's output to its input, "
        "which keeps an identity term in every factor, as the LSTM's additive memory does along "
        "time.",
    ),
)
