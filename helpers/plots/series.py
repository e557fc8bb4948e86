"""Figures of a series and its forecasts: the data, its windows, predictions, loss, frames.

``plot_series`` and ``plot_windows`` appear in chapter 2 (Data windowing); ``plot_prediction``,
``plot_loss``, ``prediction_frames`` and ``plot_forecast_modes`` in chapter 3 (Training an RNN).
Their words, and the labels and titles handed to them, are in the notebook's language
(``helpers.i18n``).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers._checks import finite_series, positive_int, real_number
from helpers.forecast import rmse
from helpers.i18n import gettext
from helpers.plots.style import COLORS, data_ylim, figure_png

__all__ = [
    "plot_forecast_modes",
    "plot_loss",
    "plot_prediction",
    "plot_series",
    "plot_windows",
    "prediction_frames",
]


def plot_series(x: object, y: object, *, ax: Axes | None = None, show_clean: bool = True) -> Axes:
    """Plot the noisy series against x, with the clean sine underneath for reference."""
    x, y = finite_series("x", x), finite_series("y", y)
    if ax is None:
        _, ax = plt.subplots()
    if show_clean:
        ax.plot(x, torch.sin(x), color=COLORS["clean"], lw=1.2, ls="--", label="sin(x)")
    ax.plot(x, y, color=COLORS["data"], marker=".", ms=4, label=gettext("noisy data"))
    ax.set(xlabel="x", ylabel="y")
    ax.legend(loc="upper right")
    return ax


def plot_windows(series: object, n_time: int, samples: Sequence[int] = (0, 1, 2)) -> Figure:
    """Show which points form the input window and the answer of the chosen samples."""
    y = finite_series("series", series)
    n_time = positive_int("n_time", n_time)
    n_sample = y.numel() - n_time
    for s in samples:
        if not 0 <= s < n_sample:
            raise ValueError(f"sample index {s} is outside 0..{n_sample - 1} for n_time={n_time}.")
    t = torch.arange(y.numel())
    fig, axes = plt.subplots(len(samples), 1, figsize=(7.0, 1.9 * len(samples)), sharex=True)
    axes = [axes] if len(samples) == 1 else list(axes)
    for ax, s in zip(axes, samples, strict=True):
        ax.plot(t, y, color=COLORS["clean"], marker=".", ms=3, lw=0.8)
        window = slice(s, s + n_time)
        inputs = gettext("input ({n} steps)").format(n=n_time)
        ax.plot(t[window], y[window], "o", color=COLORS["window"], ms=5, label=inputs)
        answer = gettext("answer")
        ax.plot(t[s + n_time], y[s + n_time], "s", color=COLORS["answer"], ms=8, label=answer)
        ax.axvspan(s - 0.5, s + n_time - 0.5, color=COLORS["window"], alpha=0.12)
        title = gettext("sample {k}: t = {first}..{last} → t = {answer}")
        ax.set_title(
            title.format(k=s + 1, first=s, last=s + n_time - 1, answer=s + n_time), loc="left"
        )
        ax.set_ylabel("y")
    axes[0].legend(loc="upper right", ncols=2)
    axes[-1].set_xlabel(gettext("time step t"))
    fig.tight_layout()
    return fig


def plot_prediction(
    series: object,
    predicted: object,
    n_time: int,
    *,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot the data ("Correct") against a closed-loop forecast ("Predicted").

    ``predicted`` is the seed window followed by the forecast, as ``Snapshot.predicted``.
    """
    y, p = finite_series("series", series), finite_series("predicted", predicted)
    n_time = positive_int("n_time", n_time)
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(torch.arange(y.numel()), y, color=COLORS["data"], label=gettext("Correct"))
    ax.plot(torch.arange(p.numel()), p, color=COLORS["predicted"], label=gettext("Predicted"))
    seed = gettext("seed window")
    ax.axvspan(-0.5, n_time - 0.5, color=COLORS["window"], alpha=0.15, label=seed)
    data_ylim(ax, y)  # a runaway forecast leaves the frame, not the scale
    ax.set(xlabel=gettext("time step t"), ylabel="y")
    if title:
        ax.set_title(gettext(title), loc="left")
    ax.legend(loc="lower left", ncols=3)
    return ax


def plot_loss(
    record_loss_train: Sequence[float],
    *,
    ax: Axes | None = None,
    label: str | None = None,
    noise_floor: float | None = None,
) -> Axes:
    """Plot the mean training loss per epoch on a log scale, with an optional noise floor."""
    losses = finite_series("record_loss_train", list(record_loss_train))
    if ax is None:
        _, ax = plt.subplots()
    name = gettext(label) if label else gettext("training loss")
    ax.plot(torch.arange(losses.numel()), losses, label=name)
    if noise_floor is not None:
        real_number("noise_floor", noise_floor, "a positive number", low=0, low_open=True)
        ax.axhline(noise_floor, color=COLORS["clean"], ls="--", label=gettext("noise floor"))
    ax.set_yscale("log")
    ax.set(xlabel=gettext("epoch"), ylabel=gettext("mean MSE"))
    ax.legend(loc="upper right")
    return ax


def prediction_frames(history, series: object, n_time: int, *, dpi: int = 72) -> dict[int, bytes]:
    """Render every snapshot of a training ``History`` as a PNG frame for the epoch stepper.

    Each frame is a ``widgets.PngFrame`` whose alt text gives the epoch, its loss and how far
    the forecast is off; the ``widgets.Frames`` returned carries the stepper's caption.
    """
    from helpers.widgets import Frames, PngFrame  # imported here: plots need no ipywidgets

    if not history.snapshots:
        raise ValueError("history has no snapshots; train with snapshot_every set to an int.")
    epochs = list(history.snapshots)
    caption = gettext(
        "The model's closed-loop forecast (orange) against the data (blue) after each training "
        "epoch, from epoch {first} to {last}: press Play, or move the slider."
    )
    frames = Frames(caption=caption.format(first=epochs[0], last=epochs[-1]))
    y = finite_series("series", series)
    for epoch, snap in history.snapshots.items():
        fig, ax = plt.subplots(figsize=(7.0, 3.0))
        title = gettext("epoch {epoch}   loss {loss:.4f}").format(epoch=epoch, loss=snap.loss)
        plot_prediction(series, snap.predicted, n_time, ax=ax, title=title)
        p = finite_series("predicted", snap.predicted)
        end = min(p.numel(), y.numel())
        off = rmse(p[n_time:end], y[n_time:end]) if end > n_time else 0.0
        alt = gettext(
            "Epoch {epoch}, training loss {loss:.4f}. The closed-loop forecast (orange) against "
            "the data (blue): after the {n}-step seed window it is off by {off:.2f} on average "
            "(root mean square error)."
        ).format(epoch=epoch, loss=snap.loss, n=n_time, off=off)
        frames[epoch] = PngFrame(figure_png(fig, dpi=dpi), alt)
    return frames


def plot_forecast_modes(
    series: object,
    one_step_pred: object,
    closed_loop_pred: object,
    n_time: int,
    *,
    clean: object | None = None,
) -> Figure:
    """Compare one-step-ahead and closed-loop forecasts, with their errors over time below.

    Both forecasts cover t = n_time .. len(series) - 1. The errors are measured against
    ``clean`` (the noise-free signal at those steps) if given, else against the series.

    Shapes: series (n,), one_step_pred and closed_loop_pred (n - n_time,), clean (n - n_time,).
    """
    y = finite_series("series", series)
    n_time = positive_int("n_time", n_time)
    steps = y.numel() - n_time
    preds = {  # argument name -> (legend label, values)
        "one_step_pred": (gettext("one step ahead"), finite_series("one_step_pred", one_step_pred)),
        "closed_loop_pred": (
            gettext("closed loop"),
            finite_series("closed_loop_pred", closed_loop_pred),
        ),
    }
    reference = y[n_time:] if clean is None else finite_series("clean", clean)
    lengths = {name: p.numel() for name, (_, p) in preds.items()} | {"clean": reference.numel()}
    for name, n in lengths.items():
        if n != steps:
            raise ValueError(
                f"{name} has {n} values, expected {steps} (one per step after the "
                f"first window: len(series) - n_time = {y.numel()} - {n_time})."
            )
    t_all, t_pred = torch.arange(y.numel()), torch.arange(n_time, y.numel())
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(7.0, 4.6), sharex=True, gridspec_kw={"height_ratios": [2, 1]}
    )
    top.plot(t_all, y, ".", color=COLORS["data"], ms=4, label=gettext("data"))
    if clean is not None:
        clean_label = gettext("clean sine")
        top.plot(t_pred, reference, color=COLORS["clean"], ls="--", lw=1.2, label=clean_label)
    colors = {"one_step_pred": COLORS["window"], "closed_loop_pred": COLORS["predicted"]}
    for name, (label, p) in preds.items():
        top.plot(t_pred, p, color=colors[name], label=label)
        bottom.plot(t_pred, (p - reference).abs(), color=colors[name], label=label)
    top.axvspan(-0.5, n_time - 0.5, color=COLORS["window"], alpha=0.12)
    data_ylim(top, y)
    top.set_ylabel("y")
    top.legend(loc="lower left", ncols=4, fontsize=9)
    bottom.set(xlabel=gettext("time step t"), ylabel=gettext("|error|"))
    fig.tight_layout()
    return fig
