"""Tools for writing a chapter's checks: run the learner's code, compare, read predictions.

A check raises ``Fail`` with a one-line message at the first problem it finds; the exercise
turns that into a ``Feedback``. Nothing here shows the expected answer beyond the one value
that differs, so a verdict never gives the solution away.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, SupportsFloat

import torch

from helpers.i18n import gettext

__all__ = [
    "ATOL",
    "RTOL",
    "Fail",
    "as_int",
    "as_number",
    "as_shape",
    "call_answer",
    "expect_close",
    "fmt",
    "one_line",
    "seeded",
]

RTOL, ATOL = 1e-4, 1e-5  # float32 sums taken in another order still agree to this


class Fail(Exception):
    """A check found a problem; its message is the one-line verdict."""


def one_line(text: object, limit: int = 160) -> str:
    """Collapse whitespace and cut ``text`` to ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fmt(value: SupportsFloat) -> str:
    """A number in 4 significant digits."""
    return f"{float(value):.4g}"


def call_answer(fn: Callable[..., Any], case: str, *args: Any) -> Any:
    """Call the learner's function (or class) on one case; any exception becomes a ``Fail``."""
    try:
        return fn(*args)
    except NotImplementedError:
        raise Fail(
            gettext(
                "{case}: your code still raises NotImplementedError; replace that line with "
                "your answer."
            ).format(case=case)
        ) from None
    except Exception as err:  # any error in the learner's code is reported, not raised
        message = one_line(err).rstrip(".")
        raise Fail(
            gettext("{case}: your code raised {error}: {message}.").format(
                case=case, error=type(err).__name__, message=message
            )
        ) from None


def expect_close(
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
        raise Fail(
            gettext("{case}: {what} should be a tensor, got {kind}.").format(
                case=case, what=what, kind=type(got).__name__
            )
        )
    if tuple(got.shape) != tuple(expected.shape):
        raise Fail(
            gettext("{case}: {what} has shape {got}, expected {expected}.").format(
                case=case, what=what, got=tuple(got.shape), expected=tuple(expected.shape)
            )
        )
    got = got.detach().to(torch.float32)
    if torch.allclose(got, expected, rtol=RTOL, atol=ATOL):
        return
    diff = torch.nan_to_num((got - expected).abs(), nan=math.inf)
    index = tuple(int(i) for i in torch.unravel_index(diff.argmax(), diff.shape))
    where = f"{what}[{', '.join(map(str, index))}]" if index else what
    message = gettext("{case}: {where} expected {expected}, got {got}").format(
        case=case, where=where, expected=fmt(expected[index]), got=fmt(got[index])
    )
    for wrong, meaning in mistakes:
        if wrong.shape == got.shape and torch.allclose(got, wrong, rtol=RTOL, atol=ATOL):
            message += gettext("; {meaning}").format(meaning=gettext(meaning))
            break
    raise Fail(message + gettext("."))


def as_shape(name: str, value: Any) -> tuple[int, ...]:
    """Read a predicted shape given as a tuple, list or torch.Size."""
    if isinstance(value, (tuple, list, torch.Size)) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return tuple(value)
    raise Fail(
        gettext("{name} should be a tuple of ints such as (2, 3), got {value}.").format(
            name=name, value=repr(value)
        )
    )


def as_int(name: str, value: Any) -> int:
    """Read a predicted count."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Fail(
            gettext("{name} should be a whole number (an int), got {value}.").format(
                name=name, value=repr(value)
            )
        )
    return value


def as_number(name: str, value: Any) -> float:
    """Read a predicted value: an int or a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Fail(
            gettext("{name} should be a number, got {value}.").format(name=name, value=repr(value))
        )
    return value


def seeded(seed: int) -> torch.Generator:
    """A private random generator, so checks leave the learner's random state alone."""
    return torch.Generator().manual_seed(seed)
