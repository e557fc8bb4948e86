"""Shared fixtures for the unit tests; figures render off-screen with matplotlib's Agg backend."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: no display on CI or in the sandbox

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from helpers.data import make_windows, noisy_sine  # noqa: E402

N_POINTS = 30  # a short series keeps every training test well under a second
N_TIME = 5


@pytest.fixture
def sine() -> tuple[torch.Tensor, torch.Tensor]:
    """A short noisy sine, the same every time: (x, y), each (N_POINTS,)."""
    return noisy_sine(N_POINTS, seed=0)


@pytest.fixture
def windows(sine) -> tuple[torch.Tensor, torch.Tensor]:
    """Windows of the short sine: input_data (25, 5, 1) and correct_data (25, 1)."""
    return make_windows(sine[1], N_TIME)


@pytest.fixture
def one_thread():
    """One intra-op thread, as the chapters use: on a busy 2-core machine two threads spin."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test leaves open, so figures do not pile up across tests."""
    yield
    plt.close("all")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Start the slow tests first: `make unit` runs on pytest-xdist workers, a file per worker
    at a time (--dist loadfile), and a long file left for the end would leave the other idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: slow first
