"""Time ``helpers.training.train`` against a faithful copy of the lecture's training loop.

Both loops train the same network from the same initial weights on the same 90 windows with
the same arithmetic: MSE loss, SGD (lr 0.01), shuffled mini-batches of 8, the mean batch loss
recorded per epoch. They differ only in overhead: the lecture's loop draws batches from a
``DataLoader``, calls ``loss.item()`` at every step and runs with PyTorch's default thread
count; ``train`` slices index batches, sums the loss as a tensor and uses one thread.

Neither timed region makes snapshots or prints: the lecture's display block (a closed-loop
forecast every 10 epochs) is left out of its loop and ``train`` runs with
``snapshot_every=None``, so the timings compare training alone.

Usage: ``python benchmarks/train_speed.py`` (RNN 100 epochs, LSTM 1000 epochs, about a
minute on 2 cores) or ``--quick`` (a few seconds, a smoke test of the script itself).
``--repeat N`` times each loop N times and keeps the fastest (less noise from other programs);
``--lecture-threads 1`` runs the lecture's loop on one thread too, to separate the two effects.
"""

from __future__ import annotations

import argparse
import copy
import time

import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

from helpers.data import make_windows, noisy_sine
from helpers.models import SequenceRegressor
from helpers.training import train


def lecture_loop(
    net: nn.Module, input_data: torch.Tensor, correct_data: torch.Tensor, epochs: int
) -> list[float]:
    """The lecture's loop as written (display block left out); returns record_loss_train."""
    dataset = TensorDataset(input_data, correct_data)
    train_loader = DataLoader(dataset, batch_size=8, shuffle=True)
    loss_func = nn.MSELoss()
    optimizer = optim.SGD(net.parameters(), lr=0.01)
    record_loss_train = []
    for _epoch in range(epochs):
        net.train()
        loss_train = 0.0
        for j, (x, t) in enumerate(train_loader):  # noqa: B007 (as the lecture writes it)
            y = net(x)
            loss = loss_func(y, t)
            loss_train += loss.item()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        loss_train /= j + 1
        record_loss_train.append(loss_train)
    return record_loss_train


def helpers_loop(
    net: nn.Module, input_data: torch.Tensor, correct_data: torch.Tensor, epochs: int
) -> list[float]:
    """``helpers.training.train`` with the lecture's settings, quiet and without snapshots."""
    history = train(
        net,
        input_data,
        correct_data,
        epochs=epochs,
        batch_size=8,
        lr=0.01,
        snapshot_every=None,
        verbose=False,
        seed=0,
        progress=False,
    )
    return history.record_loss_train


def timed(
    loop, initial: dict, cell: str, data: tuple, epochs: int, repeat: int = 1
) -> tuple[float, float]:
    """Train fresh models from ``initial`` weights; return (fastest seconds, final loss)."""
    best, final = float("inf"), float("nan")
    for _ in range(repeat):
        net = SequenceRegressor(cell)
        net.load_state_dict(initial)
        start = time.perf_counter()
        losses = loop(net, *data, epochs)
        best, final = min(best, time.perf_counter() - start), losses[-1]
    return best, final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="RNN 10 and LSTM 20 epochs: checks the script runs"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each loop N times, keep the best"
    )
    parser.add_argument(
        "--lecture-threads", type=int, default=None, help="threads for the lecture's loop"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be 1 or more, got {args.repeat}")
    if args.lecture_threads is not None:
        if args.lecture_threads < 1:
            parser.error(f"--lecture-threads must be 1 or more, got {args.lecture_threads}")
        torch.set_num_threads(args.lecture_threads)  # train() sets its own (one) inside
    runs = [("rnn", 10), ("lstm", 20)] if args.quick else [("rnn", 100), ("lstm", 1000)]

    _, siny = noisy_sine(seed=0)
    data = make_windows(siny, 10)
    print(f"torch {torch.__version__}, lecture loop threads: {torch.get_num_threads()}")
    print(f"best of {args.repeat} run(s) per loop")
    print("timed: training only (no snapshots, no printing, no closed-loop forecast in either)")
    for cell, epochs in runs:
        torch.manual_seed(0)
        initial = copy.deepcopy(SequenceRegressor(cell).state_dict())  # same start for both
        for loop in (lecture_loop, helpers_loop):  # warm-up: first calls pay one-off costs
            timed(loop, initial, cell, data, 2)
        t_lecture, loss_lecture = timed(lecture_loop, initial, cell, data, epochs, args.repeat)
        t_helpers, loss_helpers = timed(helpers_loop, initial, cell, data, epochs, args.repeat)
        print(
            f"{cell.upper():4s} {epochs:4d} epochs: lecture loop {t_lecture:6.2f} s "
            f"(final loss {loss_lecture:.4f}), helpers.train {t_helpers:6.2f} s "
            f"(final loss {loss_helpers:.4f}), speed-up {t_lecture / t_helpers:.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
