"""What the learner sees: a check's one-line verdict, and the error ``grade`` raises."""

from __future__ import annotations

from helpers.i18n import N_, gettext

__all__ = ["ExerciseFailed", "Feedback", "Message"]


class Message:
    """Markdown for Jupyter (``text/markdown``), with a plain-text twin (``text/plain``).

    Verdicts, hints and solutions render alike in every notebook front end, and the plain
    text repeats the words, so nbval compares the message itself, not an object's address.
    """

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


class Feedback(Message):
    """A check's one-line verdict: true when the answer passed, false otherwise."""

    def __init__(self, name: str, passed: bool | None, detail: str) -> None:
        mark = {True: "✓", False: "✗", None: "•"}[passed]
        verdict = gettext(
            {True: N_("correct"), False: N_("not yet"), None: N_("nothing to check")}[passed]
        )
        detail = gettext(detail)  # a fixed message in the notebook's language (helpers.i18n)
        super().__init__(
            f"{mark} **{name} {verdict}:** {detail}", f"{mark} {name} {verdict}: {detail}"
        )
        self.passed = passed

    def __bool__(self) -> bool:
        return self.passed is True


class ExerciseFailed(AssertionError):
    """Raised by ``grade`` for a wrong answer, so that autograding marks the cell wrong."""
