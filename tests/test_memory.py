"""helpers.memory: training and scoring on delayed recall, and reading the sweep (chapter 6)."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from helpers.memory import (
    N_TEST,
    RECIPE,
    failure_lags,
    recall_error,
    run_label,
    summarize_sweep,
    train_recall,
)
from helpers.models import seeded_model
from helpers.training import Recipe

TINY, STEPS = Recipe("adam", 3e-3, batch_size=8, clip=1.0), 5  # with hidden_size=4 models


def test_run_labels():
    assert run_label("rnn") == "RNN"
    assert run_label("lstm", 5.0) == "LSTM, forget bias 5"
    assert run_label("gru", 5) == "GRU, update bias 5"
    assert run_label("rnn", None, 64) == "RNN, 64 units"


@pytest.mark.parametrize(
    ("cell", "bias", "error"),
    [
        ("elman", None, ValueError),
        ("rnn", 1.0, ValueError),
        ("lstm", "1", TypeError),
        ("gru", math.inf, ValueError),
    ],
)
def test_bad_configurations(cell, bias, error):
    with pytest.raises(error):
        run_label(cell, bias)


def test_the_recall_network_is_seeded_and_biased():
    a = seeded_model("lstm", 3, hidden_size=4, keep_bias=5.0)
    b = seeded_model("lstm", 3, hidden_size=4, keep_bias=5.0)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert torch.all(a.rnn.bias_ih_l0[4:8] == 5.0)


def test_train_recall_is_deterministic_and_records_every_update():
    runs = [
        train_recall(seeded_model("gru", 1, hidden_size=4), 3, 1, TINY, STEPS) for _ in range(2)
    ]
    assert len(runs[0].losses) == STEPS
    assert runs[0].losses == runs[1].losses
    assert runs[0].cpu_seconds >= 0
    other = train_recall(seeded_model("gru", 1, hidden_size=4), 3, 2, TINY, STEPS)
    assert other.losses != runs[0].losses  # the seed picks the training batches


def test_train_recall_clips_the_gradient(monkeypatch):
    seen = []
    original = nn.utils.clip_grad_norm_

    def spy(params, max_norm, *args, **kwargs):
        seen.append(max_norm)
        return original(params, max_norm, *args, **kwargs)

    monkeypatch.setattr(nn.utils, "clip_grad_norm_", spy)
    train_recall(seeded_model("rnn", 0, hidden_size=4), 2, 0, TINY, STEPS)
    assert seen == [TINY.clip] * STEPS


def test_train_recall_leaves_global_state_as_it_was():
    threads = torch.get_num_threads()
    train_recall(seeded_model("lstm", 0, hidden_size=4), 2, 0, TINY, STEPS)
    assert torch.get_num_threads() == threads


def test_recall_error_is_one_at_chance_and_zero_for_perfect_recall():
    class Zero(nn.Module):
        def forward(self, x):
            return torch.zeros(x.shape[0], 1)

    class First(nn.Module):
        def forward(self, x):
            return x[:, 0]

    assert N_TEST >= 1000  # enough sequences for the mean to sit near 1/3
    assert recall_error(Zero(), 10) == pytest.approx(1.0, abs=0.1)
    assert recall_error(First(), 10) == 0.0


def test_train_recall_bad_input():
    with pytest.raises(TypeError, match="nn.Module"):
        train_recall("lstm", 5, 0, TINY, STEPS)
    with pytest.raises(ValueError, match="lag"):
        train_recall(seeded_model("lstm", 0, hidden_size=4), 0, 0, TINY, STEPS)
    with pytest.raises(ValueError, match="steps"):
        train_recall(seeded_model("lstm", 0, hidden_size=4), 3, 0, TINY, 0)
    with pytest.raises(TypeError, match="training.Recipe"):
        train_recall(seeded_model("lstm", 0, hidden_size=4), 3, 0, {"lr": 0.01}, STEPS)


def test_the_recall_recipe_is_the_chapter_s():
    assert (RECIPE.optimizer, RECIPE.lr, RECIPE.batch_size, RECIPE.clip) == ("adam", 3e-3, 64, 1.0)


# ---------------------------------------------------------------- reading a sweep


def _rows():
    rows = []
    for lag, errors in {5: [0.01, 0.02, 0.5], 50: [0.05, 0.9, 0.8], 100: [0.9, 0.95, 0.99]}.items():
        for seed, error in enumerate(errors):
            rows.append(
                {
                    "cell": "lstm",
                    "keep_bias": 5.0,
                    "hidden_size": 32,
                    "lag": lag,
                    "seed": seed,
                    "error": error,
                }
            )
    for seed in range(3):
        rows.append(
            {
                "cell": "rnn",
                "keep_bias": None,
                "hidden_size": 32,
                "lag": 5,
                "seed": seed,
                "error": 0.01,
            }
        )
    return rows


def test_summarize_sweep_counts_solved_runs():
    summary = summarize_sweep(_rows())
    assert list(summary) == ["LSTM, forget bias 5", "RNN"]
    entry = summary["LSTM, forget bias 5"][50]
    assert entry["solved"] == 1 and entry["n"] == 3
    assert entry["median"] == 0.8 and (entry["low"], entry["high"]) == (0.05, 0.9)
    assert summary["LSTM, forget bias 5"][5]["solved"] == 2


def test_failure_lags_is_the_shortest_lag_most_seeds_failed():
    lags = failure_lags(summarize_sweep(_rows()))
    assert lags == {"LSTM, forget bias 5": 50, "RNN": None}


def test_summarize_sweep_bad_rows():
    with pytest.raises(ValueError, match="empty"):
        summarize_sweep([])
    with pytest.raises(ValueError, match="lacks"):
        summarize_sweep([{"cell": "rnn", "lag": 5}])
