"""helpers.models.SequenceRegressor: the lecture's network (chapters 1 and 5); eval_mode."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from helpers.models import SequenceRegressor, eval_mode

LAYERS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize(
    ("batch", "time", "input_size", "hidden_size", "output_size"),
    [(1, 1, 1, 1, 1), (8, 10, 1, 64, 1), (3, 7, 4, 5, 2)],
)
def test_forward_shapes(cell, batch, time, input_size, hidden_size, output_size):
    torch.manual_seed(0)
    model = SequenceRegressor(cell, input_size, hidden_size, output_size)
    y = model(torch.randn(batch, time, input_size))
    assert y.shape == (batch, output_size)
    assert y.dtype == torch.float32


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru", "LSTM", "Gru"])
def test_layer_names_and_types(cell):
    model = SequenceRegressor(cell, input_size=3, hidden_size=6, output_size=2)
    assert model.cell == cell.lower()
    assert type(model.rnn) is LAYERS[cell.lower()]
    assert model.rnn.batch_first
    assert (model.rnn.input_size, model.rnn.hidden_size, model.rnn.num_layers) == (3, 6, 1)
    assert isinstance(model.fc, nn.Linear)
    assert (model.fc.in_features, model.fc.out_features) == (6, 2)
    assert [name for name, _ in model.named_children()] == ["rnn", "fc"]


def test_print_reads_like_the_lectures_net():
    text = str(SequenceRegressor())
    assert "(rnn): RNN(1, 64, batch_first=True)" in text
    assert "(fc): Linear(in_features=64, out_features=1, bias=True)" in text
    assert "(rnn): LSTM(1, 64, batch_first=True)" in str(SequenceRegressor("lstm"))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_forward_is_linear_on_the_last_step(cell):
    torch.manual_seed(0)
    model = SequenceRegressor(cell, hidden_size=8)
    x = torch.randn(4, 6, 1)
    y_rnn, _ = model.rnn(x, None)  # the lecture's call
    expected = model.fc(y_rnn[:, -1, :])
    assert torch.allclose(model(x), expected)


def test_last_step_depends_on_earlier_steps():
    torch.manual_seed(0)
    model = SequenceRegressor("lstm", hidden_size=8)
    x = torch.randn(1, 6, 1)
    x_changed = x.clone()
    x_changed[0, 0, 0] += 1.0  # only the first step differs
    assert not torch.allclose(model(x), model(x_changed))


def test_batch_items_are_independent():
    torch.manual_seed(0)
    model = SequenceRegressor("gru", hidden_size=8)
    x = torch.randn(5, 4, 1)
    y = model(x)
    assert torch.allclose(y[2:3], model(x[2:3]), atol=1e-6)


@pytest.mark.parametrize(
    ("cell", "match"),
    [
        ("transformer", r"cell must be one of \['gru', 'lstm', 'rnn'\], got 'transformer'"),
        ("", r"cell must be one of .*got ''"),
        (nn.LSTM, r"cell must be one of .*got <class"),
        (None, r"cell must be one of .*got None"),
    ],
)
def test_unknown_cell(cell, match):
    with pytest.raises(ValueError, match=match):
        SequenceRegressor(cell)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"hidden_size": 0}, ValueError, r"hidden_size must be a positive int .*got 0"),
        ({"input_size": -1}, ValueError, r"input_size must be a positive int .*got -1"),
        ({"output_size": 1.5}, TypeError, r"output_size must be a positive int, got 1\.5"),
        ({"hidden_size": True}, TypeError, r"hidden_size must be a positive int, got True"),
    ],
)
def test_bad_sizes(kwargs, error, match):
    with pytest.raises(error, match=match):
        SequenceRegressor("rnn", **kwargs)


@pytest.mark.parametrize(
    ("shape", "input_size"),
    [((10,), 1), ((5, 10), 1), ((2, 5, 10, 1), 1), ((2, 10, 3), 1), ((2, 10, 1), 3)],
)
def test_bad_input_shape(shape, input_size):
    model = SequenceRegressor("rnn", input_size=input_size, hidden_size=4)
    with pytest.raises(ValueError, match=r"expected input of shape \(batch, time, \d\)") as info:
        model(torch.zeros(shape))
    message = str(info.value)
    assert f"(batch, time, {input_size})" in message
    assert str(tuple(shape)) in message
    assert "x.view(1, -1, 1)" in message  # the fix for a single window


# ---------------------------------------------------------------- eval_mode


def test_eval_mode_switches_and_restores():
    model = nn.Sequential(nn.Linear(1, 1), nn.Dropout(0.5)).train()
    with eval_mode(model) as inside:
        assert inside is model
        assert not model.training and not model[1].training
        assert not torch.is_grad_enabled()
    assert model.training and model[1].training
    assert torch.is_grad_enabled()


def test_eval_mode_restores_after_an_error():
    model = nn.Linear(1, 1).train()
    with pytest.raises(KeyError), eval_mode(model):
        raise KeyError("inside")
    assert model.training
    assert torch.is_grad_enabled()
