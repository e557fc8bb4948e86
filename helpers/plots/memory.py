"""Why an LSTM, measured: figures for chapter 6: recipes, gates, floors, recall, reach, horizons.

``plot_loss_curves`` and ``plot_gate_histograms`` show training that works on the sine;
``plot_recall_sweep`` the error of each cell against the lag it must remember;
``plot_window_floors`` the lowest error a predictor can reach from the last n points;
``plot_reach_by_lag`` the gradient reach of trained networks; ``plot_horizon_error`` the
closed-loop error against the forecast horizon.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers._checks import as_float_tensor
from helpers.i18n import N_, gettext
from helpers.plots.style import COLORS

__all__ = [
    "plot_gate_histograms",
    "plot_horizon_error",
    "plot_loss_curves",
    "plot_reach_by_lag",
    "plot_recall_sweep",
    "plot_window_floors",
]

CELL_COLORS = {cell: COLORS[cell] for cell in ("rnn", "lstm", "gru")}
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", "-.", ":")
# what the figures say, in the notebook's language (helpers.i18n): their own labels, and the
# labels handed to them where the catalog has those (the recall sweep's configurations, named
# by memory.run_label, are marked here: the code keeps them as keys, only the figure translates)
GATE_TITLES = {"input": N_("input gate"), "forget": N_("forget gate"), "output": N_("output gate")}
CONFIGURATIONS = (
    N_("RNN, 64 units"),
    N_("LSTM, forget bias 1"),
    N_("LSTM, forget bias 5"),
    N_("GRU, update bias 5"),
)


def _positive_series(name: str, values: object) -> torch.Tensor:
    tensor = as_float_tensor(name, values).reshape(-1)
    if tensor.numel() == 0:
        raise ValueError(f"{name} is empty; pass at least one value.")
    if not torch.isfinite(tensor).all() or (tensor <= 0).any():
        raise ValueError(f"{name} must hold positive finite numbers for a log scale.")
    return tensor


def _axes(ax: Axes | None, height: float) -> Axes:
    """``ax``, or the axes of a new figure as wide as the book's, ``height`` inches tall."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, height))
    return ax


def _colour(label: str) -> str:
    return CELL_COLORS.get(label.split(",")[0].strip().lower(), COLORS["answer"])


def plot_loss_curves(
    curves: Mapping[str, tuple[Sequence[int], Sequence[float]]],
    *,
    floors: Mapping[str, float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Loss against epoch on a log scale, one line per curve, floors as dashed lines.

    ``curves`` maps a label to (epochs, losses); ``floors`` maps a label to a level.

    Shapes: each curve's epochs (k,) and losses (k,).
    """
    if not curves:
        raise ValueError("curves is empty; pass {label: (epochs, losses)}.")
    ax = _axes(ax, 3.6)
    colours = [COLORS["rnn"], COLORS["lstm"], CELL_COLORS["gru"], COLORS["answer"]]
    for k, (label, (epochs, losses)) in enumerate(curves.items()):
        x = as_float_tensor(f"curves[{label!r}] epochs", epochs).reshape(-1)
        y = _positive_series(f"curves[{label!r}] losses", losses)
        if x.shape != y.shape:
            raise ValueError(
                f"curves[{label!r}] has {x.numel()} epochs and {y.numel()} losses; pass one "
                "loss per epoch."
            )
        ax.plot(
            x,
            y,
            DASHES[k // len(colours) % len(DASHES)],
            color=colours[k % len(colours)],
            label=gettext(label),
        )
    floors = dict(floors or {})
    for label, level in floors.items():
        if not (level > 0 and math.isfinite(level)):
            raise ValueError(f"floors[{label!r}] must be a positive number, got {level!r}.")
    # two close floors: the lowest one's label goes under its line, every other one's over its
    # own, so that no label sits between two lines where it could name either
    lowest = min(floors.values()) if len(floors) > 1 else None
    for k, (label, level) in enumerate(floors.items()):
        ax.axhline(level, color=COLORS["clean"], ls=DASHES[(k + 1) % len(DASHES)], lw=1.2)
        below = level == lowest
        ax.annotate(
            gettext(label),
            (1.0, level),
            xycoords=("axes fraction", "data"),
            xytext=(3, -2 if below else 2),
            textcoords="offset points",
            va="top" if below else "bottom",
            fontsize=8,
            color="#555555",
        )
    ax.set_yscale("log")
    ax.set(xlabel=gettext("epoch"), ylabel="MSE")
    ax.legend(loc="upper right", fontsize=8)
    return ax


def plot_gate_histograms(
    histograms: Mapping[str, Mapping[str, Sequence[int]]],
    gates: Sequence[str] = ("input", "forget", "output"),
) -> Figure:
    """One panel per gate: the share of gate values in each of the bins over 0..1, per run.

    ``histograms`` maps a run's label (e.g. "before training") to {gate: counts}.

    Shapes: histograms {label: {gate: (bins,)}}, all with the same number of bins.
    """
    if not histograms:
        raise ValueError("histograms is empty; pass {label: {gate: counts}}.")
    fig, axes = plt.subplots(1, len(gates), figsize=(9.0, 3.0), sharey=True)
    axes = [axes] if len(gates) == 1 else list(axes)
    colours = [COLORS["clean"], COLORS["rnn"], COLORS["lstm"], CELL_COLORS["gru"]]
    for ax, gate in zip(axes, gates, strict=True):
        for k, (label, by_gate) in enumerate(histograms.items()):
            if gate not in by_gate:
                raise ValueError(
                    f"histograms[{label!r}] has no {gate!r} gate; it has {list(by_gate)}."
                )
            counts = as_float_tensor(f"histograms[{label!r}][{gate!r}]", by_gate[gate]).reshape(-1)
            if counts.numel() == 0 or counts.sum() <= 0:
                raise ValueError(f"histograms[{label!r}][{gate!r}] holds no counts.")
            share = counts / counts.sum()
            edges = torch.linspace(0, 1, counts.numel() + 1)
            ax.stairs(
                share.numpy(),
                edges.numpy(),
                color=colours[k % len(colours)],
                ls=DASHES[k % len(DASHES)],
                lw=1.6,
                label=gettext(label),
            )
        title = gettext(GATE_TITLES[gate]) if gate in GATE_TITLES else f"{gate} gate"
        ax.set(title=title, xlabel=gettext("gate value"), xlim=(0, 1))
    axes[0].set_ylabel(gettext("share of values"))
    axes[-1].legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def plot_recall_sweep(
    summary: Mapping[str, Mapping[int, Mapping[str, Any]]],
    *,
    solved: float = 0.1,
    ax: Axes | None = None,
) -> Axes:
    """Error / chance against the lag, per configuration: every seed a dot, the median a line.

    ``summary`` is ``memory.summarize_sweep``'s result. Chance level (1) and the "solved"
    threshold are drawn as dashed lines; the lag axis is logarithmic.

    Shapes: summary {label: {lag: {"errors": [...], "median": float}}}.
    """
    if not summary:
        raise ValueError("summary is empty; pass memory.summarize_sweep(rows).")
    ax = _axes(ax, 4.0)
    n = len(summary)
    for k, (label, by_lag) in enumerate(summary.items()):
        lags = sorted(by_lag)
        shift = 1 + 0.04 * (k - (n - 1) / 2)  # spread the dots of one lag a little, on a log axis
        colour, marker = _colour(label), MARKERS[k % len(MARKERS)]
        for lag in lags:
            errors = list(by_lag[lag]["errors"])
            ax.scatter(
                [lag * shift] * len(errors),
                errors,
                s=12,
                color=colour,
                marker=marker,
                alpha=0.45,
                linewidths=0,
            )
        medians = [by_lag[lag]["median"] for lag in lags]
        ax.plot(
            [lag * shift for lag in lags],
            medians,
            DASHES[k % len(DASHES)],
            color=colour,
            marker=marker,
            ms=5,
            label=gettext(label),
        )
    ax.axhline(1.0, color=COLORS["clean"], ls="--", lw=1.2)
    ax.axhline(solved, color=COLORS["clean"], ls=":", lw=1.2)
    ax.annotate(
        gettext("chance"),
        (0.0, 1.0),
        xycoords=("axes fraction", "data"),
        xytext=(3, 3),
        textcoords="offset points",
        fontsize=8,
        color="#555555",
    )
    ax.annotate(
        gettext("solved below"),
        (0.0, solved),
        xycoords=("axes fraction", "data"),
        xytext=(3, 3),
        textcoords="offset points",
        fontsize=8,
        color="#555555",
    )
    ax.set_xscale("log")
    all_lags = sorted({lag for by_lag in summary.values() for lag in by_lag})
    ax.set_xticks(all_lags, [str(lag) for lag in all_lags])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set(
        xlabel=gettext("lag L (steps between the value and the question)"),
        ylabel=gettext("test error / chance"),
    )
    ax.set_ylim(-0.05, 1.35)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    return ax


def plot_reach_by_lag(
    lags: Sequence[int],
    trained: Mapping[str, Sequence[float]],
    init: Mapping[str, Sequence[float]] | None = None,
    *,
    remembered: int | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Gradient reach against lag (log scale): trained networks solid, at initialisation dotted.

    ``remembered`` marks the lag of the input the task asks for with a vertical line.

    Shapes: lags (k,); trained and init {label: (k,)}.
    """
    t = as_float_tensor("lags", list(lags)).reshape(-1)
    if not trained:
        raise ValueError("trained is empty; pass {label: reach values}, one per lag.")
    ax = _axes(ax, 3.6)
    for k, label in enumerate(trained):
        colour, marker = _colour(label), MARKERS[k % len(MARKERS)]
        for kind, curves, style in (("trained", trained, "-"), ("init", init or {}, ":")):
            if label not in curves:
                continue
            y = _positive_series(f"{kind}[{label!r}]", curves[label])
            if y.shape != t.shape:
                raise ValueError(f"{kind}[{label!r}] has {y.numel()} values, lags has {t.numel()}.")
            ax.semilogy(
                t,
                y,
                style,
                color=colour,
                marker=marker if style == "-" else None,
                ms=4,
                label=gettext(label) if style == "-" else None,
            )
    if remembered is not None:
        ax.axvline(remembered, color=COLORS["clean"], ls="--", lw=1.2)
    ax.set(
        xlabel=gettext("lag k (steps back from the output)"),
        ylabel=r"$\|\partial \hat y / \partial x_{T-k}\|$",
    )
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    return ax


def plot_horizon_error(
    errors: Mapping[str, Sequence[Sequence[float]]],
    *,
    data_end: int | None = None,
    color: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """|forecast − truth| against the horizon: the median over seeds, and its range shaded.

    ``errors`` maps a label to one error curve per seed; ``data_end`` marks the last horizon
    that still lies inside the data. Lines take the colour of the cell their label starts with
    ("RNN, ..."), or ``color`` for all; they differ in dash either way.

    Shapes: errors {label: (seeds, horizons)}.
    """
    if not errors:
        raise ValueError("errors is empty; pass {label: [curve per seed]}.")
    ax = _axes(ax, 3.6)
    for k, (label, curves) in enumerate(errors.items()):
        values = as_float_tensor(f"errors[{label!r}]", curves)
        if values.dim() != 2 or values.numel() == 0:
            raise ValueError(
                f"errors[{label!r}] must be one curve per seed, (seeds, horizons); got shape "
                f"{tuple(values.shape)}."
            )
        horizon = torch.arange(1, values.shape[1] + 1)
        colour = color or _colour(label)
        ax.fill_between(
            horizon,
            values.min(0).values,
            values.max(0).values,
            color=colour,
            alpha=0.15,
            linewidth=0,
        )
        ax.plot(
            horizon,
            values.median(0).values,
            DASHES[k % len(DASHES)],
            color=colour,
            label=gettext(label),
        )
    if data_end is not None:
        ax.axvline(data_end + 0.5, color=COLORS["clean"], ls="--", lw=1.2)
        ax.annotate(
            gettext("end of the data"),
            (data_end + 0.5, 0.98),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            textcoords="offset points",
            rotation=90,
            va="top",
            fontsize=8,
            color="#555555",
        )
    ax.set(
        xlabel=gettext("forecast horizon (steps after the last training point)"),
        ylabel=gettext("|forecast − sin(x)|"),
    )
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_window_floors(
    points: Sequence[int],
    floors: Mapping[str, Sequence[float]],
    models: Mapping[str, float] | None = None,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Floor of the one-step error against how many recent points a predictor reads.

    ``floors`` maps a predictor to one expected error per entry of ``points``; ``models``
    maps a trained model to its error, drawn as a horizontal line across the plot.

    Shapes: points (k,); floors {label: (k,)}; models {label: float}.
    """
    n = as_float_tensor("points", list(points)).reshape(-1)
    if not floors:
        raise ValueError("floors is empty; pass {predictor: one error per number of points}.")
    ax = _axes(ax, 3.6)
    for k, (label, values) in enumerate(floors.items()):
        y = _positive_series(f"floors[{label!r}]", values)
        if y.shape != n.shape:
            raise ValueError(f"floors[{label!r}] has {y.numel()} values, points has {n.numel()}.")
        ax.semilogy(
            n,
            y,
            DASHES[k % len(DASHES)],
            marker=MARKERS[k % len(MARKERS)],
            color=COLORS["clean"] if k else "#444444",
            label=gettext(label),
        )
    for label, value in (models or {}).items():
        if not (value > 0 and math.isfinite(value)):
            raise ValueError(f"models[{label!r}] must be a positive number, got {value!r}.")
        ax.axhline(value, color=_colour(label), lw=1.4, alpha=0.9, label=gettext(label))
    ax.set(
        xlabel=gettext("points the predictor reads (the most recent ones)"),
        ylabel=gettext("expected one-step MSE"),
    )
    ax.legend(loc="upper right", fontsize=8)
    return ax
