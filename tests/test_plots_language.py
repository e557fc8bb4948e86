"""helpers.plots.language: held-out perplexity over training (chapter 7)."""

from __future__ import annotations

import pytest

from helpers import plots


def curve(values, x="step", every=10):
    return [{x: k * every, "perplexity": v} for k, v in enumerate(values)]


def test_one_curve_one_line_on_a_log_scale_with_plain_ticks():
    ax = plots.plot_perplexity({"LSTM": curve([28, 10, 6])})
    assert [line.get_label() for line in ax.lines] == ["LSTM"]
    assert list(ax.lines[0].get_xdata()) == [0, 10, 20]
    assert list(ax.lines[0].get_ydata()) == [28, 10, 6]
    assert ax.get_yscale() == "log"
    assert {t.get_text() for t in ax.get_yticklabels()} >= {"6", "10", "28"}
    assert ax.get_xlabel() == "updates" and ax.get_ylabel() == "held-out perplexity"
    assert not ax.collections  # one curve: no band


def test_several_seeds_give_the_median_and_a_band():
    seeds = [
        curve([28, 9, 5], "seconds"),
        curve([28, 11, 7], "seconds"),
        curve([27, 10, 6], "seconds"),
    ]
    ax = plots.plot_perplexity({"book": seeds}, x="seconds")
    assert list(ax.lines[0].get_ydata()) == [28, 10, 6]
    assert len(ax.collections) == 1  # the band from lowest to highest
    assert ax.get_xlabel() == "CPU seconds of training"


def test_baselines_are_dashed_lines_with_their_names():
    ax = plots.plot_perplexity({"LSTM": curve([28, 6])}, baselines={"5-gram": 4.24})
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and list(dashed[0].get_ydata()) == [4.24, 4.24]
    assert any(t.get_text() == "5-gram 4.24" for t in ax.texts)


def test_seeds_of_different_lengths_are_cut_to_the_shortest():
    ax = plots.plot_perplexity({"x": [curve([28, 9, 5]), curve([28, 10])]})
    assert len(ax.lines[0].get_xdata()) == 2


@pytest.mark.parametrize(
    ("runs", "kwargs", "error", "match"),
    [
        ({}, {}, ValueError, "runs is empty"),
        ({"LSTM": []}, {}, ValueError, "run 'LSTM' has no checkpoints"),
        ({"LSTM": curve([28])}, {"x": "epoch"}, ValueError, "x must be one of"),
    ],
)
def test_bad_input(runs, kwargs, error, match):
    with pytest.raises(error, match=match):
        plots.plot_perplexity(runs, **kwargs)


def test_every_run_gets_its_own_colour_and_cells_keep_theirs():
    ax = plots.plot_perplexity(
        {"RNN": curve([28, 9]), "GRU": curve([28, 8]), "LSTM": curve([28, 7])}
    )
    colours = [line.get_color() for line in ax.lines]
    assert len(set(colours)) == 3
    assert colours[0] == plots.COLORS["rnn"] and colours[2] == plots.COLORS["lstm"]
