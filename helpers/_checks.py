"""Argument checks shared by the helpers: each error says what was passed and what to do.

Every public helper checks its arguments through these functions, so one kind of mistake
gets one kind of message everywhere: a wrong type raises TypeError, a value of the right
type outside its range raises ValueError, and both name the argument and repeat the value.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection
from typing import TypeGuard

import torch

FIX_DATA = "clean or drop them before windowing (for example with torch.nan_to_num)"
FIX_PLOT = (
    "the plot would be blank there. If it is a forecast, the model diverged: "
    "retrain with a smaller learning rate"
)


def _is_int(value: object) -> TypeGuard[numbers.Integral]:
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


def _type_error(name: str, rule: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {rule}, got {value!r} ({type(value).__name__}).")


def int_at_least(name: str, value: object, low: int, rule: str | None = None) -> int:
    """Return ``value`` as an int if it is one and ``>= low``; ``rule`` words the range."""
    if not _is_int(value):
        raise _type_error(name, "an int", value)
    if value < low:
        raise ValueError(f"{name} must be {rule or f'{low} or more'}, got {value}.")
    return int(value)


def positive_int(name: str, value: object) -> int:
    """Return ``value`` if it is an int >= 1, else raise a TypeError or ValueError naming it."""
    if not _is_int(value):
        raise _type_error(name, "a positive int", value)
    return int_at_least(name, value, 1, "a positive int (1 or more)")


def non_negative_int(name: str, value: object) -> int:
    """Return ``value`` if it is an int >= 0, else raise a TypeError or ValueError naming it."""
    return int_at_least(name, value, 0)


def int_or_none(name: str, value: object) -> int | None:
    """Return ``value`` if it is an int or None (a seed, for example), else raise a TypeError."""
    if value is not None and not _is_int(value):
        raise _type_error(name, "an int or None", value)
    return None if value is None else int(value)


def real_number(
    name: str,
    value: object,
    rule: str,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite real number in [low, high].

    ``low_open`` excludes ``low`` itself; ``rule`` says the range in words for the error,
    e.g. ``"a positive finite number"``. Infinities and NaN are always refused.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _type_error(name, rule, value)
    number = float(value)
    too_low = number <= low if low_open else number < low
    if not math.isfinite(number) or too_low or number > high:
        raise ValueError(f"{name} must be {rule}, got {value!r}.")
    return number


def one_of(name: str, value: object, choices: Collection[str]) -> str:
    """Return ``value`` if it is one of ``choices`` (names such as ``models.CELLS``)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value!r}.")
    return value


def as_float_tensor(name: str, value: object) -> torch.Tensor:
    """Turn a tensor, NumPy array or (nested) list into a float32 tensor, or explain why not."""
    if isinstance(value, torch.Tensor):
        tensor = value.detach()
    else:
        try:
            tensor = torch.as_tensor(value)
        except (TypeError, ValueError, RuntimeError) as err:
            raise TypeError(
                f"{name} must be a tensor, a NumPy array or a list of numbers, "
                f"got {type(value).__name__} ({err})."
            ) from None
    if tensor.is_complex() or tensor.dtype == torch.bool:
        raise TypeError(f"{name} must hold real numbers, got dtype {tensor.dtype}.")
    return tensor.to(torch.float32)


def all_finite(name: str, tensor: torch.Tensor, fix: str = FIX_DATA) -> None:
    """Raise a ValueError that counts and locates NaN or inf values in ``tensor``.

    ``fix`` tells the learner what to do about them.
    """
    bad = ~torch.isfinite(tensor)
    if bad.any():
        first = tuple(int(i) for i in bad.nonzero()[0])
        raise ValueError(
            f"{name} holds {int(bad.sum())} NaN or inf value(s), the first at index {first}; {fix}."
        )


def finite_series(name: str, values: object, fix: str = FIX_PLOT) -> torch.Tensor:
    """Flatten ``values`` to a non-empty 1-D float32 tensor of finite numbers (for a plot).

    Shapes: any -> (n,), n >= 1.
    """
    tensor = as_float_tensor(name, values).reshape(-1)
    if tensor.numel() == 0:
        raise ValueError(f"{name} is empty; pass at least one value.")
    all_finite(name, tensor, fix)
    return tensor
