"""helpers.plots.gradients: how far back a gradient reaches, by lag (chapters 1 and 4)."""

from __future__ import annotations

import pytest

from helpers import plots


def test_gradient_reach_one_line_per_network():
    ax = plots.plot_gradient_reach([1, 2, 4], {"RNN": [1, 0.1, 0.01], "LSTM": [1, 0.5, 0.4]})
    assert [line.get_label() for line in ax.lines] == ["RNN", "LSTM"]
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["RNN", "LSTM"]
    assert ax.get_xlabel() == "lag k (steps back from the last step T)"
    styles = [(line.get_marker(), line.get_linestyle(), line.get_color()) for line in ax.lines]
    assert len(set(styles)) == 2  # the lines differ in marker and dash, not only in colour


@pytest.mark.parametrize(
    ("norms", "match"),
    [
        ({}, "norms is empty"),
        ({"RNN": [1, 2]}, r"lengths has 3 values but norms\['RNN'\] has 2 values"),
        ({"RNN": [1, 0, 1]}, r"norms\['RNN'\] must be positive"),
        ({"RNN": [1, 0.5, float("inf")]}, r"norms\['RNN'\] holds 1 NaN or inf"),
    ],
)
def test_gradient_reach_bad_input(norms, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_gradient_reach([1, 2, 3], norms)


def test_one_sequence_or_one_labelled_line_draw_the_same_values():
    plain = plots.plot_gradient_reach([1, 2], [0.5, 0.1])
    named = plots.plot_gradient_reach([1, 2], {"RNN": [0.5, 0.1]})
    assert list(plain.lines[0].get_ydata()) == list(named.lines[0].get_ydata())
    assert plain.get_legend() is None and named.get_legend() is not None


@pytest.mark.parametrize(
    ("lengths", "norms", "match"),
    [
        ([1, 2, 3], [1.0, 0.5], "lengths has 3 values but norms has 2"),
        ([1, 2], [1.0, 0.0], "norms must be positive"),
        ([1, 2], [1.0, float("nan")], "norms holds 1 NaN or inf"),
    ],
)
def test_one_line_refuses_bad_input(lengths, norms, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_gradient_reach(lengths, norms)
