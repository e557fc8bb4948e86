"""The three kinds of exercise, and how a chapter declares its exercises.

A chapter module declares each exercise with keyword arguments and hands them, in the order
the notebook asks them, to ``bind_exercises``, which names them ``q1``, ``q2``, ... and binds
those names in the module::

    EXERCISES = bind_exercises(
        globals(),
        CodeExercise(title=..., reference=..., checker=..., hints=[...], explanation=...),
        PredictExercise(title=..., answers={...}, expected={...}, success=..., wrong={...},
                        hints=[...], ...),
        OpenQuestion(title=..., hints=[...], explanation=...),
    )

Every kind answers ``check(...)``, ``grade(...)``, ``hint(n)`` and ``solution()``.
"""

from __future__ import annotations

import inspect
import math
import re
import textwrap
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any

import torch

from helpers.exercises.checking import RTOL, Fail, as_int, as_number, as_shape
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
    ``checker(fn)`` returns the success message or raises ``Fail``. A checker compares the
    learner's output with an independent oracle (PyTorch's own layer, autograd, a helper of
    the book) or with ``reference``'s output, and builds a typical mistake by feeding the
    reference (or the oracle) the wrong thing: it never writes the solution out again.
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
        # the reference's source is the cell's source: getsource reads code to show, no value
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


# What a typical wrong value is matched by: a value, compared as the expected one is, or a
# predicate on the value as read; a predicate may answer a dict instead of True, whose fields
# its message names (something computed from the answer, such as how many rows it spans).
Match = Any


class PredictExercise(_Checked):
    """Predict values or shapes before running code; the check compares with declared ones.

    ``answers`` maps the variables the learner sets, in the order ``check`` takes them, to a
    comment for the solution cell. ``expected`` declares the right value of each, as data next
    to the question (learntools' ``_expected``): a shape or pair of rows as a tuple of ints, a
    count as an int, a share or a loss as a float. One comparison serves every exercise
    (``_same``): exact for ints and tuples, within ``rel_tol`` for floats. A declaration that
    PyTorch computes is kept honest by a test that computes it (tests/
    test_exercise_declarations.py), not by running PyTorch at every check.

    A wrong answer is answered with the first of these that fits, so that the verdict says
    what is wrong and how to fix it without giving the value away:

    - ``swapped``, if two answers were given in each other's place;
    - for each name in the order ``expected`` lists them (which may differ from the order of
      ``answers``: the simpler value is checked first) whose value is not the expected one:
      the first of ``mistakes[name]``, a list of ``(match, message)``, that matches, else
      ``wrong[name]``.

    Every message is an English msgid (marked ``N_``) formatted after translation with
    ``name`` and ``value`` (the learner's value as read), each expected value by its name, and
    ``facts``, the question's constants (``{n_time}``). ``success`` is formatted the same way.
    """

    kind = "predict"

    def __init__(
        self,
        *,
        title: str,
        answers: Mapping[str, str],
        expected: Mapping[str, Any],
        success: str,
        wrong: Mapping[str, str],
        mistakes: Mapping[str, Sequence[tuple[Match, str]]] | None = None,
        swapped: str | None = None,
        facts: Mapping[str, Any] | None = None,
        rel_tol: float = RTOL,
        abs_tol: float = 0.0,
        hints: Sequence[str],
        explanation: str,
    ) -> None:
        super().__init__(title=title, hints=hints, explanation=explanation)
        names, mistakes = set(answers), mistakes or {}
        if set(expected) != names or set(wrong) != names or not set(mistakes) <= names:
            raise ValueError(f"{title!r}: declare expected and wrong for each answer, no other.")
        self.answers, self.expected, self.wrong = dict(answers), dict(expected), dict(wrong)
        self.mistakes = {name: tuple(found) for name, found in mistakes.items()}
        self.success, self.swapped, self.facts = success, swapped, dict(facts or {})
        self.rel_tol, self.abs_tol = rel_tol, abs_tol

    @property
    def answer_names(self) -> tuple[str, ...]:
        """The variables the learner sets, e.g. ``("answer_y_shape", "answer_h_shape")``."""
        return tuple(self.answers)

    @property
    def expected_answers(self) -> tuple[Any, ...]:
        """The declared values in the order ``check`` takes them."""
        return tuple(self.expected[name] for name in self.answers)

    @property
    def cell_source(self) -> str:
        lines = [
            f"{name} = {_literal(self.expected[name])}  # {comment}"
            for name, comment in self.answers.items()
        ]
        return "\n".join(["### BEGIN SOLUTION", *lines, "### END SOLUTION"])

    def _verdict(self, *answers: Any) -> str:
        if len(answers) != len(self.answers):
            raise Fail(
                gettext("pass your answers: `{call}.check({names})`.").format(
                    call=self.call, names=", ".join(self.answer_names)
                )
            )
        got = {
            name: _read(name, value, self.expected[name])
            for name, value in zip(self.answers, answers, strict=True)
        }
        fields = {**self.expected, **self.facts}
        in_order = tuple(got.values())
        if self.swapped and len(got) == 2 and in_order == self.expected_answers[::-1]:
            raise Fail(gettext(self.swapped).format(**fields))
        for name, want in self.expected.items():
            value = got[name]
            if self._same(value, want):
                continue
            said = {**fields, "name": name, "value": value}
            for match, message in self.mistakes.get(name, ()):
                hit = match(value) if callable(match) else self._same(value, match)
                if hit:
                    extra = hit if isinstance(hit, Mapping) else {}
                    raise Fail(gettext(message).format(**said, **extra))
            raise Fail(gettext(self.wrong[name]).format(**said))
        return gettext(self.success).format(**fields)

    def _same(self, got: Any, want: Any) -> bool:
        """The one comparison: exact, but within ``rel_tol`` (or ``abs_tol``) for a float.

        The default is checking.RTOL, relative, with no absolute floor (not checking.ATOL): a
        prediction is a number worked out by hand, and a share of 2.5e-14 must not be matched
        by a guess of 1e-5 unless the exercise says so.
        """
        if isinstance(want, float):
            return math.isclose(got, want, rel_tol=self.rel_tol, abs_tol=self.abs_tol)
        return bool(got == want)


def _read(name: str, value: Any, want: Any) -> Any:
    """Read the learner's value as the declared one's kind, or fail saying what kind it wants.

    Rows given as a slice or range (``slice(256, 512)``) read as the pair (start, stop).
    """
    if isinstance(want, tuple):
        if isinstance(value, (range, slice)):
            value = (value.start, value.stop)
        return as_shape(name, value)
    if isinstance(want, int):
        return as_int(name, value)
    return as_number(name, value)


def _literal(value: Any) -> str:
    """Python source for a declared answer; floats in 6 significant digits (2.54e-14)."""
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
