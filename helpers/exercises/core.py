"""The machinery behind every chapter's exercises: verdicts, hints, solutions, comparisons.

Chapter modules (``chapter1`` ... ``chapter5``) build their exercises from the three kinds
here: ``CodeExercise`` (write a function or class), ``PredictExercise`` (predict a value or
a shape) and ``OpenQuestion`` (answer in words). Checks raise ``Fail`` with a one-line
message; ``Exercise.check`` turns it into a ``Feedback``.
"""

from __future__ import annotations

import inspect
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import torch

from helpers.show import Markdown as Message  # verdicts, hints and solutions render alike

__all__ = [
    "CodeExercise",
    "Exercise",
    "ExerciseFailed",
    "Fail",
    "Feedback",
    "Message",
    "OpenQuestion",
    "PredictExercise",
]

RTOL, ATOL = 1e-4, 1e-5  # float32 sums taken in another order still agree to this
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")  # nbgrader's solution delimiters
ALIAS = "ex"  # the notebooks import each chapter's exercises as `ex`


class Feedback(Message):
    """A check's one-line verdict: true when the answer passed, false otherwise."""

    def __init__(self, name: str, passed: bool | None, detail: str) -> None:
        mark = {True: "✓", False: "✗", None: "•"}[passed]
        verdict = {True: "correct", False: "not yet", None: "nothing to check"}[passed]
        super().__init__(
            f"{mark} **{name} {verdict}:** {detail}", f"{mark} {name} {verdict}: {detail}"
        )
        self.passed = passed

    def __bool__(self) -> bool:
        return self.passed is True


class ExerciseFailed(AssertionError):
    """Raised by ``grade`` for a wrong answer, so that autograding marks the cell wrong."""


class Fail(Exception):
    """A check found a problem; its message is the one-line verdict."""


# --------------------------------------------------------------------------- check tools


def one_line(text: object, limit: int = 160) -> str:
    """Collapse whitespace and cut ``text`` to ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run(fn: Callable[..., Any], case: str, *args: Any) -> Any:
    """Run the learner's code on one case; turn any exception into a one-line ``Fail``."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise Fail(
            f"{case}: your code still raises NotImplementedError; replace that line with "
            "your answer."
        ) from None
    except Exception as err:  # any error in the learner's code is reported, not raised
        message = one_line(err).rstrip(".")
        raise Fail(f"{case}: your code raised {type(err).__name__}: {message}.") from None


def fmt(value: object) -> str:
    """A number in 4 significant digits."""
    return f"{float(value):.4g}"


def compare(
    what: str,
    got: Any,
    expected: torch.Tensor,
    case: str,
    mistakes: Sequence[tuple[torch.Tensor, str]] = (),
) -> None:
    """Fail at the element that differs most, naming the mistake if ``got`` matches a known one.

    Shapes: got and expected alike; each mistake's tensor too.
    """
    if not isinstance(got, torch.Tensor):
        raise Fail(f"{case}: {what} should be a tensor, got {type(got).__name__}.")
    if tuple(got.shape) != tuple(expected.shape):
        raise Fail(
            f"{case}: {what} has shape {tuple(got.shape)}, expected {tuple(expected.shape)}."
        )
    got = got.detach().to(torch.float32)
    if torch.allclose(got, expected, rtol=RTOL, atol=ATOL):
        return
    diff = torch.nan_to_num((got - expected).abs(), nan=math.inf)
    index = tuple(int(i) for i in torch.unravel_index(diff.argmax(), diff.shape))
    where = f"{what}[{', '.join(map(str, index))}]" if index else what
    message = f"{case}: {where} expected {fmt(expected[index])}, got {fmt(got[index])}"
    for wrong, meaning in mistakes:
        if wrong.shape == got.shape and torch.allclose(got, wrong, rtol=RTOL, atol=ATOL):
            message += f"; {meaning}"
            break
    raise Fail(message + ".")


def as_shape(name: str, value: Any) -> tuple[int, ...]:
    """Read a predicted shape given as a tuple, list or torch.Size."""
    if isinstance(value, (tuple, list, torch.Size)) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return tuple(value)
    raise Fail(f"{name} should be a tuple of ints such as (2, 3), got {value!r}.")


def as_int(name: str, value: Any) -> int:
    """Read a predicted count."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Fail(f"{name} should be a whole number (an int), got {value!r}.")
    return value


def seeded(seed: int) -> torch.Generator:
    """A private random generator, so checks leave the learner's random state alone."""
    return torch.Generator().manual_seed(seed)


def literal(value: Any) -> str:
    """Python source for a computed answer; floats rounded so that 0.1**2 reads 0.01."""
    return repr(float(f"{value:.6g}")) if isinstance(value, float) else repr(value)


# --------------------------------------------------------------------------- exercises


class Exercise:
    """One exercise: ``check(...)``, ``hint(n)`` and ``solution()``. This base is an open one."""

    kind = "open"

    def __init__(self, name: str, title: str, hints: Sequence[str], explanation: str) -> None:
        self.name, self.title, self.hints, self.explanation = name, title, tuple(hints), explanation

    def __repr__(self) -> str:
        return f"{self.name} ({self.kind}): {self.title}"

    @property
    def call(self) -> str:
        """How the notebooks spell this exercise, e.g. ``ex.q1``."""
        return f"{ALIAS}.{self.name}"

    def hint(self, n: int = 1) -> Message:
        """Show hint ``n`` (1 is the gentlest); past the last one, say how many there are."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"hint(n) takes the hint number as an int, e.g. hint(2); got {n!r}.")
        total = len(self.hints)
        if not 1 <= n <= total:
            hints = "1 hint" if total == 1 else f"{total} hints, numbered 1 to {total}"
            return Message(
                f"{self.name} has {hints}; `{self.call}.solution()` shows a reference answer."
            )
        head = f"Hint {n} of {total} ({self.name})"
        return Message(f"**{head}:** {self.hints[n - 1]}", f"{head}: {self.hints[n - 1]}")

    def solution(self) -> Message:
        """Show a reference answer and why it is right."""
        code = self.solution_code()
        head = f"Solution ({self.name})"
        if not code:
            return Message(f"**{head}:** {self.explanation}", f"{head}: {self.explanation}")
        return Message(
            f"**{head}:**\n\n```python\n{code}\n```\n\n{self.explanation}",
            f"{head}:\n{code}\n{self.explanation}",
        )

    def solution_code(self) -> str:
        """The reference answer as code, without the nbgrader markers ('' if there is none)."""
        return "\n".join(line for line in self.cell_source.splitlines() if not MARKER.match(line))

    @property
    def cell_source(self) -> str:
        """The notebook's answer cell: the reference answer between nbgrader markers."""
        return ""

    def check(self, *answers: Any) -> Feedback:
        """Check the answer and return a one-line verdict; never raises, whatever the answer."""
        try:
            return Feedback(self.name, True, self._check(*answers))
        except Fail as fail:
            return Feedback(self.name, False, f"{fail} Stuck? Try `{self.call}.hint()`.")

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

    def _check(self, *answers: Any) -> str:
        raise Fail("this exercise has no check.")


class OpenQuestion(Exercise):
    """A question to answer in words: hints and a model answer, nothing to check."""

    def check(self, *answers: Any) -> Feedback:
        """Say that there is nothing to check, and where the model answer is."""
        detail = f"this is an open question; compare your answer with `{self.call}.solution()`."
        return Feedback(self.name, None, detail)


class CodeExercise(Exercise):
    """Write a function (or class); the check runs it on reference cases.

    ``reference`` is the answer as the notebook's cell holds it, nbgrader markers included;
    ``checker(fn)`` returns the success message or raises ``Fail``.
    """

    kind = "code"

    def __init__(
        self,
        name: str,
        title: str,
        hints: Sequence[str],
        explanation: str,
        reference: Callable[..., Any],
        checker: Callable[[Callable[..., Any]], str],
    ) -> None:
        super().__init__(name, title, hints, explanation)
        self.reference, self.checker = reference, checker

    @property
    def answer_name(self) -> str:
        """The name the learner defines, e.g. ``make_windows_loop``."""
        return self.reference.__name__

    @property
    def cell_source(self) -> str:
        return textwrap.dedent(inspect.getsource(self.reference)).rstrip()

    def _check(self, *answers: Any) -> str:
        usage = f"pass your {self.answer_name} itself: `{self.call}.check({self.answer_name})`"
        if len(answers) != 1:
            raise Fail(f"{usage} (got {len(answers)} arguments).")
        if not callable(answers[0]):
            raise Fail(f"{usage}, not a {type(answers[0]).__name__}.")
        with torch.random.fork_rng(devices=[]):  # models built by the check use the global RNG
            return self.checker(answers[0])


class PredictExercise(Exercise):
    """Predict values or shapes before running code; the check compares with the real ones.

    ``answers`` names the variables the learner sets, each with a comment for the solution;
    ``truth()`` computes the real values by running PyTorch; ``judge(answers, truth)``
    returns the success message or raises ``Fail`` without giving the value away.
    """

    kind = "predict"

    def __init__(
        self,
        name: str,
        title: str,
        hints: Sequence[str],
        explanation: str,
        answers: Sequence[tuple[str, str]],
        truth: Callable[[], tuple[Any, ...]],
        judge: Callable[[tuple[Any, ...], tuple[Any, ...]], str],
    ) -> None:
        super().__init__(name, title, hints, explanation)
        self.answers, self.truth, self.judge = tuple(answers), truth, judge

    @property
    def answer_names(self) -> tuple[str, ...]:
        """The variables the learner sets, e.g. ``("answer_y_shape", "answer_h_shape")``."""
        return tuple(name for name, _ in self.answers)

    @property
    def cell_source(self) -> str:
        with torch.random.fork_rng(devices=[]):
            values = self.truth()
        lines = [
            f"{name} = {literal(value)}  # {comment}"
            for (name, comment), value in zip(self.answers, values, strict=True)
        ]
        return "\n".join(["### BEGIN SOLUTION", *lines, "### END SOLUTION"])

    def _check(self, *answers: Any) -> str:
        if len(answers) != len(self.answers):
            raise Fail(f"pass your answers: `{self.call}.check({', '.join(self.answer_names)})`.")
        with torch.random.fork_rng(devices=[]):
            truth = self.truth()
        return self.judge(answers, truth)
