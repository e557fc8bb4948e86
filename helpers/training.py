"""The training loop of chapter 3 (Training an RNN), reused by chapter 5 for the LSTM.

Same arithmetic as the lecture's loop (MSE loss, SGD, shuffled mini-batches, mean batch loss
per epoch, a closed-loop forecast at every displayed epoch) with less overhead per step:
index batches instead of a ``DataLoader``, and one thread, since at this size the cost of
each step is Python and dispatch, not arithmetic (``benchmarks/train_speed.py`` measures it).

What every training loop of the book shares lives here too: ``Recipe``, the one type that
says how a model is trained (chapter 6's sine recipes and recall task, chapter 7's text),
``ClippedOptimizer``, which a recipe's ``make_optimizer`` returns, ``threads``, which sets
PyTorch's intra-op threads for a block, and ``want_progress``, which decides whether to draw
a progress bar.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import torch
from torch import nn, optim

from helpers._checks import (
    all_finite,
    as_float_tensor,
    int_or_none,
    one_of,
    positive_int,
    real_number,
)
from helpers.forecast import closed_loop

__all__ = ["History", "Recipe", "Snapshot", "TrainingDiverged", "train"]

# the optimisers a recipe can name (chapters 6 and 7): the lecture's SGD, and Adam
OPTIMIZERS = {"sgd": optim.SGD, "adam": optim.Adam}


class TrainingDiverged(RuntimeError):
    """Raised when an epoch's mean loss becomes NaN or inf."""


@dataclass
class Snapshot:
    """What the epoch stepper shows for one epoch."""

    epoch: int  # 0-based epoch index, as the lecture's log prints it
    loss: float  # mean training loss of that epoch
    predicted: torch.Tensor  # seed window followed by the closed-loop forecast, (n_time + steps,)


@dataclass
class History:
    """What ``train`` returns: the loss of every epoch and the snapshots."""

    record_loss_train: list[float] = field(default_factory=list)  # mean batch loss per epoch
    snapshots: dict[int, Snapshot] = field(default_factory=dict)  # keyed by epoch index
    seconds: float = 0.0  # wall-clock time of the whole call, snapshots included

    @property
    def final_loss(self) -> float:
        """Mean training loss of the last epoch."""
        return self.record_loss_train[-1]


class ClippedOptimizer:
    """An optimiser that clips the gradient's total norm to ``max_norm`` before each step.

    It answers ``zero_grad()`` and ``step()``, all that ``train`` calls, and records
    the norm before clipping in ``norms``; ``max_norm=math.inf`` only records.
    """

    def __init__(self, optimizer: torch.optim.Optimizer, max_norm: float = math.inf) -> None:
        self.optimizer, self.max_norm = optimizer, max_norm
        self.params = [p for group in optimizer.param_groups for p in group["params"]]
        self.norms: list[float] = []  # the gradient's norm at every update, before clipping

    def zero_grad(self) -> None:
        self.optimizer.zero_grad()

    def step(self) -> None:
        norm = nn.utils.clip_grad_norm_(self.params, self.max_norm)
        self.norms.append(float(norm))
        self.optimizer.step()


@dataclass(frozen=True)
class Recipe:
    """How to train: the optimiser and its learning rate, the batch size, gradient clipping,
    and the two settings of the model that a recipe chooses with them.

    The one training configuration of the book: chapter 6's sine recipes (``recipes.LECTURE``,
    ``recipes.WORKING``) and its recall task (``memory.RECIPE``), and chapter 7's text
    (``language.BOOK_RECIPE``). What a task adds (how many updates, how the data are cut) is
    an argument of its loop, not a field here. ``keep_bias`` is an initialisation, which
    ``models.seeded_model`` applies; ``dropout`` replaces a ``language.CharLM``'s own.
    """

    optimizer: str = "sgd"  # "sgd" (the lecture's) or "adam"
    lr: float = 0.01  # the lecture's SGD learning rate
    batch_size: int = 8  # samples per update, the lecture's 8
    clip: float | None = None  # largest gradient norm per update; None: no clipping
    keep_bias: float | None = None  # forget (LSTM) or update (GRU) gate bias; None: PyTorch's
    dropout: float | None = None  # share of the outputs zeroed (chapter 7); None: the model's

    def __post_init__(self) -> None:
        one_of("optimizer", self.optimizer, OPTIMIZERS)
        real_number("lr", self.lr, "a positive finite number", low=0, low_open=True)
        positive_int("batch_size", self.batch_size)
        if self.clip is not None:
            real_number(
                "clip", self.clip, "a positive finite number (or None)", low=0, low_open=True
            )
        if self.keep_bias is not None:
            real_number("keep_bias", self.keep_bias, "a finite number (or None)")
        if self.dropout is not None:
            real_number("dropout", self.dropout, "a probability in [0, 1) (or None)", low=0)
            if self.dropout >= 1:
                raise ValueError(
                    f"dropout must be below 1 (1 drops everything), got {self.dropout}."
                )

    @property
    def label(self) -> str:
        """A short name, e.g. "SGD 0.01" or "Adam 0.003, bias 1, clip 1".

        The batch size and dropout are named only when they are not the lecture's 8 and none.
        """
        parts = [f"{'SGD' if self.optimizer == 'sgd' else 'Adam'} {self.lr:g}"]
        if self.batch_size != 8:
            parts.append(f"batches of {self.batch_size}")
        if self.keep_bias is not None:
            parts.append(f"bias {self.keep_bias:g}")
        if self.clip is not None:
            parts.append(f"clip {self.clip:g}")
        if self.dropout is not None:
            parts.append(f"dropout {self.dropout:g}")
        return ", ".join(parts)

    @classmethod
    def check(cls, recipe: object) -> Recipe:
        """``recipe`` itself if it is a ``Recipe``; a TypeError that says so if not."""
        if not isinstance(recipe, cls):
            raise TypeError(
                f"recipe must be a training.Recipe, such as training.Recipe('adam', 0.003), got "
                f"{type(recipe).__name__}."
            )
        return recipe

    def make_optimizer(self, model: nn.Module) -> ClippedOptimizer:
        """The recipe's optimiser over ``model``'s parameters, clipping as the recipe says.

        With ``clip`` None it clips nothing (``math.inf``) but still records every norm.
        """
        if not isinstance(model, nn.Module):
            raise TypeError(f"model must be an nn.Module, got {type(model).__name__}.")
        optimizer = OPTIMIZERS[self.optimizer](model.parameters(), lr=self.lr)
        return ClippedOptimizer(optimizer, math.inf if self.clip is None else self.clip)


@contextlib.contextmanager
def threads(n: int | None) -> Iterator[None]:
    """Use ``n`` intra-op threads inside the block, then restore the count (None: leave it)."""
    before = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def want_progress(progress: bool | None) -> bool:
    """Whether to draw a progress bar: ``progress`` if given, else on in a live Jupyter kernel
    unless HELPERS_PROGRESS=0 (book builds)."""
    if progress is not None:
        return bool(progress)
    if os.environ.get("HELPERS_PROGRESS", "").strip().lower() in {"0", "false", "no", "off"}:
        return False
    return "ipykernel" in sys.modules


def _check_data(input_data: object, correct_data: object) -> tuple[torch.Tensor, torch.Tensor]:
    inputs = as_float_tensor("input_data", input_data)
    targets = as_float_tensor("correct_data", correct_data)
    if inputs.dim() != 3:
        raise ValueError(
            f"input_data must be (n_sample, n_time, features), got shape {tuple(inputs.shape)}; "
            "helpers.data.make_windows builds it."
        )
    if targets.dim() != 2 or targets.shape[0] != inputs.shape[0]:
        raise ValueError(
            f"correct_data must be (n_sample, features) with n_sample={inputs.shape[0]} to "
            f"match input_data, got shape {tuple(targets.shape)}."
        )
    if inputs.shape[0] == 0:
        raise ValueError("input_data holds no samples; the series is too short for n_time.")
    all_finite("input_data", inputs)
    all_finite("correct_data", targets)
    return inputs, targets


def train(
    model: nn.Module,
    input_data: torch.Tensor,
    correct_data: torch.Tensor,
    *,
    epochs: int = 100,
    batch_size: int = 8,
    lr: float = 0.01,
    optimizer: optim.Optimizer | ClippedOptimizer | None = None,
    snapshot_every: int | None = 10,
    verbose: bool = True,
    seed: int | None = None,
    num_threads: int | None = 1,
    progress: bool | None = None,
) -> History:
    """Train ``model`` to map each window to the value after it; return its ``History``.

    Each epoch shuffles the samples, steps SGD (``lr``) on MSE per mini-batch and records the
    mean batch loss; an ``optimizer`` (a ``torch.optim`` one, or a ``ClippedOptimizer`` around
    one) replaces that SGD. Every ``snapshot_every`` epochs and at the last one it forecasts in a
    closed loop from ``input_data[0]`` for ``len(input_data)`` steps (as the lecture does),
    stores that as a ``Snapshot`` and, if ``verbose``, prints the lecture's log line.
    ``seed`` fixes the shuffling order; model weights are seeded by whoever builds the model.
    The model is left in train mode; call ``model.eval()`` (or use ``forecast``) to predict.

    Shapes: input_data (n_sample, n_time, features), correct_data (n_sample, features).
    """
    inputs, targets = _check_data(input_data, correct_data)
    epochs = positive_int("epochs", epochs)
    batch_size = positive_int("batch_size", batch_size)
    if snapshot_every is not None:
        snapshot_every = positive_int("snapshot_every", snapshot_every)
    real_number("lr", lr, "a positive finite number", low=0, low_open=True)
    seed = int_or_none("seed", seed)
    if optimizer is None:
        optimizer = optim.SGD(model.parameters(), lr=lr)
    loss_func = nn.MSELoss()
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    n_sample = inputs.shape[0]
    n_batches = math.ceil(n_sample / batch_size)  # the last batch may be short, as in DataLoader

    history = History()
    bar = None
    if want_progress(progress):
        from tqdm.auto import tqdm  # imported here: only live sessions draw a bar

        bar = tqdm(total=epochs, desc=f"training {type(model).__name__}", unit="epoch")
    start = time.perf_counter()
    try:
        with threads(num_threads):
            for epoch in range(epochs):
                model.train()
                order = torch.randperm(n_sample, generator=generator)
                loss_sum = torch.zeros(())
                for k in range(n_batches):
                    idx = order[k * batch_size : (k + 1) * batch_size]
                    loss = loss_func(model(inputs[idx]), targets[idx])
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                    loss_sum += loss.detach()
                loss_train = loss_sum.item() / n_batches
                if not math.isfinite(loss_train):
                    raise TrainingDiverged(
                        f"the training loss became {loss_train} at epoch {epoch}: the updates "
                        f"are too large. Try a smaller learning rate than lr={lr} "
                        f"(for example lr={lr / 10:g})."
                    )
                history.record_loss_train.append(loss_train)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{loss_train:.4f}")
                last = epoch == epochs - 1
                if snapshot_every is not None and (epoch % snapshot_every == 0 or last):
                    if verbose:
                        print(f"Epochs: {epoch:4d}  Loss Train: {loss_train:.6f}")
                    forecast = closed_loop(model, inputs[0], n_sample)
                    predicted = torch.cat([inputs[0].reshape(-1), forecast])
                    history.snapshots[epoch] = Snapshot(epoch, loss_train, predicted)
    finally:
        if bar is not None:
            bar.close()
    history.seconds = time.perf_counter() - start
    return history
