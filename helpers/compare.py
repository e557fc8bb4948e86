"""RNN against LSTM over several seeds: how chapter 5 (Training an LSTM) scores a run.

``benchmarks/compare_cells.py`` trains every run and writes the results,
``helpers/resources/rnn_vs_lstm.json`` (package data, so a notebook handed out alone finds
it); the chapter reads them with ``helpers.results.load("rnn_vs_lstm")`` and tabulates them
with pandas. What is here is what the chapter and the script share: the data of the
comparison (``make_data``, from ``Settings``), how one trained model is scored (``evaluate``),
and the check that a live re-run reproduces its row of the shipped file (``compare_rows``).
Which runs the comparison makes, and where its file is, live with the script, in
``benchmarks/lab/compare.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypedDict

import torch
from torch import nn

from helpers._checks import non_negative_int, one_of
from helpers.data import make_windows, noisy_sine
from helpers.forecast import closed_loop, one_step, rmse
from helpers.models import CELLS
from helpers.training import History, Recipe

__all__ = ["RTOL", "CompareRow", "compare_rows", "evaluate", "make_data"]

# what each run reports (Metric), with what it means (METRICS)
Metric = Literal["seconds_per_epoch", "final_loss", "one_step_mse", "closed_loop_rmse"]
METRICS: dict[Metric, str] = {
    "seconds_per_epoch": "CPU time per epoch",
    "final_loss": "final training loss",
    "one_step_mse": "one-step MSE",
    "closed_loop_rmse": "closed-loop RMSE vs sin(x)",
}
RTOL = 1e-3  # how far a re-run may differ from the cache (relative); see `rounding` in the cache


@dataclass(frozen=True)
class Settings:
    """Everything a run depends on besides the cell, the epochs and the seed."""

    n_points: int = 100  # the lecture's 100 points from -2π to 2π
    noise: float = 0.1  # standard deviation of the noise added to sin(x)
    data_seed: int = 0  # one dataset for all runs: runs differ only in weights and shuffling
    n_time: int = 10  # steps per input window
    hidden_size: int = 64
    recipe: Recipe = Recipe()  # the lecture's: SGD 0.01, batches of 8 (frozen: a safe default)

    def __post_init__(self) -> None:
        # the comparison trains with chapter 3's loop, which steps plain SGD: other recipes
        # are chapter 6's (recipes.fit)
        Recipe.check(self.recipe)
        if (self.recipe.optimizer, self.recipe.clip, self.recipe.keep_bias) != ("sgd", None, None):
            raise ValueError(
                "the comparison trains with plain SGD, unclipped, from PyTorch's initialisation; "
                f"got {self.recipe.label}. Vary only lr and batch_size here (chapter 6's "
                "recipes.fit trains the others)."
            )


class CompareRow(TypedDict):
    """One run of the comparison, as ``evaluate`` scores it and the shipped results hold it."""

    run: str  # how the tables name it: "RNN, 100 epochs"
    cell: str
    epochs: int
    seed: int
    # the METRICS
    seconds_per_epoch: float
    final_loss: float
    one_step_mse: float
    closed_loop_rmse: float


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
) -> CompareRow:
    """Score a trained model the way the comparison does: one row of the shipped results.

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
        "run": f"{cell.upper()}, {epochs} epochs",
        "cell": cell,
        "epochs": epochs,
        "seed": seed,
        "seconds_per_epoch": seconds / epochs,
        "final_loss": history.final_loss,
        "one_step_mse": float(torch.mean((predicted - data["correct_data"]) ** 2)),
        "closed_loop_rmse": rmse(forecast, data["clean"]),
    }


def compare_rows(live: CompareRow, cached: CompareRow, rtol: float = RTOL) -> dict[Metric, float]:
    """Relative difference of every metric except time between a re-run and its cached row.

    Raises ValueError if the rows are for different runs or any difference exceeds ``rtol``.
    """
    for field in ("cell", "epochs", "seed"):
        if live[field] != cached[field]:
            raise ValueError(
                f"the rows differ in {field}: {live[field]!r} live, {cached[field]!r} cached; "
                "compare a run with the cached row of the same cell, epochs and seed."
            )
    diffs: dict[Metric, float] = {
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
