"""What chapters 4-5 add to the helpers: gate and memory figures, and the RNN/LSTM comparison."""

from __future__ import annotations

import json
import math

import matplotlib.pyplot as plt
import pytest
import torch

from helpers import compare, plots

PNG = b"\x89PNG\r\n\x1a\n"
TINY = compare.Settings(n_points=24, n_time=4, hidden_size=4)  # trains in milliseconds

# ---------------------------------------------------------------- chapter 4 figures


def _gates(n_time: int = 6, hidden: int = 5) -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    sig = {name: torch.rand(n_time, hidden) for name in ("input", "forget", "output")}
    return {**sig, "cell": torch.rand(n_time, hidden) * 2 - 1}


def test_gate_heatmaps_draw_one_map_per_gate_on_fixed_scales():
    gates = _gates()
    fig = plots.plot_gate_heatmaps(gates, torch.linspace(0, 1, 6))
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 4
    assert [im.get_clim() for im in images] == [(0, 1), (0, 1), (-1, 1), (0, 1)]
    assert images[0].get_array().shape == (5, 6)  # units x steps
    plt.close(fig)


def test_gate_heatmaps_sort_units_by_the_forget_gate():
    gates = _gates()
    fig = plots.plot_gate_heatmaps(gates, torch.zeros(6), sort_by="forget")
    forget_map = [ax.images[0] for ax in fig.axes if ax.images][1].get_array()
    means = torch.tensor(forget_map).mean(dim=1)
    assert torch.all(means[:-1] >= means[1:])
    expected = gates["forget"].T[gates["forget"].mean(dim=0).argsort(descending=True)]
    assert torch.allclose(torch.tensor(forget_map), expected)
    plt.close(fig)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda g: g.pop("output"), r"gates lacks \['output'\]"),
        (lambda g: g.update(cell=torch.zeros(5, 5)), r"gates\['cell'\] must be \(n_time, hidden\)"),
        (lambda g: g.update(input=torch.zeros(1, 6, 5)), r"take one sample"),
    ],
)
def test_gate_heatmaps_bad_gates(change, match):
    gates = _gates()
    change(gates)
    with pytest.raises(ValueError, match=match):
        plots.plot_gate_heatmaps(gates, torch.zeros(6))


def test_gate_heatmaps_bad_sort_key():
    with pytest.raises(ValueError, match="sort_by must be one of"):
        plots.plot_gate_heatmaps(_gates(), torch.zeros(6), sort_by="memory")


@pytest.mark.parametrize("forget", [0.0, 0.5, 0.9, 1.0])
def test_cell_memory_bars_are_powers_of_f(forget):
    ax = plots.plot_cell_memory(forget, steps=8)
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx([forget**t for t in range(9)])
    assert f"f = {forget:.1f}" in ax.get_title(loc="left")
    plt.close(ax.figure)


@pytest.mark.parametrize("forget", [-0.1, 1.5, math.nan, True, "0.5"])
def test_cell_memory_refuses_values_a_sigmoid_cannot_give(forget):
    with pytest.raises(ValueError, match="forget must be a number from 0 to 1"):
        plots.plot_cell_memory(forget)


def test_forget_gate_frames_one_png_per_value_labelled_for_the_slider():
    frames = plots.forget_gate_frames((0.0, 0.25, 1.0), steps=5)
    assert list(frames) == ["0.0", "0.2", "1.0"]  # one decimal: the slider's labels
    assert all(png.startswith(PNG) for png in frames.values())
    assert list(plots.forget_gate_frames()) == [f"{k / 10:.1f}" for k in range(11)]


def test_forget_gate_frames_empty():
    with pytest.raises(ValueError, match="forget_values is empty"):
        plots.forget_gate_frames(())


def test_gradient_reach_one_line_per_network():
    ax = plots.plot_gradient_reach([1, 2, 4], {"RNN": [1, 0.1, 0.01], "LSTM": [1, 0.5, 0.4]})
    assert [line.get_label() for line in ax.lines] == ["RNN", "LSTM"]
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("norms", "match"),
    [({}, "norms is empty"), ({"RNN": [1, 2]}, "has 2 values"), ({"RNN": [1, 0, 1]}, "positive")],
)
def test_gradient_reach_bad_input(norms, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_gradient_reach([1, 2, 3], norms)


# ---------------------------------------------------------------- chapter 5: the comparison


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


def test_seed_comparison_marks_each_median():
    rows = [_row("rnn", 100, s, r) for s, r in enumerate([0.1, 0.5, 0.3])]
    rows += [_row("lstm", 1000, s, r) for s, r in enumerate([0.2, 0.4])]
    ax = plots.plot_seed_comparison(rows)
    medians = [line.get_ydata()[0] for line in ax.lines if line.get_color() == "black"]
    assert medians == pytest.approx([0.3, 0.3])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["RNN\n100 epochs", "LSTM\n1000 epochs"]
    plt.close(ax.figure)


def test_seed_comparison_bad_input():
    with pytest.raises(ValueError, match="rows is empty"):
        plots.plot_seed_comparison([])
    with pytest.raises(ValueError, match="'nope' is missing"):
        plots.plot_seed_comparison([_row("rnn", 100, 0, 0.1)], "nope")


def test_summarize_gives_median_min_max_per_run_in_row_order():
    rows = [_row("rnn", 100, s, r) for s, r in enumerate([0.4, 0.1, 0.3, 0.2])]
    rows += [_row("lstm", 1000, 0, 0.25)]
    summary = compare.summarize(rows)
    assert list(summary) == ["RNN, 100 epochs", "LSTM, 1000 epochs"]
    assert summary["RNN, 100 epochs"]["n"] == 4
    assert summary["RNN, 100 epochs"]["closed_loop_rmse"] == pytest.approx((0.25, 0.1, 0.4))
    assert summary["LSTM, 1000 epochs"]["closed_loop_rmse"] == (0.25, 0.25, 0.25)


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
    assert "none memorised the noise" in sentences["one_step"]
    rows[0]["final_loss"] = 0.005
    found = compare.conclusions(rows)
    assert "1 of 4 runs' training loss went below it" in found.sentences["one_step"]


def test_conclusions_need_both_cells_on_shared_seeds():
    with pytest.raises(ValueError, match="needs rows for"):
        compare.conclusions([_row("rnn", 100, 0, 0.1)])
    with pytest.raises(ValueError, match="share no seed"):
        compare.conclusions([_row("rnn", 100, 0, 0.1), _row("lstm", 1000, 1, 0.1)])


def test_run_one_is_deterministic_and_matches_evaluate():
    first = compare.run_one("lstm", 3, seed=1, settings=TINY)
    again = compare.run_one("lstm", 3, seed=1, settings=TINY)
    other = compare.run_one("lstm", 3, seed=2, settings=TINY)
    assert first["epochs"] == 3 and first["seed"] == 1 and first["cell"] == "lstm"
    for metric in ("final_loss", "one_step_mse", "closed_loop_rmse"):
        assert first[metric] == again[metric]
        assert math.isfinite(first[metric]) and first[metric] > 0
    assert first["closed_loop_rmse"] != other["closed_loop_rmse"]
    assert first["seconds_per_epoch"] > 0


def test_run_one_nudge_moves_results_only_a_little():
    base = compare.run_one("rnn", 3, seed=0, settings=TINY)
    nudged = compare.run_one("rnn", 3, seed=0, settings=TINY, nudge=1e-6)
    assert nudged["final_loss"] != base["final_loss"]
    assert nudged["final_loss"] == pytest.approx(base["final_loss"], rel=1e-4)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("cnn", 3, 0), ValueError, "cell must be 'rnn', 'lstm' or 'gru'"),
        (("rnn", 0, 0), ValueError, "epochs must be a positive int"),
        (("rnn", 3, -1), ValueError, "seed must be 0 or more"),
    ],
)
def test_run_one_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        compare.run_one(*args, settings=TINY)


def test_run_comparison_save_and_load(tmp_path):
    runs = (("rnn", 2), ("lstm", 3))
    results = compare.run_comparison([0, 1], runs, TINY, jobs=1)
    assert [(r["cell"], r["epochs"], r["seed"]) for r in results["rows"]] == [
        ("rnn", 2, 0),
        ("lstm", 3, 0),
        ("rnn", 2, 1),
        ("lstm", 3, 1),
    ]
    assert set(results["rounding"]) == {"RNN, 2 epochs", "LSTM, 3 epochs"}
    assert all(0 <= v < 1e-3 for r in results["rounding"].values() for v in r.values())
    assert results["settings"]["n_points"] == 24 and results["seeds"] == [0, 1]
    path = tmp_path / "sub" / "cache.json"
    compare.save_results(results, path)
    assert compare.load_results(path) == json.loads(json.dumps(results))


def test_run_comparison_bad_arguments():
    with pytest.raises(ValueError, match="seeds is empty"):
        compare.run_comparison([], settings=TINY)
    with pytest.raises(ValueError, match="cell must be"):
        compare.run_comparison([0], (("mlp", 1),), TINY)


def test_load_results_missing_or_empty(tmp_path):
    with pytest.raises(FileNotFoundError, match="benchmarks/compare_cells.py"):
        compare.load_results(tmp_path / "none.json")
    (tmp_path / "empty.json").write_text('{"rows": []}')
    with pytest.raises(ValueError, match="holds no rows"):
        compare.load_results(tmp_path / "empty.json")


def test_table_html_matches_the_markdown_table():
    rows = [_row("rnn", 100, 0, 0.5), _row("lstm", 1000, 0, 0.25)]
    summary = compare.summarize(rows)
    table = compare.table_html(summary)
    assert table.startswith('<table class="table">') and table.endswith("</table>")
    assert table.count("<tr>") == 3  # header and two runs
    assert "<td>LSTM, 1000 epochs</td><td>1</td>" in table
    assert "<b>0.2500</b><br>(0.2500 – 0.2500)" in table
