"""Figures of a language model's training (chapter 7): held-out perplexity over time.

A curve is a list of checkpoints, dicts with a perplexity and an x value ("step" or
"seconds"), as ``helpers.language.train_lm`` records them and the benchmarks store them. The
figure's words, the runs' and baselines' names included, are in the notebook's language
(``helpers.i18n``).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import cast

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, NullLocator, ScalarFormatter

from helpers._checks import one_of
from helpers.i18n import N_, gettext
from helpers.plots.style import COLORS

__all__ = ["plot_perplexity"]

Curve = Sequence[Mapping[str, float]]
_XLABELS = {"step": N_("updates"), "seconds": N_("CPU seconds of training")}
_TICKS = (1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 28, 40, 60, 100)
# for runs not named after a cell, in this order, skipping colours a named run takes
_COLORS = (COLORS["lstm"], COLORS["rnn"], COLORS["window"], COLORS["answer"], "#E69F00")


def plot_perplexity(
    runs: Mapping[str, Curve | Sequence[Curve]],
    *,
    x: str = "step",
    baselines: Mapping[str, float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Held-out perplexity against updates or CPU seconds, one line per run, log scale.

    Each run is one curve or several (one per seed): several are drawn as their median with
    the band from lowest to highest, point by point. ``baselines`` are drawn as dashed
    horizontal lines with their names (a uniform guess, n-gram models).

    Shapes: runs {label: curve or [curve, ...]}, a curve [{x: float, "perplexity": float}, ...].
    """
    one_of("x", x, tuple(_XLABELS))
    if not runs:
        raise ValueError("runs is empty; pass at least one curve, e.g. {'LSTM': checkpoints}.")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.6))
    spare = [c for c in _COLORS if c not in {COLORS.get(str(label).lower()) for label in runs}]
    for label, run in runs.items():
        # one curve (a sequence of checkpoints) or several; the type checker cannot tell them apart
        curves = cast("list[Curve]", [run] if run and isinstance(run[0], Mapping) else list(run))
        if not curves or not all(curves):
            raise ValueError(f"run {label!r} has no checkpoints.")
        n = min(len(c) for c in curves)
        xs = [statistics.median(c[i][x] for c in curves) for i in range(n)]
        values = [[c[i]["perplexity"] for c in curves] for i in range(n)]
        # a run named after a cell (rnn, lstm) keeps that cell's colour across the book
        colour = COLORS.get(str(label).lower()) or spare.pop(0)
        median = [statistics.median(v) for v in values]
        ax.plot(xs, median, color=colour, label=gettext(str(label)))
        if len(curves) > 1:
            lowest, highest = [min(v) for v in values], [max(v) for v in values]
            ax.fill_between(xs, lowest, highest, color=colour, alpha=0.18, lw=0)
    for name, value in (baselines or {}).items():
        ax.axhline(value, color=COLORS["clean"], ls="--", lw=1)
        ax.annotate(  # at the left, where the curves are still high above the baselines
            f"{gettext(str(name))} {value:.2f}",
            (0.0, value),
            xycoords=("axes fraction", "data"),
            xytext=(4, 3),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=9,
            color="#555555",
        )
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    if baselines and max(baselines.values()) * 1.1 > high:  # room for the top label
        high = max(baselines.values()) * 1.15
        ax.set_ylim(low, high)  # plain numbers on the log axis: 4, 5, 6, 8, 10, ...
    ax.yaxis.set_major_locator(FixedLocator([t for t in _TICKS if low <= t <= high]))
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set(xlabel=gettext(_XLABELS[x]), ylabel=gettext("held-out perplexity"))
    ax.legend(loc="center right")  # the curves fall towards the lower right
    return ax
