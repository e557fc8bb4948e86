"""helpers.training: the lecture's loop, made fast and checked (chapters 3 and 5), and its tools."""

from __future__ import annotations

import copy
import re
import sys
import types

import pytest
import torch
from torch import nn, optim

from helpers.forecast import closed_loop
from helpers.models import SequenceRegressor
from helpers.training import (
    ClippedOptimizer,
    History,
    Snapshot,
    TrainingDiverged,
    threads,
    train,
    want_progress,
)

LOG_LINE = re.compile(r"^Epochs: +(\d+)  Loss Train: (\d+\.\d{6})$")


def small_model(cell: str = "rnn", seed: int = 0) -> SequenceRegressor:
    torch.manual_seed(seed)
    return SequenceRegressor(cell, hidden_size=8)


def quiet(**kwargs) -> dict:
    return {"verbose": False, "progress": False, **kwargs}


@pytest.fixture
def restore_threads():
    before = torch.get_num_threads()
    yield before
    torch.set_num_threads(before)


# ---------------------------------------------------------------- what it returns


def test_returns_one_loss_per_epoch(windows):
    history = train(small_model(), *windows, **quiet(epochs=7, seed=0))
    assert isinstance(history, History)
    assert len(history.record_loss_train) == 7
    assert all(isinstance(v, float) and v > 0 for v in history.record_loss_train)
    assert history.final_loss == history.record_loss_train[-1]
    assert history.seconds > 0


@pytest.mark.parametrize(
    ("epochs", "every", "expected"),
    [
        (25, 10, [0, 10, 20, 24]),
        (20, 10, [0, 10, 19]),
        (21, 10, [0, 10, 20]),
        (1, 10, [0]),
        (4, 1, [0, 1, 2, 3]),
        (3, None, []),
    ],
)
def test_snapshots_every_k_epochs_and_at_the_last(windows, epochs, every, expected):
    history = train(small_model(), *windows, **quiet(epochs=epochs, snapshot_every=every, seed=0))
    assert list(history.snapshots) == expected


def test_snapshot_contents(windows):
    input_data, _ = windows
    n_sample, n_time, _ = input_data.shape
    model = small_model()
    history = train(model, *windows, **quiet(epochs=12, snapshot_every=5, seed=0))
    for epoch, snap in history.snapshots.items():
        assert isinstance(snap, Snapshot)
        assert snap.epoch == epoch
        assert snap.loss == history.record_loss_train[epoch]
        assert snap.predicted.shape == (n_time + n_sample,)
        assert torch.equal(snap.predicted[:n_time], input_data[0, :, 0])  # the seed window
        assert not snap.predicted.requires_grad
    # the last snapshot is the trained model's closed-loop forecast from the first window
    last = history.snapshots[11].predicted[n_time:]
    assert torch.allclose(last, closed_loop(model, input_data[0], n_sample))


def test_first_epoch_loss_is_the_mean_batch_mse(windows):
    # one batch holding every sample: epoch 0's loss is the untrained model's MSE
    input_data, correct_data = windows
    model = small_model()
    with torch.no_grad():
        expected = nn.functional.mse_loss(copy.deepcopy(model)(input_data), correct_data).item()
    history = train(model, *windows, **quiet(epochs=1, batch_size=len(input_data), seed=0))
    assert history.record_loss_train[0] == pytest.approx(expected, rel=1e-6)


def test_verbose_prints_the_lectures_log(windows, capsys):
    history = train(small_model(), *windows, epochs=12, snapshot_every=5, progress=False, seed=0)
    lines = capsys.readouterr().out.splitlines()
    matches = [LOG_LINE.match(line) for line in lines]
    assert all(matches), lines
    assert [int(m.group(1)) for m in matches] == [0, 5, 10, 11]
    for m in matches:
        assert float(m.group(2)) == pytest.approx(
            history.record_loss_train[int(m.group(1))], abs=5e-7
        )


def test_quiet_prints_nothing(windows, capsys):
    train(small_model(), *windows, **quiet(epochs=3, seed=0))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


# ---------------------------------------------------------------- behaviour


@pytest.mark.parametrize("start_in_eval", [False, True])
def test_model_is_left_in_train_mode(windows, start_in_eval):
    # documented: every epoch starts with model.train(); the forecasts restore that mode
    model = small_model("lstm")
    if start_in_eval:
        model.eval()
    train(model, *windows, **quiet(epochs=3, snapshot_every=1, seed=0))
    assert model.training
    assert all(m.training for m in model.modules())


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_same_seeds_same_run(windows, cell):
    first = train(small_model(cell), *windows, **quiet(epochs=5, seed=3))
    model = small_model(cell)
    second = train(model, *windows, **quiet(epochs=5, seed=3))
    assert first.record_loss_train == second.record_loss_train
    for a, b in zip(first.snapshots.values(), second.snapshots.values(), strict=True):
        assert torch.equal(a.predicted, b.predicted)


def test_seed_sets_the_shuffling_order(windows):
    a = train(small_model(), *windows, **quiet(epochs=3, seed=1))
    b = train(small_model(), *windows, **quiet(epochs=3, seed=2))
    assert a.record_loss_train != b.record_loss_train  # same weights, other batches


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_it_learns(windows, cell):
    # 40 epochs at lr 0.2 end below 0.03 for seeds 0, 1 and 2 with either cell
    history = train(small_model(cell), *windows, **quiet(epochs=40, lr=0.2, seed=0))
    losses = history.record_loss_train
    assert losses[-1] < losses[0] / 2
    assert min(losses[-5:]) < 0.1  # the sine's variance is 0.5: well below guessing the mean


def test_uses_a_given_optimizer(windows):
    model = small_model()
    before = copy.deepcopy(model.state_dict())
    frozen = optim.SGD(model.parameters(), lr=0.0)  # takes the place of lr=0.01
    train(model, *windows, optimizer=frozen, **quiet(epochs=2, seed=0))
    for name, value in model.state_dict().items():
        assert torch.equal(value, before[name]), name


def test_accepts_lists(windows):
    input_data, correct_data = windows
    history = train(
        small_model(), input_data.tolist(), correct_data.tolist(), **quiet(epochs=2, seed=0)
    )
    assert len(history.record_loss_train) == 2


# ---------------------------------------------------------------- threads


class ThreadSpy(nn.Module):
    """A one-parameter model that records the thread count it runs with."""

    def __init__(self) -> None:
        super().__init__()
        self.w = nn.Parameter(torch.zeros(()))
        self.threads: set[int] = set()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.threads.add(torch.get_num_threads())
        return x[:, -1, :] * self.w


def test_trains_on_one_thread_and_restores_the_count(windows, restore_threads):
    torch.set_num_threads(2)
    spy = ThreadSpy()
    train(spy, *windows, **quiet(epochs=2, seed=0))
    assert spy.threads == {1}
    assert torch.get_num_threads() == 2


def test_num_threads_none_leaves_the_setting(windows, restore_threads):
    torch.set_num_threads(2)
    spy = ThreadSpy()
    train(spy, *windows, num_threads=None, **quiet(epochs=1, seed=0))
    assert spy.threads == {2}
    assert torch.get_num_threads() == 2


# ---------------------------------------------------------------- ClippedOptimizer


def test_clipped_optimizer_clips_and_records():
    p = torch.nn.Parameter(torch.zeros(2))
    clipped = ClippedOptimizer(torch.optim.SGD([p], lr=1.0), max_norm=1.0)
    p.grad = torch.tensor([3.0, 4.0])  # norm 5
    clipped.step()
    assert clipped.norms == [5.0]
    assert torch.allclose(p.detach(), torch.tensor([-0.6, -0.8]))
    clipped.zero_grad()
    assert p.grad is None or torch.all(p.grad == 0)


# ---------------------------------------------------------------- divergence


def test_huge_learning_rate_raises_training_diverged(windows, restore_threads):
    torch.set_num_threads(2)
    with pytest.raises(TrainingDiverged) as info:
        train(small_model(), *windows, **quiet(epochs=20, lr=1e6, seed=0))
    message = str(info.value)
    assert re.search(r"at epoch \d+", message), message
    assert "smaller learning rate than lr=1000000.0" in message
    assert "lr=100000" in message  # a concrete suggestion, ten times smaller
    assert isinstance(info.value, RuntimeError)
    assert torch.get_num_threads() == 2  # restored on the way out too


def test_threads_sets_the_count_inside_and_restores_it(restore_threads):
    torch.set_num_threads(2)
    with pytest.raises(KeyError), threads(1):
        assert torch.get_num_threads() == 1
        raise KeyError("inside")
    assert torch.get_num_threads() == 2
    with threads(None):
        assert torch.get_num_threads() == 2


# ---------------------------------------------------------------- progress bar


def test_want_progress_follows_the_argument_then_the_session(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    monkeypatch.setenv("HELPERS_PROGRESS", "0")
    assert want_progress(True) and not want_progress(False)
    assert not want_progress(None)  # HELPERS_PROGRESS=0: book builds draw no bar
    monkeypatch.delenv("HELPERS_PROGRESS")
    assert want_progress(None)  # a live kernel
    monkeypatch.delitem(sys.modules, "ipykernel")
    assert not want_progress(None)


def test_progress_bar_when_asked(windows, capsys):
    train(small_model(), *windows, epochs=2, verbose=False, progress=True, seed=0)
    assert "training SequenceRegressor" in capsys.readouterr().err


@pytest.mark.parametrize(("env", "expect_bar"), [("0", False), ("off", False), ("", True)])
def test_progress_bar_in_a_live_kernel_unless_turned_off(
    windows, capsys, monkeypatch, env, expect_bar
):
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    monkeypatch.setenv("HELPERS_PROGRESS", env)
    train(small_model(), *windows, epochs=2, verbose=False, seed=0)
    assert ("training SequenceRegressor" in capsys.readouterr().err) is expect_bar


def test_no_progress_bar_outside_jupyter(windows, capsys, monkeypatch):
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.delenv("HELPERS_PROGRESS", raising=False)
    train(small_model(), *windows, epochs=2, verbose=False, seed=0)
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, r"epochs must be a positive int .*got 0"),
        ({"epochs": -5}, ValueError, r"epochs .*got -5"),
        ({"epochs": 2.5}, TypeError, r"epochs must be a positive int, got 2\.5"),
        ({"batch_size": 0}, ValueError, r"batch_size must be a positive int .*got 0"),
        ({"snapshot_every": 0}, ValueError, r"snapshot_every must be a positive int .*got 0"),
        ({"lr": 0}, ValueError, r"lr must be a positive finite number, got 0"),
        ({"lr": 0.0}, ValueError, r"lr must be a positive finite number, got 0\.0"),
        ({"lr": -0.01}, ValueError, r"lr must be a positive finite number, got -0\.01"),
        ({"lr": float("nan")}, ValueError, r"lr must be a positive finite number, got nan"),
        ({"lr": float("inf")}, ValueError, r"lr must be a positive finite number, got inf"),
        ({"lr": "0.01"}, TypeError, r"lr must be a positive finite number, got '0\.01' \(str\)"),
        ({"lr": True}, TypeError, r"lr must be a positive finite number, got True \(bool\)"),
        ({"seed": 1.5}, TypeError, r"seed must be an int or None, got 1\.5"),
    ],
)
def test_bad_arguments(windows, kwargs, error, match):
    model = small_model()
    before = copy.deepcopy(model.state_dict())
    with pytest.raises(error, match=match):
        train(model, *windows, **quiet(**kwargs))
    for name, value in model.state_dict().items():  # checked before any update
        assert torch.equal(value, before[name])


def test_mismatched_lengths(windows):
    input_data, correct_data = windows
    with pytest.raises(ValueError, match=r"n_sample=25 to match input_data, got shape \(24, 1\)"):
        train(small_model(), input_data, correct_data[:-1], **quiet())


@pytest.mark.parametrize(
    ("input_shape", "correct_shape", "match"),
    [
        ((25, 5), (25, 1), r"input_data must be \(n_sample, n_time, features\), got .*\(25, 5\)"),
        ((25, 5, 1), (25,), r"correct_data must be \(n_sample, features\).*got shape \(25,\)"),
        ((0, 5, 1), (0, 1), r"input_data holds no samples"),
    ],
)
def test_bad_data_shapes(input_shape, correct_shape, match):
    with pytest.raises(ValueError, match=match):
        train(small_model(), torch.zeros(input_shape), torch.zeros(correct_shape), **quiet())


@pytest.mark.parametrize("which", ["input_data", "correct_data"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_data(windows, which, bad):
    input_data, correct_data = (t.clone() for t in windows)
    target = input_data if which == "input_data" else correct_data
    target.view(-1)[3] = bad
    with pytest.raises(ValueError, match=rf"{which} holds 1 NaN or inf value\(s\)"):
        train(small_model(), input_data, correct_data, **quiet())
