"""Which runs chapter 5's comparison makes, and where ``compare_cells.py`` writes them.

How a run is scored (``evaluate``), on which data (``make_data``, ``Settings``), and how a
re-run is checked against the file (``compare_rows``) are the chapter's: ``helpers.compare``.
"""

from __future__ import annotations

from helpers.results import RESOURCES

__all__ = ["CACHE", "RUNS"]

# (cell, epochs): the lecture's RNN, the lecture's LSTM, and the RNN given the LSTM's budget
RUNS: tuple[tuple[str, int], ...] = (("rnn", 100), ("lstm", 1000), ("rnn", 1000))
# the shipped results, inside the package: chapter 5 reads them with helpers.results.load
CACHE = RESOURCES / "rnn_vs_lstm.json"
