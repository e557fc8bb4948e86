"""Exercises for every chapter, with ``check()``, ``hint()`` and ``solution()``.

A chapter's notebook loads its exercises with ``from helpers.exercises import chapter1 as ex``;
then ``ex.q1.check(my_function)`` runs the answer against reference cases and replies in
one line, ``ex.q1.hint()`` (or ``ex.q1.hint(2)``) nudges, and ``ex.q1.solution()`` shows a
reference answer. A check never shows the solution, and an exception raised by the learner's
code is reported in the verdict, not raised. The student versions' graded cells call
``ex.q1.grade(...)`` instead, which raises ``ExerciseFailed`` for a wrong answer so that
nbgrader's autograder counts it.

One module per chapter (``chapter1`` ... ``chapter5``), each with ``q1``, ``q2``, ... and
``EXERCISES``; ``core`` holds the machinery. The book's page "For teachers" lists them all.
Importing this package imports no chapter: each loads when a notebook asks for it.
"""

from helpers.exercises.core import ExerciseFailed, Feedback

__all__ = ["CHAPTERS", "ExerciseFailed", "Feedback"]

CHAPTERS = ("chapter1", "chapter2", "chapter3", "chapter4", "chapter5")
