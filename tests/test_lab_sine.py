"""benchmarks/lab/sine.py: the gate statistics sine_recipes.py records (chapter 6)."""

from __future__ import annotations

from helpers import recipes
from lab.sine import gate_stats


def test_gate_stats_of_a_fresh_lstm_sit_near_one_half():
    split = recipes.make_split()
    stats = gate_stats(recipes.build_sine_model("lstm", 0).rnn, split.input_valid)
    assert set(stats) == {"input", "forget", "cell", "output"}
    assert 0.45 < stats["forget"]["mean"] < 0.55
    assert stats["forget"]["min"] <= stats["forget"]["mean"] <= stats["forget"]["max"]
    assert all(set(values) == {"mean", "std", "min", "max"} for values in stats.values())
