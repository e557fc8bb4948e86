"""benchmarks/lab/sine.py: the errors and gate statistics sine_recipes.py records (chapter 6)."""

from __future__ import annotations

import math

import pytest
import torch

from helpers import data, recipes
from helpers.models import seeded_model
from lab.sine import gate_stats, score


@pytest.fixture(scope="module")
def split():
    return recipes.make_split()


def test_gate_stats_of_a_fresh_lstm_sit_near_one_half(split):
    stats = gate_stats(seeded_model("lstm", 0, hidden_size=64).rnn, split.input_valid)
    assert set(stats) == {"input", "forget", "cell", "output"}
    assert 0.45 < stats["forget"]["mean"] < 0.55
    assert stats["forget"]["min"] <= stats["forget"]["mean"] <= stats["forget"]["max"]
    assert all(set(values) == {"mean", "std", "min", "max"} for values in stats.values())


def test_score_keys_and_forecast_length(split):
    model = seeded_model("gru", 0, hidden_size=4)
    scores = score(model, split, recipes.fresh_windows(1))
    assert set(scores) == {"train_mse", "valid_mse", "fresh_mse", "forecast_error"}
    assert len(scores["forecast_error"]) == recipes.FORECAST_STEPS
    assert all(e >= 0 for e in scores["forecast_error"])


class _CleanSineRecurrence(torch.nn.Module):
    """A perfect forecaster of the clean sine: sin(a + 2d) = 2 cos(d) sin(a + d) - sin(a)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        step = 4 * math.pi / 99  # the lecture's grid (data.sine_at_steps)
        return (2 * math.cos(step) * x[:, -1] - x[:, -2]).view(-1, 1)


def test_a_perfect_forecaster_scores_zero_at_every_horizon():
    # the forecast starts from the ten points that end the training stretch (t = 60..69) and is
    # scored against t = 70, 71, ...: one step off, this model would miss by about 0.1 at once
    clean = data.sine_at_steps(range(100))
    split = data.chronological_split(clean, recipes.N_TIME, recipes.N_VALID)
    errors = score(_CleanSineRecurrence(), split, recipes.fresh_windows(1))
    assert len(errors["forecast_error"]) == recipes.FORECAST_STEPS
    assert max(errors["forecast_error"]) < 1e-4
    assert errors["train_mse"] < 1e-10 and errors["valid_mse"] < 1e-10
