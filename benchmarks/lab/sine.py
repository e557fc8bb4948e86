"""What ``sine_recipes.py`` measures of a trained sine model: its errors and its gates.

Chapter 6 reads, from the shipped ``sine_recipes.json``, each run's errors (``score``: one
step ahead on the validation windows and on fresh noise, and in a closed loop past the end of
the data) and how an LSTM's gates sit before and after training under each recipe
(``gate_stats``).
"""

from __future__ import annotations

from typing import TypedDict

import torch
from torch import nn

from helpers.data import Split, sine_at_steps
from helpers.forecast import closed_loop, one_step
from helpers.recipes import FORECAST_STEPS, fresh_windows
from helpers.scratch import GATE_NAMES, lstm_forward

__all__ = ["GateStats", "Scores", "gate_stats", "score"]

GateStats = dict[str, dict[str, float]]  # gate -> "mean", "std", "min", "max"


def gate_stats(lstm: nn.LSTM, inputs: torch.Tensor) -> GateStats:
    """Mean, standard deviation, lowest and highest value of each LSTM gate over ``inputs``.

    Every unit, step and window counts once. Keys: "input", "forget", "cell", "output".

    Shapes: inputs (n_windows, n_time, input_size).
    """
    with torch.no_grad():
        _, _, gates = lstm_forward(inputs, lstm)
    return {
        name: {
            "mean": gates[name].mean().item(),
            "std": gates[name].std().item(),
            "min": gates[name].min().item(),
            "max": gates[name].max().item(),
        }
        for name in GATE_NAMES
    }


class Scores(TypedDict):
    """What ``score`` measures of a trained sine model."""

    train_mse: float  # one step ahead, the split's training windows
    valid_mse: float  # one step ahead, its validation windows
    fresh_mse: float  # one step ahead, fresh noise over the validation stretch
    forecast_error: list[float]  # |closed-loop forecast - sin| at horizons 1..FORECAST_STEPS


def score(
    model: nn.Module,
    split: Split,
    fresh: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None,
) -> Scores:
    """Measure a trained sine model the way chapter 6's tables do.

    - ``train_mse`` and ``valid_mse``: one step ahead, on the split's training and validation
      windows (noisy answers);
    - ``fresh_mse``: one step ahead on ``fresh`` (default ``recipes.fresh_windows()``), noisy
      answers;
    - ``forecast_error``: |closed-loop forecast - sin| for horizons 1..80, starting from the
      last training window (t = 60..69) and running past the data's end (t = 99) to t = 149.
    """
    fresh = fresh_windows() if fresh is None else fresh
    # the last ten training points, t = 60..69: the last training window (t = 59..68) slid one
    # step to take in its answer, so that the first forecast is the one for t = 70 = split.cut
    start = torch.cat([split.input_train[-1, 1:, 0], split.correct_train[-1]])
    forecast = closed_loop(model, start, FORECAST_STEPS)
    truth = sine_at_steps(range(split.cut, split.cut + FORECAST_STEPS))

    def mse(inputs: torch.Tensor, targets: torch.Tensor) -> float:
        return float(torch.mean((one_step(model, inputs) - targets) ** 2))

    return {
        "train_mse": mse(split.input_train, split.correct_train),
        "valid_mse": mse(split.input_valid, split.correct_valid),
        "fresh_mse": mse(fresh[0], fresh[1]),
        "forecast_error": (forecast - truth).abs().tolist(),
    }
