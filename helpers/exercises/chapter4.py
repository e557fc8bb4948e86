"""Exercises of chapter 4 (LSTM gates): a coupled-gate step, packed weights, forget rows, memory.

Loaded in the notebook with ``from helpers.exercises import chapter4 as ex``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from helpers.exercises.checking import Fail, call_answer, expect_close, seeded
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.i18n import N_, gettext

INPUT_SIZE, HIDDEN_SIZE = 28, 256  # q2 and q3: the LSTM whose packed weights are read


def coupled_lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """One LSTM step with f = 1 - i; the weights hold three blocks, in the order i, g, o.

    Shapes: x (batch, input_size), h_prev and c_prev (batch, hidden) -> h, c.
    """
    ### BEGIN SOLUTION
    pre = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh  # (B, 3 * hidden)
    pre_i, pre_g, pre_o = pre.chunk(3, dim=1)  # this variant's order: i, g, o
    i, g, o = torch.sigmoid(pre_i), torch.tanh(pre_g), torch.sigmoid(pre_o)
    c = (1 - i) * c_prev + i * g  # the coupled forget gate: f = 1 - i
    h = o * torch.tanh(c)
    return h, c
    ### END SOLUTION


def _coupled_variants(
    pre: torch.Tensor, c_prev: torch.Tensor
) -> dict[str, tuple[torch.Tensor, ...]]:
    """Outputs (h, c) of typical wrong coupled cells, to name the mistake in the verdict."""
    pi, pg, po = pre.chunk(3, dim=1)
    s, t = torch.sigmoid, torch.tanh

    def cell(i, f, g, o, squash_c=True):
        c = f * c_prev + i * g
        return (o * t(c) if squash_c else o * c), c

    return {
        N_(
            "f must be 1 - i: a unit makes room for what it writes (with f = i it would keep "
            "most of its memory exactly when it writes most)"
        ): cell(s(pi), s(pi), t(pg), s(po)),
        N_("the blocks come in the order i, g, o: the second one is the candidate"): cell(
            s(pi), 1 - s(pi), t(po), s(pg)
        ),
        N_("the candidate g goes through tanh, not a sigmoid"): cell(
            s(pi), 1 - s(pi), s(pg), s(po)
        ),
        N_("h is o * tanh(c): the memory is squashed before the output gate"): cell(
            s(pi), 1 - s(pi), t(pg), s(po), False
        ),
        N_("the candidate is written through the input gate: c = f * c_prev + i * g"): cell(
            torch.ones_like(pi), 1 - s(pi), t(pg), s(po)
        ),
    }


def _check_coupled_step(fn: Callable[..., Any]) -> str:
    shapes = [(2, 3, 4), (1, 1, 5), (3, 2, 6)]  # (batch, input_size, hidden)
    for k, (batch, n_in, hidden) in enumerate(shapes, 1):
        g = seeded(10 + k)
        w_ih, w_hh = (
            torch.randn(3 * hidden, n_in, generator=g),
            torch.randn(3 * hidden, hidden, generator=g),
        )
        b_ih, b_hh = torch.randn(3 * hidden, generator=g), torch.randn(3 * hidden, generator=g)
        x = torch.randn(batch, n_in, generator=g)
        h_prev, c_prev = (
            torch.randn(batch, hidden, generator=g),
            torch.randn(batch, hidden, generator=g),
        )
        # the reference: PyTorch's own LSTM cell, with a forget block that is minus the input
        # block, so that its forget gate is sigmoid(-a) = 1 - sigmoid(a) = 1 - i
        cell = nn.LSTMCell(n_in, hidden)
        with torch.no_grad():
            for mine, theirs in zip((w_ih, w_hh, b_ih, b_hh), cell.parameters(), strict=True):
                i, g_, o = mine.chunk(3, dim=0)
                theirs.copy_(torch.cat([i, -i, g_, o]))  # PyTorch's order i, f, g, o
            expected_h, expected_c = cell(x, (h_prev, c_prev))
        variants = _coupled_variants(x @ w_ih.T + b_ih + h_prev @ w_hh.T + b_hh, c_prev)
        case = gettext("case {k}/3 (batch {batch}, input_size {n_in}, hidden {hidden})").format(
            k=k, batch=batch, n_in=n_in, hidden=hidden
        )
        args = (x, h_prev, c_prev, w_ih, w_hh, b_ih, b_hh)
        got = call_answer(fn, case, *(a.clone() for a in args))
        if not (isinstance(got, tuple) and len(got) == 2):
            raise Fail(
                gettext("{case}: return the pair (h, c), got {kind}.").format(
                    case=case, kind=type(got).__name__
                )
            )
        expect_close("c", got[1], expected_c, case, [(v[1], m) for m, v in variants.items()])
        expect_close("h", got[0], expected_h, case, [(v[0], m) for m, v in variants.items()])
    return gettext(
        "your coupled step matches nn.LSTMCell with a forget gate of 1 - i on all 3 cases."
    )


def _one_block(shape: tuple[int, ...]) -> bool:
    return len(shape) == 2 and shape[0] == HIDDEN_SIZE


def _not_a_pair(rows: tuple[int, ...]) -> bool:
    return len(rows) != 2


def _not_one_block(rows: tuple[int, int]) -> dict[str, int] | bool:
    """How many rows a (start, stop) pair spans, if not one gate's block (for its message)."""
    return rows[1] - rows[0] != HIDDEN_SIZE and {"n": rows[1] - rows[0]}


# q3: rows of another gate's block, one message per block (whose name the sentence declines)
WRONG_BLOCK = [
    (
        (0, 256),
        N_(
            "rows {value[0]}:{value[1]} belong to the input block; PyTorch's order is not the "
            "textbooks' f, i, o."
        ),
    ),
    (
        (512, 768),
        N_(
            "rows {value[0]}:{value[1]} belong to the cell block; PyTorch's order is not the "
            "textbooks' f, i, o."
        ),
    ),
    (
        (768, 1024),
        N_(
            "rows {value[0]}:{value[1]} belong to the output block; PyTorch's order is not the "
            "textbooks' f, i, o."
        ),
    ),
]


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="An LSTM with a coupled forget gate",
        reference=coupled_lstm_step,
        checker=_check_coupled_step,
        hints=[
            "Start as `lstm_step` does: one matrix product for all blocks, then `chunk`; but "
            "there are three blocks here, i, g and o. The forget gate is not computed from "
            "weights: it is `1 - i`.",
            "After `pre_i, pre_g, pre_o = pre.chunk(3, dim=1)`: `i` and `o` are sigmoids, `g` "
            "a tanh, `f = 1 - i`; then `c = f * c_prev + i * g` and `h = o * tanh(c)`. The "
            "check can use `nn.LSTMCell` because `sigmoid(-a) = 1 - sigmoid(a)`: a forget "
            "block equal to minus the input block gives `f = 1 - i`.",
        ],
        explanation="Tying the forget gate to the input gate saves a quarter of the weights and "
        "makes every write a trade: a unit that takes in a fraction $i$ of its candidate lets the "
        "same fraction of its old memory go, so $c_t$ is a weighted average of $c_{t-1}$ and "
        "$g_t$ (and, from $c_0 = 0$, stays between -1 and 1). The price: a unit can no longer "
        "keep all of its memory ($f \\approx 1$) and write at the same time. Greff et al. "
        "(2017) found that this coupling did not significantly hurt the LSTM on their tasks; "
        "the GRU couples its gates the same way. Because "
        "$\\sigma(-a) = 1 - \\sigma(a)$, it is an ordinary LSTM whose forget block holds minus "
        "the input block's weights and biases, which is how the check compares it with "
        "`nn.LSTMCell`.",
    ),
    PredictExercise(
        title="Predict the packed weight shapes",
        answers={
            "answer_ih_shape": "(4 * hidden_size, input_size)",
            "answer_hh_shape": "(4 * hidden_size, hidden_size)",
        },
        # nn.LSTM(INPUT_SIZE, HIDDEN_SIZE)'s weight_ih_l0 and weight_hh_l0
        expected={"answer_ih_shape": (1024, 28), "answer_hh_shape": (1024, 256)},
        mistakes={
            name: [
                (
                    transposed,
                    N_(
                        "{name} {value} is transposed: PyTorch stores (out, in), one row per "
                        "output value."
                    ),
                ),
                (
                    _one_block,
                    N_(
                        "{name} {value} holds one gate's block; the LSTM stacks the blocks "
                        "of all its gates in one matrix."
                    ),
                ),
            ]
            for name, transposed in [
                ("answer_ih_shape", (28, 1024)),
                ("answer_hh_shape", (256, 1024)),
            ]
        },
        wrong={
            "answer_ih_shape": N_(
                "{name} {value}: one row per gate unit, one column per input value."
            ),
            "answer_hh_shape": N_(
                "{name} {value}: one row per gate unit, one column per value of h_prev."
            ),
        },
        success=N_(
            "weight_ih_l0 {answer_ih_shape} and weight_hh_l0 {answer_hh_shape}: four gate "
            "blocks of {hidden} rows stacked, times {inputs} inputs or {hidden} hidden values."
        ),
        facts={"hidden": HIDDEN_SIZE, "inputs": INPUT_SIZE},
        hints=[
            "Each of the four blocks (i, f, g, o) has its own weight matrix, with one row per "
            "hidden unit; PyTorch stacks them in one tensor.",
            f"`weight_ih_l0` maps the input ({INPUT_SIZE} values) and `weight_hh_l0` the "
            f"previous hidden state ({HIDDEN_SIZE} values); PyTorch stores weights as "
            "(out_features, in_features).",
        ],
        explanation=f"Four blocks of `hidden_size` rows: `(4 * {HIDDEN_SIZE}, {INPUT_SIZE})` "
        f"for the input weights and `(4 * {HIDDEN_SIZE}, {HIDDEN_SIZE})` for the recurrent ones.",
    ),
    PredictExercise(
        title="Which rows hold the forget gate?",
        answers={"answer_forget_rows": "(start, stop) rows of weight_ih_l0"},
        expected={"answer_forget_rows": (256, 512)},  # PyTorch packs i, f, g, o
        mistakes={
            "answer_forget_rows": [
                (
                    _not_a_pair,
                    N_("answer_forget_rows should be a pair (start, stop), got {value}."),
                ),
                (
                    _not_one_block,
                    N_(
                        "answer_forget_rows {value} spans {n} rows; each gate has one row per "
                        "hidden unit."
                    ),
                ),
                *WRONG_BLOCK,
            ]
        },
        wrong={
            "answer_forget_rows": N_(
                "answer_forget_rows {value} does not start at a block boundary."
            )
        },
        success=N_(
            "rows {answer_forget_rows[0]}:{answer_forget_rows[1]}; PyTorch packs input, forget, "
            "cell (candidate), output: i, f, g, o."
        ),
        hints=[
            "PyTorch's documentation lists the blocks of `weight_ih_l0` as "
            "`W_ii | W_if | W_ig | W_io`.",
            "Block k occupies rows `k * hidden_size` to `(k + 1) * hidden_size`.",
        ],
        explanation="The forget gate is the second block, rows `hidden_size` to "
        "`2 * hidden_size`. Many textbooks list the gates as f, i, o; PyTorch packs i, f, g, o.",
    ),
    OpenQuestion(
        title="Why does the LSTM remember longer than the RNN?",
        hints=[
            "Compare how the state moves one step: the RNN multiplies by $W_{hh}$ and squashes "
            "with tanh; what does the LSTM do to $c$?",
            "What is $\\partial c_t / \\partial c_{t-1}$? What if $f \\approx 1$ and "
            "$i \\approx 0$?",
        ],
        explanation="The cell state moves by $c_t = f \\odot c_{t-1} + i \\odot g$: no weight "
        "matrix and no squashing on the direct path from $c_{t-1}$ to $c_t$, so along it "
        "$\\partial c_t/\\partial c_{t-1} = f$ (element-wise; the gates add indirect paths "
        "through $h_{t-1}$). With $f \\approx 1$ and $i \\approx 0$ the memory, and the "
        "gradient flowing back through it, pass a step almost unchanged, and the network learns "
        "when to open these gates. In the RNN every step multiplies by $W_{hh}$ and a tanh "
        "slope, so the gradient shrinks (or blows up) geometrically with the distance.",
    ),
)
