"""helpers.plots.gates: the LSTM's gate heat maps and the memory line (chapter 4)."""

from __future__ import annotations

import math

import pytest
import torch

from helpers import plots

PNG = b"\x89PNG\r\n\x1a\n"


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


def test_gate_heatmaps_sort_units_by_the_forget_gate():
    gates = _gates()
    fig = plots.plot_gate_heatmaps(gates, torch.zeros(6), sort_by="forget")
    forget_map = [ax.images[0] for ax in fig.axes if ax.images][1].get_array()
    means = torch.tensor(forget_map).mean(dim=1)
    assert torch.all(means[:-1] >= means[1:])
    expected = gates["forget"].T[gates["forget"].mean(dim=0).argsort(descending=True)]
    assert torch.allclose(torch.tensor(forget_map), expected)


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


@pytest.mark.parametrize(
    ("forget", "error"),
    [
        (-0.1, ValueError),
        (1.5, ValueError),
        (math.nan, ValueError),
        (True, TypeError),
        ("0.5", TypeError),
    ],
)
def test_cell_memory_refuses_values_a_sigmoid_cannot_give(forget, error):
    with pytest.raises(error, match="forget must be a number from 0 to 1"):
        plots.plot_cell_memory(forget)


def test_forget_gate_frames_one_png_per_value_labelled_for_the_slider():
    frames = plots.forget_gate_frames((0.0, 0.2, 0.25, 1.0), steps=5)
    assert list(frames) == ["0.0", "0.2", "0.25", "1.0"]  # distinct values, distinct labels
    assert all(png.startswith(PNG) for png in frames.values())
    assert len(set(frames.values())) == 4  # and four different pictures
    assert list(plots.forget_gate_frames()) == [f"{k / 10:.1f}" for k in range(11)]


def test_forget_gate_frames_refuses_a_value_twice():
    with pytest.raises(ValueError, match=r"forget_values repeats \['0.5'\]"):
        plots.forget_gate_frames((0.5, 0.25, 0.5))


def test_cell_memory_title_shows_the_value_as_given():
    ax = plots.plot_cell_memory(0.25, steps=10)
    assert ax.get_title(loc="left").startswith("forget gate f = 0.25:")


def test_forget_gate_frames_empty():
    with pytest.raises(ValueError, match="forget_values is empty"):
        plots.forget_gate_frames(())
