"""Helpers for *Recurrent Networks by Example*: the code the chapters write out, in one place.

Each module's docstring names the chapter that introduces it. Importing the package does
no work: no seeding, no downloads, no matplotlib settings (call ``plots.use_book_style``).
"""

__all__ = [
    "cache",
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
    "show",
    "text",
    "training",
    "widgets",
]
__version__ = "0.1.0"
