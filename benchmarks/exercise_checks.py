"""Time every chapter's exercise checks on the reference answers: a learner waits for these.

A check runs the learner's code on a few small cases (a tiny RNN, an epoch of 12 windows), so
a chapter's checks should together take well under a second. This was a unit test's
assertion; a wall-clock limit on a shared machine fails for reasons that are not the code's,
so the figure is printed here instead.

Usage: ``python benchmarks/exercise_checks.py`` (a few seconds); ``--repeat N`` keeps the
fastest of N rounds.
"""

from __future__ import annotations

import argparse
import importlib
import time

from helpers.exercises import CHAPTERS


def reference_answers(exercise) -> tuple:
    """The reference answer: a code exercise's function or class, a prediction's declared values."""
    return (exercise.reference,) if exercise.kind == "code" else exercise.expected_answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the fastest is kept")
    args = parser.parse_args()
    print(f"{'chapter':10s} {'checks':>6s} {'seconds':>8s}")
    for chapter in CHAPTERS:
        module = importlib.import_module(f"helpers.exercises.{chapter}")
        checked = [q for q in module.EXERCISES if q.kind != "open"]
        answers = [reference_answers(q) for q in checked]
        for exercise, answer in zip(checked, answers, strict=True):
            assert exercise.check(*answer), exercise  # warm up: first calls import parts of torch
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for exercise, answer in zip(checked, answers, strict=True):
                exercise.check(*answer)
            best = min(best, time.perf_counter() - start)
        print(f"{chapter:10s} {len(checked):6d} {best:8.3f}")


if __name__ == "__main__":
    main()
