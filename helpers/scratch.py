"""Recurrent cells written out by hand, to check against ``nn.RNN`` and ``nn.LSTM``.

``rnn_step`` and ``rnn_forward`` are derived in chapter 1 (RNN concepts); ``lstm_step`` and
``lstm_forward`` in chapter 4 (LSTM gates); ``gru_step`` and ``gru_forward`` in chapter 6
(long memory). PyTorch packs the LSTM's four weight blocks in the order input, forget, cell
(candidate), output: i, f, g, o; and the GRU's three in the order reset, update, new: r, z, n.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["GATE_NAMES", "gru_forward", "gru_step", "lstm_forward", "lstm_step", "rnn_forward"]

GATE_NAMES = ("input", "forget", "cell", "output")  # PyTorch's packing order: i, f, g, o
GRU_GATE_NAMES = ("reset", "update", "new")  # PyTorch's packing order: r, z, n


def _check_step_shapes(
    kind: str,
    n_blocks: int,
    x: torch.Tensor,
    states: dict[str, torch.Tensor],
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None,
    bias_hh: torch.Tensor | None,
) -> None:
    """Check the shapes one cell step needs and name the first one that is wrong."""
    if x.dim() != 2:
        raise ValueError(f"x must be (batch, input_size), got shape {tuple(x.shape)}.")
    batch, input_size = x.shape
    if weight_hh.dim() != 2 or weight_hh.shape[0] != n_blocks * weight_hh.shape[1]:
        raise ValueError(
            f"weight_hh must be ({n_blocks} * hidden_size, hidden_size) as {kind} stores it, "
            f"got shape {tuple(weight_hh.shape)}."
        )
    hidden_size = weight_hh.shape[1]
    expected = {
        "weight_ih": (weight_ih, (n_blocks * hidden_size, input_size)),
        "bias_ih": (bias_ih, (n_blocks * hidden_size,)),
        "bias_hh": (bias_hh, (n_blocks * hidden_size,)),
    }
    expected.update({name: (t, (batch, hidden_size)) for name, t in states.items()})
    for name, (tensor, shape) in expected.items():
        if tensor is not None and tuple(tensor.shape) != shape:
            raise ValueError(
                f"{name} must have shape {shape} for x of shape {tuple(x.shape)} and "
                f"hidden_size {hidden_size}, got {tuple(tensor.shape)}."
            )


def _weighted_sum(
    x: torch.Tensor,
    h_prev: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None,
    bias_hh: torch.Tensor | None,
) -> torch.Tensor:
    """x W_ih^T + b_ih + h_prev W_hh^T + b_hh, added in the order the chapters' cells add it.

    The same order gives the same bits, so a chapter can compare its cell with ``torch.equal``.

    Shapes: x (batch, input_size), h_prev (batch, hidden) -> (batch, blocks * hidden).
    """
    pre = x @ weight_ih.T
    if bias_ih is not None:
        pre = pre + bias_ih
    pre = pre + h_prev @ weight_hh.T
    if bias_hh is not None:
        pre = pre + bias_hh
    return pre


def rnn_step(
    x: torch.Tensor,
    h_prev: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
) -> torch.Tensor:
    """One step of an Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh).

    Shapes: x (batch, input_size), h_prev (batch, hidden) -> h (batch, hidden).
    """
    _check_step_shapes("nn.RNN", 1, x, {"h_prev": h_prev}, weight_ih, weight_hh, bias_ih, bias_hh)
    return torch.tanh(_weighted_sum(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh))


def lstm_step(
    x: torch.Tensor,
    h_prev: torch.Tensor,
    c_prev: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
    """One LSTM step, returning the new state and the four gate activations.

    i = σ(W_ii x + b_ii + W_hi h + b_hi), f and o likewise, g = tanh(...);
    c = f * c_prev + i * g;  h = o * tanh(c).  ``gates`` maps "input", "forget",
    "cell" (the candidate g) and "output" to (batch, hidden) tensors.

    Shapes: x (batch, input_size), h_prev and c_prev (batch, hidden),
    weight_ih (4*hidden, input_size), weight_hh (4*hidden, hidden) -> h, c (batch, hidden).
    """
    _check_step_shapes(
        "nn.LSTM",
        4,
        x,
        {"h_prev": h_prev, "c_prev": c_prev},
        weight_ih,
        weight_hh,
        bias_ih,
        bias_hh,
    )
    pre = _weighted_sum(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh)  # (B, 4H): i, f, g, o
    pre_i, pre_f, pre_g, pre_o = pre.chunk(4, dim=1)
    i, f, o = torch.sigmoid(pre_i), torch.sigmoid(pre_f), torch.sigmoid(pre_o)
    g = torch.tanh(pre_g)
    c = f * c_prev + i * g  # keep part of the old memory, write part of the candidate
    h = o * torch.tanh(c)  # show part of the memory as the output
    return h, c, dict(zip(GATE_NAMES, (i, f, g, o), strict=True))


def _layer_weights(layer: nn.RNNBase, kind: type[nn.RNNBase]) -> tuple[torch.Tensor, ...]:
    """Return the first layer's (weight_ih, weight_hh, bias_ih, bias_hh) of a one-layer module."""
    if not isinstance(layer, kind):
        raise TypeError(f"expected an {kind.__name__} module, got {type(layer).__name__}.")
    if layer.num_layers != 1 or layer.bidirectional or layer.proj_size:
        raise ValueError(
            "the from-scratch loop covers one layer, one direction, no projection: got "
            f"num_layers={layer.num_layers}, bidirectional={layer.bidirectional}."
        )
    bias = (layer.bias_ih_l0, layer.bias_hh_l0) if layer.bias else (None, None)
    return (layer.weight_ih_l0, layer.weight_hh_l0, *bias)


def _as_batch_first(x: torch.Tensor, layer: nn.RNNBase) -> torch.Tensor:
    if x.dim() != 3:
        raise ValueError(f"x must be 3-D (batch, time, features), got shape {tuple(x.shape)}.")
    return x if layer.batch_first else x.transpose(0, 1)


def rnn_forward(
    x: torch.Tensor, rnn: nn.RNN, h0: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run ``rnn_step`` over time with the weights of a one-layer ``nn.RNN`` (tanh).

    Returns what ``rnn(x, h0)`` returns: every step's output and the last hidden state.

    Shapes: x (batch, time, input_size) if batch_first -> y (batch, time, hidden),
    h (1, batch, hidden).
    """
    weights = _layer_weights(rnn, nn.RNN)  # first, so an nn.LSTM gets a TypeError
    if rnn.nonlinearity != "tanh":
        raise ValueError(
            f"rnn_forward follows the tanh RNN, got nonlinearity={rnn.nonlinearity!r}."
        )
    xb = _as_batch_first(x, rnn)
    h = xb.new_zeros(xb.shape[0], rnn.hidden_size) if h0 is None else h0[0]
    outputs = []
    for t in range(xb.shape[1]):
        h = rnn_step(xb[:, t], h, *weights)
        outputs.append(h)
    y = torch.stack(outputs, dim=1)
    return (y if rnn.batch_first else y.transpose(0, 1)), h.unsqueeze(0)


def lstm_forward(
    x: torch.Tensor,
    lstm: nn.LSTM,
    state: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor], dict[str, torch.Tensor]]:
    """Run ``lstm_step`` over time with the weights of a one-layer ``nn.LSTM``.

    Returns ``(y, (h, c), gates)``: the first two as ``lstm(x, state)`` returns them, and
    each gate's activations at every step, stacked to (batch, time, hidden).

    Shapes: x (batch, time, input_size) if batch_first -> y (batch, time, hidden),
    h and c (1, batch, hidden).
    """
    weights = _layer_weights(lstm, nn.LSTM)
    xb = _as_batch_first(x, lstm)
    if state is None:
        h = c = xb.new_zeros(xb.shape[0], lstm.hidden_size)
    else:
        h, c = state[0][0], state[1][0]
    outputs: list[torch.Tensor] = []
    history: dict[str, list[torch.Tensor]] = {name: [] for name in GATE_NAMES}
    for t in range(xb.shape[1]):
        h, c, gates = lstm_step(xb[:, t], h, c, *weights)
        outputs.append(h)
        for name, value in gates.items():
            history[name].append(value)
    y = torch.stack(outputs, dim=1)
    stacked = {name: torch.stack(values, dim=1) for name, values in history.items()}
    return (y if lstm.batch_first else y.transpose(0, 1)), (h.unsqueeze(0), c.unsqueeze(0)), stacked


def gru_step(
    x: torch.Tensor,
    h_prev: torch.Tensor,
    weight_ih: torch.Tensor,
    weight_hh: torch.Tensor,
    bias_ih: torch.Tensor | None = None,
    bias_hh: torch.Tensor | None = None,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """One GRU step, returning the new state and the three gate activations.

    r = σ(W_ir x + b_ir + W_hr h + b_hr), z likewise;
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn));  h = (1 - z) * n + z * h_prev.
    The reset gate multiplies the recurrent sum *with* its bias, as PyTorch (and cuDNN) do.
    ``gates`` maps "reset", "update" and "new" (the candidate n) to (batch, hidden) tensors.

    Shapes: x (batch, input_size), h_prev (batch, hidden), weight_ih (3*hidden, input_size),
    weight_hh (3*hidden, hidden) -> h (batch, hidden).
    """
    _check_step_shapes("nn.GRU", 3, x, {"h_prev": h_prev}, weight_ih, weight_hh, bias_ih, bias_hh)
    from_x = x @ weight_ih.T  # (B, 3H): blocks r, z, n
    from_h = h_prev @ weight_hh.T
    if bias_ih is not None:
        from_x = from_x + bias_ih
    if bias_hh is not None:
        from_h = from_h + bias_hh
    x_r, x_z, x_n = from_x.chunk(3, dim=1)
    h_r, h_z, h_n = from_h.chunk(3, dim=1)
    r = torch.sigmoid(x_r + h_r)
    z = torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + r * h_n)  # the reset gate scales what the old state proposes
    h = (1 - z) * n + z * h_prev  # z near 1 keeps the old state: the GRU's additive path
    return h, dict(zip(GRU_GATE_NAMES, (r, z, n), strict=True))


def gru_forward(
    x: torch.Tensor, gru: nn.GRU, h0: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor, dict[str, torch.Tensor]]:
    """Run ``gru_step`` over time with the weights of a one-layer ``nn.GRU``.

    Returns what ``gru(x, h0)`` returns, plus every gate's value at every step.

    Shapes: x (batch, time, input_size) if batch_first -> y (batch, time, hidden),
    h (1, batch, hidden), gates {"reset", "update", "new": (batch, time, hidden)}.
    """
    weights = _layer_weights(gru, nn.GRU)
    xb = _as_batch_first(x, gru)
    h = xb.new_zeros(xb.shape[0], gru.hidden_size) if h0 is None else h0[0]
    outputs: list[torch.Tensor] = []
    history: dict[str, list[torch.Tensor]] = {name: [] for name in GRU_GATE_NAMES}
    for t in range(xb.shape[1]):
        h, gates = gru_step(xb[:, t], h, *weights)
        outputs.append(h)
        for name, value in gates.items():
            history[name].append(value)
    y = torch.stack(outputs, dim=1)
    stacked = {name: torch.stack(values, dim=1) for name, values in history.items()}
    return (y if gru.batch_first else y.transpose(0, 1)), h.unsqueeze(0), stacked
