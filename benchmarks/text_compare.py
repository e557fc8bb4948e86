"""Two comparisons chapter 7 reports, too long to run in the chapter; cached as JSON.

1. **Windows** (``--part windows``): truncated BPTT over consecutive windows, the state
   carried from batch to batch and detached, against independent random windows that each
   start from a zero state. The book's recipe otherwise, the same number of updates, several
   seeds. Each model is scored on the held-out text two ways: read as one stream (each token
   predicted from everything before it, as when the model writes) and cut into windows of 35
   that start from zero (the way random-window training sees text).
2. **Cells** (``--part cells``): RNN, LSTM and GRU of 256 units, the book's recipe, the same
   CPU time each (one thread), several seeds; held-out perplexity as one stream. Beside them,
   run seed by seed with the others so that they share the machine's conditions: the LSTM
   again without dropout ("lstm-no-dropout"), to show what dropout does, and a plain RNN as
   large as the LSTM at a learning rate of its own ("rnn-520", from part 3).
3. **Tune** (``--part tune``, run before part 2): the learning rate of that RNN (520 units,
   300,588 weights against the LSTM's 300,060), chosen for it: the same CPU time at each rate
   of a small grid, on one seed kept out of the comparison (100), training on the first 95 %
   of the training text and scored on the last 5 % (the validation slice of
   ``text_weights.py``); the held-out text plays no part in the choice.

CPU time is what the cells share, so their curves depend on the machine's load: on a busy
machine a CPU-second buys fewer updates. ``--seed-list`` splits the seeds between processes
(one per core); ``--merge`` joins their files.

    python benchmarks/text_compare.py               # every part, ~45 CPU-minutes
    python benchmarks/text_compare.py --quick       # a smoke test of the script
    python benchmarks/text_compare.py --part cells --cells-seconds 30

Writes helpers/resources/text_compare.json (or ``--out``). The windows part counts updates,
not seconds, so its curves repeat exactly on one machine: tests/test_language.py re-runs the
start of seed 0 and compares.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import torch

from helpers import language, text
from helpers.results import RESOURCES
from helpers.training import Recipe
from lab.records import save_json
from lab.text import curve

OUT = RESOURCES / "text_compare.json"
N_TIME = language.N_TIME
WIDE_RNN = 520  # units of the plain RNN as large as the LSTM: 300,588 weights to its 300,060
TUNE_LRS = (1e-3, 2e-3, 5e-3, 1e-2)  # the rates tried for it (the LSTM's is 5e-3)
TUNE_SEED = 100  # a seed that none of the compared runs uses


def windows_run(carry_state: bool, seed: int, steps: int, every: int) -> dict:
    """One run of the windows comparison: its curve and both final perplexities."""
    train_ids, held_out = text.split(text.encode(text.read_book()))
    torch.manual_seed(seed)
    model = language.CharLM("lstm", 256)
    history = language.train_lm(
        model, train_ids, language.BOOK_RECIPE, carry_state=carry_state, steps=steps,
        every=every, held_out=held_out, seed=seed, progress=False,
    )  # fmt: skip
    return {
        "seed": seed,
        "curve": curve(history),
        "stream": round(language.perplexity(model, held_out), 4),
        "windows": round(language.perplexity(model, held_out, n_time=N_TIME), 4),
    }


def cells_run(
    cell: str,
    seed: int,
    seconds: float,
    every: float,
    *,
    hidden_size: int = 256,
    dropout: float | None = None,
    lr: float | None = None,
    validation: bool = False,
) -> dict:
    """One run of the cells comparison: its curve (perplexity against CPU seconds).

    ``dropout`` and ``lr`` replace the book's 0.5 and 0.005 (the LSTM without dropout runs
    with 0; the tune part tries rates). With ``validation`` the model trains on the first 95 %
    of the training text and the curve scores the last 5 %, not the held-out text.
    """
    train_ids, held_out = text.split(text.encode(text.read_book()))
    if validation:
        train_ids, held_out = text.split(train_ids, held_out=0.05)
    torch.manual_seed(seed)
    model = language.CharLM(cell, hidden_size)
    recipe = language.BOOK_RECIPE
    if dropout is not None:
        recipe = replace(recipe, dropout=dropout)
    if lr is not None:
        recipe = replace(recipe, lr=lr)
    history = language.train_lm(
        model, train_ids, recipe, cpu_seconds=seconds, every=every,
        held_out=held_out, seed=seed, progress=False,
    )  # fmt: skip
    return {
        "seed": seed,
        "hidden_size": hidden_size,
        "lr": recipe.lr,
        "parameters": sum(p.numel() for p in model.parameters()),
        "curve": curve(history),
    }


def run_part(
    recipe: Recipe,
    settings: dict[str, Any],
    seeds: list[int],
    variants: dict[str, Any],
    run: Callable[[Any, int], dict],
    describe: Callable[[dict], str],
) -> dict:
    """Run every variant for every seed (seed by seed) and gather them as one part."""
    start = time.process_time()
    part = {"recipe": asdict(recipe), "n_time": N_TIME, **settings, "seeds": seeds}
    part["runs"] = {name: [] for name in variants}
    for seed in seeds:
        for name, variant in variants.items():
            result = run(variant, seed)
            part["runs"][name].append(result)
            print(f"seed {seed}, {name:7s}: {describe(result)}", flush=True)
    part["cpu_seconds_total"] = round(time.process_time() - start, 1)
    return part


def merge(paths: list[Path], out: Path) -> None:
    """Join the runs of files that each ran some seeds of the same parts, seed by seed."""
    parts = [json.loads(path.read_text()) for path in paths]
    results = json.loads(out.read_text()) if out.is_file() else {}
    for name in ("windows", "cells"):
        have = [p[name] for p in parts if name in p]
        if not have:
            continue
        joined = dict(have[0])
        joined["seeds"] = sorted(seed for part in have for seed in part["seeds"])
        joined["runs"] = {
            variant: sorted(
                (r for part in have for r in part["runs"][variant]), key=lambda r: r["seed"]
            )
            for variant in have[0]["runs"]
        }
        joined["cpu_seconds_total"] = round(sum(part["cpu_seconds_total"] for part in have), 1)
        results[name] = joined
    for part in parts:
        if "tune" in part:
            results["tune"] = part["tune"]
    results.pop("dropout", None)  # now a variant of the cells part
    results["machine"] = parts[0]["machine"]
    save_json(results, out)
    print(f"wrote {out}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; its defaults are the settings the shipped measurements used."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["windows", "tune", "cells", "all"], default="all")
    parser.add_argument("--seeds", type=int, default=6, help="seeds 0 .. N - 1")
    parser.add_argument("--seed-list", help="only these seeds, e.g. 0,1,2 (to split a part)")
    parser.add_argument("--merge", nargs="+", type=Path, help="join these files' runs into --out")
    parser.add_argument("--windows-steps", type=int, default=1500)
    parser.add_argument("--windows-every", type=int, default=100)
    parser.add_argument("--cells-seconds", type=float, default=45.0)
    parser.add_argument("--cells-every", type=float, default=5.0)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--quick", action="store_true", help="tiny runs, one seed, no file")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    if args.quick:
        args.seeds, args.windows_steps, args.windows_every = 1, 20, 10
        args.cells_seconds, args.cells_every, args.out = 1.0, 0.5, None

    torch.set_num_threads(1)  # one thread: on a busy 2-core machine more threads only wait
    results = json.loads(args.out.read_text()) if args.out and args.out.is_file() else {}
    if args.merge:
        merge(args.merge, args.out)
        return
    seeds = (
        [int(s) for s in args.seed_list.split(",")] if args.seed_list else list(range(args.seeds))
    )
    if args.part in ("windows", "all"):
        results["windows"] = run_part(
            language.BOOK_RECIPE,
            {"steps": args.windows_steps, "every": args.windows_every},
            seeds,
            {"carried": True, "random": False},
            lambda carry, seed: windows_run(carry, seed, args.windows_steps, args.windows_every),
            lambda run: f"stream {run['stream']:.3f}, windows of {N_TIME} {run['windows']:.3f}",
        )
    if args.part in ("tune", "all"):
        results["tune"] = run_part(
            language.BOOK_RECIPE,
            {"cpu_seconds": args.cells_seconds, "every": args.cells_every,
             "scored_on": "validation", "cell": "rnn", "hidden_size": WIDE_RNN},
            [TUNE_SEED],
            {f"{lr:g}": lr for lr in TUNE_LRS},
            lambda lr, seed: cells_run(
                "rnn", seed, args.cells_seconds, args.cells_every, hidden_size=WIDE_RNN, lr=lr,
                validation=True,
            ),
            lambda run: f"final validation {run['curve'][-1]['perplexity']:.3f}",
        )  # fmt: skip
        finals = {
            name: rs[0]["curve"][-1]["perplexity"] for name, rs in results["tune"]["runs"].items()
        }
        results["tune"]["chosen_lr"] = float(min(finals, key=finals.__getitem__))
    if args.part in ("cells", "all"):
        if "tune" not in results:
            raise SystemExit("run --part tune first: the wide RNN's learning rate comes from it")
        variants: dict[str, Any] = {
            "rnn": ("rnn", 256, None, None),
            f"rnn-{WIDE_RNN}": ("rnn", WIDE_RNN, results["tune"]["chosen_lr"], None),
            "lstm": ("lstm", 256, None, None),
            "lstm-no-dropout": ("lstm", 256, None, 0.0),
            "gru": ("gru", 256, None, None),
        }
        results["cells"] = run_part(
            language.BOOK_RECIPE,
            {"cpu_seconds": args.cells_seconds, "every": args.cells_every},
            seeds,
            variants,
            lambda v, seed: cells_run(
                v[0], seed, args.cells_seconds, args.cells_every, hidden_size=v[1], lr=v[2],
                dropout=v[3],
            ),
            lambda run: (
                f"{run['curve'][-1]['step']} updates, final {run['curve'][-1]['perplexity']:.3f}"
            ),
        )  # fmt: skip
    results["machine"] = {"torch": torch.__version__, "python": platform.python_version()}
    if args.out is not None:
        save_json(results, args.out)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
