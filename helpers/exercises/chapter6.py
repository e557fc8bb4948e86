"""Exercises of chapter 6 (Why an LSTM?): Cho et al.'s GRU step, how long a gate keeps, the
10-point floor.

Loaded in the notebook with ``from helpers.exercises import chapter6 as ex``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from helpers.exercises.checking import Fail, call_answer, expect_close, seeded
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.floors import SINE_STEP, least_squares_weights
from helpers.i18n import N_, gettext

KEEP_BIASES, KEEP_STEPS = (1.0, 5.0), 100  # q2: forget biases, and the steps a value must last


def gru_step_cho(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """One GRU step as Cho et al. (2014) wrote it: the reset gate scales the old state
    *before* the matrix product. PyTorch's weights, gate order r, z, n.

    Shapes: x (batch, input_size), h_prev (batch, hidden) -> (batch, hidden).
    """
    x_r, x_z, x_n = (x @ weight_ih.T + bias_ih).chunk(3, dim=1)  # (B, hidden) each
    w_hr, w_hz, w_hn = weight_hh.chunk(3, dim=0)  # (hidden, hidden) each
    b_hr, b_hz, b_hn = bias_hh.chunk(3)  # (hidden,) each
    ### BEGIN SOLUTION
    r = torch.sigmoid(x_r + h_prev @ w_hr.T + b_hr)  # reset gate
    z = torch.sigmoid(x_z + h_prev @ w_hz.T + b_hz)  # update gate
    n = torch.tanh(x_n + (r * h_prev) @ w_hn.T + b_hn)  # r scales h_prev, then the product
    return (1 - z) * n + z * h_prev
    ### END SOLUTION


def _cho_mistakes(x_parts, h_prev, weight_hh, bias_hh) -> list[tuple[torch.Tensor, str]]:
    (x_r, x_z, x_n), (w_hr, w_hz, w_hn), (b_hr, b_hz, b_hn) = (
        x_parts,
        weight_hh.chunk(3, dim=0),
        bias_hh.chunk(3),
    )
    r = torch.sigmoid(x_r + h_prev @ w_hr.T + b_hr)
    z = torch.sigmoid(x_z + h_prev @ w_hz.T + b_hz)
    n = torch.tanh(x_n + (r * h_prev) @ w_hn.T + b_hn)
    n_pytorch = torch.tanh(x_n + r * (h_prev @ w_hn.T + b_hn))
    return [
        (
            (1 - z) * n_pytorch + z * h_prev,
            N_(
                "that is PyTorch's variant, the reset gate on the product: Cho et al. apply r to "
                "h_prev before multiplying by W_hn"
            ),
        ),
        (
            (1 - z) * torch.tanh(x_n + (r * h_prev) @ w_hn.T + r * b_hn) + z * h_prev,
            N_("the bias b_hn is added after the product; only h_prev goes through the reset gate"),
        ),
        (
            z * n + (1 - z) * h_prev,
            N_("z and 1 - z are swapped: in PyTorch's order z keeps the old state"),
        ),
        (
            (1 - z) * torch.tanh(x_n + h_prev @ w_hn.T + b_hn) + z * h_prev,
            N_("the reset gate is missing: it multiplies h_prev inside the candidate"),
        ),
    ]


def _check_gru_cho(fn: Callable[..., Any]) -> str:
    cases = {
        N_("one sequence, 4 units"): (1, 1, 4),
        N_("a batch of 3"): (3, 2, 5),
        N_("6 units"): (2, 3, 6),
    }
    differs = []
    for k, (name, (batch, n_in, hidden)) in enumerate(cases.items(), 1):
        generator = seeded(60 + k)
        layer = nn.GRUCell(n_in, hidden)
        weights = [torch.randn(p.shape, generator=generator) for p in layer.parameters()]
        x = torch.randn(batch, n_in, generator=generator)
        h_prev = torch.randn(batch, hidden, generator=generator)
        with torch.no_grad():
            for p, w in zip(layer.parameters(), weights, strict=True):
                p.copy_(w)
            expected = gru_step_cho(x, h_prev, *weights)
            differs.append((expected - layer(x, h_prev)).abs().max().item())
            x_parts = (x @ weights[0].T + weights[2]).chunk(3, dim=1)
        case = gettext("case {k}/3 ({name})").format(k=k, name=gettext(name))
        got = call_answer(fn, case, x.clone(), h_prev.clone(), *(w.clone() for w in weights))
        mistakes = _cho_mistakes(x_parts, h_prev, weights[1], weights[3])
        expect_close("h", got, expected, case, mistakes)
    return gettext(
        "your step is Cho et al.'s GRU on all 3 cases. With the same weights it differs from "
        "PyTorch's nn.GRUCell by up to {differs}: two cells with one name, whose "
        "trained weights do not carry over from one to the other."
    ).format(differs=f"{max(differs):.2f}")


def _not_a_share(value: float) -> bool:
    return not 0 <= value <= 1


def least_squares_next(window, step):
    """Fit a·sin(step·s) + b·cos(step·s) to the window (s = 0 .. n - 1) and predict s = n.

    Shapes: window (n,) -> a 0-d tensor.
    """
    ### BEGIN SOLUTION
    n = len(window)
    s = torch.arange(n + 1, dtype=torch.float64) * step
    basis = torch.stack([torch.sin(s), torch.cos(s)], dim=1)  # (n + 1, 2)
    coef = torch.linalg.lstsq(basis[:n], window.double().reshape(n, 1)).solution  # (2, 1)
    return (basis[n] @ coef)[0]
    ### END SOLUTION


def _check_least_squares(fn: Callable[..., Any]) -> str:
    generator = seeded(66)
    for k, n in enumerate((10, 6, 15), 1):
        weights = least_squares_weights(n, SINE_STEP)
        window = torch.randn(n, generator=generator, dtype=torch.float64)
        case = gettext("case {k}/3 (a window of {n} points)").format(k=k, n=n)
        got = call_answer(fn, case, window.clone(), SINE_STEP)
        if not isinstance(got, torch.Tensor) or got.numel() != 1:
            raise Fail(
                gettext("{case}: return one number as a tensor, got {kind}.").format(
                    case=case, kind=type(got).__name__
                )
            )
        expected = (weights @ window).reshape(()).float()  # checks compare in float32
        last = window[-1].float()
        mistakes = [(last, N_("that is the window's last point, not the fitted sine one step on"))]
        expect_close(gettext("prediction"), got.reshape(()), expected, case, mistakes)
    return gettext(
        "your fit extrapolates like the chapter's filter: a least-squares sine, one step on, "
        "is a fixed weighted sum of the window."
    )


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="The GRU as Cho et al. wrote it",
        reference=gru_step_cho,
        checker=_check_gru_cho,
        hints=[
            "The gates are as in `gru_step`: `r = sigmoid(x_r + h_prev @ w_hr.T + b_hr)`, and "
            "z likewise with the second blocks. Only the candidate changes.",
            "Scale the old state first, then multiply: "
            "`n = tanh(x_n + (r * h_prev) @ w_hn.T + b_hn)`. The mix is the same as "
            "PyTorch's: `(1 - z) * n + z * h_prev`.",
        ],
        explanation="Cho et al.'s candidate is $n = \\tanh(W_{in} x + b_{in} + W_{hn} (r \\odot h) "
        "+ b_{hn})$; PyTorch's (and cuDNN's) is $\\tanh(W_{in} x + b_{in} + r \\odot "
        "(W_{hn} h + b_{hn}))$. Both are GRUs; PyTorch's form lets one matrix "
        "product cover all three blocks of $W_h h$ at once, which is faster. Weights trained "
        "in one form do not give the same outputs in the other.",
    ),
    PredictExercise(
        title="How much does a forget gate keep?",
        answers={
            "answer_kept_bias_1": f"σ(1) ** {KEEP_STEPS}",
            "answer_kept_bias_5": f"σ(5) ** {KEEP_STEPS}",
        },
        # sigmoid(bias) ** KEEP_STEPS for each of KEEP_BIASES
        expected={"answer_kept_bias_1": 2.48438e-14, "answer_kept_bias_5": 0.510925},
        # worked by hand from the hint's σ(1) ≈ 0.731 (0.731 ** 100 is 0.8% off); below 1e-12
        # nothing is left, so 0 is as right as 2.5e-14
        rel_tol=0.05,
        abs_tol=1e-12,
        mistakes={
            name: [
                (
                    _not_a_share,
                    N_("{name} is a share of the stored value, between 0 and 1; got {value}."),
                ),
                (
                    kept_once,
                    N_("{name}: that is what one step keeps; the value must last {steps}."),
                ),
            ]
            for name, kept_once in [
                ("answer_kept_bias_1", 0.731059),
                ("answer_kept_bias_5", 0.993307),
            ]
        },
        wrong={
            "answer_kept_bias_1": N_(
                "{name} {value:.3g} is off: multiply σ(1) by itself {steps} times."
            ),
            "answer_kept_bias_5": N_(
                "{name} {value:.3g} is off: multiply σ(5) by itself {steps} times."
            ),
        },
        success=N_(
            "bias 1 keeps {answer_kept_bias_1:.1e} of the value after {steps} steps, bias 5 keeps "
            "{answer_kept_bias_5:.2f}: a forget gate must sit very close to 1 before a value "
            "survives a long lag."
        ),
        facts={"steps": KEEP_STEPS},
        hints=[
            "With the input gate shut, each step multiplies the stored value by the forget "
            "gate f = σ(bias), as in chapter 4's slider.",
            f"After {KEEP_STEPS} steps the share left is σ(bias) ** {KEEP_STEPS}; "
            "σ(1) ≈ 0.731 and σ(5) ≈ 0.9933.",
        ],
        explanation="Each step keeps the share f = σ(b) of the cell, so after L steps "
        "$f^L$ is left: $0.731^{100} \\approx 2.5 \\cdot 10^{-14}$ for b = 1 and "
        "$0.9933^{100} \\approx 0.51$ for b = 5. The same product carries the gradient back. "
        "That is why the forget bias that worked in the sweep grows with the lag.",
    ),
    CodeExercise(
        title="The 10-point predictor's floor",
        reference=least_squares_next,
        checker=_check_least_squares,
        hints=[
            "Build a matrix with columns sin(step·s) and cos(step·s) for s = 0 .. n; its first "
            "n rows describe the window, its last row the next point.",
            "`torch.linalg.lstsq(A, b).solution` finds the coefficients; multiply the last row "
            "by them. Work in float64 for accuracy.",
        ],
        explanation="The fitted coefficients are linear in the window, so the prediction is a "
        "fixed weighted sum $w \\cdot$ window; its expected squared error on noisy data is "
        "$\\sigma^2 (1 + \\lVert w \\rVert^2)$. `helpers.floors.least_squares_weights` "
        "computes w.",
    ),
    OpenQuestion(
        title="Failed, or never trained?",
        hints=[
            "A model that scores chance level at lag 100 may have met a task it cannot learn, "
            "or a training run that did nothing at all. Which run would tell them apart?",
            "Look at the same configuration at lag 5, with the same budget, and at its "
            "training loss.",
        ],
        explanation="Train the same model with the same recipe and budget on a short lag: if it "
        "solves lag 5 but not lag 100, the recipe trains it and the lag is what defeats it. "
        "Compare it with chance level (a normalised error of 1: the MSE of always answering 0, "
        "which is the answer's variance, 1/3), and "
        "check its gradient reach at the remembered step: a reach many orders of magnitude "
        "down means no learning signal arrives from that far. Without these controls a "
        "failure says nothing about the cell.",
    ),
)
