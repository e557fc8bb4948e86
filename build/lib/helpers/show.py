"""Text that a code cell shows as Markdown: the same words in every notebook front end.

The chapters state computed numbers in sentences that code writes (``show.md(f"...")``), so
JupyterLab, Colab, VS Code, GitHub's viewer and the built book all show the same words: no
placeholder that only the book's build fills in. The plain-text form repeats the words, so
nbval compares the sentence itself, not an object's address.
"""

from __future__ import annotations

__all__ = ["Markdown", "md"]


class Markdown:
    """Markdown for Jupyter (``text/markdown``), with a plain-text twin (``text/plain``)."""

    def __init__(self, markdown: str, text: str | None = None) -> None:
        if not isinstance(markdown, str):
            raise TypeError(f"markdown must be a str, got {type(markdown).__name__}.")
        self.markdown = markdown
        self.text = markdown if text is None else text

    def _repr_markdown_(self) -> str:
        return self.markdown

    def _ipython_display_(self) -> None:
        # shown as display data, not as the cell's result: nbgrader reads a graded cell's
        # result as a partial score, and would warn about (or reject) text there
        from IPython.display import display

        display({"text/markdown": self.markdown, "text/plain": self.text}, raw=True)

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def md(markdown: str) -> Markdown:
    """Show ``markdown`` (a sentence, a list, a table) as the cell's Markdown output."""
    return Markdown(markdown)
