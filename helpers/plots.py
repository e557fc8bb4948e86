"""Figures for the chapters: the data, its windows, forecasts, loss curves, stepper frames.

``plot_series`` and ``plot_windows`` appear in chapter 2 (Data windowing);
``plot_prediction``, ``plot_loss`` and ``prediction_frames`` in chapter 3 (RNN training).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers._checks import as_float_tensor, positive_int

__all__ = [
    "COLORS",
    "figure_png",
    "plot_loss",
    "plot_prediction",
    "plot_series",
    "plot_windows",
    "prediction_frames",
    "use_book_style",
]

# one colour per role across the book (colour-blind safe, from the Okabe-Ito palette)
COLORS = {
    "data": "#0072B2",
    "clean": "#999999",
    "predicted": "#D55E00",
    "window": "#009E73",
    "answer": "#CC79A7",
    "rnn": "#0072B2",
    "lstm": "#D55E00",
}


def use_book_style() -> None:
    """Set matplotlib defaults for the book: sizes that read on a laptop and on a phone."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.2),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.frameon": False,
            "lines.linewidth": 1.8,
        }
    )


def _series(name: str, values: object) -> torch.Tensor:
    tensor = as_float_tensor(name, values).reshape(-1)
    if tensor.numel() == 0:
        raise ValueError(f"{name} is empty; there is nothing to plot.")
    if not torch.isfinite(tensor).all():
        raise ValueError(
            f"{name} holds NaN or inf values; the plot would be blank there. "
            "If it is a forecast, the model diverged: retrain with a smaller learning rate."
        )
    return tensor


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """Render ``fig`` to PNG bytes and close it (small frames keep pages light)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def plot_series(
    x: object, y: object, *, ax: Axes | None = None, show_clean: bool = True
) -> Axes:
    """Plot the noisy series against x, with the clean sine underneath for reference."""
    x, y = _series("x", x), _series("y", y)
    if ax is None:
        _, ax = plt.subplots()
    if show_clean:
        ax.plot(x, torch.sin(x), color=COLORS["clean"], lw=1.2, ls="--", label="sin(x)")
    ax.plot(x, y, color=COLORS["data"], marker=".", ms=4, label="noisy data")
    ax.set(xlabel="x", ylabel="y")
    ax.legend(loc="upper right")
    return ax


def plot_windows(series: object, n_time: int, samples: Sequence[int] = (0, 1, 2)) -> Figure:
    """Show which points form the input window and the answer of the chosen samples."""
    y = _series("series", series)
    n_time = positive_int("n_time", n_time)
    n_sample = y.numel() - n_time
    for s in samples:
        if not 0 <= s < n_sample:
            raise ValueError(f"sample index {s} is outside 0..{n_sample - 1} for n_time={n_time}.")
    t = torch.arange(y.numel())
    fig, axes = plt.subplots(len(samples), 1, figsize=(7.0, 1.9 * len(samples)), sharex=True)
    axes = [axes] if len(samples) == 1 else list(axes)
    for ax, s in zip(axes, samples):
        ax.plot(t, y, color=COLORS["clean"], marker=".", ms=3, lw=0.8)
        window = slice(s, s + n_time)
        ax.plot(t[window], y[window], "o", color=COLORS["window"], ms=5, label="input (10 steps)")
        ax.plot(t[s + n_time], y[s + n_time], "s", color=COLORS["answer"], ms=8, label="answer")
        ax.axvspan(s - 0.5, s + n_time - 0.5, color=COLORS["window"], alpha=0.12)
        ax.set_title(f"sample {s + 1}: t = {s}..{s + n_time - 1} → t = {s + n_time}", loc="left")
        ax.set_ylabel("y")
    axes[0].legend(loc="upper right", ncols=2)
    axes[-1].set_xlabel("time step t")
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
    y, p = _series("series", series), _series("predicted", predicted)
    n_time = positive_int("n_time", n_time)
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(torch.arange(y.numel()), y, color=COLORS["data"], label="Correct")
    ax.plot(torch.arange(p.numel()), p, color=COLORS["predicted"], label="Predicted")
    ax.axvspan(-0.5, n_time - 0.5, color=COLORS["window"], alpha=0.15, label="seed window")
    low, high = float(y.min()), float(y.max())
    margin = 0.5 * (high - low)
    ax.set_ylim(low - margin, high + margin)  # a runaway forecast leaves the frame, not the scale
    ax.set(xlabel="time step t", ylabel="y")
    if title:
        ax.set_title(title, loc="left")
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
    losses = _series("record_loss_train", list(record_loss_train))
    if ax is None:
        _, ax = plt.subplots()
    ax.plot(torch.arange(losses.numel()), losses, label=label or "training loss")
    if noise_floor is not None:
        if not (noise_floor > 0 and math.isfinite(noise_floor)):
            raise ValueError(f"noise_floor must be a positive number, got {noise_floor!r}.")
        ax.axhline(noise_floor, color=COLORS["clean"], ls="--", label="noise floor")
    ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="mean MSE")
    ax.legend(loc="upper right")
    return ax


def prediction_frames(history, series: object, n_time: int, *, dpi: int = 72) -> dict[int, bytes]:
    """Render every snapshot of a training ``History`` as a PNG frame for the epoch stepper."""
    if not history.snapshots:
        raise ValueError("history has no snapshots; train with snapshot_every set to an int.")
    frames = {}
    for epoch, snap in history.snapshots.items():
        fig, ax = plt.subplots(figsize=(7.0, 3.0))
        plot_prediction(
            series, snap.predicted, n_time, ax=ax, title=f"epoch {epoch}   loss {snap.loss:.4f}"
        )
        frames[epoch] = figure_png(fig, dpi=dpi)
    return frames
