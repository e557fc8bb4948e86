"""Train the sine model with several recipes and cells, judged on later data, and cache it.

Chapter 6 (Why an LSTM?) reads the cache, helpers/resources/sine_recipes.json, with
``helpers.results.read``; ``helpers.recipes`` trains each run here as the chapter does
(``fit``), ``helpers.models.seeded_model`` builds it, and ``benchmarks/lab`` scores it
(``lab.sine``: the errors and the gate statistics) and writes the file. Two experiments, on the
lecture's series split by time (60 training windows, 20 validation windows from t = 70 on):

- the LSTM under every combination of Adam (or the lecture's SGD), forget-gate bias 1 and
  gradient clipping at 1: which of the three matters;
- RNN, LSTM and GRU under the lecture's SGD and under the full recipe: one-step error on
  fresh noise and closed-loop forecasts past the end of the data.

SGD runs get the lecture's 1000 epochs, Adam runs 300; every run keeps the weights of its
best validation epoch (early stopping). tests/test_sine_recipes.py re-runs part of it and
checks that it reproduces the cache.

    python benchmarks/sine_recipes.py                        # writes the cache
    python benchmarks/sine_recipes.py --out /tmp/x.json --seeds 1
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypedDict

import torch

from helpers.models import SequenceRegressor, seeded_model
from helpers.recipes import LECTURE, WORKING, fit, fresh_windows, make_split
from helpers.results import RESOURCES
from helpers.scratch import lstm_forward
from helpers.training import Recipe
from lab.records import load_average, machine, save_cache, versions
from lab.sine import GateStats, gate_stats, score

EPOCHS = {"sgd": 1000, "adam": 300}  # the lecture's budget for SGD; Adam needs far fewer
# the LSTM under every combination of the three changes
FACTORIAL = tuple(
    Recipe(optimizer, {"sgd": 0.01, "adam": 0.003}[optimizer], keep_bias=bias, clip=clip)
    for optimizer, bias, clip in itertools.product(("sgd", "adam"), (None, 1.0), (None, 1.0))
)
# the three cells under the lecture's recipe and the full one (an RNN has no gate to bias)
CELL_RUNS = (
    ("rnn", LECTURE),
    ("rnn", Recipe("adam", 0.003, clip=1.0)),
    ("lstm", LECTURE),
    ("lstm", WORKING),
    ("gru", LECTURE),
    ("gru", WORKING),
)
CURVE_EVERY = {"sgd": 20, "adam": 10}  # curves are stored this often, for seed 0 only
HIST_BINS = 20  # gate histograms over 0..1, for seed 0 only
HIDDEN_SIZE = 64  # chapters 3 and 5's sine model
OUT = RESOURCES / "sine_recipes.json"


class _Scored(TypedDict):
    cell: str
    recipe: dict[str, Any]  # the Recipe, as a dict (Recipe(**row["recipe"]) rebuilds it)
    seed: int
    epochs: int
    best_epoch: int  # the epoch whose weights are scored (early stopping)
    valid_mse: float
    fresh_mse: float
    train_mse: float
    final_train_loss: float
    final_fresh_mse: float
    share_above_clip: float
    median_grad_norm: float
    cpu_seconds: float


class Row(_Scored, total=False):
    """One row of the cache: a run and its scores, then what only some runs record."""

    gates_before: GateStats  # LSTM runs: the gates at initialisation and trained
    gates_after: GateStats
    forecast_error: list[float]  # with forecast: |closed-loop forecast - sin| per horizon
    curve_epochs: list[int]  # with curves (seed 0): the loss curves at these epochs
    curve_train: list[float]
    curve_valid: list[float]
    curve_fresh: list[float]
    hist_before: dict[str, list[int]]  # with curves, LSTM runs: gate histograms (HIST_BINS)
    hist_after: dict[str, list[int]]


class Cache(TypedDict):
    """What ``run_all`` returns: the content of the cache."""

    description: str
    epochs: dict[str, int]  # EPOCHS
    seeds: list[int]
    versions: dict[str, str]  # python, torch, platform
    machine: dict[str, float | None]  # cpus, jobs, load_before (the load average)
    seconds_total: int  # wall-clock
    cpu_seconds_training: int
    rows: list[Row]


def _round(value: float, digits: int = 4) -> float:
    return float(f"{value:.{digits}g}")


def _lstm(model: SequenceRegressor) -> torch.nn.LSTM:
    if not isinstance(model.rnn, torch.nn.LSTM):
        raise TypeError(f"only an LSTM's gates are recorded, got {type(model.rnn).__name__}.")
    return model.rnn


def _gate_summary(model: SequenceRegressor, inputs: torch.Tensor) -> GateStats:
    stats = gate_stats(_lstm(model), inputs)
    return {
        name: {k: _round(v) for k, v in values.items()}
        for name, values in stats.items()
        if name != "cell"
    }


def _gate_histograms(model: SequenceRegressor, inputs: torch.Tensor) -> dict[str, list[int]]:
    with torch.no_grad():
        _, _, gates = lstm_forward(inputs, _lstm(model))
    return {
        name: torch.histc(gates[name], bins=HIST_BINS, min=0, max=1).int().tolist()
        for name in ("input", "forget", "output")
    }


def run_one(cell: str, recipe: Recipe, seed: int, *, forecast: bool, curves: bool) -> Row:
    """Train one model with ``recipe``, keep its best validation epoch, score it: one row."""
    split = make_split()
    fresh = fresh_windows()
    model = seeded_model(cell, seed, hidden_size=HIDDEN_SIZE, keep_bias=recipe.keep_bias)
    lstm = cell == "lstm"
    before = _gate_summary(model, split.input_valid) if lstm else None
    hist_before = _gate_histograms(model, split.input_valid) if lstm and curves else None
    epochs = EPOCHS[recipe.optimizer]
    cpu = time.process_time()
    result = fit(model, split, recipe, epochs=epochs, seed=seed, fresh=fresh)
    cpu = time.process_time() - cpu
    final_fresh = result.record_loss_fresh[epochs - 1]
    final_train = result.record_loss_train[-1]
    model.load_state_dict(result.best_state)
    scores = score(model, split, fresh)
    clip = 1.0 if recipe.clip is None else recipe.clip
    row: Row = {
        "cell": cell,
        "recipe": asdict(recipe),
        "seed": seed,
        "epochs": epochs,
        "best_epoch": result.best_epoch,
        "valid_mse": _round(scores["valid_mse"]),
        "fresh_mse": _round(scores["fresh_mse"]),
        "train_mse": _round(scores["train_mse"]),  # one step, best weights, training windows
        "final_train_loss": _round(final_train),  # mean batch loss of the last epoch
        "final_fresh_mse": _round(final_fresh),  # fresh-noise error of the last epoch's weights
        # share of updates whose gradient norm exceeded 1 (what clipping at 1 would touch)
        "share_above_clip": _round(
            sum(n > clip for n in result.grad_norms) / len(result.grad_norms)
        ),
        "median_grad_norm": _round(statistics.median(result.grad_norms)),
        "cpu_seconds": round(cpu, 2),
    }
    if before is not None:  # an LSTM
        row["gates_before"] = before
        row["gates_after"] = _gate_summary(model, split.input_valid)
    if forecast:
        row["forecast_error"] = [round(e, 3) for e in scores["forecast_error"]]
    if curves:
        curve_epochs = list(range(0, epochs, CURVE_EVERY[recipe.optimizer])) + [epochs - 1]
        row["curve_epochs"] = curve_epochs
        row["curve_train"] = [_round(result.record_loss_train[e]) for e in curve_epochs]
        row["curve_valid"] = [_round(result.record_loss_valid[e]) for e in curve_epochs]
        row["curve_fresh"] = [_round(result.record_loss_fresh[e]) for e in curve_epochs]
        if hist_before is not None:  # an LSTM
            row["hist_before"] = hist_before
            row["hist_after"] = _gate_histograms(model, split.input_valid)
    return row


def run_all(seeds: Iterable[int] = range(10)) -> Cache:
    """Every recipe of the factorial and every cell run, for every seed (one process)."""
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds is empty; pass at least one seed, for example range(10).")
    # every run forecasts (80 steps cost nothing beside the training): the best LSTM recipe on
    # fresh noise (SGD, bias 1) belongs in the forecast comparison as much as the full recipe
    runs = [("lstm", r) for r in FACTORIAL]
    runs += [(cell, r) for cell, r in CELL_RUNS if cell != "lstm"]  # LSTM ones are above
    start = time.perf_counter()
    load = load_average()
    torch.set_num_threads(1)
    rows = [
        run_one(cell, recipe, seed, forecast=True, curves=seed == seeds[0])
        for seed in seeds
        for cell, recipe in runs
    ]
    return {
        "description": "The sine model under several recipes and cells, validated on later "
        "data (chapter 6).",
        "epochs": EPOCHS,
        "seeds": seeds,
        "versions": versions(),
        "machine": machine(1, load),
        "seconds_total": round(time.perf_counter() - start),
        "cpu_seconds_training": round(sum(r["cpu_seconds"] for r in rows)),
        "rows": rows,
    }


def _print_table(rows: Sequence[Row]) -> None:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        label = f"{row['cell'].upper():4s} {Recipe(**row['recipe']).label}"
        groups.setdefault(label, []).append(row)
    for label, group in groups.items():
        med = {k: statistics.median(r[k] for r in group) for k in ("fresh_mse", "best_epoch")}
        print(f"{label:36s} fresh {med['fresh_mse']:.4f}  best epoch {med['best_epoch']:.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="JSON to write")
    parser.add_argument("--seeds", type=int, default=10, help="use seeds 0..N-1 (default 10)")
    args = parser.parse_args(argv)
    cache = run_all(range(args.seeds))
    save_cache(cache, args.out)
    _print_table(cache["rows"])
    print(f"wrote {args.out} in {cache['seconds_total']} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
