"""helpers.plots.comparison: results across seeds (chapter 5)."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from helpers import plots


def _rows(*rows: tuple[str, int, int, float]) -> pd.DataFrame:
    """Rows as helpers.results.load returns them: the run's label, its cell, the seed, a metric."""
    return pd.DataFrame(
        [
            {"run": f"{cell.upper()}, {epochs} epochs", "cell": cell, "seed": seed, "rmse": rmse}
            for cell, epochs, seed, rmse in rows
        ]
    )


def test_seed_comparison_marks_each_median():
    rows = _rows(*[("rnn", 100, s, r) for s, r in enumerate([0.1, 0.5, 0.3])])
    rows = pd.concat([rows, _rows(*[("lstm", 1000, s, r) for s, r in enumerate([0.2, 0.4])])])
    ax = plots.plot_seed_comparison(rows, "rmse")
    medians = [line.get_ydata()[0] for line in ax.lines if line.get_color() == "black"]
    assert medians == pytest.approx([0.3, 0.3])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["RNN\n100 epochs", "LSTM\n1000 epochs"]
    grey = [line for line in ax.lines if line.get_color() != "black"]
    assert [list(line.get_xdata()) for line in grey] == [[0, 1], [0, 1], [0]]  # seed 2: RNN only


def test_seed_comparison_bad_input():
    with pytest.raises(ValueError, match="rows is empty"):
        plots.plot_seed_comparison(pd.DataFrame())
    with pytest.raises(ValueError, match="not a DataFrame"):
        plots.plot_seed_comparison([{"run": "RNN, 1 epochs", "cell": "rnn", "seed": 0}])
    with pytest.raises(ValueError, match=r"\['nope'\] are missing"):
        plots.plot_seed_comparison(_rows(("rnn", 100, 0, 0.1)), "nope")


def test_seed_comparison_colours_each_cell_as_the_book_does():
    ax = plots.plot_seed_comparison(
        _rows(*[(cell, 10, 0, 0.1) for cell in ("rnn", "lstm", "gru")]), "rmse"
    )
    colours = [to_hex(c.get_facecolor()[0]) for c in ax.collections]
    assert colours == [
        plots.COLORS["rnn"].lower(),
        plots.COLORS["lstm"].lower(),
        plots.COLORS["gru"].lower(),  # the long-memory chapter gives the GRU its own colour
    ]


def test_seed_comparison_refuses_a_seed_twice_for_one_run():
    rows = _rows(("rnn", 100, 0, 0.1), ("rnn", 100, 0, 0.2))
    with pytest.raises(ValueError, match="two rows for RNN, 100 epochs, seed 0"):
        plots.plot_seed_comparison(rows, "rmse")
