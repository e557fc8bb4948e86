"""What chapters 4-5 add to the plots: gate and memory figures, the seed comparison."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest
import torch

from helpers import plots

PNG = b"\x89PNG\r\n\x1a\n"

# ---------------------------------------------------------------- chapter 4 figures


def _gates(n_time: int = 6, hidden: int = 5) -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    sig = {name: torch.rand(n_time, hidden) for name in ("input", "forget", "output")}
    return {**sig, "cell": torch.rand(n_time, hidden) * 2 - 1}


def test_gate_heatmaps_draw_one_map_per_gate_on_fixed_scales():
    gates = _gates()
    fig = plots.plot_gate_heatmaps(gates, torch.linspace(0, 1, 6))
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 4
    assert [im.get_clim() for im in images] == [(0, 1), (0, 1), (-1, 1), (0, 1)]
    assert images[0].get_array().shape == (5, 6)  # units x steps
    plt.close(fig)


def test_gate_heatmaps_sort_units_by_the_forget_gate():
    gates = _gates()
    fig = plots.plot_gate_heatmaps(gates, torch.zeros(6), sort_by="forget")
    forget_map = [ax.images[0] for ax in fig.axes if ax.images][1].get_array()
    means = torch.tensor(forget_map).mean(dim=1)
    assert torch.all(means[:-1] >= means[1:])
    expected = gates["forget"].T[gates["forget"].mean(dim=0).argsort(descending=True)]
    assert torch.allclose(torch.tensor(forget_map), expected)
    plt.close(fig)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda g: g.pop("output"), r"gates lacks \['output'\]"),
        (lambda g: g.update(cell=torch.zeros(5, 5)), r"gates\['cell'\] must be \(n_time, hidden\)"),
        (lambda g: g.update(input=torch.zeros(1, 6, 5)), r"take one sample"),
    ],
)
def test_gate_heatmaps_bad_gates(change, match):
    gates = _gates()
    change(gates)
    with pytest.raises(ValueError, match=match):
        plots.plot_gate_heatmaps(gates, torch.zeros(6))


def test_gate_heatmaps_bad_sort_key():
    with pytest.raises(ValueError, match="sort_by must be one of"):
        plots.plot_gate_heatmaps(_gates(), torch.zeros(6), sort_by="memory")


@pytest.mark.parametrize("forget", [0.0, 0.5, 0.9, 1.0])
def test_cell_memory_bars_are_powers_of_f(forget):
    ax = plots.plot_cell_memory(forget, steps=8)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx([forget**t for t in range(9)])
    assert f"f = {forget:.1f}" in ax.get_title(loc="left")
    plt.close(ax.figure)


@pytest.mark.parametrize("forget", [-0.1, 1.5, math.nan, True, "0.5"])
def test_cell_memory_refuses_values_a_sigmoid_cannot_give(forget):
    with pytest.raises(ValueError, match="forget must be a number from 0 to 1"):
        plots.plot_cell_memory(forget)


def test_forget_gate_frames_one_png_per_value_labelled_for_the_slider():
    frames = plots.forget_gate_frames((0.0, 0.25, 1.0), steps=5)
    assert list(frames) == ["0.0", "0.2", "1.0"]  # one decimal: the slider's labels
    assert all(png.startswith(PNG) for png in frames.values())
    assert list(plots.forget_gate_frames()) == [f"{k / 10:.1f}" for k in range(11)]


def test_forget_gate_frames_empty():
    with pytest.raises(ValueError, match="forget_values is empty"):
        plots.forget_gate_frames(())


def test_gradient_reach_one_line_per_network():
    ax = plots.plot_gradient_reach([1, 2, 4], {"RNN": [1, 0.1, 0.01], "LSTM": [1, 0.5, 0.4]})
    assert [line.get_label() for line in ax.lines] == ["RNN", "LSTM"]
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("norms", "match"),
    [({}, "norms is empty"), ({"RNN": [1, 2]}, "has 2 values"), ({"RNN": [1, 0, 1]}, "positive")],
)
def test_gradient_reach_bad_input(norms, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_gradient_reach([1, 2, 3], norms)


# ---------------------------------------------------------------- chapter 5 figure


def _row(cell, epochs, seed, rmse, loss=0.02, one_step=0.015, spe=0.005):
    return {
        "cell": cell,
        "epochs": epochs,
        "seed": seed,
        "seconds_per_epoch": spe,
        "final_loss": loss,
        "one_step_mse": one_step,
        "closed_loop_rmse": rmse,
    }


def test_seed_comparison_marks_each_median():
    rows = [_row("rnn", 100, s, r) for s, r in enumerate([0.1, 0.5, 0.3])]
    rows += [_row("lstm", 1000, s, r) for s, r in enumerate([0.2, 0.4])]
    ax = plots.plot_seed_comparison(rows)
    medians = [line.get_ydata()[0] for line in ax.lines if line.get_color() == "black"]
    assert medians == pytest.approx([0.3, 0.3])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["RNN\n100 epochs", "LSTM\n1000 epochs"]
    plt.close(ax.figure)


def test_seed_comparison_bad_input():
    with pytest.raises(ValueError, match="rows is empty"):
        plots.plot_seed_comparison([])
    with pytest.raises(ValueError, match="'nope' is missing"):
        plots.plot_seed_comparison([_row("rnn", 100, 0, 0.1)], "nope")
