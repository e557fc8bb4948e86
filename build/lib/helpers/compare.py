"""RNN against LSTM over several seeds, as chapter 5 (Training an LSTM) reads it.

The chapter loads the cached comparison (``load_results``), tabulates it (``summarize``,
``table_markdown``, ``table_html``), states what it shows (``conclusions``), and scores one
live re-run the same way (``evaluate``) to show with ``compare_rows`` that the cache is what
this code produces. ``benchmarks/compare_cells.py`` trains the runs and writes the cache,
``helpers/resources/rnn_vs_lstm.json`` (package data, so a notebook handed out alone finds it).
"""

from __future__ import annotations

import html
import os
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import torch
from torch import nn

from helpers._checks import non_negative_int, one_of
from helpers.cache import RESOURCES, load_cache
from helpers.data import make_windows, noisy_sine
from helpers.forecast import closed_loop, one_step, rmse
from helpers.models import CELLS
from helpers.training import History

__all__ = [
    "CACHE",
    "METRICS",
    "RTOL",
    "RUNS",
    "Conclusions",
    "Settings",
    "by_run",
    "compare_rows",
    "conclusions",
    "evaluate",
    "load_results",
    "make_data",
    "run_label",
    "summarize",
    "table_html",
    "table_markdown",
]

# (cell, epochs): the lecture's RNN, the lecture's LSTM, and the RNN given the LSTM's budget
RUNS: tuple[tuple[str, int], ...] = (("rnn", 100), ("lstm", 1000), ("rnn", 1000))
# what each run reports, in table order, with the heading the table shows
METRICS = {
    "seconds_per_epoch": "CPU time per epoch",
    "final_loss": "final training loss",
    "one_step_mse": "one-step MSE",
    "closed_loop_rmse": "closed-loop RMSE vs sin(x)",
}
# the committed cache, shipped inside the package: found offline, without the repository
CACHE = RESOURCES / "rnn_vs_lstm.json"
RTOL = 1e-3  # how far a re-run may differ from the cache (relative); see `rounding` in the cache


@dataclass(frozen=True)
class Settings:
    """Everything a run depends on besides the cell, the epochs and the seed."""

    n_points: int = 100  # the lecture's 100 points from -2π to 2π
    noise: float = 0.1  # standard deviation of the noise added to sin(x)
    data_seed: int = 0  # one dataset for all runs: runs differ only in weights and shuffling
    n_time: int = 10  # steps per input window
    hidden_size: int = 64
    batch_size: int = 8
    lr: float = 0.01  # plain SGD, as in the lecture


def make_data(settings: Settings = Settings()) -> dict[str, torch.Tensor]:
    """The comparison's data: the noisy sine, its windows and the clean sine to score against.

    Shapes: x, y (n_points,); input_data (n_sample, n_time, 1); correct_data (n_sample, 1);
    clean (n_sample,), sin(x) at the steps the closed loop predicts.
    """
    x, y = noisy_sine(settings.n_points, settings.noise, seed=settings.data_seed)
    input_data, correct_data = make_windows(y, settings.n_time)
    clean = torch.sin(x[settings.n_time :])
    return {"x": x, "y": y, "input_data": input_data, "correct_data": correct_data, "clean": clean}


def evaluate(
    model: nn.Module,
    history: History,
    *,
    cell: str,
    seed: int,
    settings: Settings = Settings(),
    seconds: float | None = None,
) -> dict[str, object]:
    """Score a trained model the way the comparison does: one row of the table's raw data.

    ``seconds_per_epoch`` is ``seconds / epochs``; without ``seconds`` it is the wall-clock
    ``history.seconds``, which includes any snapshots taken.
    """
    cell, seed = one_of("cell", cell, CELLS), non_negative_int("seed", seed)
    data = make_data(settings)
    epochs = len(history.record_loss_train)
    if epochs == 0:
        raise ValueError(
            "history records no epoch: pass the History that helpers.training.train returned "
            "for this model, after training it for at least one epoch."
        )
    seconds = history.seconds if seconds is None else seconds
    predicted = one_step(model, data["input_data"])
    forecast = closed_loop(model, data["input_data"][0], len(data["clean"]))
    return {
        "cell": cell,
        "epochs": epochs,
        "seed": seed,
        "seconds_per_epoch": seconds / epochs,
        "final_loss": history.final_loss,
        "one_step_mse": float(torch.mean((predicted - data["correct_data"]) ** 2)),
        "closed_loop_rmse": rmse(forecast, data["clean"]),
    }


def load_results(path: str | os.PathLike | None = None) -> dict[str, object]:
    """Read a comparison written by ``benchmarks/compare_cells.py``; by default ``CACHE``."""
    return load_cache(CACHE if path is None else path, "benchmarks/compare_cells.py")


def run_label(cell: str, epochs: int) -> str:
    """How the tables name a run: ``run_label("rnn", 100)`` is "RNN, 100 epochs"."""
    return f"{cell.upper()}, {epochs} epochs"


def by_run(
    rows: Sequence[Mapping[str, object]],
) -> dict[tuple[str, int], dict[int, Mapping[str, object]]]:
    """Group rows by run, (cell, epochs), then by seed; runs in the order they first appear.

    Raises ValueError for two rows of the same run and seed.
    """
    runs: dict[tuple[str, int], dict[int, Mapping[str, object]]] = {}
    for row in rows:
        run = (str(row["cell"]), int(row["epochs"]))
        seeds = runs.setdefault(run, {})
        seed = int(row["seed"])
        if seed in seeds:
            raise ValueError(
                f"two rows for {run_label(*run)}, seed {seed}; pass each run and seed once."
            )
        seeds[seed] = row
    return runs


def summarize(rows: Sequence[Mapping[str, object]]) -> dict[str, dict[str, object]]:
    """Median, minimum and maximum of every metric, per run (cell and epochs), in row order.

    Returns {label: {"cell", "epochs", "n", metric: (median, min, max), ...}}.
    """
    if not rows:
        raise ValueError("rows is empty; load a comparison with load_results first.")
    for row in rows:
        missing = [m for m in METRICS if m not in row]
        if missing:
            raise ValueError(f"row {dict(row)!r} lacks {missing}; is it from evaluate?")
    summary = {}
    for (cell, epochs), seeds in by_run(rows).items():
        entry: dict[str, object] = {"cell": cell, "epochs": epochs, "n": len(seeds)}
        for m in METRICS:
            values = [float(r[m]) for r in seeds.values()]
            entry[m] = (statistics.median(values), min(values), max(values))
        summary[run_label(cell, epochs)] = entry
    return summary


def _fmt(value: float, metric: str) -> str:
    return f"{value * 1000:.2f} ms" if metric == "seconds_per_epoch" else f"{value:.4f}"


def _table_rows(summary: Mapping[str, Mapping[str, object]]):
    """Per run: its label, its number of seeds, and each metric as (median, "min – max")."""
    for label, entry in summary.items():
        cells = []
        for m in METRICS:
            med, low, high = entry[m]
            cells.append((_fmt(med, m), f"{_fmt(low, m)} – {_fmt(high, m)}"))
        yield label, entry["n"], cells


def table_markdown(summary: Mapping[str, Mapping[str, object]]) -> str:
    """A Markdown table: one row per run, each metric as "median (min – max)"."""
    head = "| run | seeds | " + " | ".join(METRICS.values()) + " |"
    lines = [head, "|" + "---|" * (len(METRICS) + 2)]
    for label, n, cells in _table_rows(summary):
        lines.append(f"| {label} | {n} | " + " | ".join(f"{m} ({r})" for m, r in cells) + " |")
    return "\n".join(lines)


def table_html(summary: Mapping[str, Mapping[str, object]]) -> str:
    """The same table as ``table_markdown``, as HTML (notebooks and the book both render it)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ("run", "seeds", *METRICS.values()))
    body = []
    for label, n, cells in _table_rows(summary):
        tds = [f"<td>{html.escape(label)}</td>", f"<td>{n}</td>"]
        tds += [f"<td><b>{m}</b><br>({r})</td>" for m, r in cells]
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (
        '<table class="table">\n<thead><tr>'
        + head
        + "</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def compare_rows(
    live: Mapping[str, object], cached: Mapping[str, object], rtol: float = RTOL
) -> dict[str, float]:
    """Relative difference of every metric except time between a re-run and its cached row.

    Raises ValueError if the rows are for different runs or any difference exceeds ``rtol``.
    """
    for field in ("cell", "epochs", "seed"):
        if live[field] != cached[field]:
            raise ValueError(
                f"the rows differ in {field}: {live[field]!r} live, {cached[field]!r} cached; "
                "compare a run with the cached row of the same cell, epochs and seed."
            )
    diffs = {
        m: abs(float(live[m]) - float(cached[m])) / abs(float(cached[m]))
        for m in METRICS
        if m != "seconds_per_epoch"  # time depends on the machine and its load
    }
    bad = {m: d for m, d in diffs.items() if not d <= rtol}
    if bad:
        raise ValueError(
            f"the re-run differs from the cache by more than rtol={rtol}: {bad}. If you changed "
            "the code or the settings, re-create the cache with benchmarks/compare_cells.py."
        )
    return diffs


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


@dataclass(frozen=True)
class Conclusions:
    """What ``conclusions`` finds: sentences for the prose and the counts behind them."""

    sentences: dict[str, str]  # key -> one sentence stating what the rows show
    n_seeds: int  # seeds that both the RNN (100 epochs) and the LSTM ran
    lstm_wins: int  # seeds where the LSTM's closed loop beat the 100-epoch RNN's
    long_wins: int | None  # seeds where the 1000-epoch RNN beat the LSTM; None without that run


def conclusions(rows: Sequence[Mapping[str, object]], noise: float = 0.1) -> Conclusions:
    """State what the rows show, in sentences for the chapter's prose, with the counts.

    Needs the runs ("rnn", 100) and ("lstm", 1000) for the same seeds; ("rnn", 1000) adds a
    sentence on what the extra epochs alone do, and ``long_wins``.
    """
    by_seed = by_run(rows)
    if ("rnn", 100) not in by_seed or ("lstm", 1000) not in by_seed:
        raise ValueError("conclusions needs rows for ('rnn', 100) and ('lstm', 1000).")
    rnn, lstm = by_seed[("rnn", 100)], by_seed[("lstm", 1000)]
    seeds = sorted(set(rnn) & set(lstm))
    if not seeds:
        raise ValueError("the RNN and LSTM rows share no seed; run both on the same seeds.")
    n = len(seeds)

    def med(runs: Mapping[int, Mapping[str, object]], m: str) -> float:
        return statistics.median(float(runs[s][m]) for s in seeds)

    out = {}
    per_epoch = med(lstm, "seconds_per_epoch") / med(rnn, "seconds_per_epoch")
    whole = (med(lstm, "seconds_per_epoch") * 1000) / (med(rnn, "seconds_per_epoch") * 100)
    if per_epoch < 1.25:
        cause = "so nearly all of the extra time comes from the ten times as many epochs"
    elif per_epoch < 2:
        cause = (
            "so most of the extra time comes from the ten times as many epochs, some from the cell"
        )
    else:
        cause = "so both the heavier cell and the extra epochs add to the time"
    out["time"] = (
        f"An LSTM epoch took {per_epoch:.2f} times as long as an RNN epoch (medians), and the "
        f"1000-epoch LSTM run {whole:.0f} times as long as the 100-epoch RNN run, {cause}."
    )

    wins = [s for s in seeds if lstm[s]["closed_loop_rmse"] < rnn[s]["closed_loop_rmse"]]
    k = len(wins)
    rnn_med, lstm_med = med(rnn, "closed_loop_rmse"), med(lstm, "closed_loop_rmse")
    verdict = (
        "on every seed, which supports the lecture's remark"
        if k == n
        else "on no seed, which contradicts the lecture's remark"
        if k == 0
        else f"on {k} of {n} seeds, so the lecture's remark holds for some seeds and not others"
    )
    out["closed_loop"] = (
        f"The LSTM's closed-loop forecast was closer to the clean sine than the RNN's {verdict} "
        f"(median RMSE {lstm_med:.3f} for the LSTM, {rnn_med:.3f} for the RNN)."
    )
    spread = {
        label: max(float(r[s]["closed_loop_rmse"]) for s in seeds)
        - min(float(r[s]["closed_loop_rmse"]) for s in seeds)
        for label, r in (("RNN", rnn), ("LSTM", lstm))
    }
    out["spread"] = (
        f"From one seed to the next the closed-loop RMSE ranged over {spread['RNN']:.3f} for the "
        f"RNN and {spread['LSTM']:.3f} for the LSTM, against a gap of "
        f"{abs(rnn_med - lstm_med):.3f} between their medians"
        + (": a single seed could have told either story." if 0 < k < n else ".")
    )

    floor = noise**2
    one_rnn, one_lstm = med(rnn, "one_step_mse"), med(lstm, "one_step_mse")
    below = sum(float(r[s]["final_loss"]) < floor for r in (rnn, lstm) for s in seeds)
    gap = abs(one_lstm - one_rnn) / min(one_lstm, one_rnn)
    out["one_step"] = (
        "Predicting one step from the true window, the two are close: median MSE "
        f"{one_lstm:.4f} for the LSTM and {one_rnn:.4f} for the RNN, {gap:.0%} apart, "
        "both above the noise floor of "
        f"{floor:.2f}, the MSE a perfect model of sin(x) would score on this noisy data; "
        + (
            "no run's training loss went below that floor, so none shows that sign of "
            "memorised noise (a loss above it is no proof of the opposite)."
            if below == 0
            else f"{below} of {2 * n} runs' training loss went below it: they began to fit noise."
        )
    )

    long_wins = None
    if ("rnn", 1000) in by_seed and set(seeds) <= set(by_seed[("rnn", 1000)]):
        long = by_seed[("rnn", 1000)]
        long_med = med(long, "closed_loop_rmse")
        beats = sum(lstm[s]["closed_loop_rmse"] < long[s]["closed_loop_rmse"] for s in seeds)
        long_wins = sum(long[s]["closed_loop_rmse"] < lstm[s]["closed_loop_rmse"] for s in seeds)
        change = "improved" if long_med < rnn_med else "worsened"
        out["budget"] = (
            f"Trained for 1000 epochs too, the RNN's median closed-loop RMSE {change} from "
            f"{rnn_med:.3f} to {long_med:.3f}; the LSTM beat it on {beats} of {n} seeds."
        )
    out["summary"] = f"{n} seeds; LSTM closer in the closed loop {_times(k)} out of {n}."
    return Conclusions(sentences=out, n_seeds=n, lstm_wins=k, long_wins=long_wins)
