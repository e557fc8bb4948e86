"""helpers.floors: how low a one-step error can go from 10 noisy points (chapter 6)."""

from __future__ import annotations

import math

import pytest
import torch

from helpers import floors


def test_least_squares_filter_predicts_any_clean_sine_exactly():
    w = floors.least_squares_weights(10)
    s = torch.arange(11, dtype=torch.float64) * floors.SINE_STEP
    for amplitude, phase in [(1.0, 0.0), (0.3, 2.0), (2.5, -1.0)]:
        wave = amplitude * torch.sin(s + phase)
        assert float(w @ wave[:10]) == pytest.approx(float(wave[10]), abs=1e-9)


def test_least_squares_floor_formula_and_monte_carlo_agree():
    analytic = floors.least_squares_floor(10, noise=0.1)
    w = floors.least_squares_weights(10)
    assert analytic == pytest.approx(0.01 * (1 + float(w @ w)))
    mc = floors.monte_carlo_floor(20_000, seed=1)
    # standard error of a mean of 20,000 squared Gaussian errors: about 1 % of the mean
    assert mc["least_squares"] == pytest.approx(analytic, rel=0.04)
    assert mc["clean"] == pytest.approx(0.01, rel=0.04)


def test_the_floors_are_ordered():
    mc = floors.monte_carlo_floor(20_000, seed=2)
    # knowing more (the amplitude) can only help; nothing beats knowing the clean sine
    assert mc["clean"] < mc["bayes"] < mc["least_squares"]


def test_bayes_predict_recovers_a_noiseless_sine():
    s = torch.arange(11) * floors.SINE_STEP
    windows = torch.stack([torch.sin(s + phase) for phase in (0.3, 1.7, 4.0)])
    predicted = floors.bayes_predict(windows[:, :10], noise=0.01)
    assert torch.allclose(predicted, windows[:, 10].float(), atol=2e-3)
    assert floors.bayes_predict(windows[:, :10, None], noise=0.01).shape == (3,)


def test_monte_carlo_is_seeded():
    assert floors.monte_carlo_floor(500, seed=3) == floors.monte_carlo_floor(500, seed=3)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: floors.least_squares_weights(1), "2 or more"),
        (lambda: floors.least_squares_floor(10, noise=0), "noise"),
        (lambda: floors.least_squares_floor(10, step=math.inf), "step"),
        (lambda: floors.bayes_predict(torch.zeros(3)), "windows must be"),
        (lambda: floors.monte_carlo_floor(0), "n_draws"),
    ],
)
def test_bad_input(call, words):
    with pytest.raises((ValueError, TypeError), match=words):
        call()
