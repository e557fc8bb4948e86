"""The data: a noisy sine wave and its 10-step windows (chapter 2, Data windowing)."""

from __future__ import annotations

import math

import torch

from helpers._checks import (
    all_finite,
    as_float_tensor,
    int_at_least,
    int_or_none,
    positive_int,
    real_number,
)

__all__ = ["make_windows", "noisy_sine"]


def noisy_sine(
    n_points: int = 100, noise: float = 0.1, *, seed: int | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Sample ``sin(x)`` at ``n_points`` points from -2π to 2π and add Gaussian noise.

    ``noise`` is the standard deviation of the noise. With ``seed`` the noise comes from a
    private generator, so the same seed gives the same ``y`` whatever ran before; with
    ``seed=None`` it comes from PyTorch's global generator, as in the lecture notes.

    Shapes: x (n_points,), y (n_points,), both float32.
    """
    n_points = int_at_least("n_points", n_points, 2, "at least 2 to span -2π..2π")
    noise = real_number("noise", noise, "a number (a standard deviation), 0 or more", low=0)
    seed = int_or_none("seed", seed)

    x = torch.linspace(-2 * math.pi, 2 * math.pi, n_points)
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    y = torch.sin(x) + noise * torch.randn(n_points, generator=generator)
    return x, y


def make_windows(series: object, n_time: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut a series into overlapping windows of ``n_time`` steps and the step after each.

    ``input_data[i]`` is ``series[i:i+n_time]`` and ``correct_data[i]`` is
    ``series[i+n_time]``: the vectorised form of chapter 2's loop, built with ``unfold``.
    Accepts a tensor, a NumPy array or a list; returns float32 copies.

    Shapes: series (n,) -> (n - n_time, n_time, 1) and (n - n_time, 1);
    series (n, features) -> (n - n_time, n_time, features) and (n - n_time, features).
    """
    tensor = as_float_tensor("series", series)
    if tensor.numel() == 0:
        raise ValueError(
            f"series is empty (shape {tuple(tensor.shape)}); pass a 1-D series of values "
            "or a 2-D (time, features) array."
        )
    if tensor.dim() not in (1, 2):
        raise ValueError(
            f"series must be 1-D (time,) or 2-D (time, features), got {tensor.dim()}-D with "
            f"shape {tuple(tensor.shape)}; windows are cut along the first axis only."
        )
    all_finite("series", tensor)
    n_time = positive_int("n_time", n_time)
    length = tensor.shape[0]
    if n_time >= length:
        raise ValueError(
            f"n_time={n_time} leaves no sample in a series of length {length}: a window "
            f"needs n_time + 1 points. Use n_time < {length} or a longer series."
        )

    if tensor.dim() == 1:
        tensor = tensor.unsqueeze(-1)  # (n, 1): one feature per step
    # unfold gives (n - n_time + 1, features, n_time); the last window has no answer
    windows = tensor.unfold(0, n_time, 1)[:-1].transpose(1, 2)
    # (n_sample, n_time, features), a copy: with n_time=1 .contiguous() would alias the series
    input_data = windows.clone(memory_format=torch.contiguous_format)
    correct_data = tensor[n_time:].clone()  # (n_sample, features)
    return input_data, correct_data
