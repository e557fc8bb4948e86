"""benchmarks/compare_cells.py, the runner that trains the comparison and writes its cache,
with its runs (benchmarks/lab/compare.py), and the cache it shipped."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from helpers import compare, results
from lab.compare import CACHE, RUNS
from lab.records import save_json

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "compare_cells.py"
_spec = importlib.util.spec_from_file_location("compare_cells", SCRIPT)
compare_cells = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_cells)
TINY = compare.Settings(n_points=24, n_time=4, hidden_size=4)  # trains in milliseconds


def test_run_one_is_deterministic():
    first = compare_cells.run_one("lstm", 3, seed=1, settings=TINY)
    again = compare_cells.run_one("lstm", 3, seed=1, settings=TINY)
    other = compare_cells.run_one("lstm", 3, seed=2, settings=TINY)
    assert first["epochs"] == 3 and first["seed"] == 1 and first["cell"] == "lstm"
    for metric in ("final_loss", "one_step_mse", "closed_loop_rmse"):
        assert first[metric] == again[metric]
        assert math.isfinite(first[metric]) and first[metric] > 0
    assert first["closed_loop_rmse"] != other["closed_loop_rmse"]
    assert first["seconds_per_epoch"] > 0


def test_run_one_nudge_moves_results_only_a_little():
    base = compare_cells.run_one("rnn", 3, seed=0, settings=TINY)
    nudged = compare_cells.run_one("rnn", 3, seed=0, settings=TINY, nudge=1e-6)
    assert nudged["final_loss"] != base["final_loss"]
    assert nudged["final_loss"] == pytest.approx(base["final_loss"], rel=1e-4)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("cnn", 3, 0), ValueError, r"cell must be one of \['gru', 'lstm', 'rnn'\], got 'cnn'"),
        (("rnn", 0, 0), ValueError, "epochs must be a positive int"),
        (("rnn", 3, -1), ValueError, "seed must be 0 or more"),
    ],
)
def test_run_one_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        compare_cells.run_one(*args, settings=TINY)


def test_run_comparison_save_and_load(tmp_path):
    runs = (("rnn", 2), ("lstm", 3))
    comparison = compare_cells.run_comparison([0, 1], runs, TINY, jobs=1)
    assert [(r["run"], r["cell"], r["epochs"], r["seed"]) for r in comparison["rows"]] == [
        ("RNN, 2 epochs", "rnn", 2, 0),
        ("LSTM, 3 epochs", "lstm", 3, 0),
        ("RNN, 2 epochs", "rnn", 2, 1),
        ("LSTM, 3 epochs", "lstm", 3, 1),
    ]
    assert set(comparison["rounding"]) == {"RNN, 2 epochs", "LSTM, 3 epochs"}
    assert all(0 <= v < 1e-3 for r in comparison["rounding"].values() for v in r.values())
    assert comparison["settings"]["n_points"] == 24 and comparison["seeds"] == [0, 1]
    path = tmp_path / "sub" / "cache.json"
    save_json(comparison, path)
    assert json.loads(path.read_text()) == json.loads(json.dumps(comparison))


def test_run_comparison_bad_arguments():
    with pytest.raises(ValueError, match="seeds is empty"):
        compare_cells.run_comparison([], settings=TINY)
    with pytest.raises(ValueError, match="cell must be"):
        compare_cells.run_comparison([0], (("mlp", 1),), TINY)
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        compare_cells.run_comparison([0], (("rnn", 0),), TINY)
    with pytest.raises(ValueError, match="seeds must be ints, 0 or more"):
        compare_cells.run_comparison([-1], settings=TINY)
    with pytest.raises(ValueError, match="jobs must be a positive int"):
        compare_cells.run_comparison([0], settings=TINY, jobs=0)


def test_the_shipped_comparison_has_the_promised_shape():
    info, rows = results.load("rnn_vs_lstm")
    assert CACHE.is_file() and CACHE.stem == "rnn_vs_lstm"
    assert info["settings"] == asdict(compare.Settings())  # the defaults chapter 5 uses
    assert [tuple(run) for run in info["runs"]] == list(RUNS)
    assert len(info["seeds"]) >= 5
    keys = set(zip(rows["cell"], rows["epochs"], rows["seed"], strict=True))
    assert keys == {(c, e, s) for c, e in RUNS for s in info["seeds"]}
    assert len(rows) == len(keys)  # each run and seed once
    # every row carries its run's label, the key chapter 5 groups by
    labels = [f"{c.upper()}, {e} epochs" for c, e in zip(rows.cell, rows.epochs, strict=True)]
    assert list(rows["run"]) == labels
    assert list(rows["run"].unique()) == [f"{c.upper()}, {e} epochs" for c, e in RUNS]
    assert (rows[list(compare.METRICS)] > 0).all().all()
    assert info["rtol"] == compare.RTOL
    worst = max(max(r.values()) for r in info["rounding"].values())
    assert worst < compare.RTOL / 10  # the tolerance is far above rounding effects


@pytest.mark.slow
def test_script_reproduces_the_cache(tmp_path):
    """Re-run the whole script (21 trainings in two processes, about a minute)."""
    cached = json.loads(CACHE.read_text())
    out = tmp_path / "rnn_vs_lstm.json"
    seeds = len(cached["seeds"])
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out), "--seeds", str(seeds), "--jobs", "2"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    fresh = json.loads(out.read_text())
    assert fresh["settings"] == cached["settings"]
    assert fresh["runs"] == cached["runs"] and fresh["seeds"] == cached["seeds"]
    by_key = {(r["cell"], r["epochs"], r["seed"]): r for r in cached["rows"]}
    assert len(fresh["rows"]) == len(by_key)
    for row in fresh["rows"]:
        # every measure within RTOL (compare_rows raises otherwise); time is not compared:
        # it depends on the machine and its load, so it is only checked to be positive
        compare.compare_rows(row, by_key[(row["cell"], row["epochs"], row["seed"])])
        assert row["run"] == by_key[(row["cell"], row["epochs"], row["seed"])]["run"]
        assert row["seconds_per_epoch"] > 0
