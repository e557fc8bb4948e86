"""What ``sine_recipes.py`` measures of the sine model beyond ``helpers.recipes.score``: its gates.

Chapter 6 reads, from the shipped ``sine_recipes.json``, how an LSTM's gates sit before and
after training under each recipe; ``gate_stats`` is how the script summarises them.
"""

from __future__ import annotations

import torch
from torch import nn

from helpers.scratch import GATE_NAMES, lstm_forward

__all__ = ["GateStats", "gate_stats"]

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
