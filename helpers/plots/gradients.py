"""How far back a gradient reaches: one figure for chapter 1 (RNN concepts) and chapter 4.

Chapter 1 draws the norm of ∂h_T/∂h_0 of one RNN (``plot_gradient_norms``); chapter 4 draws
|∂h_T/∂x_0| of several networks side by side (``plot_gradient_reach``). Both are one plot: a
positive value per length T on a log scale, one line per network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from helpers._checks import finite_series
from helpers.plots.style import COLORS

__all__ = ["plot_gradient_norms", "plot_gradient_reach"]

STYLES = ("o-", "s--", "^-")  # marker and dash per line, so lines differ without colour too
LINE_COLORS = (COLORS["rnn"], COLORS["lstm"], COLORS["window"], COLORS["answer"])


def plot_gradient_reach(
    lengths: Sequence[int],
    norms: Sequence[float] | Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    xlabel: str = "sequence length T",
    ylabel: str = r"$|\partial h_T\, /\, \partial x_0|$",
) -> Axes:
    """Plot, per network, how strongly the output at step T responds to step 0 (log scale).

    ``norms`` is either one sequence of values (one line) or {label: values} (one line per
    network, with a legend); every value is positive, one per length.

    Shapes: lengths (k,); norms (k,) or {label: (k,)}.
    """
    t = finite_series("lengths", list(lengths))
    labelled = isinstance(norms, Mapping)
    lines = dict(norms) if labelled else {"": norms}
    if not lines:
        raise ValueError("norms is empty; pass {label: values}, one value per length.")
    if ax is None:
        _, ax = plt.subplots()
    for k, (label, values) in enumerate(lines.items()):
        name = f"norms[{label!r}]" if labelled else "norms"
        n = finite_series(name, list(values))
        if n.shape != t.shape:
            raise ValueError(
                f"lengths has {t.numel()} values but {name} has {n.numel()} values; "
                "pass one value per length."
            )
        if (n <= 0).any():
            raise ValueError(
                f"{name} must be positive to be drawn on a log scale; got a zero or negative value."
            )
        style, colour = STYLES[k % len(STYLES)], LINE_COLORS[k % len(LINE_COLORS)]
        ax.semilogy(t, n, style, color=colour, label=label if labelled else None)
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if labelled:
        ax.legend(loc="lower left")
    return ax


def plot_gradient_norms(
    lengths: Sequence[int], norms: Sequence[float], *, ax: Axes | None = None
) -> Axes:
    """Plot how the gradient reaching h_0 shrinks with the number of steps T (log scale).

    Chapter 1's figure: ``plot_gradient_reach`` with one line and chapter 1's axis labels.

    Shapes: lengths (k,), norms (k,), one norm of dh_T/dh_0 per length.
    """
    return plot_gradient_reach(
        lengths,
        norms,
        ax=ax,
        xlabel="steps back in time, T",
        ylabel=r"norm of $\partial h_T / \partial h_0$",
    )
