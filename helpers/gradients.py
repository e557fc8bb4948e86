"""How far back a gradient reaches: the one measure of chapters 1, 4 and 6.

``gradient_reach`` answers "how much can the input k steps before the end still move the
final output?" for a recurrent layer (the output is its last state h_T) or for a whole
network (the output is its prediction ŷ). For each sequence it takes the Jacobian of the
output with respect to the input x_{T-k}, a matrix of (output size × input size) numbers,
and its 2-norm, the largest factor by which a change of x_{T-k} can move the output; then the
median over the sequences of the batch. The norm of a whole Jacobian cannot cancel, as a sum
of its entries can (one unit rising while another falls), and it is what backpropagation
multiplies the error signal by on its way back to the input weights.

Chapter 1 measures it for a freshly built RNN, chapter 4 for RNN and LSTM layers at
initialisation, chapter 6 for networks trained on a task that needs a long memory.
"""

from __future__ import annotations

import torch
from torch import nn

from helpers._checks import all_finite, as_float_tensor
from helpers.models import eval_mode

__all__ = ["gradient_reach"]


def _final_output(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The output whose reach is measured: h_T of a recurrent layer, else the model's output."""
    if isinstance(model, nn.RNNBase):
        if not model.batch_first:
            raise ValueError(
                "gradient_reach reads inputs as (batch, time, features): build the layer with "
                "batch_first=True."
            )
        y_seq, _ = model(x)  # (B, T, hidden * directions): h_t of every step
        return y_seq[:, -1, :]
    output = model(x)
    if not isinstance(output, torch.Tensor) or output.dim() != 2 or output.shape[0] != len(x):
        shape = tuple(output.shape) if isinstance(output, torch.Tensor) else type(output).__name__
        raise ValueError(
            f"the model must return one output vector per sequence, (batch, outputs), got "
            f"{shape}; pass a recurrent layer (nn.RNN, nn.LSTM, nn.GRU) or a network such as "
            "helpers.models.SequenceRegressor."
        )
    return output


def gradient_reach(model: nn.Module, x: object) -> torch.Tensor:
    """‖∂(final output)/∂x_{T-k}‖₂ for every lag k = 0 .. T-1, median over the batch.

    Entry ``k`` is the lag: 0 is the last input x_T, ``T - 1`` the first one. ``model`` is a
    batch-first recurrent layer (its output is h_T) or a network that maps (batch, time,
    features) to (batch, outputs). The model runs in eval mode without changing its weights
    or their gradients; its mode is restored afterwards.

    Shapes: x (batch, time, features) -> (time,).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}.")
    inputs = as_float_tensor("x", x)
    if inputs.dim() != 3 or inputs.shape[0] == 0 or inputs.shape[1] == 0:
        raise ValueError(
            f"x must be (batch, time, features) with at least one sequence and one step, got "
            f"shape {tuple(inputs.shape)}; one sequence of T values is x.view(1, T, 1)."
        )
    all_finite("x", inputs)
    with eval_mode(model):  # dropout off; gradients only where enable_grad asks for them
        n_out = _final_output(model, inputs[:1]).shape[1]
        # one copy of the batch per output unit, all in one backward pass: copy j asks for the
        # gradient of output unit j. Sequences do not interact, so each copy's gradient is its
        # own sequence's row of the Jacobian.
        copies = inputs.repeat(n_out, 1, 1).requires_grad_(True)  # (n_out * B, T, n_in)
        with torch.enable_grad():
            output = _final_output(model, copies).view(n_out, len(inputs), n_out)
            picked = output.diagonal(dim1=0, dim2=2)  # (B, n_out): unit j of copy j
            (grad,) = torch.autograd.grad(picked.sum(), copies)
    # (n_out, B, T, n_in) -> (B, T, n_out, n_in): one Jacobian per sequence and step
    jacobian = grad.view(n_out, *inputs.shape).permute(1, 2, 0, 3)
    norms = torch.linalg.matrix_norm(jacobian, ord=2)  # (B, T)
    return norms.quantile(0.5, dim=0).flip(0)  # (T,), entry k is lag k
