"""Argument checks shared by the helpers: each error says what was passed and what to do."""

from __future__ import annotations

import numbers

import torch


def positive_int(name: str, value: object) -> int:
    """Return ``value`` if it is an int >= 1, else raise a TypeError or ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r} ({type(value).__name__}).")
    if value < 1:
        raise ValueError(f"{name} must be a positive int (1 or more), got {value}.")
    return int(value)


def non_negative_int(name: str, value: object) -> int:
    """Return ``value`` if it is an int >= 0, else raise a TypeError or ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__}).")
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, got {value}.")
    return int(value)


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


def all_finite(name: str, tensor: torch.Tensor) -> None:
    """Raise a ValueError that counts and locates NaN or inf values in ``tensor``."""
    bad = ~torch.isfinite(tensor)
    if bad.any():
        first = tuple(int(i) for i in bad.nonzero()[0])
        raise ValueError(
            f"{name} holds {int(bad.sum())} NaN or inf value(s), the first at index {first}; "
            "clean or drop them before windowing (for example with torch.nan_to_num)."
        )
