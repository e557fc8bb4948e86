"""The lecture's network: a recurrent layer, then a Linear layer on the last step.

Introduced in chapter 1 (RNN concepts) with ``nn.RNN``; chapter 5 swaps in ``nn.LSTM``.
"""

from __future__ import annotations

import torch
from torch import nn

from helpers._checks import one_of, positive_int

__all__ = ["CELLS", "SequenceRegressor"]

CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceRegressor(nn.Module):
    """Read a window of ``n_time`` steps and predict the next value(s).

    ``cell`` picks the recurrent layer: "rnn" (chapter 3), "lstm" (chapter 5) or "gru".
    The layer is stored as ``self.rnn`` and the output layer as ``self.fc``, the names the
    lecture notes use, so ``print(model)`` reads like the seed's ``print(net)``.

    Shapes: forward (batch, time, input_size) -> (batch, output_size).
    """

    def __init__(
        self,
        cell: str = "rnn",
        input_size: int = 1,
        hidden_size: int = 64,
        output_size: int = 1,
    ) -> None:
        super().__init__()
        self.cell = one_of("cell", cell.lower() if isinstance(cell, str) else cell, CELLS)
        self.input_size = positive_int("input_size", input_size)
        hidden_size = positive_int("hidden_size", hidden_size)
        output_size = positive_int("output_size", output_size)
        self.rnn = CELLS[self.cell](input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 3 or x.shape[-1] != self.input_size:
            raise ValueError(
                f"expected input of shape (batch, time, {self.input_size}), got "
                f"{tuple(x.shape)}; a single window of shape (time,) becomes "
                "x.view(1, -1, 1)."
            )
        y_rnn, _ = self.rnn(x)  # y_rnn: (B, T, hidden) for every step; the LSTM's state is (h, c)
        return self.fc(y_rnn[:, -1, :])  # only the last step predicts the next value
