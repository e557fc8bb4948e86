"""Helpers for *Recurrent Networks by Example*: the code the chapters write out, in one place.

Each module's docstring names the chapter that introduces it. Importing the package does
no work: no seeding, no downloads, no matplotlib settings (call ``plots.use_book_style``).
The package holds what the notebooks call and what that needs; what only the measurement
scripts in ``benchmarks/`` use (writing the shipped results, the runs' bookkeeping) lives
with them, in ``benchmarks/lab/``, and nothing here imports it.
"""

__all__ = [
    "compare",
    "data",
    "exercises",
    "floors",
    "forecast",
    "gradients",
    "i18n",
    "language",
    "memory",
    "models",
    "plots",
    "recipes",
    "results",
    "scratch",
    "text",
    "training",
    "widgets",
]
__version__ = "0.1.0"
