"""Comparisons across seeds (chapter 5, Training an LSTM): one dot per seed and run.

The rows are the DataFrame that ``helpers.results.load`` returns: one row per training, with
its run's label ("run"), its cell, its seed and what it measured. The runs' labels on the
figure are in the notebook's language (``helpers.i18n``).
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from helpers.i18n import N_, gettext
from helpers.plots.style import COLORS

__all__ = ["plot_seed_comparison"]

EPOCHS = N_("{n} epochs")  # a part of a run's label, as helpers.compare.run_label writes it


def _run_lines(run: str) -> str:
    """A run's label as a tick label: one line per part ("RNN, 100 epochs": two), translated."""
    parts = []
    for part in run.split(", "):
        epochs = re.fullmatch(r"(\d+) epochs", part)
        parts.append(gettext(EPOCHS).format(n=epochs.group(1)) if epochs else gettext(part))
    return "\n".join(parts)


def plot_seed_comparison(
    rows: pd.DataFrame,
    metric: str = "closed_loop_rmse",
    *,
    ax: Axes | None = None,
) -> Axes:
    """One column per run, one dot per seed, grey lines joining each seed's dots.

    The black bar marks each run's median; runs appear in the order of the rows.

    Shapes: rows, one per (run, seed), with the columns "run", "cell", "seed" and ``metric``.
    """
    if not isinstance(rows, pd.DataFrame) or rows.empty:
        raise ValueError(
            "rows is empty or not a DataFrame; pass the rows of helpers.results.load(name)."
        )
    missing = [column for column in ("run", "cell", "seed", metric) if column not in rows]
    if missing:
        raise ValueError(
            f"the column(s) {missing} are missing from rows; pick a metric among "
            f"{[c for c in rows.columns if c not in ('run', 'cell', 'seed')]}."
        )
    twice = rows[rows.duplicated(["run", "seed"])]
    if not twice.empty:
        run, seed = twice.iloc[0][["run", "seed"]]
        raise ValueError(f"two rows for {run}, seed {seed}; pass each run and seed once.")
    runs = list(rows["run"].unique())
    values = rows.pivot(index="seed", columns="run", values=metric)[runs]  # seeds x runs
    cells = rows.drop_duplicates("run").set_index("run")["cell"]
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.4))
    for _, seed_values in values.iterrows():  # grey lines: the same seed across runs
        present = [k for k, run in enumerate(runs) if pd.notna(seed_values[run])]
        ax.plot(
            present, seed_values.iloc[present], color=COLORS["clean"], lw=0.8, alpha=0.6, zorder=1
        )
    for k, run in enumerate(runs):
        column = values[run].dropna()
        colour = COLORS.get(cells[run], COLORS["data"])
        ax.scatter([k] * len(column), column, color=colour, zorder=2, s=28)
        median = column.median()
        ax.plot([k - 0.22, k + 0.22], [median, median], color="black", lw=2.5, zorder=3)
    ax.set_xticks(range(len(runs)), [_run_lines(run) for run in runs])
    ax.set_xlim(-0.5, len(runs) - 0.5)
    ax.set_ylabel(metric.replace("_", " "))
    ax.grid(axis="x", visible=False)
    return ax
