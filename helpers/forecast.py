"""Predicting with a trained model: one step ahead, or closed loop (chapter 3, Training an RNN)."""

from __future__ import annotations

import torch
from torch import nn

from helpers._checks import all_finite, as_float_tensor, non_negative_int
from helpers.models import eval_mode

__all__ = ["closed_loop", "one_step", "rmse"]


def _window(seed_window: object) -> torch.Tensor:
    window = as_float_tensor("seed_window", seed_window)
    if window.dim() == 2 and window.shape[1] == 1:
        window = window[:, 0]  # (n_time, 1), as input_data[0] is stored
    if window.dim() != 1 or window.numel() == 0:
        raise ValueError(
            "seed_window must be one window of a single series, shape (n_time,) or "
            f"(n_time, 1) such as input_data[0], got shape {tuple(window.shape)}."
        )
    all_finite("seed_window", window)
    return window


def closed_loop(model: nn.Module, seed_window: object, steps: int) -> torch.Tensor:
    """Generate ``steps`` values, feeding each prediction back in as the newest input.

    Starts from ``seed_window`` (the lecture starts from ``input_data[0]``), predicts the
    next value, slides the window one step to include it, and repeats: the model only ever
    sees its own outputs after the first ``n_time`` steps. Runs under ``torch.no_grad()``
    in eval mode and restores the model's mode afterwards.

    Shapes: seed_window (n_time,) or (n_time, 1) -> (steps,).
    """
    window = _window(seed_window)
    steps = non_negative_int("steps", steps)
    n_time = window.numel()
    buffer = torch.cat([window, window.new_zeros(steps)])  # known values, then room to write
    with eval_mode(model):
        for k in range(steps):
            x = buffer[k : k + n_time].view(1, n_time, 1)  # batch 1, n_time steps, 1 feature
            buffer[n_time + k] = model(x)[0, 0]
    return buffer[n_time:].clone()


def one_step(model: nn.Module, input_data: torch.Tensor) -> torch.Tensor:
    """Predict the step after every window from the true history (teacher forcing).

    Shapes: input_data (n_sample, n_time, input_size) -> (n_sample, output_size).
    """
    with eval_mode(model):
        return model(input_data)


def rmse(predicted: object, target: object) -> float:
    """Root-mean-square error between two equally shaped series."""
    p, t = as_float_tensor("predicted", predicted), as_float_tensor("target", target)
    if p.shape != t.shape:
        raise ValueError(f"predicted has shape {tuple(p.shape)} but target has {tuple(t.shape)}.")
    return float(torch.sqrt(torch.mean((p - t) ** 2)))
