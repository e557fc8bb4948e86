"""Dive into Deep Learning's recipe against the book's, for the same CPU time (chapter 7).

Both train the lecture's ``LSTM(28, 256)`` + ``Linear(256, 28)`` on the same text (the first
90 % of *The Time Machine*, 28 tokens) with the same batches (32 rows, 35 steps, the state
carried over and detached) and gradient clipping at 1:

- d2l: Dive into Deep Learning's recipe for this network, as d2l 0.x and its Chinese edition,
  d2l-zh, train it with ``train_ch8`` in the LSTM section's concise implementation
  (``num_epochs, lr = 500, 1``): SGD at learning rate 1, clipping at 1, the state carried over and
  detached, no dropout. d2l trains on the first 10,000 tokens of the book by default
  (``load_data_time_machine(..., max_tokens=10000)``); here it gets the same 160,745-token
  training text as the book's recipe, which helps it;
- the book: Adam, learning rate 0.005, dropout 0.5 on the LSTM's outputs.

"d2l's best" is the lowest held-out perplexity its recipe reaches *within the budget*: at
120 CPU-seconds its curve is still falling (each seed's best comes in the last few seconds), so
a longer budget would bring it lower. The comparison is how soon the book's recipe gets there.

Each runs for ``--budget`` CPU seconds of updates (one thread; evaluation excluded) and is
scored on the held-out last 10 % every ``--every`` CPU seconds. The script prints both curves
side by side, the best perplexity d2l's recipe reaches within the budget, and how soon the
book's recipe gets there; ``--out`` writes everything as JSON (by default
helpers/resources/text_speed.json, which chapter 7 plots).

    python benchmarks/text_speed.py                 # 2 recipes x 3 seeds x 120 CPU-s
    python benchmarks/text_speed.py --quick         # a smoke test of the script (~10 s)

CPU time, not wall-clock time: other programs stretch the wall clock far more than the CPU
time a computation needs, but they do not leave it alone. On the 2-core build machine, with
five other busy processes, a CPU-second bought about a third fewer LSTM updates (943 against
1,436 in 45 CPU-s, text_compare.py's seed 0): run the measurements on a quiet machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from dataclasses import asdict
from pathlib import Path

import torch

from helpers import language, text
from helpers.results import RESOURCES
from helpers.training import Recipe
from lab.records import save_json
from lab.text import D2L_RECIPE, curve

OUT = RESOURCES / "text_speed.json"
RECIPES = {"d2l": D2L_RECIPE, "book": language.BOOK_RECIPE}


def run(recipe: Recipe, seed: int, budget: float, every: float) -> list[dict]:
    """Train from ``torch.manual_seed(seed)`` for ``budget`` CPU seconds; the checkpoints."""
    train_ids, held_out = text.split(text.encode(text.read_book()))
    torch.manual_seed(seed)
    model = language.CharLM("lstm", 256)
    history = language.train_lm(
        model,
        train_ids,
        recipe,
        cpu_seconds=budget,
        every=every,
        held_out=held_out,
        seed=seed,
        progress=False,
    )
    return curve(history)


def first_time_at_or_below(curve: list[dict], target: float) -> float | None:
    """CPU seconds of the first checkpoint whose perplexity is at most ``target``."""
    return next((p["seconds"] for p in curve if p["perplexity"] <= target), None)


def summarize(results: dict) -> dict:
    """Per seed: d2l's best within the budget, when it got there, and when the book did."""
    rows = []
    for k, seed in enumerate(results["seeds"]):
        d2l, book = results["curves"]["d2l"][k], results["curves"]["book"][k]
        best = min(d2l[1:], key=lambda p: p["perplexity"])
        reached = first_time_at_or_below(book, best["perplexity"])
        rows.append(
            {
                "seed": seed,
                "d2l_best": best["perplexity"],
                "d2l_best_at": best["seconds"],
                "book_reaches_it_at": reached,
                "ratio": None if reached is None else round(reached / best["seconds"], 3),
                "book_best": min(p["perplexity"] for p in book[1:]),
            }
        )
    return {"per_seed": rows, "median_ratio": statistics.median(r["ratio"] or 1e9 for r in rows)}


def table(results: dict, every_nth: int = 1) -> str:
    """The curves side by side: CPU seconds, then each recipe's perplexity (median of seeds)."""
    lines = [f"{'CPU s':>6}  {'d2l':>7}  {'book':>7}   (held-out perplexity, median of seeds)"]
    n = min(len(c) for curves in results["curves"].values() for c in curves)
    for i in range(0, n, every_nth):
        cells = []
        for name in RECIPES:
            cells.append(statistics.median(c[i]["perplexity"] for c in results["curves"][name]))
        seconds = statistics.median(c[i]["seconds"] for c in results["curves"]["book"])
        lines.append(f"{seconds:6.0f}  {cells[0]:7.2f}  {cells[1]:7.2f}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; its defaults are the settings the shipped measurements used."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=120.0, help="CPU seconds per run")
    parser.add_argument("--every", type=float, default=2.0, help="CPU seconds between scores")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--quick", action="store_true", help="2 CPU-s, one seed, no file")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    if args.quick:
        args.budget, args.every, args.seeds, args.out = 2.0, 1.0, 1, None

    torch.set_num_threads(1)  # one thread: on a busy 2-core machine more threads only wait
    start = time.process_time()
    results = {
        "budget_cpu_seconds": args.budget,
        "every_cpu_seconds": args.every,
        "seeds": list(range(args.seeds)),
        "recipes": {name: asdict(recipe) for name, recipe in RECIPES.items()},
        "n_time": language.N_TIME,  # both recipes' windows
        "curves": {name: [] for name in RECIPES},
    }
    for seed in results["seeds"]:
        for name, recipe in RECIPES.items():
            curve = run(recipe, seed, args.budget, args.every)
            results["curves"][name].append(curve)
            best = min(p["perplexity"] for p in curve[1:])
            print(f"seed {seed} {name:4s}: best {best:.3f} in {args.budget:.0f} CPU-s", flush=True)
    results["summary"] = summarize(results)
    results["cpu_seconds_total"] = round(time.process_time() - start, 1)
    results["machine"] = {"torch": torch.__version__, "python": platform.python_version()}

    print()
    print(table(results, every_nth=max(1, round(10 / args.every))))
    print()
    for row in results["summary"]["per_seed"]:
        reached = row["book_reaches_it_at"]
        when = "never" if reached is None else f"at {reached:.0f} CPU-s"
        print(
            f"seed {row['seed']}: d2l's best {row['d2l_best']:.2f} at {row['d2l_best_at']:.0f} "
            f"CPU-s; the book's recipe reaches it {when} (ratio {row['ratio']}); "
            f"the book's best {row['book_best']:.2f}"
        )
    print(f"median time ratio: {results['summary']['median_ratio']:.2f} (goal: 1/3 or less)")
    if args.out is not None:
        save_json(results, args.out)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
