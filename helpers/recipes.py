"""Training recipes for the sine model, judged on a later stretch of the series (chapter 6).

A ``Recipe`` names what chapter 6 (Why an LSTM?) varies: the optimiser and its learning rate,
the starting bias of the gate that keeps memory (``models.set_keep_bias``) and gradient
clipping. ``fit`` trains with chapter 3's loop (``training.train``, one epoch at a time) and
after every epoch scores the model one step ahead on validation windows cut from later in
time (``data.chronological_split``), keeping the weights of the best epoch: early stopping.
``score`` measures a trained model as the chapter's tables do: one step ahead on the
validation windows and on fresh noise over the same stretch, and in a closed loop past the end
of the data. ``benchmarks/sine_recipes.py`` trains every recipe over seeds and writes
``resources/sine_recipes.json``, which ``load_recipes`` reads; the gate statistics it records
come from ``benchmarks/lab/sine.py``.
"""

from __future__ import annotations

import copy
import math
import os
from dataclasses import dataclass, field
from typing import TypedDict

import torch
from torch import nn

from helpers._checks import non_negative_int, one_of, positive_int, real_number
from helpers.data import Split, chronological_split, make_windows, noisy_sine, sine_at_steps
from helpers.forecast import closed_loop, one_step
from helpers.models import CELLS, SequenceRegressor, seeded_model
from helpers.results import RESOURCES, load_cache
from helpers.training import OPTIMIZERS, ClippedOptimizer, train

__all__ = [
    "FORECAST_STEPS",
    "LECTURE",
    "N_TIME",
    "WORKING",
    "Fit",
    "Recipe",
    "Scores",
    "build_sine_model",
    "fit",
    "fresh_windows",
    "load_recipes",
    "make_split",
    "score",
]

N_TIME, N_VALID = 10, 20  # the lecture's windows; the last 20 of them validate
FORECAST_STEPS = 80  # closed loop from the end of training (t = 70) to t = 149, past the data
SINE_CACHE = RESOURCES / "sine_recipes.json"


@dataclass(frozen=True)
class Recipe:
    """How to train: optimiser and learning rate, keep-gate bias at the start, clipping."""

    optimizer: str = "sgd"  # "sgd" (the lecture's) or "adam"
    lr: float = 0.01  # the lecture's SGD learning rate
    keep_bias: float | None = None  # forget (LSTM) or update (GRU) gate bias; None: PyTorch's
    clip: float | None = None  # largest gradient norm per update; None: no clipping

    def __post_init__(self) -> None:
        one_of("optimizer", self.optimizer, OPTIMIZERS)
        real_number("lr", self.lr, "a positive finite number", low=0, low_open=True)
        if self.clip is not None:
            real_number(
                "clip", self.clip, "a positive finite number (or None)", low=0, low_open=True
            )
        if self.keep_bias is not None:
            real_number("keep_bias", self.keep_bias, "a finite number (or None)")

    @property
    def label(self) -> str:
        """A short name, e.g. "SGD 0.01" or "Adam 0.003, bias 1, clip 1"."""
        parts = [f"{'SGD' if self.optimizer == 'sgd' else 'Adam'} {self.lr:g}"]
        if self.keep_bias is not None:
            parts.append(f"bias {self.keep_bias:g}")
        if self.clip is not None:
            parts.append(f"clip {self.clip:g}")
        return ", ".join(parts)


LECTURE = Recipe()  # SGD with learning rate 0.01, PyTorch's initialisation, no clipping
WORKING = Recipe("adam", 0.003, keep_bias=1.0, clip=1.0)  # the usual advice, all three at once


def build_sine_model(
    cell: str, seed: int, recipe: Recipe = LECTURE, hidden_size: int = 64
) -> SequenceRegressor:
    """The sine model of chapters 3 and 5, weights fixed by ``seed``, initialised per ``recipe``.

    ``recipe.keep_bias`` applies to an LSTM or a GRU; an RNN has no such gate and keeps
    PyTorch's initialisation.
    """
    cell = one_of("cell", cell, CELLS)
    keep_bias = None if cell == "rnn" else recipe.keep_bias
    return seeded_model(cell, seed, hidden_size=hidden_size, keep_bias=keep_bias)


@dataclass
class Fit:
    """What ``fit`` returns: the loss curves and the epoch the validation chose."""

    record_loss_train: list[float] = field(default_factory=list)  # mean batch loss per epoch
    record_loss_valid: list[float] = field(default_factory=list)  # one-step MSE, validation
    record_loss_fresh: dict[int, float] = field(default_factory=dict)  # epoch -> fresh MSE
    best_epoch: int = 0  # the epoch with the lowest validation loss
    best_state: dict[str, torch.Tensor] = field(default_factory=dict)  # its weights
    grad_norms: list[float] = field(default_factory=list)  # every update's, before clipping

    @property
    def best_valid(self) -> float:
        """The lowest validation loss: the early-stopped model's."""
        return self.record_loss_valid[self.best_epoch]


def _mse(model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    return float(torch.mean((one_step(model, inputs) - targets) ** 2))


def fit(
    model: nn.Module,
    split: Split,
    recipe: Recipe = LECTURE,
    *,
    epochs: int = 1000,
    seed: int = 0,
    batch_size: int = 8,
    fresh: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None,
    fresh_every: int = 10,
) -> Fit:
    """Train ``model`` on ``split``'s training windows, validating after every epoch.

    Each epoch is one call of chapter 3's ``training.train`` (shuffled batches of
    ``batch_size``, MSE) with the recipe's optimiser, clipped if the recipe says so. The
    model ends with its *last* epoch's weights; ``Fit.best_state`` holds the best epoch's.
    With ``fresh`` (from ``fresh_windows``) the error on fresh noise is recorded too, every
    ``fresh_every`` epochs and at the last. ``recipe.keep_bias`` is an initialisation:
    ``build_sine_model`` applies it.
    """
    if not isinstance(split, Split):
        raise TypeError(
            "split must be a data.Split (from data.chronological_split), got "
            f"{type(split).__name__}."
        )
    epochs = positive_int("epochs", epochs)
    seed = non_negative_int("seed", seed)
    fresh_every = positive_int("fresh_every", fresh_every)
    optimizer = OPTIMIZERS[recipe.optimizer](model.parameters(), lr=recipe.lr)
    clipped = ClippedOptimizer(optimizer, math.inf if recipe.clip is None else recipe.clip)
    result = Fit()
    best = math.inf
    for epoch in range(epochs):
        history = train(
            model,
            split.input_train,
            split.correct_train,
            epochs=1,
            batch_size=batch_size,
            optimizer=clipped,
            snapshot_every=None,
            verbose=False,
            seed=seed * 100_000 + epoch,  # a new shuffle every epoch, the same on every run
            num_threads=1,
            progress=False,
        )
        result.record_loss_train.append(history.final_loss)
        valid = _mse(model, split.input_valid, split.correct_valid)
        result.record_loss_valid.append(valid)
        if valid < best:
            best, result.best_epoch = valid, epoch
            result.best_state = copy.deepcopy(model.state_dict())
        if fresh is not None and (epoch % fresh_every == 0 or epoch == epochs - 1):
            result.record_loss_fresh[epoch] = _mse(model, fresh[0], fresh[1])
    result.grad_norms = clipped.norms
    return result


def make_split(data_seed: int = 0) -> Split:
    """The lecture's noisy sine (``data_seed`` fixes its noise), split by time: 60 + 20 windows."""
    _, y = noisy_sine(100, 0.1, seed=data_seed)
    return chronological_split(y, N_TIME, N_VALID)


def fresh_windows(
    n_draws: int = 200, seed: int = 10_000
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The validation stretch (t = 70..99) again, with fresh noise, ``n_draws`` times.

    Same x, new noise: no model has seen these answers, so their error is an honest estimate
    of the expected one-step error there. Draw ``d`` uses noise seed ``seed + d``.

    Shapes: -> inputs (20 * n_draws, 10, 1), answers (20 * n_draws, 1), clean (20 * n_draws,).
    """
    n_draws = positive_int("n_draws", n_draws)
    seed = non_negative_int("seed", seed)
    cut = 100 - N_VALID - N_TIME
    inputs, answers = [], []
    for d in range(n_draws):
        _, y = noisy_sine(100, 0.1, seed=seed + d)
        windows, targets = make_windows(y[cut:], N_TIME)
        inputs.append(windows)
        answers.append(targets)
    clean = sine_at_steps(range(cut + N_TIME, 100)).repeat(n_draws)
    return torch.cat(inputs), torch.cat(answers), clean


class Scores(TypedDict):
    """What ``score`` measures of a trained sine model."""

    train_mse: float  # one step ahead, the split's training windows
    valid_mse: float  # one step ahead, its validation windows
    fresh_mse: float  # one step ahead, fresh noise over the validation stretch
    forecast_error: list[float]  # |closed-loop forecast - sin| at horizons 1..FORECAST_STEPS


def score(
    model: nn.Module,
    split: Split,
    fresh: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None,
) -> Scores:
    """Measure a trained sine model the way chapter 6's tables do.

    - ``train_mse`` and ``valid_mse``: one step ahead, on the split's training and validation
      windows (noisy answers);
    - ``fresh_mse``: one step ahead on ``fresh`` (default ``fresh_windows()``), noisy answers;
    - ``forecast_error``: |closed-loop forecast - sin| for horizons 1..80, starting from the
      last training window (t = 60..69) and running past the data's end (t = 99) to t = 149.
    """
    fresh = fresh_windows() if fresh is None else fresh
    # the last ten training points, t = 60..69: the last training window (t = 59..68) slid one
    # step to take in its answer, so that the first forecast is the one for t = 70 = split.cut
    start = torch.cat([split.input_train[-1, 1:, 0], split.correct_train[-1]])
    forecast = closed_loop(model, start, FORECAST_STEPS)
    truth = sine_at_steps(range(split.cut, split.cut + FORECAST_STEPS))
    return {
        "train_mse": _mse(model, split.input_train, split.correct_train),
        "valid_mse": _mse(model, split.input_valid, split.correct_valid),
        "fresh_mse": _mse(model, fresh[0], fresh[1]),
        "forecast_error": (forecast - truth).abs().tolist(),
    }


def load_recipes(path: str | os.PathLike | None = None) -> dict[str, object]:
    """Read the cache that ``benchmarks/sine_recipes.py`` wrote; by default the shipped one."""
    return load_cache(SINE_CACHE if path is None else path, "benchmarks/sine_recipes.py")
