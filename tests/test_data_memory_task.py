"""helpers.data for chapter 6: delayed recall, the chronological split, the sine past t = 99."""

from __future__ import annotations

import math

import pytest
import torch

from helpers.data import (
    RECALL_CHANCE_MSE,
    chronological_split,
    delayed_recall,
    make_windows,
    noisy_sine,
    sine_at_steps,
)

# ---------------------------------------------------------------- delayed_recall


def test_delayed_recall_shapes_and_answer_is_the_first_step():
    inputs, targets = delayed_recall(16, 7, seed=0)
    assert inputs.shape == (16, 8, 1) and targets.shape == (16, 1)
    assert inputs.dtype == targets.dtype == torch.float32
    assert torch.equal(targets, inputs[:, 0])


def test_delayed_recall_values_are_uniform_on_minus_one_one():
    inputs, targets = delayed_recall(20_000, 3, seed=1)
    assert inputs.min() >= -1 and inputs.max() <= 1
    # the variance of U[-1, 1] is 1/3: always answering 0 scores chance level
    assert torch.mean(targets**2).item() == pytest.approx(RECALL_CHANCE_MSE, rel=0.02)
    assert RECALL_CHANCE_MSE == pytest.approx(1 / 3)


def test_delayed_recall_distractors_carry_no_information_about_the_answer():
    inputs, targets = delayed_recall(20_000, 5, seed=2)
    for step in range(1, 6):
        r = torch.corrcoef(torch.stack([inputs[:, step, 0], targets[:, 0]]))[0, 1]
        assert abs(r.item()) < 0.03, step


def test_delayed_recall_seed_and_generator_are_deterministic():
    a = delayed_recall(4, 3, seed=5)
    b = delayed_recall(4, 3, seed=5)
    c = delayed_recall(4, 3, generator=torch.Generator().manual_seed(5))
    assert torch.equal(a[0], b[0]) and torch.equal(a[0], c[0])
    assert not torch.equal(a[0], delayed_recall(4, 3, seed=6)[0])
    generator = torch.Generator().manual_seed(5)
    first, second = (
        delayed_recall(4, 3, generator=generator),
        delayed_recall(4, 3, generator=generator),
    )
    assert not torch.equal(first[0], second[0])  # a stream: each batch is fresh


def test_delayed_recall_with_seed_leaves_the_global_generator_alone():
    torch.manual_seed(3)
    expected = torch.rand(3)
    torch.manual_seed(3)
    delayed_recall(5, 4, seed=0)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"n_sample": 0, "lag": 3}, ValueError, "n_sample"),
        ({"n_sample": 2, "lag": 0}, ValueError, "lag"),
        ({"n_sample": 2, "lag": 2.5}, TypeError, "lag"),
        ({"n_sample": 2, "lag": 3, "seed": "0"}, TypeError, "seed"),
        (
            {"n_sample": 2, "lag": 3, "seed": 1, "generator": torch.Generator()},
            ValueError,
            "not both",
        ),
        ({"n_sample": 2, "lag": 3, "generator": 5}, TypeError, "torch.Generator"),
    ],
)
def test_delayed_recall_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        delayed_recall(**kwargs)


# ---------------------------------------------------------------- chronological_split


def test_split_of_the_lecture_series():
    _, y = noisy_sine(seed=0)
    split = chronological_split(y, 10, 20)
    assert split.cut == 70
    assert split.input_train.shape == (60, 10, 1) and split.correct_train.shape == (60, 1)
    assert split.input_valid.shape == (20, 10, 1) and split.correct_valid.shape == (20, 1)
    # the last training answer is t = 69; the first validation window starts at t = 70
    assert split.correct_train[-1, 0] == y[69]
    assert torch.equal(split.input_valid[0, :, 0], y[70:80])
    assert split.correct_valid[0, 0] == y[80] and split.correct_valid[-1, 0] == y[99]


def test_split_shares_no_step_between_training_and_validation():
    y = torch.arange(50.0)  # each value is its own step index
    split = chronological_split(y, 5, 8)
    train_steps = set(split.input_train.flatten().tolist()) | set(
        split.correct_train.flatten().tolist()
    )
    valid_steps = set(split.input_valid.flatten().tolist()) | set(
        split.correct_valid.flatten().tolist()
    )
    assert not train_steps & valid_steps
    assert max(train_steps) == split.cut - 1 and min(valid_steps) == split.cut


def test_split_windows_are_make_windows_of_each_part():
    _, y = noisy_sine(60, seed=1)
    split = chronological_split(y, 4, 6)
    expected_train = make_windows(y[: split.cut], 4)
    assert torch.equal(split.input_train, expected_train[0])
    assert torch.equal(split.correct_valid, make_windows(y[split.cut :], 4)[1])


@pytest.mark.parametrize(
    ("series", "n_time", "n_valid"), [(torch.zeros(30), 10, 10), (torch.zeros(5, 2), 1, 1)]
)
def test_split_too_short_or_not_1d(series, n_time, n_valid):
    with pytest.raises(ValueError, match="validation windows"):
        chronological_split(series, n_time, n_valid)


# ---------------------------------------------------------------- sine_at_steps


def test_sine_at_steps_matches_the_clean_series_and_continues_it():
    x, clean = noisy_sine(100, noise=0.0)
    assert torch.allclose(sine_at_steps(range(100)), clean, atol=1e-6)
    dx = 4 * math.pi / 99
    assert sine_at_steps([149]).item() == pytest.approx(math.sin(-2 * math.pi + 149 * dx), abs=1e-6)


def test_sine_at_steps_bad_input():
    with pytest.raises(ValueError, match="1-D"):
        sine_at_steps(torch.zeros(2, 2))
    with pytest.raises(ValueError, match="n_points"):
        sine_at_steps(range(3), n_points=1)
