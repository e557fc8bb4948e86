"""Figures of the LSTM's gates (chapter 4, LSTM gates): gate heat maps and the memory line.

``plot_gate_heatmaps`` shows what each gate does over a window; ``plot_cell_memory`` and
``forget_gate_frames`` show a value fading through the cell as c_t = f · c_{t-1}. Their words
are in the notebook's language (``helpers.i18n``).
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers._checks import as_float_tensor, finite_series, one_of, positive_int, real_number
from helpers.i18n import N_, gettext
from helpers.plots.style import COLORS, figure_png

__all__ = [
    "GATE_STYLE",
    "GATE_TITLES",
    "forget_gate_frames",
    "plot_cell_memory",
    "plot_gate_heatmaps",
]

FORGET_RULE = "a number from 0 to 1 (a sigmoid output)"

GATE_STYLE = {  # colour map and value range of each gate's heat map; white marks the midpoint
    "input": ("PuOr_r", 0.0, 1.0),
    "forget": ("PuOr_r", 0.0, 1.0),
    "cell": ("RdBu_r", -1.0, 1.0),
    "output": ("PuOr_r", 0.0, 1.0),
}
GATE_TITLES = {  # in English, shown in the notebook's language
    "input": N_("input gate i"),
    "forget": N_("forget gate f"),
    "cell": N_("candidate g"),
    "output": N_("output gate o"),
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
    x = finite_series("window", window)
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
        one_of("sort_by", sort_by, maps)
        order = maps[sort_by].mean(dim=1).argsort(descending=True)
        maps = {name: m[order] for name, m in maps.items()}

    fig, axes = plt.subplots(
        2, 4, figsize=(9.0, 4.6), sharex=True, gridspec_kw={"height_ratios": [1, 3.2]}
    )
    steps = torch.arange(x.numel())
    for col, (name, values) in enumerate(maps.items()):
        top, ax = axes[0, col], axes[1, col]
        top.plot(steps, x, marker=".", color=COLORS["window"])
        top.set_title(gettext(GATE_TITLES[name]), fontsize=11)
        top.tick_params(labelsize=8)
        cmap, low, high = GATE_STYLE[name]
        image = ax.imshow(
            values.numpy(), aspect="auto", cmap=cmap, vmin=low, vmax=high, interpolation="nearest"
        )
        ax.grid(False)
        ax.set_xlabel(gettext("time step t"))
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        fig.colorbar(image, ax=ax, orientation="horizontal", pad=0.2, fraction=0.06)
    axes[0, 0].set_ylabel(gettext("input x_t"), fontsize=9)
    unit_label = gettext("unit (sorted)") if sort_by else gettext("hidden unit")
    axes[1, 0].set_ylabel(unit_label)
    fig.tight_layout()
    return fig


def plot_cell_memory(forget: float, *, steps: int = 20, ax: Axes | None = None) -> Axes:
    """Show a value written into the cell at step 0 fading as c_t = f · c_{t-1} (input gate shut).

    Shapes: draws steps + 1 bars, c_0 = 1 and c_t = f ** t.
    """
    forget = real_number("forget", forget, FORGET_RULE, low=0, high=1)
    steps = positive_int("steps", steps)
    c = [1.0]  # step 0: the input gate writes i * g = 1 into an empty cell
    for _ in range(steps):  # then the input gate stays shut (i = 0): c_t = f * c_{t-1} + 0
        c.append(forget * c[-1])
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 3.0))
    ax.bar(range(steps + 1), c, color=COLORS["lstm"], width=0.7)
    ax.set(
        xlabel=gettext("time step t"),
        ylabel=gettext("cell state $c_t$"),
        ylim=(0, 1.12),
        xlim=(-0.7, steps + 0.7),
    )
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    after = min(10, steps)
    title = gettext("forget gate f = {f}:   after {n} steps {c_n} = {value:.3g}").format(
        f=_label(forget), n=after, c_n=f"$c_{{{after}}} = f^{{{after}}}$", value=c[after]
    )
    ax.set_title(title, loc="left")
    return ax


_TENTHS = tuple(k / 10 for k in range(11))  # 0.0, 0.1, ..., 1.0


def forget_gate_frames(
    forget_values: Sequence[float] = _TENTHS,
    *,
    steps: int = 20,
    dpi: int = 72,
) -> dict[str, bytes]:
    """One PNG of ``plot_cell_memory`` per forget value, keyed "0.1", "0.25", ... for a slider.

    Each frame is a ``widgets.PngFrame`` with alt text; the ``widgets.Frames`` has a caption.

    Shapes: frames {f label: PNG bytes}, one per forget value.
    """
    from helpers.widgets import Frames, PngFrame  # imported here: plots need no ipywidgets

    if len(forget_values) == 0:
        raise ValueError("forget_values is empty; pass values from 0 to 1, e.g. (0.0, 0.5, 1.0).")
    labels = [_label(real_number("forget", f, FORGET_RULE, low=0, high=1)) for f in forget_values]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:  # a slider keeps one frame per label: the later frame would hide the earlier
        raise ValueError(f"forget_values repeats {repeated}; pass each value once.")
    caption = gettext(
        "How long the cell state keeps a value written at step 0, with the input gate shut, for "
        "forget-gate values f from {first} to {last}: press Play, or move the slider."
    )
    frames = Frames(caption=caption.format(first=labels[0], last=labels[-1]))
    after = min(10, steps)
    for f, label in zip(forget_values, labels, strict=True):
        fig, ax = plt.subplots(figsize=(7.0, 3.0))
        plot_cell_memory(f, steps=steps, ax=ax)
        alt = gettext(
            "Forget gate f = {f}: bars of the cell state c_t over {steps} steps, starting at 1 "
            "and multiplied by f at every step; after {n} steps c_{n} = {value:.3g}."
        ).format(f=label, steps=steps, n=after, value=f**after)
        frames[label] = PngFrame(figure_png(fig, dpi=dpi), alt)
    return frames


def _label(forget: float) -> str:
    """A forget value as the slider and the title show it: "0.1", "0.25", "1.0"."""
    text = f"{forget:.6g}"
    return text if "." in text or "e" in text else f"{text}.0"
