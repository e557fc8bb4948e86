"""Two comparisons chapter 7 reports, too long to run in the chapter; cached as JSON.

1. **Windows** (``--part windows``): truncated BPTT over consecutive windows, the state
   carried from batch to batch and detached, against independent random windows that each
   start from a zero state. The book's recipe otherwise, the same number of updates, several
   seeds. Each model is scored on the held-out text two ways: read as one stream (each token
   predicted from everything before it, as when the model writes) and cut into windows of 35
   that start from zero (the way random-window training sees text).
2. **Cells** (``--part cells``): RNN, LSTM and GRU of 256 units, the book's recipe, the same
   CPU time each (one thread), several seeds; held-out perplexity as one stream.
3. **Dropout** (``--part dropout``): the LSTM runs of part 2 again without dropout, to show
   what dropout does (everything else, seeds included, is the same).

    python benchmarks/text_compare.py               # both parts, ~15 CPU-minutes
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
from typing import TypeVar

import torch

from helpers import language, text

OUT = Path(language.__file__).resolve().parent / "resources" / "text_compare.json"
N_TIME = language.BOOK_RECIPE.n_time
Variant = TypeVar("Variant")  # what tells a part's runs apart: carry the state or not, the cell


def windows_run(carry_state: bool, seed: int, steps: int, every: int) -> dict:
    """One run of the windows comparison: its curve and both final perplexities."""
    train_ids, held_out = text.split(text.encode(text.read_book()))
    recipe = replace(language.BOOK_RECIPE, carry_state=carry_state)
    torch.manual_seed(seed)
    model = language.CharLM("lstm", 256)
    history = language.train_lm(
        model, train_ids, recipe, steps=steps, every=every, held_out=held_out, seed=seed,
        progress=False,
    )  # fmt: skip
    return {
        "seed": seed,
        "curve": history.curve(),
        "stream": round(language.perplexity(model, held_out), 4),
        "windows": round(language.perplexity(model, held_out, n_time=N_TIME), 4),
    }


def cells_run(
    cell: str, seed: int, seconds: float, every: float, dropout: float | None = None
) -> dict:
    """One run of the cells comparison: its curve (perplexity against CPU seconds).

    ``dropout`` replaces the book's 0.5 (the dropout part runs the LSTM with 0).
    """
    train_ids, held_out = text.split(text.encode(text.read_book()))
    torch.manual_seed(seed)
    model = language.CharLM(cell, 256)
    recipe = (
        language.BOOK_RECIPE if dropout is None else replace(language.BOOK_RECIPE, dropout=dropout)
    )
    history = language.train_lm(
        model, train_ids, recipe, cpu_seconds=seconds, every=every,
        held_out=held_out, seed=seed, progress=False,
    )  # fmt: skip
    return {
        "seed": seed,
        "parameters": sum(p.numel() for p in model.parameters()),
        "curve": history.curve(),
    }


def run_part(
    recipe: language.Recipe,
    settings: dict[str, float],
    seeds: list[int],
    variants: dict[str, Variant],
    run: Callable[[Variant, int], dict],
    describe: Callable[[dict], str],
) -> dict[str, object]:
    """Run every variant for every seed (seed by seed) and gather them as one part."""
    start = time.process_time()
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    part: dict[str, object] = {"recipe": asdict(recipe), **settings, "seeds": seeds, "runs": runs}
    for seed in seeds:
        for name, variant in variants.items():
            result = run(variant, seed)
            runs[name].append(result)
            print(f"seed {seed}, {name:7s}: {describe(result)}", flush=True)
    part["cpu_seconds_total"] = round(time.process_time() - start, 1)
    return part


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; its defaults are the settings the shipped measurements used."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["windows", "cells", "dropout", "all"], default="all")
    parser.add_argument("--seeds", type=int, default=3)
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
    seeds = list(range(args.seeds))
    if args.part in ("windows", "all"):
        results["windows"] = run_part(
            language.BOOK_RECIPE,
            {"steps": args.windows_steps, "every": args.windows_every},
            seeds,
            {"carried": True, "random": False},
            lambda carry, seed: windows_run(carry, seed, args.windows_steps, args.windows_every),
            lambda run: f"stream {run['stream']:.3f}, windows of {N_TIME} {run['windows']:.3f}",
        )
    if args.part in ("cells", "all"):
        results["cells"] = run_part(
            language.BOOK_RECIPE,
            {"cpu_seconds": args.cells_seconds, "every": args.cells_every},
            seeds,
            {cell: cell for cell in ("rnn", "lstm", "gru")},
            lambda cell, seed: cells_run(cell, seed, args.cells_seconds, args.cells_every),
            lambda run: (
                f"{run['curve'][-1]['step']} updates, final {run['curve'][-1]['perplexity']:.3f}"
            ),
        )
    if args.part in ("dropout", "all"):
        results["dropout"] = run_part(
            replace(language.BOOK_RECIPE, dropout=0.0),
            {"cpu_seconds": args.cells_seconds, "every": args.cells_every},
            seeds,
            {"lstm": "lstm"},
            lambda cell, seed: cells_run(
                cell, seed, args.cells_seconds, args.cells_every, dropout=0.0
            ),
            lambda run: (
                f"best {min(p['perplexity'] for p in run['curve']):.3f}, "
                f"final {run['curve'][-1]['perplexity']:.3f}"
            ),
        )
    results["machine"] = {"torch": torch.__version__, "python": platform.python_version()}
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
