"""``glue``: hand a value computed in a notebook to the prose of the built book.

The book's pages quote numbers with ``{glue:text}`name``` roles, filled in by myst-nb from
values the notebook glued. On Colab or Binder myst-nb (a book-building tool) is not
installed; there ``glue`` simply shows the value, or nothing when ``display=False``, so the
notebooks run anywhere. Every chapter from chapter 1 on uses it.
"""

from __future__ import annotations

__all__ = ["glue"]

try:
    from myst_nb import glue
except ModuleNotFoundError:  # no book builder here: keep the notebook running

    def glue(name: str, variable: object, display: bool = True) -> None:
        """Show ``variable`` (when ``display``); the name matters only to the book build."""
        if display:
            from IPython.display import display as show

            show(variable)
