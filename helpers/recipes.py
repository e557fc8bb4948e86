"""Training recipes for the sine model, judged on a later stretch of the series (chapter 6).

A recipe (``training.Recipe``) names what chapter 6 (Why an LSTM?) varies: the optimiser and
its learning rate, the starting bias of the gate that keeps memory (``models.set_keep_bias``)
and gradient clipping; ``LECTURE`` and ``WORKING`` are the two the chapter starts from. ``fit``
trains with chapter 3's loop (``training.train``, one epoch at a time) and after every epoch
scores the model one step ahead on validation windows cut from later in time
(``data.chronological_split``), keeping the weights of the best epoch: early stopping.
``fresh_windows`` draws the validation stretch again with new noise.
``benchmarks/sine_recipes.py`` trains every recipe over seeds, scores each run (one step ahead
on the validation windows and on fresh noise, and in a closed loop past the end of the data:
``benchmarks/lab/sine.py``) and writes ``resources/sine_recipes.json``, which the chapter reads
with ``results.read``.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import torch
from torch import nn

from helpers._checks import non_negative_int, positive_int
from helpers.data import Split, chronological_split, make_windows, noisy_sine, sine_at_steps
from helpers.forecast import one_step
from helpers.training import Recipe, train

__all__ = [
    "FORECAST_STEPS",
    "LECTURE",
    "N_TIME",
    "WORKING",
    "Fit",
    "fit",
    "fresh_windows",
    "make_split",
]

N_TIME, N_VALID = 10, 20  # the lecture's windows; the last 20 of them validate
FORECAST_STEPS = 80  # closed loop from the end of training (t = 70) to t = 149, past the data


LECTURE = Recipe()  # SGD with learning rate 0.01, PyTorch's initialisation, no clipping
WORKING = Recipe("adam", 0.003, keep_bias=1.0, clip=1.0)  # the usual advice, all three at once


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
    fresh: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None,
    fresh_every: int = 10,
) -> Fit:
    """Train ``model`` on ``split``'s training windows, validating after every epoch.

    Each epoch is one call of chapter 3's ``training.train`` (shuffled batches of the recipe's
    ``batch_size``, MSE) with the recipe's optimiser, clipped if the recipe says so. The
    model ends with its *last* epoch's weights; ``Fit.best_state`` holds the best epoch's.
    With ``fresh`` (from ``fresh_windows``) the error on fresh noise is recorded too, every
    ``fresh_every`` epochs and at the last. ``recipe.keep_bias`` is an initialisation:
    ``models.seeded_model`` applies it.
    """
    if not isinstance(split, Split):
        raise TypeError(
            "split must be a data.Split (from data.chronological_split), got "
            f"{type(split).__name__}."
        )
    epochs = positive_int("epochs", epochs)
    seed = non_negative_int("seed", seed)
    fresh_every = positive_int("fresh_every", fresh_every)
    clipped = Recipe.check(recipe).make_optimizer(model)
    result = Fit()
    best = math.inf
    for epoch in range(epochs):
        history = train(
            model,
            split.input_train,
            split.correct_train,
            epochs=1,
            batch_size=recipe.batch_size,
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
