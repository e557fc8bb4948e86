"""helpers._checks: the argument checks every helper goes through."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from helpers import _checks


@pytest.mark.parametrize("value", [3, np.int64(3), torch.tensor(3).item()])
def test_ints_of_any_kind_pass_as_python_ints(value):
    assert _checks.positive_int("n", value) == 3 and type(_checks.positive_int("n", value)) is int
    assert _checks.non_negative_int("n", value) == 3
    assert _checks.int_at_least("n", value, 3) == 3
    assert _checks.int_or_none("n", value) == 3


@pytest.mark.parametrize(
    ("check", "value", "error", "match"),
    [
        (_checks.positive_int, 0, ValueError, r"n must be a positive int \(1 or more\), got 0\."),
        (_checks.positive_int, 2.0, TypeError, r"n must be a positive int, got 2\.0 \(float\)\."),
        (_checks.positive_int, True, TypeError, r"n must be a positive int, got True \(bool\)\."),
        (_checks.non_negative_int, -1, ValueError, r"n must be 0 or more, got -1\."),
        (_checks.non_negative_int, "1", TypeError, r"n must be an int, got '1' \(str\)\."),
        (_checks.int_or_none, 1.5, TypeError, r"n must be an int or None, got 1\.5 \(float\)\."),
    ],
)
def test_ints_refused_with_what_was_passed(check, value, error, match):
    with pytest.raises(error, match=match):
        check("n", value)


def test_int_at_least_words_its_range():
    assert _checks.int_or_none("seed", None) is None
    with pytest.raises(ValueError, match=r"n_points must be at least 2 to span, got 1\."):
        _checks.int_at_least("n_points", 1, 2, "at least 2 to span")
    with pytest.raises(ValueError, match=r"k must be 5 or more, got 4\."):
        _checks.int_at_least("k", 4, 5)


@pytest.mark.parametrize(
    ("value", "kwargs", "ok"),
    [
        (0.0, {"low": 0}, True),
        (0.0, {"low": 0, "low_open": True}, False),
        (1, {"low": 0, "high": 1}, True),
        (1.01, {"low": 0, "high": 1}, False),
        (math.inf, {}, False),
        (math.nan, {}, False),
        (np.float32(0.5), {"low": 0, "high": 1}, True),
    ],
)
def test_real_number_range(value, kwargs, ok):
    if ok:
        assert _checks.real_number("x", value, "in range", **kwargs) == float(value)
    else:
        with pytest.raises(ValueError, match=rf"x must be in range, got {value!r}\."):
            _checks.real_number("x", value, "in range", **kwargs)


@pytest.mark.parametrize("value", ["0.5", True, None, torch.tensor([0.5])])
def test_real_number_refuses_what_is_not_one_number(value):
    with pytest.raises(TypeError, match=r"x must be a number, got .*\(\w+\)\."):
        _checks.real_number("x", value, "a number")


def test_one_of_lists_the_choices():
    assert _checks.one_of("cell", "lstm", {"rnn": 1, "lstm": 2}) == "lstm"
    for value in ("LSTM", None, 3):
        with pytest.raises(ValueError, match=r"cell must be one of \['lstm', 'rnn'\], got "):
            _checks.one_of("cell", value, {"rnn": 1, "lstm": 2})


def test_all_finite_counts_locates_and_says_what_to_do():
    tensor = torch.tensor([[0.0, math.nan], [math.inf, 1.0]])
    with pytest.raises(
        ValueError, match=r"t holds 2 NaN or inf value\(s\), the first at index \(0, 1\); do X\."
    ):
        _checks.all_finite("t", tensor, "do X")
    _checks.all_finite("t", torch.zeros(3))  # finite: nothing to say


def test_finite_series_flattens_and_refuses_empty_or_non_finite():
    assert _checks.finite_series("s", [[1, 2], [3, 4]]).tolist() == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="s is empty"):
        _checks.finite_series("s", [])
    with pytest.raises(ValueError, match="s holds 1 NaN or inf .*smaller learning rate"):
        _checks.finite_series("s", [0.0, math.inf])
