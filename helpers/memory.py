"""Delayed recall: train a cell to carry one value through ``lag`` steps, and score it (chapter 6).

Chapter 6 (Why an LSTM?) trains RNN, LSTM and GRU networks on ``data.delayed_recall`` with
one recipe (``RECIPE``) for one budget (``STEPS`` updates) and asks at which lag each fails.
``train_recall`` trains one network (``models.seeded_model`` builds it; the chapter writes the
loop out) and ``recall_error`` scores it on ``N_TEST`` fresh sequences;
``benchmarks/memory_sweep.py`` runs the whole sweep (cells × lags × seeds) and caches it in
``helpers/resources/memory_sweep.json`` (package data: a notebook handed out alone finds it),
which ``results.read`` reads and ``summarize_sweep`` and ``failure_lags`` condense.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import torch
from torch import nn

from helpers._checks import non_negative_int, one_of, positive_int, real_number
from helpers.data import RECALL_CHANCE_MSE, delayed_recall
from helpers.models import CELLS, eval_mode
from helpers.training import Recipe, TrainingDiverged, threads

__all__ = [
    "HIDDEN_SIZE",
    "N_TEST",
    "RECIPE",
    "SOLVED",
    "STEPS",
    "TEST_SEED",
    "LagSummary",
    "RecallRun",
    "failure_lags",
    "recall_error",
    "run_label",
    "summarize_sweep",
    "train_recall",
]

SOLVED = 0.1  # a run solves a lag if its error is below a tenth of chance level (R² > 0.9)


# the one recipe every cell gets on the recall task, with the same size and the same budget
RECIPE = Recipe("adam", 3e-3, batch_size=64, clip=1.0)  # each batch: 64 fresh sequences
STEPS = 1500  # updates: the budget
HIDDEN_SIZE = 32  # units of the recurrent layer
N_TEST, TEST_SEED = 1000, 1_000_000  # the sequences that score a network, apart from training's


@dataclass
class RecallRun:
    """What ``train_recall`` returns: the network and how its loss went."""

    model: nn.Module  # the network passed in, trained in place
    losses: list[float]  # training MSE of every update
    cpu_seconds: float  # CPU time of the training


@contextlib.contextmanager
def flush_denormals() -> Iterator[None]:
    """Flush subnormal floats to zero inside the block, one thread, then restore both.

    Vanishing gradients pass through subnormal numbers (below about 1e-38), which CPUs handle
    many times slower; flushing them to zero changes no result that matters here.
    """
    with threads(1):
        torch.set_flush_denormal(True)
        try:
            yield
        finally:
            torch.set_flush_denormal(False)  # PyTorch's default


def _check_config(cell: object, keep_bias: object) -> tuple[str, float | None]:
    cell = one_of("cell", cell, CELLS)
    if keep_bias is not None:
        if cell == "rnn":
            raise ValueError(
                "keep_bias sets the LSTM's forget gate or the GRU's update gate; an RNN has no "
                "gate. Pass keep_bias=None for cell='rnn'."
            )
        keep_bias = real_number("keep_bias", keep_bias, "a finite number (or None)")
    return cell, keep_bias


def run_label(cell: str, keep_bias: float | None = None, hidden_size: int = 32) -> str:
    """How tables and plots name a configuration: "LSTM", "LSTM, forget bias 5", "RNN, 64 units".

    The size is named only when it is not the sweep's usual ``HIDDEN_SIZE``.
    """
    cell, keep_bias = _check_config(cell, keep_bias)
    label = cell.upper()
    if keep_bias is not None:
        label += f", {'forget' if cell == 'lstm' else 'update'} bias {keep_bias:g}"
    if positive_int("hidden_size", hidden_size) != HIDDEN_SIZE:
        label += f", {hidden_size} units"
    return label


def train_recall(
    model: nn.Module, lag: int, seed: int, recipe: Recipe = RECIPE, steps: int = STEPS
) -> RecallRun:
    """Train ``model`` on delayed recall at ``lag``: ``steps`` updates with ``recipe``.

    Every update draws a fresh batch of ``recipe.batch_size`` sequences from a generator
    seeded by ``seed``: the recipe's optimiser on the MSE, the gradient's norm clipped to
    ``recipe.clip``. One thread, subnormal floats flushed (``flush_denormals``). The model is
    changed in place and returned in the ``RecallRun``. The recipe's ``keep_bias`` is an
    initialisation: build the model with it (``models.seeded_model``).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"model must be an nn.Module such as models.seeded_model(...), got "
            f"{type(model).__name__}."
        )
    lag = positive_int("lag", lag)
    seed = non_negative_int("seed", seed)
    steps = positive_int("steps", steps)
    optimizer = Recipe.check(recipe).make_optimizer(model)
    loss_func = nn.MSELoss()
    generator = torch.Generator().manual_seed(seed)
    losses = []
    with flush_denormals():
        start = time.process_time()
        model.train()
        for step in range(steps):
            inputs, targets = delayed_recall(recipe.batch_size, lag, generator=generator)
            loss = loss_func(model(inputs), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()  # clips the gradient's norm to recipe.clip first
            losses.append(loss.item())
            if not math.isfinite(losses[-1]):
                raise TrainingDiverged(
                    f"the loss became {losses[-1]} at step {step} (lag {lag}, seed {seed}); "
                    "lower the recipe's lr or clip."
                )
        seconds = time.process_time() - start
    return RecallRun(model, losses, seconds)


def recall_error(model: nn.Module, lag: int) -> float:
    """Test MSE on ``N_TEST`` fresh sequences, divided by chance level (1/3).

    0 is perfect recall; 1 is what always answering 0 scores. The test sequences come from
    ``TEST_SEED``, the same for every network, and from no training batch.
    """
    lag = positive_int("lag", lag)
    inputs, targets = delayed_recall(N_TEST, lag, seed=TEST_SEED)
    with eval_mode(model), flush_denormals():
        mse = torch.mean((model(inputs) - targets) ** 2).item()
    return mse / RECALL_CHANCE_MSE


# ---------------------------------------------------------------- the cached sweep


class SweepRow(TypedDict):
    """What ``summarize_sweep`` reads of a row of the sweep: the run and its error.

    ``benchmarks/memory_sweep.py`` writes these keys and more (the gradient reach, the CPU time).
    """

    cell: str  # "rnn", "lstm" or "gru"
    keep_bias: float | None  # forget (LSTM) or update (GRU) gate bias; None: PyTorch's
    hidden_size: int
    lag: int
    seed: int
    error: float  # recall_error: test MSE / chance level


class LagSummary(TypedDict):
    """One configuration at one lag, over its seeds: an entry of ``summarize_sweep``."""

    errors: list[float]  # every seed's error, in the order of the rows
    median: float
    low: float  # the lowest error
    high: float  # the highest error
    solved: int  # seeds whose error is below ``solved`` (``SOLVED``)
    n: int  # seeds


def _config(row: SweepRow) -> tuple[str, float | None, int]:
    bias = row["keep_bias"]
    return str(row["cell"]), None if bias is None else float(bias), int(row["hidden_size"])


def summarize_sweep(
    rows: Sequence[SweepRow], solved: float = SOLVED
) -> dict[str, dict[int, LagSummary]]:
    """Per configuration and lag: the errors over seeds, their median, and how many solved it.

    Returns {label: {lag: {"errors": [...], "median", "low", "high", "solved", "n"}}} (a
    ``LagSummary`` per lag), the configurations in the order of the rows and the lags in
    increasing order.
    """
    if not rows:
        raise ValueError("rows is empty; pass results.read('memory_sweep')['rows'].")
    groups: dict[str, dict[int, list[float]]] = {}
    for row in rows:
        keys = ("cell", "keep_bias", "hidden_size", "lag", "seed", "error")
        missing = [key for key in keys if key not in row]
        if missing:
            raise ValueError(f"row {dict(row)!r} lacks {missing}; is it from the sweep?")
        label = run_label(*_config(row))
        groups.setdefault(label, {}).setdefault(int(row["lag"]), []).append(float(row["error"]))
    summary: dict[str, dict[int, LagSummary]] = {}
    for label, by_lag in groups.items():
        summary[label] = {}
        for lag in sorted(by_lag):
            errors = by_lag[lag]
            summary[label][lag] = {
                "errors": errors,
                "median": statistics.median(errors),
                "low": min(errors),
                "high": max(errors),
                "solved": sum(e < solved for e in errors),
                "n": len(errors),
            }
    return summary


def failure_lags(
    summary: Mapping[str, Mapping[int, LagSummary]],
) -> dict[str, int | None]:
    """Per configuration, the shortest lag that most seeds failed (None: none failed)."""
    out = {}
    for label, by_lag in summary.items():
        failed = [lag for lag, entry in by_lag.items() if 2 * entry["solved"] <= entry["n"]]
        out[label] = min(failed) if failed else None
    return out
