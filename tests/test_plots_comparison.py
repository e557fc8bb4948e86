"""helpers.plots.comparison: results across seeds (chapter 5)."""

from __future__ import annotations

import pytest
from matplotlib.colors import to_hex

from helpers import plots


def _row(cell: str, epochs: int, seed: int, rmse: float) -> dict:
    """A row as the plot reads it: the run, the seed and one metric."""
    return {"cell": cell, "epochs": epochs, "seed": seed, "closed_loop_rmse": rmse}


def test_seed_comparison_marks_each_median():
    rows = [_row("rnn", 100, s, r) for s, r in enumerate([0.1, 0.5, 0.3])]
    rows += [_row("lstm", 1000, s, r) for s, r in enumerate([0.2, 0.4])]
    ax = plots.plot_seed_comparison(rows)
    medians = [line.get_ydata()[0] for line in ax.lines if line.get_color() == "black"]
    assert medians == pytest.approx([0.3, 0.3])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["RNN\n100 epochs", "LSTM\n1000 epochs"]


def test_seed_comparison_bad_input():
    with pytest.raises(ValueError, match="rows is empty"):
        plots.plot_seed_comparison([])
    with pytest.raises(ValueError, match="'nope' is missing"):
        plots.plot_seed_comparison([_row("rnn", 100, 0, 0.1)], "nope")


def test_seed_comparison_colours_each_cell_as_the_book_does():
    ax = plots.plot_seed_comparison([_row(cell, 10, 0, 0.1) for cell in ("rnn", "lstm", "gru")])
    colours = [to_hex(c.get_facecolor()[0]) for c in ax.collections]
    assert colours == [
        plots.COLORS["rnn"].lower(),
        plots.COLORS["lstm"].lower(),
        plots.COLORS["gru"].lower(),  # chapter 6 gives the GRU its own colour
    ]


def test_seed_comparison_refuses_a_seed_twice_for_one_run():
    rows = [_row("rnn", 100, 0, 0.1), _row("rnn", 100, 0, 0.2)]
    with pytest.raises(ValueError, match="two rows for RNN, 100 epochs, seed 0"):
        plots.plot_seed_comparison(rows)
