"""helpers.compare: how chapter 5 scores a run and checks a re-run against the shipped one.

The shipped comparison itself, and the runs it holds, are tested with the script that writes
it: tests/test_compare_cells.py.
"""

from __future__ import annotations

import math

import pytest

from helpers import compare, training


def _row(cell, epochs, seed, rmse, loss=0.02, one_step=0.015, spe=0.005):
    return {
        "run": f"{cell.upper()}, {epochs} epochs",
        "cell": cell,
        "epochs": epochs,
        "seed": seed,
        "seconds_per_epoch": spe,
        "final_loss": loss,
        "one_step_mse": one_step,
        "closed_loop_rmse": rmse,
    }


def test_compare_rows_within_and_beyond_the_tolerance():
    cached = _row("lstm", 1000, 0, 0.3)
    live = {**_row("lstm", 1000, 0, 0.3 * (1 + 1e-5)), "seconds_per_epoch": 99.0}
    diffs = compare.compare_rows(live, cached)
    assert set(diffs) == {"final_loss", "one_step_mse", "closed_loop_rmse"}  # time is ignored
    assert diffs["closed_loop_rmse"] == pytest.approx(1e-5, rel=1e-3)
    with pytest.raises(ValueError, match="by more than rtol=0.001"):
        compare.compare_rows(_row("lstm", 1000, 0, 0.31), cached)
    with pytest.raises(ValueError, match="differ in seed"):
        compare.compare_rows(_row("lstm", 1000, 1, 0.3), cached)


def test_evaluate_scores_a_trained_model_as_one_labelled_row():
    from helpers.models import SequenceRegressor
    from helpers.training import train

    with pytest.raises(ValueError, match="plain SGD"):
        compare.Settings(recipe=training.Recipe("adam", 0.003))
    with pytest.raises(TypeError, match="training.Recipe"):
        compare.Settings(recipe={"lr": 0.01})
    settings = compare.Settings(n_points=24, n_time=4, hidden_size=4)
    data = compare.make_data(settings)
    model = SequenceRegressor("lstm", hidden_size=4)
    history = train(
        model, data["input_data"], data["correct_data"], epochs=2, snapshot_every=None,
        verbose=False, seed=0, progress=False,
    )  # fmt: skip
    row = compare.evaluate(model, history, cell="lstm", seed=3, settings=settings, seconds=1.0)
    assert list(row) == ["run", *("cell", "epochs", "seed"), *compare.METRICS]
    assert (row["run"], row["cell"], row["epochs"], row["seed"]) == ("LSTM, 2 epochs", "lstm", 2, 3)
    assert row["seconds_per_epoch"] == 0.5
    assert all(math.isfinite(row[m]) and row[m] > 0 for m in compare.METRICS)


def test_evaluate_refuses_a_history_without_epochs():
    from helpers.models import SequenceRegressor
    from helpers.training import History

    with pytest.raises(ValueError, match="no epoch"):
        compare.evaluate(SequenceRegressor(), History(), cell="rnn", seed=0)
