"""The values the prediction exercises declare are the ones PyTorch computes.

A prediction states its expected values as data next to the question (``expected=``), so
that a check compares with a declaration and runs no model. Where PyTorch computes the value
(a shape, a count of parameters, a share kept), the computation lives here: if a PyTorch
release, or an edit of the question's constants, changed the true value, this test fails
instead of the book silently marking the right answer wrong. The declared values are also the
notebooks' answer cells (``_literal`` writes floats in 6 significant digits), so a float is
declared to those digits and compared to them.
"""

from __future__ import annotations

import importlib
import math

import pytest
import torch
from torch import nn

from helpers.data import make_windows
from helpers.exercises import (
    CHAPTERS,
    chapter1,
    chapter2,
    chapter3,
    chapter4,
    chapter5,
    chapter6,
    chapter7,
)
from helpers.exercises.kinds import _literal
from helpers.scratch import GATE_NAMES
from helpers.text import VOCAB_SIZE


def rnn_shapes():
    rnn = nn.RNN(input_size=3, hidden_size=32, num_layers=2, batch_first=True)
    with torch.no_grad():
        y_rnn, h = rnn(torch.zeros(4, 25, 3))
    return tuple(y_rnn.shape), tuple(h.shape)


def time_first():
    rnn = nn.RNN(input_size=1, hidden_size=64)  # batch_first forgotten
    with torch.no_grad():
        y_rnn, h = rnn(torch.zeros(chapter1.TRAP_INPUT))
    return y_rnn.shape[0], tuple(h.shape)


def window_counts():
    input_data, _ = make_windows(torch.zeros(chapter2.COUNT_POINTS), chapter2.COUNT_N_TIME)
    return input_data.shape[0], tuple(input_data.shape)


def unfold_count():
    return (torch.zeros(chapter2.UNFOLD_POINTS).unfold(0, chapter2.UNFOLD_SIZE, 1).shape[0],)


def noise_floor():
    return (chapter3.NOISE**2,)  # a perfect model's expected MSE: the noise variance


def lstm_weight_shapes():
    lstm = nn.LSTM(input_size=chapter4.INPUT_SIZE, hidden_size=chapter4.HIDDEN_SIZE)
    return tuple(lstm.weight_ih_l0.shape), tuple(lstm.weight_hh_l0.shape)


def forget_rows():
    hidden = nn.LSTM(input_size=chapter4.INPUT_SIZE, hidden_size=chapter4.HIDDEN_SIZE).hidden_size
    k = GATE_NAMES.index("forget")  # PyTorch packs i, f, g, o
    return ((k * hidden, (k + 1) * hidden),)


def param_counts():
    def count(module):
        return sum(p.numel() for p in module.parameters())

    sizes = (chapter5.INPUT_SIZE, chapter5.HIDDEN_SIZE)
    return count(nn.LSTM(*sizes, batch_first=True)), count(nn.RNN(*sizes, batch_first=True))


def kept_after():
    return tuple(
        torch.sigmoid(torch.tensor(b)).item() ** chapter6.KEEP_STEPS for b in chapter6.KEEP_BIASES
    )


def perplexities():
    def ppl(probability):
        return math.exp(-math.log(probability))  # every token gets the same probability

    return ppl(1 / VOCAB_SIZE), ppl(1.0), ppl(0.5)


# each prediction exercise and the computation of its answers, in the order check takes them
COMPUTED = [
    (chapter1.q2, rnn_shapes),
    (chapter1.q3, time_first),
    (chapter2.q2, window_counts),
    (chapter2.q3, unfold_count),
    (chapter3.q2, noise_floor),
    (chapter4.q2, lstm_weight_shapes),
    (chapter4.q3, forget_rows),
    (chapter5.q2, param_counts),
    (chapter6.q2, kept_after),
    (chapter7.q2, perplexities),
]


def test_every_prediction_has_its_computation():
    modules = [importlib.import_module(f"helpers.exercises.{name}") for name in CHAPTERS]
    predictions = [q for module in modules for q in module.EXERCISES if q.kind == "predict"]
    assert {id(q) for q in predictions} == {id(q) for q, _ in COMPUTED}


@pytest.mark.parametrize(
    ("exercise", "compute"), COMPUTED, ids=[f"{c.__name__}" for _, c in COMPUTED]
)
def test_the_declared_values_are_the_computed_ones(exercise, compute):
    computed = compute()
    declared = exercise.expected_answers
    assert [_literal(v) for v in declared] == [_literal(v) for v in computed]
    assert [type(v) for v in declared] == [type(v) for v in computed]
    assert exercise.check(*computed), "the computed values do not pass the check"
