"""helpers.plots: the book's figures (chapters 2 and 3). Rendered with Agg (see conftest)."""

from __future__ import annotations

import struct

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import plots
from helpers.models import SequenceRegressor
from helpers.training import History, Snapshot, train

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return struct.unpack(">II", data[16:24])


def test_backend_is_agg():
    assert mpl.get_backend().lower() == "agg"


def test_use_book_style_sets_the_defaults():
    with mpl.rc_context():
        plots.use_book_style()
        assert tuple(mpl.rcParams["figure.figsize"]) == (7.0, 3.2)
        assert mpl.rcParams["figure.dpi"] == 100
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["axes.grid"] is True


def test_colors_cover_every_role():
    roles = {"data", "clean", "predicted", "window", "answer", "rnn", "lstm"}
    assert roles <= set(plots.COLORS)
    assert all(c.startswith("#") and len(c) == 7 for c in plots.COLORS.values())


def test_figure_png_returns_png_bytes_and_closes_the_figure():
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, 1], [0, 1])
    data = plots.figure_png(fig, dpi=50)
    assert isinstance(data, bytes)
    assert data.startswith(PNG_MAGIC)
    assert not plt.fignum_exists(fig.number)
    assert fig.number not in plt.get_fignums()


def test_figure_png_dpi_scales_the_image():
    def render(dpi: int) -> tuple[int, int]:
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.plot([0, 1], [0, 1])
        return png_size(plots.figure_png(fig, dpi=dpi))

    (w1, h1), (w2, h2) = render(40), render(80)
    assert w2 == pytest.approx(2 * w1, rel=0.05)
    assert h2 == pytest.approx(2 * h1, rel=0.05)


# ---------------------------------------------------------------- plot_series / plot_windows


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


# ---------------------------------------------------------------- plot_prediction / plot_loss


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
    with pytest.raises(ValueError, match=r"predicted holds NaN or inf.*smaller learning rate"):
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
        (lambda: plots.plot_loss([0.5, float("nan")]), r"record_loss_train holds NaN or inf"),
        (lambda: plots.plot_loss([]), r"record_loss_train is empty"),
        (lambda: plots.plot_series([0.0, 1.0], [0.0, float("nan")]), r"y holds NaN or inf"),
        (lambda: plots.plot_series([float("inf"), 1.0], [0.0, 1.0]), r"x holds NaN or inf"),
        (lambda: plots.plot_windows([0.0, float("nan"), 1.0], 1, (0,)), r"series holds NaN"),
        (lambda: plots.plot_prediction([float("nan"), 1.0], [0.0, 1.0], 1), r"series holds NaN"),
    ],
)
def test_non_finite_or_empty_input_is_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------- prediction_frames


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
    with pytest.raises(ValueError, match=r"predicted holds NaN"):
        plots.prediction_frames(history, torch.zeros(2), 1)


# ---------------------------------------------------------------- chapter 1 and chapter 3 extras


def test_plot_gradient_norms_draws_one_point_per_length_on_a_log_scale():
    ax = plots.plot_gradient_norms([1, 10, 100], [1.0, 1e-3, 1e-9])
    assert isinstance(ax, Axes)
    assert ax.get_yscale() == "log"
    x, y = ax.lines[0].get_data()
    assert list(x) == [1, 10, 100] and list(y) == pytest.approx([1.0, 1e-3, 1e-9])


@pytest.mark.parametrize(
    ("lengths", "norms", "match"),
    [
        ([1, 2, 3], [1.0, 0.5], "lengths has 3 values but norms has 2"),
        ([1, 2], [1.0, 0.0], "norms must be positive"),
        ([1, 2], [1.0, float("nan")], "norms holds NaN or inf"),
    ],
)
def test_plot_gradient_norms_refuses_bad_input(lengths, norms, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_gradient_norms(lengths, norms)


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


def test_plot_forecast_modes_names_a_forecast_of_the_wrong_length():
    series = torch.zeros(20)
    with pytest.raises(ValueError, match=r"closed_loop_pred has 14 values, expected 15"):
        plots.plot_forecast_modes(series, torch.zeros(15), torch.zeros(14), 5)
