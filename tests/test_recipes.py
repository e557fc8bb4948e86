"""helpers.recipes: training judged on later data (chapter 6)."""

from __future__ import annotations

import math

import pytest
import torch

from helpers import recipes
from helpers.models import seeded_model
from helpers.recipes import LECTURE, WORKING, fit
from helpers.training import Recipe


@pytest.fixture(scope="module")
def split():
    return recipes.make_split()


def test_recipe_labels_and_checks():
    assert LECTURE.label == "SGD 0.01"
    assert WORKING.label == "Adam 0.003, bias 1, clip 1"
    with pytest.raises(ValueError, match="optimizer"):
        Recipe("rmsprop")
    with pytest.raises(ValueError, match="lr"):
        Recipe("sgd", 0.0)
    with pytest.raises(ValueError, match="clip"):
        Recipe("adam", 0.01, clip=-1.0)
    with pytest.raises(ValueError, match="keep_bias"):
        Recipe("adam", 0.01, keep_bias=math.nan)
    with pytest.raises(ValueError, match="batch_size"):
        Recipe("adam", 0.01, batch_size=0)
    with pytest.raises(ValueError, match="dropout"):
        Recipe("adam", 0.01, dropout=1.0)
    assert Recipe("sgd", 1.0, batch_size=32, clip=1.0, dropout=0.0).label == (
        "SGD 1, batches of 32, clip 1, dropout 0"
    )


def test_a_recipe_makes_its_optimizer_clipped_as_it_says():
    model = seeded_model("rnn", 0, hidden_size=4)
    plain = LECTURE.make_optimizer(model)
    assert isinstance(plain.optimizer, torch.optim.SGD) and plain.max_norm == math.inf
    clipped = WORKING.make_optimizer(model)
    assert isinstance(clipped.optimizer, torch.optim.Adam) and clipped.max_norm == 1.0
    assert clipped.optimizer.param_groups[0]["lr"] == 0.003
    with pytest.raises(TypeError, match="nn.Module"):
        LECTURE.make_optimizer("model")


def test_fit_records_curves_and_keeps_the_best_epoch(split):
    model = seeded_model("rnn", 0, hidden_size=8)
    fresh = recipes.fresh_windows(2)
    result = fit(model, split, Recipe("adam", 0.01), epochs=6, seed=0, fresh=fresh, fresh_every=4)
    assert len(result.record_loss_train) == len(result.record_loss_valid) == 6
    assert sorted(result.record_loss_fresh) == [0, 4, 5]
    assert result.best_valid == min(result.record_loss_valid)
    assert len(result.grad_norms) == 6 * 8  # 60 windows in batches of 8: 8 updates per epoch
    model.load_state_dict(result.best_state)
    assert recipes._mse(model, split.input_valid, split.correct_valid) == pytest.approx(
        result.best_valid
    )


def test_fit_is_deterministic(split):
    runs = [
        fit(seeded_model("lstm", 1, hidden_size=6), split, WORKING, epochs=3, seed=1)
        for _ in range(2)
    ]
    assert runs[0].record_loss_train == runs[1].record_loss_train


def test_fit_bad_input(split):
    with pytest.raises(TypeError, match="data.Split"):
        fit(seeded_model("rnn", 0, hidden_size=4), (1, 2), epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        fit(seeded_model("rnn", 0, hidden_size=4), split, epochs=0)


def test_fresh_windows_cover_the_validation_stretch():
    inputs, answers, clean = recipes.fresh_windows(3, seed=5)
    assert inputs.shape == (60, 10, 1) and answers.shape == (60, 1) and clean.shape == (60,)
    noise = answers[:, 0] - clean
    assert noise.abs().max() < 0.5 and noise.std() > 0.05  # fresh noise around the clean sine
    again = recipes.fresh_windows(3, seed=5)
    assert torch.equal(again[0], inputs)
