"""benchmarks/sine_recipes.py and its cache, helpers/resources/sine_recipes.json (chapter 6).

The fast tests check the cache's shape; the slow one re-trains two of its runs (the lecture's
RNN and the full recipe's LSTM, seed 0, about 10 s of CPU) and checks they reproduce it.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from helpers import recipes, results, training

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "sine_recipes.py"
_spec = importlib.util.spec_from_file_location("sine_recipes", SCRIPT)
sine_recipes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sine_recipes)
RTOL = 1e-3  # as chapter 5's comparison: far above rounding, far below any real change


@pytest.fixture(scope="module")
def cached() -> dict:
    return results.read("sine_recipes")


def _key(row: dict) -> tuple:
    return (row["cell"], training.Recipe(**row["recipe"]), row["seed"])


def test_cache_covers_the_factorial_and_the_cells(cached):
    keys = {_key(row) for row in cached["rows"]}
    assert len(keys) == len(cached["rows"])
    assert len(cached["seeds"]) >= 5
    for seed in cached["seeds"]:
        for recipe in sine_recipes.FACTORIAL:
            assert ("lstm", recipe, seed) in keys
        for cell, recipe in sine_recipes.CELL_RUNS:
            assert (cell, recipe, seed) in keys
    assert cached["epochs"] == sine_recipes.EPOCHS


def test_rows_are_sensible(cached):
    for row in cached["rows"]:
        for metric in ("valid_mse", "fresh_mse", "train_mse", "final_fresh_mse"):
            assert 0 < row[metric] < 1 and math.isfinite(row[metric])
        assert 0 <= row["best_epoch"] < row["epochs"]
        assert 0 <= row["share_above_clip"] <= 1
        if "forecast_error" in row:
            assert len(row["forecast_error"]) == recipes.FORECAST_STEPS


@pytest.mark.slow
@pytest.mark.parametrize(("cell", "recipe"), [("rnn", recipes.LECTURE), ("lstm", recipes.WORKING)])
def test_runs_reproduce_the_cache(cached, cell, recipe):
    row = sine_recipes.run_one(cell, recipe, 0, forecast=True, curves=False)
    old = next(r for r in cached["rows"] if _key(r) == (cell, recipe, 0))
    assert row["best_epoch"] == old["best_epoch"]
    for metric in ("valid_mse", "fresh_mse", "train_mse", "final_fresh_mse"):
        assert row[metric] == pytest.approx(old[metric], rel=RTOL), metric
    assert row["forecast_error"] == pytest.approx(old["forecast_error"], abs=2e-3)
