"""The data: a noisy sine wave and its 10-step windows (chapter 2, Data windowing).

Chapter 6 (judging forecasts) adds a chronological split of the windows and the clean sine
past the lecture's 100 points; chapter 6 (why an LSTM) a task that needs a long memory,
``delayed_recall``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from helpers._checks import (
    all_finite,
    as_float_tensor,
    int_at_least,
    int_or_none,
    positive_int,
    real_number,
)

__all__ = [
    "RECALL_CHANCE_MSE",
    "Split",
    "chronological_split",
    "delayed_recall",
    "make_windows",
    "noisy_sine",
]


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


# ------------------------------------------- chapters 6 and 7 (judging forecasts, long memory)

RECALL_CHANCE_MSE = 1 / 3  # variance of U[-1, 1]: the MSE of always answering 0, the mean


class Split(NamedTuple):
    """Windows cut from the early part of a series for training, from the later part to validate."""

    input_train: torch.Tensor  # (n_train, n_time, features)
    correct_train: torch.Tensor  # (n_train, features)
    input_valid: torch.Tensor  # (n_valid, n_time, features)
    correct_valid: torch.Tensor  # (n_valid, features)
    cut: int  # first step of the validation stretch: no training window reads it


def chronological_split(series: object, n_time: int, n_valid: int) -> Split:
    """Validate on the last ``n_valid`` windows; train on the windows that end before them.

    The validation windows read steps ``cut`` to the end, with ``cut = len - n_valid - n_time``;
    the training windows read only steps before ``cut``, so no step (input or answer) is in
    both, the "chronological + gap" split of chapter 2. With the lecture's 100 points,
    ``n_time=10`` and ``n_valid=20``: 60 training windows (answers t = 10..69) and 20
    validation windows (inputs from t = 70, answers t = 80..99).

    Shapes: series (n,) -> (n_train, n_time, 1), (n_train, 1), (n_valid, n_time, 1),
    (n_valid, 1) with n_train = n - n_valid - 2 * n_time.
    """
    tensor = as_float_tensor("series", series)
    n_time = positive_int("n_time", n_time)
    n_valid = positive_int("n_valid", n_valid)
    cut = tensor.shape[0] - n_valid - n_time if tensor.dim() >= 1 else 0
    if tensor.dim() != 1 or cut <= n_time:
        length = tensor.shape[0] if tensor.dim() >= 1 else 0
        raise ValueError(
            f"a series of {length} points (shape {tuple(tensor.shape)}) cannot give {n_valid} "
            f"validation windows of n_time={n_time} and at least one training window before "
            f"them: that needs a 1-D series longer than n_valid + 2 * n_time = "
            f"{n_valid + 2 * n_time} points. Use fewer validation windows or a longer series."
        )
    input_train, correct_train = make_windows(tensor[:cut], n_time)
    input_valid, correct_valid = make_windows(tensor[cut:], n_time)
    return Split(input_train, correct_train, input_valid, correct_valid, cut)


def sine_at_steps(steps: object, n_points: int = 100) -> torch.Tensor:
    """The clean sine at step indices of the lecture's grid, also past its last point.

    Step ``t`` sits at ``x = -2π + t · 4π / (n_points - 1)``, the spacing of ``noisy_sine``, so
    ``sine_at_steps(range(100))`` is ``noisy_sine(noise=0)[1]`` and steps from 100 on continue
    the wave beyond the data, where a forecast can still be scored.

    Shapes: steps (k,) -> (k,), float32.
    """
    t = as_float_tensor("steps", list(steps) if isinstance(steps, range) else steps)
    if t.dim() != 1:
        raise ValueError(f"steps must be 1-D step indices, got shape {tuple(t.shape)}.")
    all_finite("steps", t)
    n_points = int_at_least("n_points", n_points, 2, "at least 2, as in noisy_sine")
    dx = 4 * math.pi / (n_points - 1)
    return torch.sin(-2 * math.pi + t.double() * dx).float()


def delayed_recall(
    n_sample: int,
    lag: int,
    *,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Sequences whose answer is their first value, read ``lag`` steps after it (chapter 6).

    Every step holds a number drawn uniformly from [-1, 1]; the answer is the number at step 0.
    The ``lag`` numbers after it are independent of it, so nothing in between helps: a model
    must carry the first value through ``lag`` steps of distraction. Always answering 0 (the
    mean) scores an MSE of 1/3, ``RECALL_CHANCE_MSE``: chance level. With ``seed`` the numbers
    come from a private generator (same seed, same data); a ``generator`` gives a stream of
    fresh batches (training draws one per step); with neither, PyTorch's global one is used.

    Shapes: inputs (n_sample, lag + 1, 1), targets (n_sample, 1), both float32.
    """
    n_sample = positive_int("n_sample", n_sample)
    lag = positive_int("lag", lag)
    seed = int_or_none("seed", seed)
    if seed is not None and generator is not None:
        raise ValueError("pass seed or generator, not both: a seed makes a fresh generator.")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}.")
    if seed is not None:
        generator = torch.Generator().manual_seed(seed)
    inputs = torch.rand(n_sample, lag + 1, 1, generator=generator) * 2 - 1  # U[-1, 1]
    targets = inputs[:, 0].clone()  # (n_sample, 1): the first step's value
    return inputs, targets
