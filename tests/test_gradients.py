"""helpers.gradients.gradient_reach: the one gradient measure of chapters 1, 4 and 6."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from helpers.gradients import gradient_reach
from helpers.models import SequenceRegressor


def test_reach_of_a_layer_is_the_norm_of_the_jacobian_column():
    torch.manual_seed(0)
    rnn = nn.RNN(1, 6, batch_first=True)
    x = torch.randn(1, 12, 1)
    reach = gradient_reach(rnn, x)
    jac = torch.autograd.functional.jacobian(lambda v: rnn(v)[0][0, -1], x)  # (6, 1, 12, 1)
    for k in range(12):
        expected = torch.linalg.vector_norm(jac[:, 0, 11 - k, 0])
        assert reach[k].item() == pytest.approx(expected.item(), rel=1e-5)


def test_reach_with_several_inputs_is_a_matrix_two_norm():
    torch.manual_seed(1)
    lstm = nn.LSTM(3, 4, batch_first=True)
    x = torch.randn(1, 5, 3)
    jac = torch.autograd.functional.jacobian(lambda v: lstm(v)[0][0, -1], x)  # (4, 1, 5, 3)
    expected = torch.linalg.matrix_norm(jac[:, 0, 4 - 2, :], ord=2)  # lag 2
    assert gradient_reach(lstm, x)[2].item() == pytest.approx(expected.item(), rel=1e-5)


def test_reach_is_the_median_over_the_batch():
    torch.manual_seed(2)
    model = SequenceRegressor("gru", hidden_size=5)
    x = torch.randn(3, 4, 1)
    each = torch.stack([gradient_reach(model, x[b : b + 1]) for b in range(3)])
    assert torch.allclose(gradient_reach(model, x), each.median(dim=0).values, rtol=1e-5)


def test_reach_of_a_linear_readout_of_the_input_is_exact():
    # an "RNN" whose output is its last input: reach 1 at lag 0, 0 elsewhere
    class Last(nn.Module):
        def forward(self, x):
            return 2.0 * x[:, -1, :]

    reach = gradient_reach(Last(), torch.randn(4, 6, 1))
    assert reach.tolist() == pytest.approx([2.0, 0, 0, 0, 0, 0])


def test_reach_leaves_the_model_alone():
    torch.manual_seed(3)
    model = SequenceRegressor("lstm", hidden_size=4)
    model.train()
    before = [p.clone() for p in model.parameters()]
    gradient_reach(model, torch.randn(2, 5, 1))
    assert model.training
    assert all(p.grad is None for p in model.parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))


def test_reach_vanishes_for_a_fresh_rnn_over_long_lags():
    torch.manual_seed(0)
    reach = gradient_reach(nn.RNN(1, 64, batch_first=True), torch.randn(4, 60, 1))
    assert reach[50] < 1e-6 * reach[0]


def test_reach_bad_input():
    rnn = nn.RNN(1, 3, batch_first=True)
    with pytest.raises(ValueError, match=r"\(batch, time, features\)"):
        gradient_reach(rnn, torch.zeros(5, 1))
    with pytest.raises(ValueError, match="batch_first=True"):
        gradient_reach(nn.RNN(1, 3), torch.zeros(1, 5, 1))
    with pytest.raises(TypeError, match="nn.Module"):
        gradient_reach(lambda x: x, torch.zeros(1, 5, 1))
    with pytest.raises(ValueError, match="NaN"):
        gradient_reach(rnn, torch.full((1, 3, 1), float("nan")))

    class Scalar(nn.Module):
        def forward(self, x):
            return x.sum()

    with pytest.raises(ValueError, match="one output vector per sequence"):
        gradient_reach(Scalar(), torch.zeros(2, 3, 1))
