"""helpers.scratch: hand-written RNN and LSTM cells against nn.RNN / nn.LSTM (chapters 1, 4)."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from helpers.scratch import GATE_NAMES, lstm_forward, lstm_step, rnn_forward, rnn_step

ATOL = 1e-6  # the hand-written cells must match PyTorch's to 1e-6, as the chapters claim

# ---------------------------------------------------------------- RNN


def test_rnn_step_exact_value():
    x = torch.tensor([[1.0, 2.0]])  # batch 1, input_size 2
    h_prev = torch.tensor([[0.5]])  # hidden 1
    w_ih = torch.tensor([[0.25, -0.5]])
    w_hh = torch.tensor([[2.0]])
    b_ih, b_hh = torch.tensor([0.1]), torch.tensor([-0.3])
    # 0.25*1 - 0.5*2 + 0.1 + 2*0.5 - 0.3 = 0.05
    h = rnn_step(x, h_prev, w_ih, w_hh, b_ih, b_hh)
    assert h.shape == (1, 1)
    assert h.item() == pytest.approx(math.tanh(0.05), abs=1e-7)
    h_no_bias = rnn_step(x, h_prev, w_ih, w_hh)
    assert h_no_bias.item() == pytest.approx(math.tanh(0.25), abs=1e-7)


def test_independent_loop_equals_nn_rnn():
    # written out here, apart from helpers.scratch, exactly as chapter 1 derives it
    torch.manual_seed(0)
    rnn = nn.RNN(input_size=1, hidden_size=64, batch_first=True)
    x = torch.randn(8, 10, 1)  # (batch, time, features)
    h = torch.zeros(8, 64)
    outputs = []
    for t in range(x.shape[1]):
        h = torch.tanh(
            x[:, t] @ rnn.weight_ih_l0.T + rnn.bias_ih_l0 + h @ rnn.weight_hh_l0.T + rnn.bias_hh_l0
        )
        outputs.append(h)
    y_loop = torch.stack(outputs, dim=1)
    y_rnn, h_rnn = rnn(x, None)
    assert torch.allclose(y_loop, y_rnn, atol=ATOL)
    assert torch.allclose(h, h_rnn[0], atol=ATOL)
    assert torch.allclose(y_rnn[:, -1], h_rnn[0])  # the last output is the final hidden state


@pytest.mark.parametrize(("input_size", "hidden_size"), [(1, 1), (3, 5), (28, 64)])
@pytest.mark.parametrize(
    ("batch", "time", "batch_first", "with_h0"),
    [(1, 1, True, False), (4, 7, True, True), (1, 7, False, True), (3, 2, False, False)],
)
def test_rnn_forward_equals_nn_rnn(input_size, hidden_size, batch, time, batch_first, with_h0):
    torch.manual_seed(0)
    rnn = nn.RNN(input_size, hidden_size, batch_first=batch_first)
    shape = (batch, time, input_size) if batch_first else (time, batch, input_size)
    x = torch.randn(shape)
    h0 = torch.randn(1, batch, hidden_size) if with_h0 else None
    y, h = rnn_forward(x, rnn, h0)
    y_ref, h_ref = rnn(x, h0)
    assert y.shape == y_ref.shape and h.shape == h_ref.shape == (1, batch, hidden_size)
    assert torch.allclose(y, y_ref, atol=ATOL)
    assert torch.allclose(h, h_ref, atol=ATOL)


def test_rnn_forward_without_bias():
    torch.manual_seed(0)
    rnn = nn.RNN(2, 3, bias=False, batch_first=True)
    x = torch.randn(2, 4, 2)
    assert torch.allclose(rnn_forward(x, rnn)[0], rnn(x)[0], atol=ATOL)


def test_rnn_forward_gradients_equal_nn_rnn():
    # backpropagation through time through the hand-written loop gives PyTorch's gradients
    torch.manual_seed(0)
    rnn = nn.RNN(1, 4, batch_first=True)
    x = torch.randn(2, 6, 1)
    rnn_forward(x, rnn)[0].pow(2).sum().backward()
    mine = [p.grad.clone() for p in rnn.parameters()]
    rnn.zero_grad()
    rnn(x)[0].pow(2).sum().backward()
    for g_mine, p in zip(mine, rnn.parameters(), strict=True):
        assert torch.allclose(g_mine, p.grad, atol=1e-5)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((torch.zeros(5, 1), nn.RNN(1, 2, batch_first=True)), ValueError, r"3-D .*\(5, 1\)"),
        ((torch.zeros(1, 5, 1), nn.RNN(1, 2, num_layers=2)), ValueError, r"num_layers=2"),
        ((torch.zeros(1, 5, 1), nn.RNN(1, 2, bidirectional=True)), ValueError, "bidirectional"),
        ((torch.zeros(1, 5, 1), nn.RNN(1, 2, nonlinearity="relu")), ValueError, r"'relu'"),
        ((torch.zeros(1, 5, 1), nn.LSTM(1, 2)), TypeError, r"expected an RNN module, got LSTM"),
        ((torch.zeros(1, 5, 1), nn.GRU(1, 2)), TypeError, r"expected an RNN module, got GRU"),
    ],
)
def test_rnn_forward_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        rnn_forward(*args)


def test_rnn_forward_wrong_feature_count_is_named():
    rnn = nn.RNN(3, 2, batch_first=True)
    with pytest.raises(ValueError, match=r"weight_ih must have shape \(2, 1\).*got \(2, 3\)"):
        rnn_forward(torch.zeros(1, 4, 1), rnn)


# ---------------------------------------------------------------- LSTM step


def _weights(lstm: nn.LSTM) -> tuple[torch.Tensor, ...]:
    return lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0


@pytest.mark.parametrize(("input_size", "hidden_size"), [(1, 1), (3, 5), (28, 64)])
@pytest.mark.parametrize("batch", [1, 6])
def test_lstm_step_equals_lstm_cell(input_size, hidden_size, batch):
    torch.manual_seed(0)
    cell = nn.LSTMCell(input_size, hidden_size)  # same weight layout as nn.LSTM
    x = torch.randn(batch, input_size)
    h_prev, c_prev = torch.randn(batch, hidden_size), torch.randn(batch, hidden_size)
    h, c, gates = lstm_step(
        x, h_prev, c_prev, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh
    )
    h_ref, c_ref = cell(x, (h_prev, c_prev))
    assert h.shape == c.shape == (batch, hidden_size)
    assert torch.allclose(h, h_ref, atol=ATOL)
    assert torch.allclose(c, c_ref, atol=ATOL)
    assert tuple(gates) == GATE_NAMES == ("input", "forget", "cell", "output")
    for value in gates.values():
        assert value.shape == (batch, hidden_size)


def test_lstm_step_gate_names_follow_pytorchs_i_f_g_o_order():
    # zero weights, and a different constant bias per block: each gate shows its own block
    hidden = 3
    bias_ih = torch.cat([torch.full((hidden,), v) for v in (1.0, 2.0, 3.0, 4.0)])
    zeros = torch.zeros(1, hidden)
    c_prev = torch.tensor([[0.5, -1.0, 2.0]])
    w_ih, w_hh = torch.zeros(4 * hidden, 2), torch.zeros(4 * hidden, hidden)
    h, c, gates = lstm_step(torch.ones(1, 2), zeros, c_prev, w_ih, w_hh, bias_ih, None)
    sig = torch.sigmoid
    assert torch.allclose(gates["input"], sig(torch.tensor(1.0)).expand(1, hidden))
    assert torch.allclose(gates["forget"], sig(torch.tensor(2.0)).expand(1, hidden))
    assert torch.allclose(gates["cell"], torch.tanh(torch.tensor(3.0)).expand(1, hidden))
    assert torch.allclose(gates["output"], sig(torch.tensor(4.0)).expand(1, hidden))
    expected_c = sig(torch.tensor(2.0)) * c_prev + sig(torch.tensor(1.0)) * math.tanh(3.0)
    assert torch.allclose(c, expected_c)
    assert torch.allclose(h, sig(torch.tensor(4.0)) * torch.tanh(expected_c))


def test_lstm_step_state_follows_from_its_gates():
    torch.manual_seed(1)
    lstm = nn.LSTM(3, 5)
    x, h_prev, c_prev = torch.randn(4, 3), torch.randn(4, 5), torch.randn(4, 5)
    h, c, g = lstm_step(x, h_prev, c_prev, *_weights(lstm))
    assert torch.allclose(c, g["forget"] * c_prev + g["input"] * g["cell"])
    assert torch.allclose(h, g["output"] * torch.tanh(c))


def test_lstm_step_forget_gate_near_one_keeps_memory_near_zero_forgets():
    hidden, c_prev = 2, torch.tensor([[3.0, -2.0]])
    w_ih, w_hh = torch.zeros(4 * hidden, 1), torch.zeros(4 * hidden, hidden)
    zeros = torch.zeros(1, hidden)

    def run(forget_bias: float) -> torch.Tensor:
        bias = torch.tensor([-30.0] * hidden + [forget_bias] * hidden + [0.0] * 2 * hidden)
        return lstm_step(torch.zeros(1, 1), zeros, c_prev, w_ih, w_hh, bias, None)[1]

    assert torch.allclose(run(30.0), c_prev)  # input gate shut, forget gate open: memory kept
    assert torch.allclose(run(-30.0), torch.zeros(1, 2))  # both shut: memory forgotten


def test_lstm_step_gate_ranges():
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 16)
    x, h_prev, c_prev = 3 * torch.randn(32, 3), torch.randn(32, 16), torch.randn(32, 16)
    _, _, gates = lstm_step(x, h_prev, c_prev, *_weights(lstm))
    for name in ("input", "forget", "output"):  # sigmoids
        assert ((gates[name] > 0) & (gates[name] < 1)).all(), name
    assert ((gates["cell"] > -1) & (gates["cell"] < 1)).all()  # tanh candidate
    assert (gates["cell"] < 0).any() and (gates["cell"] > 0).any()  # not a sigmoid by mistake


def _step_args(**changes: torch.Tensor) -> dict[str, torch.Tensor]:
    batch, input_size, hidden = 2, 3, 4
    args = {
        "x": torch.zeros(batch, input_size),
        "h_prev": torch.zeros(batch, hidden),
        "c_prev": torch.zeros(batch, hidden),
        "weight_ih": torch.zeros(4 * hidden, input_size),
        "weight_hh": torch.zeros(4 * hidden, hidden),
        "bias_ih": torch.zeros(4 * hidden),
        "bias_hh": torch.zeros(4 * hidden),
    }
    args.update(changes)
    return args


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"x": torch.zeros(3)}, r"x must be \(batch, input_size\), got shape \(3,\)"),
        ({"x": torch.zeros(2, 5, 3)}, r"x must be \(batch, input_size\), got shape \(2, 5, 3\)"),
        ({"x": torch.zeros(2, 7)}, r"weight_ih must have shape \(16, 7\).*got \(16, 3\)"),
        ({"h_prev": torch.zeros(1, 4)}, r"h_prev must have shape \(2, 4\).*got \(1, 4\)"),
        ({"h_prev": torch.zeros(4)}, r"h_prev must have shape \(2, 4\).*got \(4,\)"),
        ({"c_prev": torch.zeros(2, 5)}, r"c_prev must have shape \(2, 4\).*got \(2, 5\)"),
        ({"weight_ih": torch.zeros(4, 3)}, r"weight_ih must have shape \(16, 3\).*got \(4, 3\)"),
        ({"weight_hh": torch.zeros(4, 4)}, r"weight_hh must be \(4 \* hidden_size, hidden_size\)"),
        ({"weight_hh": torch.zeros(16)}, r"weight_hh .*got shape \(16,\)"),
        ({"bias_ih": torch.zeros(4)}, r"bias_ih must have shape \(16,\).*got \(4,\)"),
        ({"bias_hh": torch.zeros(16, 1)}, r"bias_hh must have shape \(16,\).*got \(16, 1\)"),
    ],
)
def test_lstm_step_bad_shapes(changes, match):
    with pytest.raises(ValueError, match=match):
        lstm_step(**_step_args(**changes))


def test_lstm_step_good_shapes_pass():
    h, c, _ = lstm_step(**_step_args())
    assert h.shape == c.shape == (2, 4)


# ---------------------------------------------------------------- LSTM over time


@pytest.mark.parametrize(("input_size", "hidden_size"), [(1, 1), (1, 64), (3, 5), (28, 64)])
@pytest.mark.parametrize(
    ("batch", "time", "batch_first", "with_state"),
    [(1, 1, True, False), (4, 7, True, True), (1, 9, False, True), (5, 3, False, False)],
)
def test_lstm_forward_equals_nn_lstm(input_size, hidden_size, batch, time, batch_first, with_state):
    torch.manual_seed(0)
    lstm = nn.LSTM(input_size, hidden_size, batch_first=batch_first)
    shape = (batch, time, input_size) if batch_first else (time, batch, input_size)
    x = torch.randn(shape)
    state = None
    if with_state:
        state = (torch.randn(1, batch, hidden_size), torch.randn(1, batch, hidden_size))
    y, (h, c), gates = lstm_forward(x, lstm, state)
    y_ref, (h_ref, c_ref) = lstm(x, state)
    assert y.shape == y_ref.shape
    assert h.shape == c.shape == h_ref.shape == (1, batch, hidden_size)
    assert torch.allclose(y, y_ref, atol=ATOL)
    assert torch.allclose(h, h_ref, atol=ATOL)
    assert torch.allclose(c, c_ref, atol=ATOL)
    assert list(gates) == list(GATE_NAMES)
    for value in gates.values():  # batch first whatever the layer's layout
        assert value.shape == (batch, time, hidden_size)


def test_lstm_forward_gates_are_the_steps_gates():
    torch.manual_seed(0)
    lstm = nn.LSTM(2, 3, batch_first=True)
    x = torch.randn(2, 4, 2)
    _, _, gates = lstm_forward(x, lstm)
    h = c = torch.zeros(2, 3)
    for t in range(4):
        h, c, step_gates = lstm_step(x[:, t], h, c, *_weights(lstm))
        for name in GATE_NAMES:
            assert torch.equal(gates[name][:, t], step_gates[name])


def test_lstm_forward_the_lectures_28_by_256_example():
    torch.manual_seed(0)
    lstm = nn.LSTM(input_size=28, hidden_size=256, batch_first=True)
    x = torch.randn(2, 5, 28)
    y_lstm, (h, c), _ = lstm_forward(x, lstm)
    y_ref, (h_ref, c_ref) = lstm(x, None)
    assert y_lstm.shape == (2, 5, 256) and h.shape == c.shape == (1, 2, 256)
    assert torch.allclose(y_lstm, y_ref, atol=ATOL)
    assert torch.allclose(c, c_ref, atol=ATOL)


def test_lstm_forward_without_bias():
    torch.manual_seed(0)
    lstm = nn.LSTM(2, 3, bias=False, batch_first=True)
    x = torch.randn(2, 4, 2)
    assert torch.allclose(lstm_forward(x, lstm)[0], lstm(x)[0], atol=ATOL)


@pytest.mark.parametrize(
    ("x", "layer", "state", "error", "match"),
    [
        (torch.zeros(4, 1), nn.LSTM(1, 2), None, ValueError, r"x must be 3-D .*\(4, 1\)"),
        (torch.zeros(1, 4, 1), nn.LSTM(1, 2, num_layers=2), None, ValueError, r"num_layers=2"),
        (torch.zeros(1, 4, 1), nn.LSTM(1, 2, bidirectional=True), None, ValueError, "bidirec"),
        (torch.zeros(1, 4, 1), nn.LSTM(1, 4, proj_size=2), None, ValueError, "no projection"),
        (torch.zeros(1, 4, 1), nn.RNN(1, 2), None, TypeError, r"expected an LSTM module, got RNN"),
        (torch.zeros(1, 4, 3), nn.LSTM(1, 2, batch_first=True), None, ValueError, r"weight_ih"),
        (
            torch.zeros(3, 4, 1),
            nn.LSTM(1, 2, batch_first=True),
            (torch.zeros(1, 2, 2), torch.zeros(1, 2, 2)),
            ValueError,
            r"h_prev must have shape \(3, 2\)",
        ),
    ],
)
def test_lstm_forward_bad_input(x, layer, state, error, match):
    with pytest.raises(error, match=match):
        lstm_forward(x, layer, state)


def test_steps_add_in_the_chapters_order_so_their_cells_agree_bit_for_bit():
    """Chapter 4 prints torch.equal(its cell's step, scratch.lstm_step): same sums, same bits."""
    g = torch.Generator().manual_seed(0)
    x, h, c = (torch.randn(64, n, generator=g) for n in (7, 32, 32))
    w_ih, w_hh = torch.randn(128, 7, generator=g), torch.randn(128, 32, generator=g)
    b_ih, b_hh = torch.randn(128, generator=g), torch.randn(128, generator=g)
    pre = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh  # as chapter 4's cell writes it
    i, f, g_, o = pre.chunk(4, dim=1)
    c_cell = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g_)
    h_cell = torch.sigmoid(o) * torch.tanh(c_cell)
    h_help, c_help, _ = lstm_step(x, h, c, w_ih, w_hh, b_ih, b_hh)
    assert torch.equal(h_help, h_cell) and torch.equal(c_help, c_cell)
    rnn_cell = torch.tanh(x @ w_ih[:32].T + b_ih[:32] + h @ w_hh[:32].T + b_hh[:32])
    assert torch.equal(rnn_step(x, h, w_ih[:32], w_hh[:32], b_ih[:32], b_hh[:32]), rnn_cell)
