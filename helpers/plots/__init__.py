"""Figures for the chapters, one module per topic; every name is re-exported here.

- ``style``: colours by role, ``use_book_style``, ``figure_png``, and ``title`` and ``label``,
  which put a chapter's own words into its figures in the notebook's language (every chapter).
- ``series``: the data, its windows, forecasts, loss curves, the epoch stepper's frames
  (chapters 2 and 3).
- ``gradients``: how far back a gradient reaches, against the lag (chapters 1 and 4).
- ``gates``: the LSTM's gates and its memory line (chapter 4).
- ``comparison``: results across seeds (chapter 5).
- ``memory``: why an LSTM, measured: recipes, gates, floors, recall against lag, gradient
  reach of trained networks, forecast error against horizon (chapter 6).
- ``language``: a language model's held-out perplexity over training (chapter 7).

A chapter calls ``plots.plot_loss(...)``; a new figure goes into the module of its topic (or a
new one) and its name into ``__all__`` below, which ``tests/test_plots_style.py`` checks.
"""

from helpers.plots.comparison import plot_seed_comparison
from helpers.plots.gates import forget_gate_frames, plot_cell_memory, plot_gate_heatmaps
from helpers.plots.gradients import plot_gradient_reach
from helpers.plots.language import plot_perplexity
from helpers.plots.memory import (
    plot_gate_histograms,
    plot_horizon_error,
    plot_loss_curves,
    plot_reach_by_lag,
    plot_recall_sweep,
    plot_window_floors,
)
from helpers.plots.series import (
    plot_forecast_modes,
    plot_loss,
    plot_prediction,
    plot_series,
    plot_windows,
    prediction_frames,
)
from helpers.plots.style import COLORS, figure_png, label, title, use_book_style

__all__ = [
    "COLORS",
    "figure_png",
    "forget_gate_frames",
    "label",
    "plot_cell_memory",
    "plot_forecast_modes",
    "plot_gate_heatmaps",
    "plot_gate_histograms",
    "plot_gradient_reach",
    "plot_horizon_error",
    "plot_loss",
    "plot_loss_curves",
    "plot_perplexity",
    "plot_prediction",
    "plot_reach_by_lag",
    "plot_recall_sweep",
    "plot_seed_comparison",
    "plot_series",
    "plot_window_floors",
    "plot_windows",
    "prediction_frames",
    "title",
    "use_book_style",
]
