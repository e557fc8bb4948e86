"""The three kinds of exercise, and how a chapter declares its exercises.

A chapter module declares each exercise with keyword arguments and hands them, in the order
the notebook asks them, to ``bind_exercises``, which names them ``q1``, ``q2``, ... and binds
those names in the module::

    EXERCISES = bind_exercises(
        globals(),
        CodeExercise(title=..., reference=..., checker=..., hints=[...], explanation=...),
        PredictExercise(title=..., answers={...}, truth=..., judge=..., hints=[...], ...),
        OpenQuestion(title=..., hints=[...], explanation=...),
    )

Every kind answers ``check(...)``, ``grade(...)``, ``hint(n)`` and ``solution()``.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any

import torch

from helpers.exercises.checking import Fail
from helpers.exercises.feedback import ExerciseFailed, Feedback, Message
from helpers.i18n import N_, gettext

__all__ = [
    "ALIAS",
    "MARKER",
    "CodeExercise",
    "Exercise",
    "OpenQuestion",
    "PredictExercise",
    "bind_exercises",
]

MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")  # nbgrader's solution delimiters
ALIAS = "ex"  # the notebooks import each chapter's exercises as `ex`


class Exercise(ABC):
    """What every exercise has: a title, hints, an explanation, and a name from its chapter."""

    kind: str  # "code", "predict" or "open": the teachers' page and nbgrader's roles use it

    def __init__(self, *, title: str, hints: Sequence[str], explanation: str) -> None:
        if not hints:
            raise ValueError(f"{title!r} has no hint; give at least one.")
        self.title, self.hints, self.explanation = title, tuple(hints), explanation
        self.name = ""  # q1, q2, ...: set by bind_exercises from the chapter's order

    def __repr__(self) -> str:
        return f"{self.name} ({self.kind}): {self.title}"

    @property
    def call(self) -> str:
        """How the notebooks spell this exercise, e.g. ``ex.q1``."""
        return f"{ALIAS}.{self.name}"

    @abstractmethod
    def check(self, *answers: Any) -> Feedback:
        """Check the answer and return a one-line verdict; never raises, whatever the answer."""

    def grade(self, *answers: Any) -> Feedback:
        """Check as ``check`` does, and raise ``ExerciseFailed`` if the answer did not pass.

        The graded cells of the student versions call this, so that nbgrader (or any run that
        stops at errors) counts a wrong answer. The verdict depends on the answer alone: no
        environment variable or other state that a student's cell could change.
        """
        feedback = self.check(*answers)
        if feedback.passed is False:
            feedback._ipython_display_()  # the verdict as the learner knows it, then the error
            raise ExerciseFailed(feedback.text)
        return feedback

    def hint(self, n: int = 1) -> Message:
        """Show hint ``n`` (1 is the gentlest); past the last one, say how many there are."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"hint(n) takes the hint number as an int, e.g. hint(2); got {n!r}.")
        total = len(self.hints)
        if not 1 <= n <= total:
            how_many = (
                N_("{name} has 1 hint; `{call}.solution()` shows a reference answer.")
                if total == 1
                else N_(
                    "{name} has {total} hints, numbered 1 to {total}; `{call}.solution()` "
                    "shows a reference answer."
                )
            )
            return Message(gettext(how_many).format(name=self.name, call=self.call, total=total))
        head = gettext("Hint {n} of {total} ({name})").format(n=n, total=total, name=self.name)
        hint = gettext(self.hints[n - 1])
        return Message(f"**{head}:** {hint}", f"{head}: {hint}")

    def solution(self) -> Message:
        """Show a reference answer and why it is right."""
        code = self.solution_code()
        head, explanation = (
            gettext("Solution ({name})").format(name=self.name),
            gettext(self.explanation),
        )
        if not code:
            return Message(f"**{head}:** {explanation}", f"{head}: {explanation}")
        return Message(
            f"**{head}:**\n\n```python\n{code}\n```\n\n{explanation}",
            f"{head}:\n{code}\n{explanation}",
        )

    def solution_code(self) -> str:
        """The reference answer as code, without the nbgrader markers ('' if there is none)."""
        return "\n".join(line for line in self.cell_source.splitlines() if not MARKER.match(line))

    @property
    def cell_source(self) -> str:
        """The notebook's answer cell: the reference answer between nbgrader markers."""
        return ""


class OpenQuestion(Exercise):
    """A question to answer in words: hints and a model answer, nothing to check."""

    kind = "open"

    def check(self, *answers: Any) -> Feedback:
        """Say that there is nothing to check, and where the model answer is."""
        detail = gettext("this is an open question; compare your answer with `{call}.solution()`.")
        detail = detail.format(call=self.call)
        return Feedback(self.name, None, detail)


class _Checked(Exercise):
    """An exercise with an answer to check: ``_verdict`` says why it passed or raises ``Fail``."""

    def check(self, *answers: Any) -> Feedback:
        """Check the answer and return a one-line verdict; never raises, whatever the answer."""
        try:
            return Feedback(self.name, True, self._verdict(*answers))
        except Fail as fail:
            detail = gettext("{problem} Stuck? Try `{call}.hint()`.").format(
                problem=gettext(str(fail)), call=self.call
            )
            return Feedback(self.name, False, detail)

    @abstractmethod
    def _verdict(self, *answers: Any) -> str:
        """The success message for a right answer; raise ``Fail`` for a wrong one."""


class CodeExercise(_Checked):
    """Write a function (or class); the check runs it on reference cases.

    ``reference`` is the answer as the notebook's cell holds it, nbgrader markers included;
    ``checker(fn)`` returns the success message or raises ``Fail``.
    """

    kind = "code"

    def __init__(
        self,
        *,
        title: str,
        reference: Callable[..., Any],
        checker: Callable[[Callable[..., Any]], str],
        hints: Sequence[str],
        explanation: str,
    ) -> None:
        super().__init__(title=title, hints=hints, explanation=explanation)
        self.reference, self.checker = reference, checker

    @property
    def answer_name(self) -> str:
        """The name the learner defines, e.g. ``make_windows_loop``."""
        return self.reference.__name__

    @property
    def cell_source(self) -> str:
        return textwrap.dedent(inspect.getsource(self.reference)).rstrip()

    def _verdict(self, *answers: Any) -> str:
        names = {"name": self.answer_name, "call": self.call}
        if len(answers) != 1:
            raise Fail(
                gettext(
                    "pass your {name} itself: `{call}.check({name})` (got {n} arguments)."
                ).format(**names, n=len(answers))
            )
        if not callable(answers[0]):
            raise Fail(
                gettext("pass your {name} itself: `{call}.check({name})`, not a {kind}.").format(
                    **names, kind=type(answers[0]).__name__
                )
            )
        with torch.random.fork_rng(devices=[]):  # models built by the check use the global RNG
            return self.checker(answers[0])


class PredictExercise(_Checked):
    """Predict values or shapes before running code; the check compares with the real ones.

    ``answers`` maps the variables the learner sets to a comment for the solution;
    ``truth()`` computes the real values by running PyTorch; ``judge(answers, truth)``
    returns the success message or raises ``Fail`` without giving the value away.
    """

    kind = "predict"

    def __init__(
        self,
        *,
        title: str,
        answers: Mapping[str, str],
        truth: Callable[[], tuple[Any, ...]],
        judge: Callable[[tuple[Any, ...], tuple[Any, ...]], str],
        hints: Sequence[str],
        explanation: str,
    ) -> None:
        super().__init__(title=title, hints=hints, explanation=explanation)
        self.answers, self.truth, self.judge = dict(answers), truth, judge

    @property
    def answer_names(self) -> tuple[str, ...]:
        """The variables the learner sets, e.g. ``("answer_y_shape", "answer_h_shape")``."""
        return tuple(self.answers)

    def _true_values(self) -> tuple[Any, ...]:
        with torch.random.fork_rng(devices=[]):  # leave the learner's random state alone
            return self.truth()

    @property
    def cell_source(self) -> str:
        lines = [
            f"{name} = {_literal(value)}  # {comment}"
            for (name, comment), value in zip(
                self.answers.items(), self._true_values(), strict=True
            )
        ]
        return "\n".join(["### BEGIN SOLUTION", *lines, "### END SOLUTION"])

    def _verdict(self, *answers: Any) -> str:
        if len(answers) != len(self.answers):
            raise Fail(
                gettext("pass your answers: `{call}.check({names})`.").format(
                    call=self.call, names=", ".join(self.answer_names)
                )
            )
        return self.judge(answers, self._true_values())


def _literal(value: Any) -> str:
    """Python source for a computed answer; floats rounded so that 0.1**2 reads 0.01."""
    return repr(float(f"{value:.6g}")) if isinstance(value, float) else repr(value)


def bind_exercises(
    namespace: MutableMapping[str, Any], *exercises: Exercise
) -> tuple[Exercise, ...]:
    """Name the exercises ``q1``, ``q2``, ... in the order given and bind those names.

    ``namespace`` is the chapter module's ``globals()``; the return value is its ``EXERCISES``.
    """
    for number, exercise in enumerate(exercises, 1):
        name = f"q{number}"
        if exercise.name or name in namespace:
            raise ValueError(f"{name} is bound twice; declare each exercise once, in order.")
        exercise.name = name
        namespace[name] = exercise
    return exercises
