"""How low a one-step error can go on the noisy sine: the floors of chapters 3 and 6.

Chapter 3 (Training an RNN) names the noise floor σ²: the error of a predictor that knows the
clean sine at every step. A model that sees only a window of ``n_time`` noisy points cannot
know that much, and chapter 6 (Why an LSTM?) computes what such a predictor can reach:

- ``least_squares_weights``: fit a sine of the known frequency (any amplitude and phase) to
  the window by least squares and read it one step further. That is a fixed linear filter,
  and its expected squared error is σ² (1 + ‖w‖²), exactly (``least_squares_floor``).
- ``bayes_predict``: the best any predictor can do if it also knows that the amplitude is 1
  and the noise Gaussian with standard deviation σ: the posterior mean of the next value
  over the unknown phase. Its expected error has no closed form: ``monte_carlo_floor``
  estimates it, and checks the least-squares formula on the same draws.
"""

from __future__ import annotations

import math

import torch

from helpers._checks import all_finite, as_float_tensor, positive_int, real_number

__all__ = [
    "bayes_predict",
    "least_squares_floor",
    "least_squares_weights",
    "monte_carlo_floor",
]

SINE_STEP = 4 * math.pi / 99  # the lecture's spacing: 100 points from -2π to 2π
PHASES = 1000  # grid of phases for the posterior (0.36° apart)


def _check_common(n_time: object, step: object, noise: object | None = None) -> None:
    positive_int("n_time", n_time)
    real_number("step", step, "a positive finite number", low=0, low_open=True)
    if noise is not None:
        real_number("noise", noise, "a positive finite number", low=0, low_open=True)


def least_squares_weights(n_time: int = 10, step: float = SINE_STEP) -> torch.Tensor:
    """The filter w with prediction = w · window: a least-squares sine fit, one step on.

    The fit is a·sin(step·s) + b·cos(step·s) over s = 0 .. n_time - 1, evaluated at
    s = n_time. It predicts every noise-free sine of that frequency exactly, whatever its
    amplitude and phase.

    Shapes: -> (n_time,), float64.
    """
    _check_common(n_time, step)
    if n_time < 2:
        raise ValueError(
            "a sine has two free numbers (amplitude, phase): n_time must be 2 or more, "
            f"got {n_time}."
        )
    s = torch.arange(n_time + 1, dtype=torch.float64) * step
    basis = torch.stack([torch.sin(s), torch.cos(s)], dim=1)  # (n_time + 1, 2)
    fit_rows, next_row = basis[:n_time], basis[n_time]
    return fit_rows @ torch.linalg.solve(fit_rows.T @ fit_rows, next_row)  # (n_time,)


def least_squares_floor(n_time: int = 10, step: float = SINE_STEP, noise: float = 0.1) -> float:
    """Expected squared error of the least-squares predictor on noisy data: σ² (1 + ‖w‖²).

    The next point's own noise gives σ²; the window's noise, filtered by w, gives σ² ‖w‖².
    """
    _check_common(n_time, step, noise)
    weights = least_squares_weights(n_time, step)
    return noise**2 * (1 + float(weights @ weights))


def bayes_predict(windows: object, step: float = SINE_STEP, noise: float = 0.1) -> torch.Tensor:
    """Posterior mean of the next value of sin(φ + step·s) given noisy windows, φ unknown.

    The phase φ gets a uniform prior (on a grid of 1000 values) and the noise a Gaussian
    likelihood with standard deviation ``noise``; the amplitude is known to be 1.

    Shapes: windows (n, n_time) or (n, n_time, 1) -> (n,).
    """
    x = as_float_tensor("windows", windows).double()
    if x.dim() == 3 and x.shape[2] == 1:
        x = x[..., 0]
    if x.dim() != 2 or x.shape[0] == 0:
        raise ValueError(
            f"windows must be (n, n_time) or (n, n_time, 1), got shape {tuple(x.shape)}."
        )
    all_finite("windows", x)
    n_time = x.shape[1]
    _check_common(n_time, step, noise)
    phases = torch.arange(PHASES, dtype=torch.float64) * (2 * math.pi / PHASES)
    s = torch.arange(n_time + 1, dtype=torch.float64) * step
    curves = torch.sin(phases[:, None] + s[None, :])  # (PHASES, n_time + 1)
    predictions = []
    for chunk in x.split(1000):  # (1000, PHASES) at a time: about 8 MB
        # squared distance of each window to each phase's curve: the log-likelihood's core
        distance = (
            (chunk**2).sum(1)[:, None]
            - 2 * chunk @ curves[:, :n_time].T
            + (curves[:, :n_time] ** 2).sum(1)
        )
        posterior = torch.softmax(-distance / (2 * noise**2), dim=1)  # (chunk, PHASES)
        predictions.append(posterior @ curves[:, n_time])
    return torch.cat(predictions).float()


def monte_carlo_floor(
    n_draws: int = 20_000,
    *,
    n_time: int = 10,
    step: float = SINE_STEP,
    noise: float = 0.1,
    seed: int = 0,
) -> dict[str, float]:
    """Estimate each predictor's expected squared error on fresh noisy windows.

    Each draw takes a random phase, ``n_time`` noisy points and the noisy point after them.
    Returns the mean squared error (against the noisy next point) of: the clean sine itself
    ("clean", expected σ²), the least-squares filter ("least_squares", expected
    ``least_squares_floor``) and the posterior mean ("bayes"), with "draws" for reference.
    """
    n_draws = positive_int("n_draws", n_draws)
    _check_common(n_time, step, noise)
    generator = torch.Generator().manual_seed(seed)
    phase = torch.rand(n_draws, 1, generator=generator, dtype=torch.float64) * 2 * math.pi
    s = torch.arange(n_time + 1, dtype=torch.float64) * step
    clean = torch.sin(phase + s)  # (n_draws, n_time + 1)
    noisy = clean + noise * torch.randn(clean.shape, generator=generator, dtype=torch.float64)
    window, answer = noisy[:, :n_time], noisy[:, n_time]
    predictions = {
        "clean": clean[:, n_time],
        "least_squares": window @ least_squares_weights(n_time, step),
        "bayes": bayes_predict(window, step, noise).double(),
    }
    out = {name: float(torch.mean((p - answer) ** 2)) for name, p in predictions.items()}
    return out | {"draws": float(n_draws)}
