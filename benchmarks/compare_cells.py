"""Train the RNN and the LSTM on the same data over several seeds and cache the results.

Chapter 5 (Training an LSTM) reads the cache, helpers/resources/rnn_vs_lstm.json, because the full
comparison (7 seeds x three runs, ~100 s of training) would not fit in the chapter's minute.
tests/test_comparison.py re-runs this script and checks it reproduces the cache.

    python benchmarks/compare_cells.py                   # writes helpers/resources/rnn_vs_lstm.json
    python benchmarks/compare_cells.py --out /tmp/x.json --seeds 5 --jobs 1
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from helpers.compare import (
    CACHE,
    conclusions,
    run_comparison,
    save_results,
    summarize,
    table_markdown,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CACHE, help=f"JSON to write (default {CACHE})")
    parser.add_argument("--seeds", type=int, default=7, help="use seeds 0..N-1 (default 7)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    results = run_comparison(range(args.seeds), jobs=args.jobs)
    save_results(results, args.out)
    print(table_markdown(summarize(results["rows"])))
    for sentence in conclusions(results["rows"]).sentences.values():
        print("-", sentence)
    print(f"wrote {args.out} in {results['seconds_total']:.0f} s", file=sys.stderr)
    finite = all(math.isfinite(float(row["closed_loop_rmse"])) for row in results["rows"])
    return 0 if finite else 1


if __name__ == "__main__":
    sys.exit(main())
