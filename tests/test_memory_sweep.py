"""benchmarks/memory_sweep.py and its cache, helpers/resources/memory_sweep.json (chapter 6).

The fast tests check the cache's shape and what chapter 6 reads from it; the slow one re-runs
a reduced sweep (seed 0, lags 5 and 50, one configuration per cell; under a minute of CPU)
and checks that it reproduces the cached rows.
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

from helpers import memory, results, training

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "memory_sweep.py"
_spec = importlib.util.spec_from_file_location("memory_sweep", SCRIPT)
memory_sweep = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(memory_sweep)


@pytest.fixture(scope="module")
def cached() -> dict:
    return results.read("memory_sweep")


def _key(row: dict) -> tuple:
    return (row["cell"], row["keep_bias"], row["hidden_size"], row["lag"], row["seed"])


def test_cache_matches_the_script(cached):
    assert training.Recipe(**cached["recipe"]) == memory.RECIPE
    assert (cached["steps"], cached["n_test"], cached["test_seed"]) == (
        memory.STEPS,
        memory.N_TEST,
        memory.TEST_SEED,
    )
    assert [tuple(c) for c in cached["configs"]] == list(memory_sweep.CONFIGS)
    assert cached["lags"] == list(memory_sweep.LAGS) and min(cached["lags"]) <= 5
    assert max(cached["lags"]) >= 100 and len(cached["seeds"]) >= 5
    keys = [_key(row) for row in cached["rows"]]
    assert len(keys) == len(set(keys))
    skipped = {(s["label"], s["lag"]) for s in cached["skipped"]}
    for cell, bias, hidden in memory_sweep.CONFIGS:
        label = memory.run_label(cell, bias, hidden)
        for lag in cached["lags"]:
            present = sum(k[:4] == (cell, bias, hidden, lag) for k in keys)
            # every configuration ran every seed at every lag, unless the sweep skipped it
            assert present == (0 if (label, lag) in skipped else len(cached["seeds"])), (label, lag)


def test_rows_are_finite_and_in_range(cached):
    for row in cached["rows"]:
        assert 0 <= row["error"] < 10 and math.isfinite(row["error"])
        assert row["reach"] >= 0 and row["reach_init"] >= 0
        assert row["cpu_seconds"] > 0


def test_skipped_lags_follow_two_failed_lags(cached):
    summary = memory.summarize_sweep(cached["rows"])
    for entry in cached["skipped"]:
        by_lag = summary[entry["label"]]
        shorter = [lag for lag in by_lag if lag < entry["lag"]][-2:]
        assert len(shorter) == 2
        assert all(by_lag[lag]["solved"] == 0 for lag in shorter), entry


def test_every_cell_solves_the_shortest_lag(cached):
    # the control: with the same budget every configuration learns a short recall, so a
    # failure at a long lag is the lag's doing, not a recipe that does not train
    summary = memory.summarize_sweep(cached["rows"])
    shortest = min(cached["lags"])
    for label, by_lag in summary.items():
        assert by_lag[shortest]["solved"] == by_lag[shortest]["n"], label


def test_curves_are_stored_where_promised(cached):
    for row in cached["rows"]:
        if row["lag"] in memory_sweep.CURVE_LAGS:
            assert len(row["curve"]) == len(row["curve_init"]) == len(row["curve_lags"])
            assert row["curve_lags"][-1] == row["lag"]
            assert row["curve"][-1] == row["reach"]


@pytest.mark.slow
def test_reduced_sweep_reproduces_the_cache(cached):
    configs = [("rnn", None, 32), ("lstm", 5.0, 32), ("gru", 5.0, 32)]
    fresh = memory_sweep.run_sweep([0], (5, 50), configs, jobs=1, nudge_lags=())
    by_key = {_key(row): row for row in cached["rows"]}
    # how far a nudge of 1e-6 to the initial weights moved the error (from the cache)
    moved = max(abs(r["error"] - r["error_nudged"]) for r in cached["rounding"])
    tolerance = max(0.02, 10 * moved)
    assert len(fresh["rows"]) == 6
    for row in fresh["rows"]:
        old = by_key[_key(row)]
        assert (row["error"] < memory.SOLVED) == (old["error"] < memory.SOLVED), _key(row)
        assert row["error"] == pytest.approx(old["error"], abs=tolerance), _key(row)
        assert row["reach"] == pytest.approx(old["reach"], rel=0.5, abs=1e-6), _key(row)


# --- the budget control: helpers/resources/memory_budget.json ------------------------------------


@pytest.fixture(scope="module")
def budget() -> dict:
    return results.read("memory_budget")


def test_budget_control_gives_more_updates_at_the_failing_lags(budget, cached):
    # the same recipe but the number of updates, at the lags where configurations fail
    assert budget["steps"] >= 2 * cached["steps"]
    same = ("recipe", "n_test", "test_seed")
    assert {k: budget[k] for k in same} == {k: cached[k] for k in same}
    assert budget["skipped"] == [] and len(budget["seeds"]) >= 5
    summary = memory.summarize_sweep(budget["rows"])
    fail_at = memory.failure_lags(memory.summarize_sweep(cached["rows"]))
    for label, by_lag in summary.items():
        # a configuration is controlled at the lag it fails from in the main sweep
        assert fail_at[label] in by_lag, label
        assert all(entry["n"] == len(budget["seeds"]) for entry in by_lag.values())


def test_the_script_writes_the_budget_control():
    # the command in the script's docstring makes the file the chapter reads
    doc = memory_sweep.__doc__
    assert "--out helpers/resources/memory_budget.json --steps 4500" in doc
    with pytest.raises(SystemExit):
        memory_sweep.main(["--steps", "0"])
