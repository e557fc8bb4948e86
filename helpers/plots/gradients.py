"""How far back a gradient reaches: one figure for chapters 1 (RNN concepts) and 4 (LSTM gates).

Both draw ``helpers.gradients.gradient_reach``, ‖∂h_T/∂x_{T-k}‖ against the lag k, on a log
scale: one RNN in chapter 1, several layers side by side in chapter 4. Chapter 6 draws the same
measure for trained networks with ``plot_reach_by_lag`` (``helpers.plots.memory``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from helpers._checks import finite_series
from helpers.i18n import gettext
from helpers.plots.style import COLORS

__all__ = ["plot_gradient_reach"]

STYLES = ("o-", "s--", "^-")  # marker and dash per line, so lines differ without colour too
LINE_COLORS = (COLORS["rnn"], COLORS["lstm"], COLORS["window"], COLORS["answer"])


def plot_gradient_reach(
    lengths: Sequence[int],
    norms: Sequence[float] | Mapping[str, Sequence[float]],
    *,
    ax: Axes | None = None,
    xlabel: str = "lag k (steps back from the last step T)",
    ylabel: str = r"$\|\partial h_T / \partial x_{T-k}\|$",
) -> Axes:
    """Plot, per network, how strongly the last output responds to the input k steps back (log).

    ``norms`` is either one sequence of values (one line) or {label: values} (one line per
    network, with a legend); every value is positive, one per length.

    Shapes: lengths (n,), the lags; norms (n,) or {label: (n,)}.
    """
    t = finite_series("lengths", list(lengths))
    labelled = isinstance(norms, Mapping)
    lines = dict(norms) if isinstance(norms, Mapping) else {"": norms}
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
        ax.semilogy(
            t,
            n,
            style,
            color=colour,
            label=gettext(label) if labelled else None,
            markevery=max(1, len(t) // 12),  # long curves: a marker every few points
        )
    # labels (the chapter's own too) in the notebook's language, where the catalog has them
    ax.set(xlabel=gettext(xlabel), ylabel=gettext(ylabel))
    if labelled:
        ax.legend(loc="lower left")
    return ax
