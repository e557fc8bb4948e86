"""Exercises for every chapter, with ``check()``, ``hint()`` and ``solution()``.

A chapter's notebook loads its exercises with ``from helpers.exercises import chapter1 as ex``;
then ``ex.q1.check(my_function)`` runs the answer against reference cases and replies in
one line, ``ex.q1.hint()`` (or ``ex.q1.hint(2)``) nudges, and ``ex.q1.solution()`` shows a
reference answer. A check never shows the solution, and an exception raised by the learner's
code is reported in the verdict, not raised. The student versions' graded cells call
``ex.q1.grade(...)`` instead, which raises ``ExerciseFailed`` for a wrong answer so that
nbgrader's autograder counts it.

One module per chapter, ``chapterN.py``, declares its exercises (``q1``, ``q2``, ... and
``EXERCISES``); a new chapter's module is found by its name, with no list to extend. The
machinery is split by concern: ``kinds`` (the three kinds of exercise and how a chapter
declares them), ``checking`` (tools for writing checks) and ``feedback`` (what the learner
sees). The book's page "For teachers" lists every exercise. Importing this package imports
no chapter: each loads when a notebook asks for it.
"""

import pkgutil
import re

from helpers.exercises.feedback import ExerciseFailed, Feedback
from helpers.exercises.kinds import MARKER

__all__ = ["CHAPTERS", "MARKER", "ExerciseFailed", "Feedback"]

# the chapter modules, chapter1, chapter2, ..., found on disk (not imported) in reading order
CHAPTERS = tuple(
    sorted(
        (m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"chapter\d+", m.name)),
        key=lambda name: int(name.removeprefix("chapter")),
    )
)
