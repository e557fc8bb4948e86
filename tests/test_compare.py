"""helpers.compare: the cached comparison of chapter 5, its tables and its conclusions."""

from __future__ import annotations

import math

import pytest

from helpers import compare


def _row(cell, epochs, seed, rmse, loss=0.02, one_step=0.015, spe=0.005):
    return {
        "cell": cell,
        "epochs": epochs,
        "seed": seed,
        "seconds_per_epoch": spe,
        "final_loss": loss,
        "one_step_mse": one_step,
        "closed_loop_rmse": rmse,
    }


def test_summarize_gives_median_min_max_per_run_in_row_order():
    rows = [_row("rnn", 100, s, r) for s, r in enumerate([0.4, 0.1, 0.3, 0.2])]
    rows += [_row("lstm", 1000, 0, 0.25)]
    summary = compare.summarize(rows)
    assert list(summary) == ["RNN, 100 epochs", "LSTM, 1000 epochs"]
    assert summary["RNN, 100 epochs"]["n"] == 4
    assert summary["RNN, 100 epochs"]["closed_loop_rmse"] == pytest.approx((0.25, 0.1, 0.4))
    assert summary["LSTM, 1000 epochs"]["closed_loop_rmse"] == (0.25, 0.25, 0.25)


def test_by_run_groups_rows_by_run_then_seed_in_order_of_appearance():
    rows = [_row("lstm", 1000, 1, 0.2), _row("rnn", 100, 0, 0.5), _row("lstm", 1000, 0, 0.3)]
    runs = compare.by_run(rows)
    assert list(runs) == [("lstm", 1000), ("rnn", 100)]
    assert list(runs["lstm", 1000]) == [1, 0]
    assert runs["lstm", 1000][0] is rows[2]


def test_a_run_and_seed_counted_twice_is_refused():
    rows = [_row("rnn", 100, 0, 0.5), _row("rnn", 100, 0, 0.4)]
    for reader in (compare.by_run, compare.summarize):
        with pytest.raises(ValueError, match="two rows for RNN, 100 epochs, seed 0"):
            reader(rows)


def test_summarize_bad_rows():
    with pytest.raises(ValueError, match="rows is empty"):
        compare.summarize([])
    with pytest.raises(ValueError, match="lacks"):
        compare.summarize([{"cell": "rnn", "epochs": 1, "seed": 0}])


def test_table_markdown_one_line_per_run():
    rows = [_row("rnn", 100, 0, 0.5, spe=0.00564), _row("rnn", 100, 1, 0.1, spe=0.006)]
    table = compare.table_markdown(compare.summarize(rows)).splitlines()
    assert len(table) == 3
    assert table[0].startswith("| run | seeds | CPU time per epoch |")
    assert table[2].startswith("| RNN, 100 epochs | 2 | 5.82 ms (5.64 ms – 6.00 ms) |")
    assert "0.3000 (0.1000 – 0.5000)" in table[2]


def test_table_html_matches_the_markdown_table():
    rows = [_row("rnn", 100, 0, 0.5), _row("lstm", 1000, 0, 0.25)]
    summary = compare.summarize(rows)
    table = compare.table_html(summary)
    assert table.startswith('<table class="table">') and table.endswith("</table>")
    assert table.count("<tr>") == 3  # header and two runs
    assert "<td>LSTM, 1000 epochs</td><td>1</td>" in table
    assert "<b>0.2500</b><br>(0.2500 – 0.2500)" in table


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


def _rows(rnn, lstm, rnn_long=None):
    rows = [_row("rnn", 100, s, r) for s, r in enumerate(rnn)]
    rows += [_row("lstm", 1000, s, r, spe=0.006) for s, r in enumerate(lstm)]
    if rnn_long is not None:
        rows += [_row("rnn", 1000, s, r) for s, r in enumerate(rnn_long)]
    return rows


@pytest.mark.parametrize(
    ("spe", "cause"),
    [
        (0.0051, "nearly all of the extra time"),
        (0.02, "both the heavier cell and the extra epochs"),
    ],
)
def test_conclusions_time_cause(spe, cause):
    rows = _rows([0.5], [0.3])
    rows[1]["seconds_per_epoch"] = spe  # the RNN's is 0.005
    assert cause in compare.conclusions(rows).sentences["time"]


@pytest.mark.parametrize(
    ("lstm", "phrase"),
    [
        ([0.1, 0.1, 0.1], "on every seed, which supports the lecture's remark"),
        ([0.9, 0.9, 0.9], "on no seed, which contradicts the lecture's remark"),
        ([0.1, 0.9, 0.1], "on 2 of 3 seeds, so the lecture's remark holds for some seeds"),
    ],
)
def test_conclusions_follow_the_numbers(lstm, phrase):
    sentences = compare.conclusions(_rows([0.5, 0.5, 0.5], lstm)).sentences
    assert phrase in sentences["closed_loop"]
    assert "budget" not in sentences
    assert compare.conclusions(_rows([0.5, 0.5, 0.5], lstm)).long_wins is None
    either = "could have told either story" in sentences["spread"]
    assert either == ("2 of 3" in phrase)


def test_conclusions_time_budget_and_noise_floor():
    rows = _rows([0.5, 0.4], [0.3, 0.2], rnn_long=[0.1, 0.6])
    for row in rows[2:4]:  # the LSTM's
        row["seconds_per_epoch"] = 0.008
    found = compare.conclusions(rows)
    assert (found.n_seeds, found.lstm_wins, found.long_wins) == (2, 2, 1)
    sentences = found.sentences
    assert "1.60 times as long as an RNN epoch" in sentences["time"]
    assert "16 times as long as the 100-epoch RNN run" in sentences["time"]
    assert (
        "most of the extra time comes from the ten times as many epochs, some" in sentences["time"]
    )
    assert "improved from 0.450 to 0.350; the LSTM beat it on 1 of 2" in sentences["budget"]
    assert "none shows that sign of memorised noise" in sentences["one_step"]
    rows[0]["final_loss"] = 0.005
    found = compare.conclusions(rows)
    assert "1 of 4 runs' training loss went below it" in found.sentences["one_step"]


def test_conclusions_need_both_cells_on_shared_seeds():
    with pytest.raises(ValueError, match="needs rows for"):
        compare.conclusions([_row("rnn", 100, 0, 0.1)])
    with pytest.raises(ValueError, match="share no seed"):
        compare.conclusions([_row("rnn", 100, 0, 0.1), _row("lstm", 1000, 1, 0.1)])


def test_load_results_missing_or_empty(tmp_path):
    with pytest.raises(FileNotFoundError, match="benchmarks/compare_cells.py"):
        compare.load_results(tmp_path / "none.json")
    (tmp_path / "empty.json").write_text('{"rows": []}')
    with pytest.raises(ValueError, match="holds no rows"):
        compare.load_results(tmp_path / "empty.json")


# ---------------------------------------------------------------- the shipped cache


@pytest.fixture(scope="module")
def cached() -> dict:
    return compare.load_results()


def test_cache_has_the_promised_shape(cached):
    assert cached["settings"] == vars(compare.Settings())  # the defaults chapter 5 uses
    assert [tuple(run) for run in cached["runs"]] == list(compare.RUNS)
    assert len(cached["seeds"]) >= 5
    keys = {(r["cell"], r["epochs"], r["seed"]) for r in cached["rows"]}
    assert keys == {(c, e, s) for c, e in compare.RUNS for s in cached["seeds"]}
    for row in cached["rows"]:
        assert all(math.isfinite(row[m]) and row[m] > 0 for m in compare.METRICS)
    assert cached["rtol"] == compare.RTOL
    worst = max(max(r.values()) for r in cached["rounding"].values())
    assert worst < compare.RTOL / 10  # the tolerance is far above rounding effects


def test_table_functions_on_the_cache(cached):
    summary = compare.summarize(cached["rows"])
    assert list(summary) == ["RNN, 100 epochs", "LSTM, 1000 epochs", "RNN, 1000 epochs"]
    for entry in summary.values():
        assert entry["n"] == len(cached["seeds"])
        for metric in compare.METRICS:
            median, low, high = entry[metric]
            assert low <= median <= high
    table = compare.table_markdown(summary)
    assert table.count("\n") == 1 + len(summary)
    found = compare.conclusions(cached["rows"])
    assert set(found.sentences) == {
        "time",
        "closed_loop",
        "spread",
        "one_step",
        "budget",
        "summary",
    }
    # the counts agree with the rows they were computed from
    rmse = {(r["cell"], r["epochs"], r["seed"]): r["closed_loop_rmse"] for r in cached["rows"]}
    seeds = cached["seeds"]
    assert found.n_seeds == len(seeds)
    assert found.lstm_wins == sum(rmse["lstm", 1000, s] < rmse["rnn", 100, s] for s in seeds)
    assert found.long_wins == sum(rmse["rnn", 1000, s] < rmse["lstm", 1000, s] for s in seeds)
    if 0 < found.lstm_wins < found.n_seeds:
        assert f"{found.lstm_wins} of {found.n_seeds} seeds" in found.sentences["closed_loop"]


def test_evaluate_refuses_a_history_without_epochs():
    from helpers.models import SequenceRegressor
    from helpers.training import History

    with pytest.raises(ValueError, match="no epoch"):
        compare.evaluate(SequenceRegressor(), History(), cell="rnn", seed=0)
