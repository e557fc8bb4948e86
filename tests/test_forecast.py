"""helpers.forecast: closed-loop and one-step prediction, rmse (chapter 3)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from helpers.forecast import closed_loop, one_step, rmse
from helpers.models import SequenceRegressor


class WindowSum(nn.Module):
    """Predict the sum of the window: fed its own outputs, it counts a tribonacci sequence."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[bool, bool, tuple[int, ...]]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append((self.training, torch.is_grad_enabled(), tuple(x.shape)))
        return x.sum(dim=1)  # (batch, time, 1) -> (batch, 1)


class LastPlusOne(nn.Module):
    """Predict the newest value plus one."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, -1, :] + 1


class Broken(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise RuntimeError("boom")


# ---------------------------------------------------------------- closed_loop


def test_closed_loop_feeds_each_prediction_back():
    # window [1, 0, 0]: 1, then [0, 0, 1] -> 1, [0, 1, 1] -> 2, [1, 1, 2] -> 4, ...
    out = closed_loop(WindowSum(), torch.tensor([1.0, 0.0, 0.0]), 6)
    assert out.tolist() == [1.0, 1.0, 2.0, 4.0, 7.0, 13.0]


def test_closed_loop_last_plus_one():
    out = closed_loop(LastPlusOne(), [0.0, 1.0, 2.0], 4)
    assert out.tolist() == [3.0, 4.0, 5.0, 6.0]


def test_closed_loop_shows_the_model_one_window_at_a_time():
    model = WindowSum()
    closed_loop(model, torch.zeros(4), 3)
    assert [shape for _, _, shape in model.calls] == [(1, 4, 1)] * 3


@pytest.mark.parametrize("steps", [0, 1, 5, 20])
def test_closed_loop_returns_steps_values(steps):
    torch.manual_seed(0)
    out = closed_loop(SequenceRegressor(hidden_size=4), torch.randn(5), steps)
    assert out.shape == (steps,)
    assert out.dtype == torch.float32


def test_closed_loop_zero_steps_does_not_call_the_model():
    model = WindowSum()
    out = closed_loop(model, torch.ones(3), 0)
    assert out.shape == (0,)
    assert model.calls == []


def test_closed_loop_accepts_the_stored_window_shape():
    window = torch.tensor([0.3, -0.1, 0.5, 0.2])
    flat = closed_loop(WindowSum(), window, 5)
    column = closed_loop(WindowSum(), window.view(-1, 1), 5)  # as input_data[0] is stored
    listed = closed_loop(WindowSum(), window.tolist(), 5)
    from_numpy = closed_loop(WindowSum(), window.numpy().astype(np.float64), 5)
    assert torch.equal(flat, column)
    assert torch.equal(flat, listed)
    assert torch.allclose(flat, from_numpy)


def test_closed_loop_leaves_the_seed_window_alone():
    window = torch.tensor([[1.0], [0.0], [0.0]])
    before = window.clone()
    closed_loop(WindowSum(), window, 4)
    assert torch.equal(window, before)


def test_closed_loop_equals_the_lectures_loop():
    # the lecture's loop, with its slips fixed: no_grad, eval mode, a float list
    torch.manual_seed(0)
    model = SequenceRegressor("rnn", hidden_size=8)
    window = torch.randn(10)
    predicted = window.tolist()
    model.eval()
    with torch.no_grad():
        for _ in range(15):
            x = torch.tensor(predicted[-10:]).view(1, 10, 1)
            predicted.append(model(x)[0].item())
    model.train()
    out = closed_loop(model, window.view(-1, 1), 15)
    assert torch.allclose(out, torch.tensor(predicted[10:]), atol=1e-6)


def test_closed_loop_runs_in_eval_mode_without_gradients():
    model = WindowSum()
    closed_loop(model, torch.ones(3), 3)
    assert all(training is False and grad is False for training, grad, _ in model.calls)


def test_closed_loop_result_has_no_grad():
    torch.manual_seed(0)
    model = SequenceRegressor(hidden_size=4)
    window = torch.randn(5, requires_grad=True)
    out = closed_loop(model, window, 3)
    assert not out.requires_grad
    assert out.grad_fn is None
    assert torch.is_grad_enabled()  # switched back on afterwards


@pytest.mark.parametrize("training", [True, False])
def test_closed_loop_restores_the_models_mode(training):
    model = SequenceRegressor(hidden_size=4).train(training)
    closed_loop(model, torch.zeros(5), 2)
    assert model.training is training
    assert all(m.training is training for m in model.modules())


def test_closed_loop_restores_mode_when_the_model_fails():
    model = Broken().train()
    with pytest.raises(RuntimeError, match="boom"):
        closed_loop(model, torch.zeros(3), 2)
    assert model.training
    assert torch.is_grad_enabled()


@pytest.mark.parametrize(
    ("window", "match"),
    [
        (torch.zeros(2, 3), r"seed_window must be one window .*got shape \(2, 3\)"),
        (torch.zeros(1, 5, 1), r"seed_window must be one window .*got shape \(1, 5, 1\)"),
        (torch.zeros(0), r"seed_window must be one window .*got shape \(0,\)"),
        (torch.tensor(1.0), r"seed_window must be one window .*got shape \(\)"),
        ([0.0, float("nan"), 1.0], r"seed_window holds 1 NaN or inf value\(s\), the first at"),
        ([0.0, 1.0, float("inf")], r"seed_window holds 1 NaN or inf"),
    ],
)
def test_closed_loop_bad_seed_window(window, match):
    with pytest.raises(ValueError, match=match):
        closed_loop(WindowSum(), window, 3)


@pytest.mark.parametrize(
    ("steps", "error", "match"),
    [
        (-1, ValueError, r"steps must be 0 or more, got -1"),
        (2.5, TypeError, r"steps must be an int, got 2\.5 \(float\)"),
        (True, TypeError, r"steps must be an int, got True \(bool\)"),
        (None, TypeError, r"steps must be an int, got None"),
    ],
)
def test_closed_loop_bad_steps(steps, error, match):
    with pytest.raises(error, match=match):
        closed_loop(WindowSum(), torch.zeros(3), steps)


# ---------------------------------------------------------------- one_step


def test_one_step_shapes_and_values(windows):
    input_data, _ = windows
    torch.manual_seed(0)
    model = SequenceRegressor("lstm", hidden_size=6, output_size=2)
    out = one_step(model, input_data)
    assert out.shape == (input_data.shape[0], 2)
    assert not out.requires_grad
    assert model.training  # restored
    model.eval()
    with torch.no_grad():  # inference may take other kernels than a pass that records gradients
        assert torch.equal(out, model(input_data))
    assert torch.allclose(out, model(input_data).detach(), rtol=0, atol=1e-6)


def test_one_step_is_teacher_forced():
    # every prediction comes from the true window, never from an earlier prediction
    input_data = torch.tensor([[[0.0], [1.0]], [[5.0], [7.0]]])
    assert one_step(LastPlusOne(), input_data).tolist() == [[2.0], [8.0]]


# ---------------------------------------------------------------- rmse


def test_rmse_exact_values():
    assert rmse([0.0, 0.0], [3.0, 4.0]) == pytest.approx(math.sqrt(12.5))
    assert rmse(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 2.0, 3.0])) == 0.0
    assert rmse(np.array([[1.0], [3.0]]), [[0.0], [0.0]]) == pytest.approx(math.sqrt(5.0))
    assert isinstance(rmse([1.0], [2.0]), float)


def test_rmse_is_symmetric():
    a, b = torch.randn(10), torch.randn(10)
    assert rmse(a, b) == pytest.approx(rmse(b, a))


def test_rmse_shape_mismatch():
    with pytest.raises(ValueError, match=r"predicted has shape \(3,\) but target has \(3, 1\)"):
        rmse(torch.zeros(3), torch.zeros(3, 1))
