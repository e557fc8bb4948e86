"""helpers.data: the noisy sine and its windows (chapter 2)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from helpers.data import make_windows, noisy_sine

# ---------------------------------------------------------------- noisy_sine


def test_noisy_sine_shapes_and_dtype():
    x, y = noisy_sine(50, seed=0)
    assert x.shape == y.shape == (50,)
    assert x.dtype == y.dtype == torch.float32


def test_noisy_sine_defaults_follow_the_lecture():
    x, y = noisy_sine(seed=0)
    assert x.shape == y.shape == (100,)


def test_noisy_sine_x_runs_from_minus_to_plus_two_pi():
    x, _ = noisy_sine(100, seed=0)
    assert x[0].item() == pytest.approx(-2 * math.pi, abs=1e-6)
    assert x[-1].item() == pytest.approx(2 * math.pi, abs=1e-6)
    assert torch.all(x[1:] > x[:-1])  # strictly increasing
    assert torch.allclose(x[1:] - x[:-1], torch.full((99,), 4 * math.pi / 99), atol=1e-5)


def test_noisy_sine_two_points_are_the_endpoints():
    x, _ = noisy_sine(2, noise=0.0)
    assert x.tolist() == pytest.approx([-2 * math.pi, 2 * math.pi], abs=1e-6)


def test_noisy_sine_without_noise_is_the_sine():
    x, y = noisy_sine(40, noise=0.0, seed=0)
    assert torch.equal(y, torch.sin(x))


def test_noisy_sine_same_seed_same_y():
    _, y1 = noisy_sine(100, seed=7)
    torch.randn(10)  # whatever runs in between must not matter with a seed
    _, y2 = noisy_sine(100, seed=7)
    assert torch.equal(y1, y2)


def test_noisy_sine_different_seeds_differ():
    _, y1 = noisy_sine(100, seed=1)
    _, y2 = noisy_sine(100, seed=2)
    assert not torch.equal(y1, y2)


def test_noisy_sine_with_seed_leaves_global_generator_alone():
    torch.manual_seed(123)
    expected = torch.randn(5)
    torch.manual_seed(123)
    noisy_sine(100, seed=0)
    assert torch.equal(torch.randn(5), expected)


def test_noisy_sine_seed_none_uses_global_generator_like_the_lecture():
    # the lecture's own two lines, after the same global seed, give the same y
    torch.manual_seed(3)
    sinx = torch.linspace(-2 * math.pi, 2 * math.pi, 100)
    siny = torch.sin(sinx) + 0.1 * torch.randn(len(sinx))
    torch.manual_seed(3)
    x, y = noisy_sine()
    assert torch.equal(x, sinx)
    assert torch.equal(y, siny)


def test_noisy_sine_seed_none_draws_fresh_noise_each_call():
    torch.manual_seed(0)
    _, y1 = noisy_sine(50)
    _, y2 = noisy_sine(50)
    assert not torch.equal(y1, y2)


def test_noisy_sine_noise_is_the_standard_deviation():
    x, y = noisy_sine(20_000, noise=0.1, seed=0)
    assert (y - torch.sin(x)).std().item() == pytest.approx(0.1, rel=0.03)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_points": 1}, ValueError, r"n_points must be at least 2.*got 1"),
        ({"n_points": 0}, ValueError, r"n_points.*got 0"),
        ({"n_points": -5}, ValueError, r"n_points.*got -5"),
        ({"n_points": 10.0}, TypeError, r"n_points must be an int, got 10\.0"),
        ({"n_points": True}, TypeError, r"n_points must be an int, got True"),
        ({"noise": -0.1}, ValueError, r"noise .*0 or more, got -0\.1"),
        ({"noise": float("nan")}, ValueError, r"noise .*got nan"),
        ({"noise": float("inf")}, ValueError, r"noise .*got inf"),
        ({"noise": "0.1"}, TypeError, r"noise must be a number.*'0\.1'"),
        ({"seed": 1.5}, TypeError, r"seed must be an int or None, got 1\.5"),
        ({"seed": True}, TypeError, r"seed must be an int or None, got True"),
    ],
)
def test_noisy_sine_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        noisy_sine(**kwargs)


# ---------------------------------------------------------------- make_windows


def test_make_windows_exact_values_on_arange():
    input_data, correct_data = make_windows(torch.arange(6.0), 2)
    assert input_data.shape == (4, 2, 1)
    assert correct_data.shape == (4, 1)
    assert input_data[..., 0].tolist() == [[0, 1], [1, 2], [2, 3], [3, 4]]
    assert correct_data[:, 0].tolist() == [2, 3, 4, 5]


def test_make_windows_matches_the_lectures_loop():
    _, siny = noisy_sine(100, seed=0)
    n_time = 10
    n_sample = len(siny) - n_time
    loop_input = torch.zeros((n_sample, n_time, 1))
    loop_correct = torch.zeros((n_sample, 1))
    for i in range(n_sample):
        loop_input[i] = siny[i : i + n_time].view(-1, 1)
        loop_correct[i] = siny[i + n_time : i + n_time + 1]
    input_data, correct_data = make_windows(siny, n_time)
    assert input_data.shape == (90, 10, 1) and correct_data.shape == (90, 1)
    assert torch.equal(input_data, loop_input)
    assert torch.equal(correct_data, loop_correct)


def test_make_windows_accepts_lists():
    input_data, correct_data = make_windows([0, 1, 2, 3], 3)
    assert input_data.dtype == correct_data.dtype == torch.float32
    assert input_data.tolist() == [[[0.0], [1.0], [2.0]]]
    assert correct_data.tolist() == [[3.0]]


def test_make_windows_accepts_numpy_float64():
    series = np.array([0.5, 1.5, 2.5, 3.5, 4.5])
    input_data, correct_data = make_windows(series, 2)
    assert input_data.dtype == torch.float32
    assert input_data[..., 0].tolist() == [[0.5, 1.5], [1.5, 2.5], [2.5, 3.5]]
    assert correct_data[:, 0].tolist() == [2.5, 3.5, 4.5]


def test_make_windows_two_dimensional_series():
    series = torch.arange(10.0).view(5, 2)  # 5 steps, 2 features: [[0, 1], [2, 3], ...]
    input_data, correct_data = make_windows(series, 3)
    assert input_data.shape == (2, 3, 2)
    assert correct_data.shape == (2, 2)
    assert input_data.tolist() == [
        [[0, 1], [2, 3], [4, 5]],
        [[2, 3], [4, 5], [6, 7]],
    ]
    assert correct_data.tolist() == [[6, 7], [8, 9]]


@pytest.mark.parametrize("n_time", [1, 2, 7, 9])
def test_make_windows_shapes_and_definition(n_time):
    series = torch.randn(10)
    input_data, correct_data = make_windows(series, n_time)
    assert input_data.shape == (10 - n_time, n_time, 1)
    assert correct_data.shape == (10 - n_time, 1)
    for i in range(10 - n_time):
        assert torch.equal(input_data[i, :, 0], series[i : i + n_time])
        assert correct_data[i, 0] == series[i + n_time]


@pytest.mark.parametrize("n_time", [1, 2])
@pytest.mark.parametrize("kind", ["tensor", "numpy"])
def test_make_windows_returns_copies(n_time, kind):
    series = torch.arange(6.0) if kind == "tensor" else np.arange(6, dtype=np.float32)
    input_data, correct_data = make_windows(series, n_time)
    before = input_data.clone(), correct_data.clone()
    series[:] = 99
    assert torch.equal(input_data, before[0])
    assert torch.equal(correct_data, before[1])
    assert input_data.is_contiguous()


def test_make_windows_detaches_from_autograd():
    series = torch.arange(6.0, requires_grad=True)
    input_data, correct_data = make_windows(series, 2)
    assert not input_data.requires_grad and not correct_data.requires_grad


@pytest.mark.parametrize(
    ("n_time", "error", "match"),
    [
        (0, ValueError, r"n_time must be a positive int .*got 0"),
        (-3, ValueError, r"n_time must be a positive int .*got -3"),
        (2.0, TypeError, r"n_time must be a positive int, got 2\.0 \(float\)"),
        (True, TypeError, r"n_time must be a positive int, got True \(bool\)"),
        ("3", TypeError, r"n_time must be a positive int, got '3' \(str\)"),
        (None, TypeError, r"n_time must be a positive int, got None"),
        (6, ValueError, r"n_time=6 leaves no sample in a series of length 6.*n_time < 6"),
        (10, ValueError, r"n_time=10 leaves no sample in a series of length 6"),
    ],
)
def test_make_windows_bad_n_time(n_time, error, match):
    with pytest.raises(error, match=match):
        make_windows(torch.arange(6.0), n_time)


@pytest.mark.parametrize(
    ("series", "error", "match"),
    [
        ([], ValueError, r"series is empty \(shape \(0,\)\)"),
        (torch.zeros(0, 3), ValueError, r"series is empty \(shape \(0, 3\)\)"),
        (torch.tensor(1.0), ValueError, r"series must be 1-D .* got 0-D"),
        (torch.zeros(4, 3, 2), ValueError, r"series must be 1-D .* got 3-D with shape \(4, 3, 2\)"),
        (torch.zeros(4, 3, 2, 1), ValueError, r"series .* got 4-D"),
        ([0.0, 1.0, float("nan"), 3.0], ValueError, r"series holds 1 NaN or inf .*index \(2,\)"),
        ([0.0, float("inf"), 2.0, 3.0], ValueError, r"series holds 1 NaN or inf .*index \(1,\)"),
        (np.array([0.0, -np.inf, np.nan, 1.0]), ValueError, r"series holds 2 NaN or inf"),
        ([[0.0, 1.0], [2.0, float("nan")], [4.0, 5.0]], ValueError, r"index \(1, 1\)"),
        (torch.tensor([True, False, True]), TypeError, r"series must hold real numbers.*bool"),
        (torch.ones(4, dtype=torch.complex64), TypeError, r"series must hold real numbers"),
        (["a", "b", "c"], TypeError, r"series must be a tensor, a NumPy array or a list"),
        ([[1.0, 2.0], [3.0]], TypeError, r"series must be a tensor, a NumPy array or a list"),
        ({"a": 1}, TypeError, r"series must be .* got dict"),
    ],
)
def test_make_windows_bad_series(series, error, match):
    with pytest.raises(error, match=match):
        make_windows(series, 1)
