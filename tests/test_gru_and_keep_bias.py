"""helpers.scratch's GRU against nn.GRU, and models.set_keep_bias (chapter 6)."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from helpers.models import SequenceRegressor, set_keep_bias
from helpers.scratch import GRU_GATE_NAMES, gru_forward, gru_step

ATOL = 1e-6


def test_gru_step_exact_value_on_one_unit():
    # hidden 1, input 1: blocks r, z, n are rows 0, 1, 2
    x, h = torch.tensor([[1.0]]), torch.tensor([[0.5]])
    w_ih = torch.tensor([[0.2], [0.4], [0.6]])
    w_hh = torch.tensor([[1.0], [-1.0], [2.0]])
    b_ih = torch.tensor([0.1, 0.0, -0.2])
    b_hh = torch.tensor([0.0, 0.3, 0.5])
    r = 1 / (1 + math.exp(-(0.2 + 0.1 + 0.5)))
    z = 1 / (1 + math.exp(-(0.4 - 0.5 + 0.3)))
    n = math.tanh(0.6 - 0.2 + r * (2.0 * 0.5 + 0.5))  # the reset gate scales W_hn h + b_hn
    expected = (1 - z) * n + z * 0.5
    h_new, gates = gru_step(x, h, w_ih, w_hh, b_ih, b_hh)
    assert h_new.item() == pytest.approx(expected, abs=1e-6)
    assert list(gates) == list(GRU_GATE_NAMES) == ["reset", "update", "new"]
    assert gates["reset"].item() == pytest.approx(r, abs=1e-6)


@pytest.mark.parametrize(("batch", "n_in", "hidden", "n_time"), [(1, 1, 4, 10), (5, 3, 7, 6)])
def test_gru_forward_equals_nn_gru(batch, n_in, hidden, n_time):
    torch.manual_seed(batch)
    gru = nn.GRU(n_in, hidden, batch_first=True)
    x, h0 = torch.randn(batch, n_time, n_in), torch.randn(1, batch, hidden)
    with torch.no_grad():
        y_ref, h_ref = gru(x, h0)
        y, h, gates = gru_forward(x, gru, h0)
    assert torch.allclose(y, y_ref, atol=ATOL) and torch.allclose(h, h_ref, atol=ATOL)
    assert all(g.shape == (batch, n_time, hidden) for g in gates.values())


def test_gru_forward_time_first_and_a_wrong_gate_order_fails():
    torch.manual_seed(0)
    gru = nn.GRU(2, 3)  # batch_first=False
    x = torch.randn(6, 4, 2)  # (time, batch, features)
    with torch.no_grad():
        y_ref, _ = gru(x)
        y, _, _ = gru_forward(x, gru)
        assert torch.allclose(y, y_ref, atol=ATOL)
        # swapping the r and z blocks breaks the match: the order is what the check proves
        w_ih, w_hh = gru.weight_ih_l0.clone(), gru.weight_hh_l0.clone()
        b_ih, b_hh = gru.bias_ih_l0.clone(), gru.bias_hh_l0.clone()
        swap = torch.cat([torch.arange(3, 6), torch.arange(0, 3), torch.arange(6, 9)])
        h_wrong, _ = gru_step(
            x[0], torch.zeros(4, 3), w_ih[swap], w_hh[swap], b_ih[swap], b_hh[swap]
        )
    assert not torch.allclose(h_wrong, y_ref[0], atol=1e-3)


def test_gru_step_bad_shapes_and_bad_layer():
    w_ih, w_hh = torch.zeros(9, 2), torch.zeros(9, 3)
    with pytest.raises(ValueError, match="weight_hh must be"):
        gru_step(torch.zeros(1, 2), torch.zeros(1, 3), w_ih, torch.zeros(12, 3))
    with pytest.raises(ValueError, match="h_prev"):
        gru_step(torch.zeros(1, 2), torch.zeros(2, 3), w_ih, w_hh)
    with pytest.raises(TypeError, match="GRU"):
        gru_forward(torch.zeros(1, 2, 1), nn.LSTM(1, 3, batch_first=True))


# ---------------------------------------------------------------- set_keep_bias


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_set_keep_bias_sets_the_keeping_gate_only(cell):
    torch.manual_seed(0)
    model = SequenceRegressor(cell, hidden_size=5)
    before = {name: p.clone() for name, p in model.rnn.named_parameters()}
    assert set_keep_bias(model, 5.0) is model
    rows = slice(5, 10)  # the second block: the LSTM's f, the GRU's z
    assert torch.all(model.rnn.bias_ih_l0[rows] == 5.0) and torch.all(
        model.rnn.bias_hh_l0[rows] == 0
    )
    for name, p in model.rnn.named_parameters():
        keep = torch.ones_like(p, dtype=torch.bool)
        if name.startswith("bias"):
            keep[rows] = False
        assert torch.equal(p[keep], before[name][keep]), name


def test_keep_bias_makes_the_gate_keep():
    torch.manual_seed(0)
    lstm = set_keep_bias(nn.LSTM(1, 8, batch_first=True), 5.0)
    gru = set_keep_bias(nn.GRU(1, 8, batch_first=True), 5.0)
    x = torch.randn(3, 6, 1)
    from helpers.scratch import lstm_forward

    with torch.no_grad():
        f = lstm_forward(x, lstm)[2]["forget"]
        z = gru_forward(x, gru)[2]["update"]
    assert f.min() > 0.95 and z.min() > 0.95  # σ(5) = 0.993, moved a little by the weights


def test_set_keep_bias_bad_input():
    with pytest.raises(TypeError, match="plain RNN has no gate"):
        set_keep_bias(SequenceRegressor("rnn"), 1.0)
    with pytest.raises(ValueError, match="finite number"):
        set_keep_bias(nn.LSTM(1, 2), float("nan"))
    with pytest.raises(ValueError, match="bias=False"):
        set_keep_bias(nn.GRU(1, 2, bias=False), 1.0)
