"""helpers.plots.memory: chapter 6's figures draw what they are given and refuse bad input."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from helpers.memory import summarize_sweep
from helpers.plots import memory as pm


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_loss_curves_draw_one_line_per_curve_and_the_floors():
    ax = pm.plot_loss_curves(
        {"SGD": ([0, 10, 20], [0.5, 0.05, 0.02]), "Adam": ([0, 10], [0.4, 0.01])},
        floors={"σ²": 0.01},
    )
    assert len(ax.get_lines()) == 3 and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="one loss per epoch"):
        pm.plot_loss_curves({"x": ([0, 1], [0.1])})
    with pytest.raises(ValueError, match="positive"):
        pm.plot_loss_curves({"x": ([0], [0.0])})
    with pytest.raises(ValueError, match="floors"):
        pm.plot_loss_curves({"x": ([0], [0.1])}, floors={"bad": -1.0})


def test_two_close_floors_label_outside_the_gap_between_them():
    # the lower floor's label hangs under its line, the higher one's stands on its own: neither
    # sits between the two lines, whatever order the floors come in
    ax = pm.plot_loss_curves({"x": ([0, 1], [0.1, 0.02])}, floors={"high": 0.0113, "low": 0.01})
    placed = {t.get_text(): (t.xy[1], t.get_va()) for t in ax.texts}
    assert placed == {"high": (0.0113, "bottom"), "low": (0.01, "top")}


def test_gate_histograms_one_panel_per_gate():
    hist = {"input": [1, 2, 3], "forget": [3, 2, 1], "output": [1, 1, 1]}
    fig = pm.plot_gate_histograms({"before": hist, "after": hist})
    assert len(fig.axes) == 3
    with pytest.raises(ValueError, match="no 'forget' gate"):
        pm.plot_gate_histograms({"before": {"input": [1]}}, gates=("forget",))
    with pytest.raises(ValueError, match="no counts"):
        pm.plot_gate_histograms({"before": {"input": [0, 0]}}, gates=("input",))


def test_recall_sweep_plots_every_seed_and_the_medians():
    rows = [
        {"cell": c, "keep_bias": None, "hidden_size": 32, "lag": lag, "seed": s, "error": e}
        for c, e in (("rnn", 0.9), ("lstm", 0.05))
        for lag in (5, 50)
        for s, e in enumerate((e, e / 2, e * 1.1))
    ]
    ax = pm.plot_recall_sweep(summarize_sweep(rows))
    assert len(ax.collections) == 4  # a scatter per configuration and lag
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="empty"):
        pm.plot_recall_sweep({})


def test_reach_by_lag_and_its_checks():
    ax = pm.plot_reach_by_lag(
        [0, 5, 10], {"LSTM": [1, 0.5, 0.9]}, {"LSTM": [1, 1e-3, 1e-6]}, remembered=10
    )
    assert len(ax.get_lines()) == 3  # trained, init, the marker line
    with pytest.raises(ValueError, match="values, lags has"):
        pm.plot_reach_by_lag([0, 5], {"RNN": [1.0]})
    with pytest.raises(ValueError, match="positive"):
        pm.plot_reach_by_lag([0], {"RNN": [0.0]})


def test_horizon_error_median_and_band():
    ax = pm.plot_horizon_error({"LSTM": [[0.1, 0.2, 0.3], [0.2, 0.1, 0.4]]}, data_end=2)
    assert len(ax.collections) == 1 and len(ax.get_lines()) == 2
    with pytest.raises(ValueError, match="one curve per seed"):
        pm.plot_horizon_error({"LSTM": [0.1, 0.2]})


def test_window_floors_lines_and_checks():
    ax = pm.plot_window_floors(
        [2, 3], {"least squares": [0.06, 0.03], "best": [0.03, 0.02]}, {"LSTM, SGD": 0.017}
    )
    assert len(ax.get_lines()) == 3 and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="points has"):
        pm.plot_window_floors([2, 3], {"x": [0.1]})
    with pytest.raises(ValueError, match="models"):
        pm.plot_window_floors([2], {"x": [0.1]}, {"m": 0.0})
