"""The look shared by every figure: colours by role, matplotlib defaults, PNG frames, and the
words of a figure in the notebook's language.

Nothing here runs at import: a notebook calls ``use_book_style()`` in its setup cell.

Every word a figure shows is written in English and shown in the notebook's language
(``helpers.i18n``): the helpers translate their own labels and those handed to them, and a
chapter's code sets its titles with ``title(ax, "...")`` and its other words (axis labels,
legend entries) with ``label("...")``. Values go in as named fields, filled in after
translation: ``title(ax, "Held-out perplexity, {s:.0f} CPU-s each", s=seconds)``.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers.i18n import gettext, language

__all__ = ["COLORS", "figure_png", "label", "title", "use_book_style"]

# one colour per role across the book (colour-blind safe, from the Okabe-Ito palette)
COLORS = {
    "data": "#0072B2",
    "clean": "#999999",
    "predicted": "#D55E00",
    "window": "#009E73",
    "answer": "#CC79A7",
    "rnn": "#0072B2",
    "lstm": "#D55E00",
    "gru": "#009E73",
}


def use_book_style() -> None:
    """Set matplotlib defaults for the book: sizes that read on a laptop and on a phone.

    In the Japanese edition (``helpers.i18n.language()``) the text is set in IPAex Gothic.
    """
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.2),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
            "font.size": 11,
            "font.family": ["sans-serif"],  # matplotlib's default (the Japanese edition's below)
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "legend.frameon": False,
            "lines.linewidth": 1.8,
        }
    )
    if language() == "ja":  # the Japanese edition's labels: IPAex Gothic, shipped with pip
        import matplotlib_fontja  # noqa: F401 (importing it adds the font to matplotlib)

        # IPAex Gothic first (it has Latin letters too); DejaVu Sans for what it lacks
        mpl.rcParams["font.family"] = ["IPAexGothic", "DejaVu Sans"]


def label(message: str, **fields: object) -> str:
    """A figure's words in the notebook's language: an axis label, a legend entry, a frame's title.

    ``message`` is the English; the Japanese edition shows its translation (the helpers'
    catalog, ``helpers/locales``). Values are named fields, filled in after translation:
    ``label("horizon (steps after t = {t})", t=69)``.
    """
    text = gettext(message)
    return text.format(**fields) if fields else text


def title(ax: Axes, message: str, **fields: object) -> None:
    """Give ``ax`` the title ``message`` the book's way: at the left, in the notebook's language.

    Fields as in ``label``: ``title(ax, "Held-out perplexity, {s:.0f} CPU-s each", s=45.2)``.
    """
    ax.set_title(label(message, **fields), loc="left")


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """Render ``fig`` to PNG bytes and close it (small frames keep pages light)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def data_ylim(ax: Axes, data: torch.Tensor) -> None:
    """Fix ``ax``'s y-range to the data's, plus half of it above and below.

    A forecast that runs away leaves the frame instead of squashing the data to a line.

    Shapes: data (n,).
    """
    low, high = float(data.min()), float(data.max())
    # a flat series has no range: give it one of its own size (or 1 around zero)
    margin = 0.5 * (high - low) or 0.5 * max(abs(high), 1.0)
    ax.set_ylim(low - margin, high + margin)
