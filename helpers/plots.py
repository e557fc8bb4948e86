"""Figures for the chapters: the data, its windows, forecasts, loss curves, stepper frames.

``plot_series`` and ``plot_windows`` appear in chapter 2 (Data windowing);
``plot_prediction``, ``plot_loss`` and ``prediction_frames`` in chapter 3 (Training an RNN).
``plot_gradient_norms`` belongs to chapter 1 (RNN concepts), ``plot_forecast_modes`` to chapter 3.
``plot_gate_heatmaps``, ``plot_cell_memory``, ``forget_gate_frames`` and ``plot_gradient_reach``
to chapter 4 (LSTM gates); ``plot_seed_comparison`` to chapter 5 (Training an LSTM).
"""

from __future__ import annotations

import io
import math
import numbers
import statistics
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
    "forget_gate_frames",
    "plot_cell_memory",
    "plot_forecast_modes",
    "plot_gate_heatmaps",
    "plot_gradient_reach",
    "plot_gradient_norms",
    "plot_loss",
    "plot_prediction",
    "plot_seed_comparison",
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


def plot_series(x: object, y: object, *, ax: Axes | None = None, show_clean: bool = True) -> Axes:
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
    for ax, s in zip(axes, samples, strict=True):
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
    """Render every snapshot of a training ``History`` as a PNG frame for the epoch stepper.

    Each frame is a ``widgets.PngFrame`` whose alt text gives the epoch, its loss and how far
    the forecast is off; the ``widgets.Frames`` returned carries the stepper's caption.
    """
    from helpers.widgets import Frames, PngFrame  # frames that carry their alt text (issue 12)

    if not history.snapshots:
        raise ValueError("history has no snapshots; train with snapshot_every set to an int.")
    epochs = list(history.snapshots)
    frames = Frames(
        caption=f"The model's closed-loop forecast (orange) against the data (blue) after each "
        f"training epoch, from epoch {epochs[0]} to {epochs[-1]}: press Play, or move the slider."
    )
    y = _series("series", series)
    for epoch, snap in history.snapshots.items():
        fig, ax = plt.subplots(figsize=(7.0, 3.0))
        plot_prediction(
            series, snap.predicted, n_time, ax=ax, title=f"epoch {epoch}   loss {snap.loss:.4f}"
        )
        p = _series("predicted", snap.predicted)
        end = min(p.numel(), y.numel())
        rmse = float(((p[n_time:end] - y[n_time:end]) ** 2).mean().sqrt()) if end > n_time else 0
        alt = (
            f"Epoch {epoch}, training loss {snap.loss:.4f}. The closed-loop forecast (orange) "
            f"against the data (blue): after the {n_time}-step seed window it is off by "
            f"{rmse:.2f} on average (root mean square error)."
        )
        frames[epoch] = PngFrame(figure_png(fig, dpi=dpi), alt)
    return frames


def plot_gradient_norms(
    lengths: Sequence[int], norms: Sequence[float], *, ax: Axes | None = None
) -> Axes:
    """Plot how the gradient reaching h_0 shrinks with the number of steps T (log scale).

    Shapes: lengths (k,), norms (k,), one norm of dh_T/dh_0 per length.
    """
    t, n = _series("lengths", list(lengths)), _series("norms", list(norms))
    if t.shape != n.shape:
        raise ValueError(
            f"lengths has {t.numel()} values but norms has {n.numel()}; pass one norm per length."
        )
    if (n <= 0).any():
        raise ValueError(
            "norms must be positive to be drawn on a log scale; got a zero or negative value."
        )
    if ax is None:
        _, ax = plt.subplots()
    ax.semilogy(t, n, marker="o", color=COLORS["rnn"])
    ax.set(xlabel="steps back in time, T", ylabel=r"norm of $\partial h_T / \partial h_0$")
    return ax


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
    y = _series("series", series)
    n_time = positive_int("n_time", n_time)
    steps = y.numel() - n_time
    preds = {  # argument name -> (legend label, values)
        "one_step_pred": ("one step ahead", _series("one_step_pred", one_step_pred)),
        "closed_loop_pred": ("closed loop", _series("closed_loop_pred", closed_loop_pred)),
    }
    reference = y[n_time:] if clean is None else _series("clean", clean)
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
    top.plot(t_all, y, ".", color=COLORS["data"], ms=4, label="data")
    if clean is not None:
        top.plot(t_pred, reference, color=COLORS["clean"], ls="--", lw=1.2, label="clean sine")
    colors = {"one_step_pred": COLORS["window"], "closed_loop_pred": COLORS["predicted"]}
    for name, (label, p) in preds.items():
        top.plot(t_pred, p, color=colors[name], label=label)
        bottom.plot(t_pred, (p - reference).abs(), color=colors[name], label=label)
    top.axvspan(-0.5, n_time - 0.5, color=COLORS["window"], alpha=0.12)
    low, high = float(y.min()), float(y.max())
    top.set_ylim(low - 0.5 * (high - low), high + 0.5 * (high - low))
    top.set_ylabel("y")
    top.legend(loc="lower left", ncols=4, fontsize=9)
    bottom.set(xlabel="time step t", ylabel="|error|")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- chapter 4 (LSTM gates)

GATE_STYLE = {  # colour map and value range of each gate's heat map; white marks the midpoint
    "input": ("PuOr_r", 0.0, 1.0),
    "forget": ("PuOr_r", 0.0, 1.0),
    "cell": ("RdBu_r", -1.0, 1.0),
    "output": ("PuOr_r", 0.0, 1.0),
}
GATE_TITLES = {
    "input": "input gate i",
    "forget": "forget gate f",
    "cell": "candidate g",
    "output": "output gate o",
}


def plot_gate_heatmaps(
    gates: dict[str, object], window: object, *, sort_by: str | None = "forget"
) -> Figure:
    """Draw each gate's activations over one input window as a heat map (units × steps).

    Sigmoid gates use a 0..1 scale and the candidate g -1..1, both white at the midpoint,
    so a pale map means "half open". Units are sorted by their mean value in ``sort_by``.
    The input window is drawn above the maps, aligned with their time steps.

    Shapes: gates {"input", "forget", "cell", "output": (n_time, hidden)}, window (n_time,).
    """
    missing = [name for name in GATE_STYLE if name not in gates]
    if missing:
        raise ValueError(
            f"gates lacks {missing}; pass the dict lstm_forward returns for one window, e.g. "
            "{name: g[0] for name, g in gates.items()} with g of shape (1, n_time, hidden)."
        )
    x = _series("window", window)
    maps = {}
    for name in GATE_STYLE:
        value = as_float_tensor(name, gates[name])
        if value.dim() != 2 or value.shape[0] != x.numel():
            raise ValueError(
                f"gates[{name!r}] must be (n_time, hidden) = ({x.numel()}, hidden) to match the "
                f"window, got {tuple(value.shape)}; take one sample: gates[{name!r}][0]."
            )
        maps[name] = value.T  # (hidden, n_time): one row per unit
    if sort_by is not None:
        if sort_by not in maps:
            raise ValueError(f"sort_by must be one of {list(maps)} or None, got {sort_by!r}.")
        order = maps[sort_by].mean(dim=1).argsort(descending=True)
        maps = {name: m[order] for name, m in maps.items()}

    fig, axes = plt.subplots(
        2, 4, figsize=(9.0, 4.6), sharex=True, gridspec_kw={"height_ratios": [1, 3.2]}
    )
    steps = torch.arange(x.numel())
    for col, (name, values) in enumerate(maps.items()):
        top, ax = axes[0, col], axes[1, col]
        top.plot(steps, x, marker=".", color=COLORS["window"])
        top.set_title(GATE_TITLES[name], fontsize=11)
        top.tick_params(labelsize=8)
        cmap, low, high = GATE_STYLE[name]
        image = ax.imshow(
            values.numpy(), aspect="auto", cmap=cmap, vmin=low, vmax=high, interpolation="nearest"
        )
        ax.grid(False)
        ax.set_xlabel("time step t")
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        fig.colorbar(image, ax=ax, orientation="horizontal", pad=0.2, fraction=0.06)
    axes[0, 0].set_ylabel("input x_t", fontsize=9)
    unit_label = "unit (sorted)" if sort_by else "hidden unit"
    axes[1, 0].set_ylabel(unit_label)
    fig.tight_layout()
    return fig


def plot_cell_memory(forget: float, *, steps: int = 20, ax: Axes | None = None) -> Axes:
    """Show a value written into the cell at step 0 fading as c_t = f · c_{t-1} (input gate shut).

    Shapes: draws steps + 1 bars, c_0 = 1 and c_t = f ** t.
    """
    if isinstance(forget, bool) or not isinstance(forget, numbers.Real) or not 0 <= forget <= 1:
        raise ValueError(f"forget must be a number from 0 to 1 (a sigmoid output), got {forget!r}.")
    steps = positive_int("steps", steps)
    c = [1.0]  # step 0: the input gate writes i * g = 1 into an empty cell
    i, g = 0.0, 1.0  # afterwards the input gate stays shut: nothing new is written
    for _ in range(steps):
        c.append(forget * c[-1] + i * g)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.0))
    ax.bar(range(steps + 1), c, color=COLORS["lstm"], width=0.7)
    ax.set(
        xlabel="time step t", ylabel="cell state $c_t$", ylim=(0, 1.12), xlim=(-0.7, steps + 0.7)
    )
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    after = min(10, steps)
    ax.set_title(
        f"forget gate f = {forget:.1f}:   after {after} steps "
        f"$c_{{{after}}} = f^{{{after}}}$ = {c[after]:.3g}",
        loc="left",
    )
    return ax


def forget_gate_frames(
    forget_values: Sequence[float] = tuple(k / 10 for k in range(11)),
    *,
    steps: int = 20,
    dpi: int = 72,
) -> dict[str, bytes]:
    """One PNG of ``plot_cell_memory`` per forget value, keyed "0.0", "0.1", ... for a slider.

    Each frame is a ``widgets.PngFrame`` with alt text; the ``widgets.Frames`` has a caption.

    Shapes: frames {f label: PNG bytes}, one per forget value.
    """
    from helpers.widgets import Frames, PngFrame  # frames that carry their alt text (issue 12)

    if len(forget_values) == 0:
        raise ValueError("forget_values is empty; pass values from 0 to 1, e.g. (0.0, 0.5, 1.0).")
    frames = Frames()
    after = min(10, steps)
    for f in forget_values:
        fig, ax = plt.subplots(figsize=(7.0, 3.0))
        plot_cell_memory(f, steps=steps, ax=ax)
        alt = (
            f"Forget gate f = {f:.1f}: bars of the cell state c_t over {steps} steps, starting "
            f"at 1 and multiplied by f at every step; after {after} steps c_{after} = "
            f"{f**after:.3g}."
        )
        frames[f"{f:.1f}"] = PngFrame(figure_png(fig, dpi=dpi), alt)
    first, last = list(frames)[0], list(frames)[-1]
    frames.caption = (
        "How long the cell state keeps a value written at step 0, with the input gate shut, "
        f"for forget-gate values f from {first} to {last}: press Play, or move the slider."
    )
    return frames


def plot_gradient_reach(
    lengths: Sequence[int], norms: dict[str, Sequence[float]], *, ax: Axes | None = None
) -> Axes:
    """Plot, per network, how strongly the last output responds to the first input (log scale).

    Shapes: lengths (k,); norms {label: (k,)}, one |∂h_T/∂x_0| per length.
    """
    t = _series("lengths", list(lengths))
    if not norms:
        raise ValueError("norms is empty; pass {label: values}, one value per length.")
    if ax is None:
        _, ax = plt.subplots()
    styles = ["o-", "s--", "^-"]
    colours = [COLORS["rnn"], COLORS["lstm"], COLORS["window"], COLORS["answer"]]
    for k, (label, values) in enumerate(norms.items()):
        n = _series(label, list(values))
        if n.shape != t.shape:
            raise ValueError(f"norms[{label!r}] has {n.numel()} values, lengths has {t.numel()}.")
        if (n <= 0).any():
            raise ValueError(f"norms[{label!r}] must be positive to be drawn on a log scale.")
        ax.semilogy(t, n, styles[k % 3], color=colours[k % 4], label=label)
    ax.set(xlabel="sequence length T", ylabel=r"$|\partial h_T\, /\, \partial x_0|$")
    ax.legend(loc="lower left")
    return ax


# ---------------------------------------------------------------- chapter 5 (Training an LSTM)


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
    runs: dict[tuple[str, int], dict[int, float]] = {}
    for row in rows:
        runs.setdefault((str(row["cell"]), int(row["epochs"])), {})[int(row["seed"])] = float(
            row[metric]
        )
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
