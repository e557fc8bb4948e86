"""What the learner sees: a check's one-line verdict, and the error ``grade`` raises."""

from __future__ import annotations

from helpers.i18n import N_, gettext
from helpers.show import Markdown as Message  # verdicts, hints and solutions render alike

__all__ = ["ExerciseFailed", "Feedback", "Message"]


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
