"""helpers.plots.series: the data, its windows, forecasts, loss curves and frames (chapters 2-3)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import plots
from helpers.models import SequenceRegressor
from helpers.training import History, Snapshot, train

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_plot_series(sine):
    x, y = sine
    ax = plots.plot_series(x, y)
    assert isinstance(ax, Axes)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["sin(x)", "noisy data"]
    assert ax.get_lines()[1].get_ydata().tolist() == pytest.approx(y.tolist())


def test_plot_series_on_a_given_axes_without_the_clean_sine(sine):
    fig, ax = plt.subplots()
    assert plots.plot_series(*sine, ax=ax, show_clean=False) is ax
    assert [line.get_label() for line in ax.get_lines()] == ["noisy data"]


def test_plot_windows_draws_one_panel_per_sample(sine):
    _, y = sine
    fig = plots.plot_windows(y, 5, samples=(0, 1, 2))
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 3
    assert fig.axes[0].get_title(loc="left") == "sample 1: t = 0..4 → t = 5"
    assert fig.axes[2].get_title(loc="left") == "sample 3: t = 2..6 → t = 7"


@pytest.mark.parametrize("n_time", [3, 10])
def test_plot_windows_legend_counts_the_steps_of_the_window(sine, n_time):
    fig = plots.plot_windows(sine[1], n_time, samples=(0,))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == [f"input ({n_time} steps)", "answer"]
    window = fig.axes[0].lines[1]
    assert len(window.get_xdata()) == n_time


def test_plot_windows_single_and_last_sample(sine):
    _, y = sine
    fig = plots.plot_windows(y, 5, samples=(24,))  # 30 points, n_time 5: samples 0..24
    assert len(fig.axes) == 1


@pytest.mark.parametrize(
    ("samples", "match"),
    [((25,), r"sample index 25 is outside 0\.\.24 for n_time=5"), ((-1,), r"sample index -1")],
)
def test_plot_windows_bad_sample(sine, samples, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_windows(sine[1], 5, samples=samples)


def test_plot_prediction(sine):
    _, y = sine
    ax = plots.plot_prediction(y, y * 0.5, 5, title="epoch 3")
    assert isinstance(ax, Axes)
    assert ax.get_title(loc="left") == "epoch 3"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Correct", "Predicted", "seed window"]


def test_plot_prediction_keeps_the_data_scale_for_a_runaway_forecast(sine):
    _, y = sine
    ax = plots.plot_prediction(y, torch.full_like(y, 1e6), 5)
    low, high = ax.get_ylim()
    assert high < 10  # the forecast leaves the frame; the data stays readable


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_plot_prediction_rejects_non_finite_forecasts(sine, bad):
    _, y = sine
    predicted = y.clone()
    predicted[7] = bad
    with pytest.raises(ValueError, match=r"predicted holds 1 NaN or inf.*smaller learning rate"):
        plots.plot_prediction(y, predicted, 5)


def test_plot_loss():
    ax = plots.plot_loss([0.5, 0.1, 0.05, 0.02], noise_floor=0.01, label="RNN")
    assert isinstance(ax, Axes)
    assert ax.get_yscale() == "log"
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["RNN", "noise floor"]
    assert ax.get_lines()[1].get_ydata()[0] == pytest.approx(0.01)


@pytest.mark.parametrize("floor", [0.0, -0.01, float("nan"), float("inf")])
def test_plot_loss_bad_noise_floor(floor):
    with pytest.raises(ValueError, match=r"noise_floor must be a positive number"):
        plots.plot_loss([0.5, 0.1], noise_floor=floor)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: plots.plot_loss([0.5, float("nan")]), r"record_loss_train holds 1 NaN or inf"),
        (lambda: plots.plot_loss([]), r"record_loss_train is empty"),
        (lambda: plots.plot_series([0.0, 1.0], [0.0, float("nan")]), r"y holds 1 NaN or inf"),
        (lambda: plots.plot_series([float("inf"), 1.0], [0.0, 1.0]), r"x holds 1 NaN or inf"),
        (lambda: plots.plot_windows([0.0, float("nan"), 1.0], 1, (0,)), r"series holds 1 NaN"),
        (lambda: plots.plot_prediction([float("nan"), 1.0], [0.0, 1.0], 1), r"series holds 1 NaN"),
    ],
)
def test_non_finite_or_empty_input_is_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_prediction_frames_one_png_per_snapshot(windows, sine):
    torch.manual_seed(0)
    model = SequenceRegressor(hidden_size=4)
    history = train(
        model, *windows, epochs=7, snapshot_every=3, verbose=False, progress=False, seed=0
    )
    open_before = plt.get_fignums()
    frames = plots.prediction_frames(history, sine[1], 5, dpi=40)
    assert list(frames) == list(history.snapshots) == [0, 3, 6]
    assert all(isinstance(v, bytes) and v.startswith(PNG_MAGIC) for v in frames.values())
    assert plt.get_fignums() == open_before  # every frame's figure closed


def test_prediction_frames_without_snapshots():
    with pytest.raises(ValueError, match=r"history has no snapshots.*snapshot_every"):
        plots.prediction_frames(History(record_loss_train=[0.1]), torch.zeros(10), 5)


def test_prediction_frames_refuses_a_diverged_snapshot():
    history = History([0.1], {0: Snapshot(0, 0.1, torch.tensor([0.0, float("nan")]))})
    with pytest.raises(ValueError, match=r"predicted holds 1 NaN"):
        plots.prediction_frames(history, torch.zeros(2), 1)


def test_plot_forecast_modes_draws_forecasts_and_their_errors():
    series = torch.sin(torch.linspace(0, 6, 30))
    clean = series[5:]
    one_step, closed = clean + 0.1, clean - 0.2
    fig = plots.plot_forecast_modes(series, one_step, closed, 5, clean=clean)
    assert isinstance(fig, Figure)
    top, bottom = fig.axes
    errors = {line.get_label(): line.get_ydata() for line in bottom.lines}
    assert errors["one step ahead"] == pytest.approx([0.1] * 25, abs=1e-6)
    assert errors["closed loop"] == pytest.approx([0.2] * 25, abs=1e-6)


def test_plot_forecast_modes_without_clean_scores_against_the_series():
    series = torch.arange(12.0)
    fig = plots.plot_forecast_modes(series, series[4:] + 1, series[4:], 4)
    errors = {line.get_label(): line.get_ydata() for line in fig.axes[1].lines}
    assert errors["one step ahead"] == pytest.approx([1.0] * 8)
    assert errors["closed loop"] == pytest.approx([0.0] * 8)


def test_plot_forecast_modes_keeps_the_data_scale_for_a_runaway_forecast():
    series = torch.sin(torch.linspace(0, 6, 30))
    fig = plots.plot_forecast_modes(series, series[5:], torch.full((25,), 1e6), 5)
    low, high = fig.axes[0].get_ylim()
    assert -2 < low < -1 and 1 < high < 2  # the data's range and half of it again, each side


def test_plot_forecast_modes_names_a_forecast_of_the_wrong_length():
    series = torch.zeros(20)
    with pytest.raises(ValueError, match=r"closed_loop_pred has 14 values, expected 15"):
        plots.plot_forecast_modes(series, torch.zeros(15), torch.zeros(14), 5)
