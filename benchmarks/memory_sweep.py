"""Train RNN, LSTM and GRU on delayed recall over lags and seeds, and cache the results.

Chapter 6 (Why an LSTM?) reads the cache, helpers/resources/memory_sweep.json, with
``helpers.results.read``: the full sweep (7 configurations x 6 lags x 10 seeds, 370 trainings
once the hopeless ones are skipped, about 72 minutes of CPU) would not fit in the chapter's 30
seconds. Every run gets the same recipe (``memory.RECIPE``: Adam, clipping, batches of fresh
sequences) for the same budget (``memory.STEPS``, 1500 updates), at hidden size 32 unless the
configuration says otherwise. Each row holds the test error (relative to chance level), the
gradient reach of the remembered input before and after training, and the CPU time; rows at
``CURVE_LAGS`` also hold the whole reach curve. Training and scoring are chapter 6's own
(``helpers.memory``; ``helpers.models.seeded_model`` builds the network); the rounding check's
nudge and the writing of the file come from ``benchmarks/lab``. tests/test_memory_sweep.py
re-runs a reduced sweep and checks that it reproduces the cache.

    python benchmarks/memory_sweep.py                       # writes the cache
    python benchmarks/memory_sweep.py --out /tmp/x.json --seeds 1 --lags 5 50 --jobs 1
    # the budget control: three times the updates where the configurations fail
    python benchmarks/memory_sweep.py --out helpers/resources/memory_budget.json --steps 4500 \
        --lags 20 50 --seeds 5 --no-nudge --only RNN LSTM "LSTM, forget bias 1" GRU
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path
from typing import NamedTuple, TypedDict

from helpers.data import RECALL_CHANCE_MSE, delayed_recall
from helpers.gradients import gradient_reach
from helpers.memory import (
    N_TEST,
    RECIPE,
    SOLVED,
    STEPS,
    TEST_SEED,
    SweepRow,
    failure_lags,
    flush_denormals,
    recall_error,
    run_label,
    summarize_sweep,
    train_recall,
)
from helpers.models import seeded_model
from helpers.results import RESOURCES
from lab.records import load_average, machine, save_cache, versions
from lab.rounding import NUDGE, nudge_weights

OUT = RESOURCES / "memory_sweep.json"
# (cell, keep_bias, hidden_size): the three cells as PyTorch builds them; the LSTM with the
# forget bias of common advice (1) and a large one (5); the GRU with its update gate biased
# to keep (5); and an RNN with 64 units, about as many parameters as the 32-unit LSTM
Config = tuple[str, float | None, int]
CONFIGS: tuple[Config, ...] = (
    ("rnn", None, 32),
    ("rnn", None, 64),
    ("lstm", None, 32),
    ("lstm", 1.0, 32),
    ("lstm", 5.0, 32),
    ("gru", None, 32),
    ("gru", 5.0, 32),
)
LAGS = (5, 10, 20, 50, 100, 200)
CURVE_LAGS = (50, 100)  # rows at these lags keep the whole reach curve (at CURVE_POINTS)
CURVE_POINTS = (0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 100)
NUDGE_LAGS = (10, 50)  # seed 0 is re-run nudged at these lags, for every configuration
N_REACH = 200  # test sequences the gradient reach is the median over


class _Measured(SweepRow):
    """What ``run_one`` measures besides the error."""

    train_error: float  # the training loss over the last 100 updates / chance level
    reach_init: float  # gradient reach of the remembered input (lag `lag`), at initialisation
    reach: float  # the same, trained
    cpu_seconds: float  # CPU time of the training


class Row(_Measured, total=False):
    """One row of the cache: the run and its error (``memory.SweepRow``), what else
    ``run_one`` measures, and at ``CURVE_LAGS`` the whole reach curve."""

    curve_lags: list[int]  # the lags of the curve (CURVE_POINTS up to `lag`)
    curve_init: list[float]  # the reach at each of them, at initialisation
    curve: list[float]  # the same, trained


class Job(NamedTuple):
    """One training of the sweep: the arguments of ``run_one``."""

    cell: str
    keep_bias: float | None
    hidden_size: int
    lag: int
    seed: int
    steps: int = STEPS
    nudge: float = 0.0


class Sweep(TypedDict):
    """What ``run_sweep`` returns: the content of the cache."""

    description: str
    recipe: dict[str, object]  # memory.RECIPE, as a dict (training.Recipe(**it) rebuilds it)
    steps: int  # updates per run
    n_test: int  # memory.N_TEST, the sequences that score each network
    test_seed: int  # memory.TEST_SEED
    configs: list[list[str | float | None]]  # [cell, keep_bias, hidden_size] of each
    lags: list[int]
    seeds: list[int]
    nudge: float  # NUDGE
    rounding: list[dict[str, str | float]]  # label, lag, error, error_nudged
    skipped: list[dict[str, str | int]]  # label, lag, reason
    versions: dict[str, str]  # python, torch, platform
    machine: dict[str, float | None]  # cpus, jobs, load_before (the load average)
    seconds_total: int  # wall-clock
    cpu_seconds_training: int  # CPU time of every training, summed over the processes
    cpu_seconds_parent: int  # CPU time of this process
    rows: list[Row]


def _digits(value: float) -> float:
    return float(f"{value:.4g}")  # a small cache: 4 significant digits are plenty


def run_one(
    cell: str,
    keep_bias: float | None,
    hidden_size: int,
    lag: int,
    seed: int,
    steps: int = STEPS,
    nudge: float = 0.0,
) -> Row:
    """Build, measure at initialisation, train, and score one network: one row of the cache."""
    model = seeded_model(cell, seed, hidden_size=hidden_size, keep_bias=keep_bias)
    nudge_weights(model, nudge)
    probe, _ = delayed_recall(N_REACH, lag, seed=TEST_SEED)
    with flush_denormals():
        reach_init = gradient_reach(model, probe)
    run = train_recall(model, lag, seed, RECIPE, steps)
    with flush_denormals():
        reach = gradient_reach(model, probe)
    row: Row = {
        "cell": cell,
        "keep_bias": keep_bias,
        "hidden_size": hidden_size,
        "lag": lag,
        "seed": seed,
        "error": _digits(recall_error(model, lag)),
        # the training loss over the last 100 updates, relative to chance as the error is
        "train_error": _digits(statistics.mean(run.losses[-100:]) / RECALL_CHANCE_MSE),
        "reach_init": _digits(float(reach_init[lag])),  # lag `lag`: the remembered input
        "reach": _digits(float(reach[lag])),
        "cpu_seconds": round(run.cpu_seconds, 2),
    }
    if lag in CURVE_LAGS and not nudge:
        points = [k for k in CURVE_POINTS if k <= lag]
        row["curve_lags"] = points
        row["curve_init"] = [_digits(float(reach_init[k])) for k in points]
        row["curve"] = [_digits(float(reach[k])) for k in points]
    return row


def _run_job(job: Job) -> Row:
    return run_one(*job)


def _key(job: Job) -> str:
    return json.dumps([job.cell, job.keep_bias, job.hidden_size, job.lag, job.seed, job.nudge])


def _all_failed(rows: Sequence[Row]) -> bool:
    return bool(rows) and all(row["error"] >= SOLVED for row in rows)


def run_sweep(
    seeds: Iterable[int] = range(10),
    lags: Sequence[int] = LAGS,
    configs: Sequence[Config] = CONFIGS,
    steps: int = STEPS,
    *,
    jobs: int = 1,
    nudge_lags: Sequence[int] = NUDGE_LAGS,
    partial: Path | None = None,
) -> Sweep:
    """Train every configuration at every lag for every seed, in ``jobs`` processes.

    Lags run from the shortest up. A configuration that failed on every seed at its two
    longest lags so far is not run at longer ones (the cache lists it under "skipped"): it
    would only fail again, at many times the cost. Besides the rows, seed 0 is re-run at
    ``nudge_lags`` with every initial weight nudged by ``NUDGE`` (relative); ``rounding``
    records how far the error moved, the scale of differences another CPU's rounding could
    cause. With ``partial`` every finished run is appended there as a line of JSON, and runs
    already there are not repeated: an interrupted sweep resumes.
    """
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds is empty; pass at least one seed, for example range(10).")
    for cell, keep_bias, hidden in configs:
        run_label(cell, keep_bias, hidden)  # checks each configuration before any training
    done: dict[str, Row] = {}
    if partial is not None and partial.is_file():
        for line in partial.read_text().splitlines():
            entry = json.loads(line)
            done[entry["key"]] = entry["row"]
    start, cpu_start = time.perf_counter(), time.process_time()
    load = load_average()
    rows: list[Row] = []
    rounding: list[dict[str, str | float]] = []
    skipped: list[dict[str, str | int]] = []
    by_config: dict[Config, list[list[Row]]] = {c: [] for c in configs}
    pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) if jobs > 1 else None
    try:
        for lag in sorted(lags):
            live = [
                c
                for c in configs
                if not (len(by_config[c]) >= 2 and all(_all_failed(r) for r in by_config[c][-2:]))
            ]
            skipped += [
                {
                    "label": run_label(*c),
                    "lag": lag,
                    "reason": "failed on every seed at two shorter lags",
                }
                for c in configs
                if c not in live
            ]
            level = [Job(*c, lag, seed, steps) for seed in seeds for c in live]
            if lag in nudge_lags:
                level += [Job(*c, lag, seeds[0], steps, NUDGE) for c in live]
            todo = [job for job in level if _key(job) not in done]
            # longest first (GRUs are slowest), so that the processes finish together
            todo.sort(key=lambda job: job.cell != "gru")
            results = pool.map(_run_job, todo) if pool else map(_run_job, todo)
            for job, row in zip(todo, results, strict=True):
                done[_key(job)] = row
                if partial is not None:
                    with partial.open("a") as f:
                        f.write(json.dumps({"key": _key(job), "row": row}) + "\n")
                print(
                    f"{run_label(*job[:3]):24s} L={lag:<4d} seed {job[4]} error {row['error']:.3f}",
                    file=sys.stderr,
                    flush=True,
                )
            for c in live:
                level_rows = [done[_key(Job(*c, lag, seed, steps))] for seed in seeds]
                by_config[c].append(level_rows)
                rows += level_rows
                if lag in nudge_lags:
                    plain = level_rows[0]
                    nudged = done[_key(Job(*c, lag, seeds[0], steps, NUDGE))]
                    rounding.append(
                        {
                            "label": run_label(*c),
                            "lag": lag,
                            "error": plain["error"],
                            "error_nudged": nudged["error"],
                        }
                    )
    finally:
        if pool is not None:
            pool.shutdown()
    return {
        "description": "Delayed recall: test error / chance level per cell, lag and seed "
        "(chapter 6).",
        "recipe": asdict(RECIPE),
        "steps": steps,
        "n_test": N_TEST,
        "test_seed": TEST_SEED,
        "configs": [list(c) for c in configs],
        "lags": list(lags),
        "seeds": seeds,
        "nudge": NUDGE,
        "rounding": rounding,
        "skipped": skipped,
        "versions": versions(),
        "machine": machine(jobs, load),
        "seconds_total": round(time.perf_counter() - start),
        "cpu_seconds_training": round(sum(r["cpu_seconds"] for r in done.values())),
        "cpu_seconds_parent": round(time.process_time() - cpu_start),
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="JSON to write")
    parser.add_argument("--seeds", type=int, default=10, help="use seeds 0..N-1 (default 10)")
    parser.add_argument("--lags", type=int, nargs="+", default=list(LAGS), help="lags to run")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--no-nudge", action="store_true", help="skip the rounding re-runs")
    parser.add_argument(
        "--partial", type=Path, default=None, help="JSON lines of finished runs, to resume from"
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=STEPS,
        help=f"updates per run (default {STEPS}); more for a budget control",
    )
    by_label = {run_label(*c): c for c in CONFIGS}
    parser.add_argument(
        "--only", nargs="+", choices=by_label, default=list(by_label), help="configurations to run"
    )
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error(f"--steps must be a positive number of updates, got {args.steps}")
    sweep = run_sweep(
        range(args.seeds),
        args.lags,
        [c for label, c in by_label.items() if label in args.only],
        args.steps,
        jobs=args.jobs,
        nudge_lags=() if args.no_nudge else NUDGE_LAGS,
        partial=args.partial,
    )
    save_cache(sweep, args.out)
    summary = summarize_sweep(sweep["rows"])
    for label, by_lag in summary.items():
        cells = "  ".join(
            f"L={lag}: {e['median']:.2f} ({e['solved']}/{e['n']})" for lag, e in by_lag.items()
        )
        print(f"{label:24s} {cells}")
    print("failure lags:", failure_lags(summary))
    print(
        f"wrote {args.out}: {sweep['seconds_total']} s wall, "
        f"{sweep['cpu_seconds_training']} s CPU training",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
