"""The cached RNN/LSTM comparison of chapter 5 is what benchmarks/compare_cells.py produces.

Re-runs the whole script (21 trainings in two processes, about a minute) into a temporary
file and compares it with the committed cache, helpers/resources/rnn_vs_lstm.json.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import compare

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "compare_cells.py"


@pytest.fixture(scope="module")
def cached() -> dict:
    return compare.load_results()


def test_cache_has_the_promised_shape(cached):
    assert cached["settings"] == vars(compare.Settings())  # the defaults chapter 5 uses
    assert [tuple(run) for run in cached["runs"]] == list(compare.RUNS)
    assert len(cached["seeds"]) >= 5
    keys = {(r["cell"], r["epochs"], r["seed"]) for r in cached["rows"]}
    assert keys == {(c, e, s) for c, e in compare.RUNS for s in cached["seeds"]}
    for row in cached["rows"]:
        assert all(math.isfinite(row[m]) and row[m] > 0 for m in compare.METRICS)
    assert cached["rtol"] == compare.RTOL
    worst = max(max(r.values()) for r in cached["rounding"].values())
    assert worst < compare.RTOL / 10  # the tolerance is far above rounding effects


def test_table_functions_on_the_cache(cached):
    summary = compare.summarize(cached["rows"])
    assert list(summary) == ["RNN, 100 epochs", "LSTM, 1000 epochs", "RNN, 1000 epochs"]
    for entry in summary.values():
        assert entry["n"] == len(cached["seeds"])
        for metric in compare.METRICS:
            median, low, high = entry[metric]
            assert low <= median <= high
    table = compare.table_markdown(summary)
    assert table.count("\n") == 1 + len(summary)
    found = compare.conclusions(cached["rows"])
    assert set(found.sentences) == {
        "time",
        "closed_loop",
        "spread",
        "one_step",
        "budget",
        "summary",
    }
    # the counts agree with the rows they were computed from
    rmse = {(r["cell"], r["epochs"], r["seed"]): r["closed_loop_rmse"] for r in cached["rows"]}
    seeds = cached["seeds"]
    assert found.n_seeds == len(seeds)
    assert found.lstm_wins == sum(rmse["lstm", 1000, s] < rmse["rnn", 100, s] for s in seeds)
    assert found.long_wins == sum(rmse["rnn", 1000, s] < rmse["lstm", 1000, s] for s in seeds)
    if 0 < found.lstm_wins < found.n_seeds:
        assert f"{found.lstm_wins} of {found.n_seeds} seeds" in found.sentences["closed_loop"]


@pytest.mark.slow
def test_script_reproduces_the_cache(tmp_path, cached):
    out = tmp_path / "rnn_vs_lstm.json"
    seeds = len(cached["seeds"])
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--seeds", str(seeds), "--jobs", "2"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    fresh = compare.load_results(out)
    assert fresh["settings"] == cached["settings"]
    assert fresh["runs"] == cached["runs"] and fresh["seeds"] == cached["seeds"]
    by_key = {(r["cell"], r["epochs"], r["seed"]): r for r in cached["rows"]}
    assert len(fresh["rows"]) == len(by_key)
    for row in fresh["rows"]:
        # every measure within RTOL (compare_rows raises otherwise); time is not compared:
        # it depends on the machine and its load, so it is only checked to be positive
        compare.compare_rows(row, by_key[(row["cell"], row["epochs"], row["seed"])])
        assert row["seconds_per_epoch"] > 0
