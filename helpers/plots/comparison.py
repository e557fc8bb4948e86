"""Comparisons across seeds (chapter 5, Training an LSTM): one dot per seed and run.

The rows are those of ``helpers.compare``, grouped by run with ``compare.by_run``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from helpers.compare import by_run
from helpers.plots.style import COLORS

__all__ = ["plot_seed_comparison"]


def plot_seed_comparison(
    rows: Sequence[dict[str, object]],
    metric: str = "closed_loop_rmse",
    *,
    ax: Axes | None = None,
) -> Axes:
    """One column per run (cell, epochs), one dot per seed, lines joining each seed's dots.

    The black bar marks each run's median. ``rows`` are the rows of ``helpers.compare``.

    Shapes: rows [{"cell", "epochs", "seed", metric: float}, ...].
    """
    if not rows:
        raise ValueError("rows is empty; pass results['rows'] from helpers.compare.load_results.")
    if any(metric not in row for row in rows):
        raise ValueError(f"metric {metric!r} is missing from some rows; pick a key they share.")
    runs = {
        run: {seed: float(row[metric]) for seed, row in seeds.items()}  # type: ignore[arg-type]
        for run, seeds in by_run(rows).items()
    }
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.4))
    labels = [f"{cell.upper()}\n{epochs} epochs" for cell, epochs in runs]
    seeds = sorted({s for values in runs.values() for s in values})
    for seed in seeds:  # grey lines: the same seed across runs
        xs = [k for k, values in enumerate(runs.values()) if seed in values]
        ys = [values[seed] for values in runs.values() if seed in values]
        ax.plot(xs, ys, color=COLORS["clean"], lw=0.8, alpha=0.6, zorder=1)
    for k, ((cell, _), values) in enumerate(runs.items()):
        colour = COLORS.get(cell, COLORS["data"])
        ax.scatter([k] * len(values), list(values.values()), color=colour, zorder=2, s=28)
        median = statistics.median(values.values())
        ax.plot([k - 0.22, k + 0.22], [median, median], color="black", lw=2.5, zorder=3)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_xlim(-0.5, len(labels) - 0.5)
    ax.set_ylabel(metric.replace("_", " "))
    ax.grid(axis="x", visible=False)
    return ax
