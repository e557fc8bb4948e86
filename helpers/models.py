"""The lecture's network: a recurrent layer, then a Linear layer on the last step.

Introduced in chapter 1 (RNN concepts) with ``nn.RNN``; chapter 5 swaps in ``nn.LSTM``.
Chapter 6 (Why an LSTM?) adds the GRU, ``set_keep_bias``, the initialisation of the gate
that decides how much of the old state a step keeps, and ``seeded_model``, which builds every
network of its experiments with the weights a seed fixes. ``eval_mode`` runs any network for
prediction, as chapter 3 (Training an RNN) does by hand: eval mode, no gradients.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn

from helpers._checks import non_negative_int, one_of, positive_int, real_number

__all__ = ["SequenceRegressor", "seeded_model", "set_keep_bias"]

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


# which block of the packed biases decides how much of the old state a step keeps:
# the LSTM's forget gate f (blocks i, f, g, o) and the GRU's update gate z (blocks r, z, n)
_KEEP_GATE = {"lstm": ("forget gate", 1), "gru": ("update gate", 1)}


def set_keep_bias(module: nn.Module, bias: float) -> nn.Module:
    """Set the bias of the LSTM's forget gate, or of the GRU's update gate, to ``bias``.

    The gate then starts near σ(bias): 0.5 for PyTorch's default (biases near 0), 0.73 for 1,
    0.993 for 5, the share of the old state each step keeps. ``bias_ih`` gets the value and
    ``bias_hh`` zero, since only their sum counts. Takes a ``SequenceRegressor`` or the layer
    itself; returns it, changed in place.
    """
    layer = module.rnn if isinstance(module, SequenceRegressor) else module
    kind = {nn.LSTM: "lstm", nn.GRU: "gru"}.get(type(layer))
    if kind is None:
        raise TypeError(
            f"set_keep_bias needs an nn.LSTM or nn.GRU (or a SequenceRegressor built with "
            f"cell='lstm' or 'gru'), got {type(layer).__name__}: a plain RNN has no gate that "
            "decides what to keep."
        )
    bias = real_number("bias", bias, "a finite number such as 1.0 or 5.0")
    if not layer.bias:
        raise ValueError(f"this {type(layer).__name__} was built with bias=False: no bias to set.")
    assert isinstance(layer, nn.RNNBase)  # for the type checker: kind says LSTM or GRU
    _, block = _KEEP_GATE[kind]
    hidden = layer.hidden_size
    rows = slice(block * hidden, (block + 1) * hidden)
    with torch.no_grad():
        for k in range(layer.num_layers):
            getattr(layer, f"bias_ih_l{k}")[rows] = bias
            getattr(layer, f"bias_hh_l{k}")[rows] = 0.0
    return module


def seeded_model(
    cell: str, seed: int, *, hidden_size: int, keep_bias: float | None = None
) -> SequenceRegressor:
    """A ``SequenceRegressor`` whose weights ``seed`` fixes (chapter 6's experiments).

    PyTorch's default initialisation, then, if ``keep_bias`` is a number, ``set_keep_bias``.
    """
    one_of("cell", cell, CELLS)
    torch.manual_seed(non_negative_int("seed", seed))
    model = SequenceRegressor(cell, hidden_size=positive_int("hidden_size", hidden_size))
    if keep_bias is not None:
        set_keep_bias(model, keep_bias)
    return model


@contextlib.contextmanager
def eval_mode(model: nn.Module) -> Iterator[nn.Module]:
    """Put ``model`` in eval mode with gradients off, and restore its mode afterwards."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            yield model
    finally:
        model.train(was_training)
