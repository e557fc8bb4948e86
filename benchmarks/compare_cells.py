"""Train the RNN and the LSTM on the same data over several seeds and cache the results.

Chapter 5 (Training an LSTM) reads the cache, helpers/resources/rnn_vs_lstm.json, with
``helpers.results.load("rnn_vs_lstm")``, because the full comparison (7 seeds x three runs,
~100 s of training) would not fit in the chapter's minute. This file is the runner that writes
it: the runs (``lab.compare``), a process pool, timing and the rounding check live here and in
``benchmarks/lab``, not in the package the notebooks import; each row is scored by
``helpers.compare.evaluate``, as the chapter scores its live re-run.
tests/test_compare_cells.py re-runs it and checks that it reproduces the cache.

    python benchmarks/compare_cells.py                   # writes helpers/resources/rnn_vs_lstm.json
    python benchmarks/compare_cells.py --out /tmp/x.json --seeds 5 --jobs 1
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path
from typing import TypedDict

import pandas as pd

from helpers.compare import METRICS, RTOL, CompareRow, Metric, Settings, evaluate, make_data
from helpers.models import CELLS, seeded_model
from helpers.training import train
from lab.compare import CACHE, RUNS
from lab.records import load_average, machine, save_json, versions
from lab.rounding import NUDGE, nudge_weights


class Comparison(TypedDict):
    """What ``run_comparison`` returns: the content of the cache."""

    description: str
    settings: dict[str, object]  # the Settings, as a dict
    runs: list[list[str | int]]  # [cell, epochs] of every run
    seeds: list[int]
    nudge: float  # NUDGE
    rounding: dict[str, dict[Metric, float]]  # run -> metric -> relative change when nudged
    rtol: float  # helpers.compare.RTOL
    versions: dict[str, str]  # python, torch, platform
    machine: dict[str, float | None]  # cpus, jobs, load_before (the load average)
    seconds_total: float  # wall-clock
    rows: list[CompareRow]  # one per run and seed


def _check_runs(runs: Sequence[tuple[str, int]], seeds: Sequence[int], jobs: int) -> None:
    """Refuse a run, a seed or a number of processes that could not work, before any training
    starts (``run_one`` checks its own arguments through the helpers it calls)."""
    for cell, epochs in runs:
        if cell not in CELLS:
            raise ValueError(f"cell must be one of {sorted(CELLS)}, got {cell!r} in {runs!r}.")
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"epochs must be a positive int, got {epochs!r} in {runs!r}.")
    if not seeds:
        raise ValueError("seeds is empty; pass at least one seed, for example range(5).")
    bad = [s for s in seeds if isinstance(s, bool) or not isinstance(s, int) or s < 0]
    if bad:
        raise ValueError(f"seeds must be ints, 0 or more, got {bad!r}.")
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive int (processes), got {jobs!r}.")


def run_one(
    cell: str, epochs: int, seed: int, settings: Settings = Settings(), nudge: float = 0.0
) -> CompareRow:
    """Build the model (``models.seeded_model``), train it, score it with ``evaluate``.

    Time is the training's CPU time (one thread), which other programs on a shared machine
    disturb far less than the wall-clock time. ``nudge`` multiplies every initial weight by
    (1 + nudge·noise), to measure how much rounding-sized changes move the results
    (``lab.rounding``); 0 (the default) leaves the weights alone.
    """
    data = make_data(settings)
    model = nudge_weights(seeded_model(cell, seed, hidden_size=settings.hidden_size), nudge)
    cpu_start = time.process_time()  # CPU time: less disturbed than wall-clock by other work
    history = train(
        model,
        data["input_data"],
        data["correct_data"],
        epochs=epochs,
        batch_size=settings.recipe.batch_size,
        lr=settings.recipe.lr,
        snapshot_every=None,  # time the training alone
        verbose=False,
        seed=seed,
        num_threads=1,
        progress=False,
    )
    cpu = time.process_time() - cpu_start
    return evaluate(model, history, cell=cell, seed=seed, settings=settings, seconds=cpu)


_WARM: set[str] = set()  # cells this process has already run once


def _run_job(job: tuple[str, int, int, Settings, float]) -> CompareRow:
    cell, settings = job[0], job[3]
    if cell not in _WARM:  # a first call pays one-off set-up costs: keep them out of the timing
        run_one(cell, 2, 0, settings)
        _WARM.add(cell)
    return run_one(*job)


def run_comparison(
    seeds: Iterable[int] = range(7),
    runs: Sequence[tuple[str, int]] = RUNS,
    settings: Settings = Settings(),
    *,
    jobs: int = 1,
) -> Comparison:
    """Train every run for every seed (in ``jobs`` processes) and return the cache's content.

    Besides the rows, it nudges the first seed's initial weights by ``NUDGE`` and records how
    far each metric moves (``rounding``): the scale of differences another CPU could cause.
    """
    seeds = list(seeds)
    _check_runs(runs, seeds, jobs)
    work = [(cell, epochs, seed, settings, 0.0) for seed in seeds for cell, epochs in runs]
    work += [(cell, epochs, seeds[0], settings, NUDGE) for cell, epochs in runs]
    start = time.perf_counter()
    load = load_average()
    if jobs == 1:
        results = [_run_job(job) for job in work]
    else:  # spawn: fresh interpreters, no forked thread pools
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(_run_job, work))
    rows, nudged = results[: -len(runs)], results[-len(runs) :]
    plain = {(row["run"], row["seed"]): row for row in rows}
    rounding: dict[str, dict[Metric, float]] = {}
    for row in nudged:
        base = plain[row["run"], row["seed"]]
        rounding[row["run"]] = {
            m: abs(row[m] - base[m]) / abs(base[m]) for m in METRICS if m != "seconds_per_epoch"
        }
    return {
        "description": "RNN vs LSTM on the noisy sine, several seeds (chapter 5).",
        "settings": asdict(settings),
        "runs": [list(run) for run in runs],
        "seeds": seeds,
        "nudge": NUDGE,
        "rounding": rounding,
        "rtol": RTOL,
        "versions": versions(),
        "machine": machine(jobs, load),
        "seconds_total": time.perf_counter() - start,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CACHE, help=f"JSON to write (default {CACHE})")
    parser.add_argument("--seeds", type=int, default=7, help="use seeds 0..N-1 (default 7)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    results = run_comparison(range(args.seeds), jobs=args.jobs)
    save_json(results, args.out)
    rows = pd.DataFrame(results["rows"])
    print(rows.groupby("run", sort=False)[list(METRICS)].agg(["median", "min", "max"]).T)
    print(f"wrote {args.out} in {results['seconds_total']:.0f} s", file=sys.stderr)
    finite = all(math.isfinite(float(row["closed_loop_rmse"])) for row in results["rows"])
    return 0 if finite else 1


if __name__ == "__main__":
    sys.exit(main())
