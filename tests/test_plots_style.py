"""helpers.plots.style and the package: the book's look, PNG frames, the re-exported names."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import struct
import subprocess
import sys

import matplotlib.pyplot as plt
import pytest

from helpers import plots

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return struct.unpack(">II", data[16:24])


def test_figure_png_returns_png_bytes_and_closes_the_figure():
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, 1], [0, 1])
    data = plots.figure_png(fig, dpi=50)
    assert isinstance(data, bytes)
    assert data.startswith(PNG_MAGIC)
    assert not plt.fignum_exists(fig.number)


def test_figure_png_dpi_scales_the_image():
    def render(dpi: int) -> tuple[int, int]:
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.plot([0, 1], [0, 1])
        return png_size(plots.figure_png(fig, dpi=dpi))

    (w1, h1), (w2, h2) = render(40), render(80)
    assert w2 == pytest.approx(2 * w1, rel=0.05)
    assert h2 == pytest.approx(2 * h1, rel=0.05)


def test_importing_the_plots_changes_no_setting_and_use_book_style_does():
    """No work at import time: the look changes only when a notebook asks for it."""
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); import helpers.plots as p; "
        "assert dict(mpl.rcParams) == before, 'import changed rcParams'; "
        "import matplotlib.pyplot as plt; p.use_book_style(); fig, ax = plt.subplots(); "
        "print(ax.spines['top'].get_visible(), any(g.get_visible() for g in ax.get_xgridlines()))"
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]  # new figures: no top spine, a grid


def test_the_package_re_exports_every_figure_of_its_modules():
    """A figure added to a topic module but not to helpers.plots fails here."""
    topics = [
        importlib.import_module(f"helpers.plots.{m.name}")
        for m in pkgutil.iter_modules(plots.__path__)
    ]
    exported = {name: getattr(m, name) for m in topics for name in m.__all__}
    figures = {name for name, obj in exported.items() if inspect.isfunction(obj)}
    assert figures | {"COLORS"} == set(plots.__all__)
    assert all(getattr(plots, name) is exported[name] for name in plots.__all__)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([0.0, 1.0], (-0.5, 1.5)), ([2.0, 2.0], (1.0, 3.0)), ([0.0, 0.0], (-0.5, 0.5))],
)
def test_data_ylim_adds_half_the_range_and_gives_a_flat_series_one(values, expected):
    import torch

    from helpers.plots.style import data_ylim

    fig, ax = plt.subplots()
    data_ylim(ax, torch.tensor(values))
    assert ax.get_ylim() == pytest.approx(expected)
    plt.close(fig)


def test_title_sets_the_title_at_the_left_with_its_fields():
    fig, ax = plt.subplots()
    assert plots.title(ax, "Held-out perplexity, {s:.0f} CPU-s each", s=45.2) is None
    assert ax.get_title(loc="left") == "Held-out perplexity, 45 CPU-s each"
    assert ax.get_title() == ""  # the centre stays empty
    plots.title(ax, "braces {kept} without fields")
    assert ax.get_title(loc="left") == "braces {kept} without fields"
    plt.close(fig)


def test_label_fills_its_fields_and_speaks_the_notebooks_language():
    from helpers import i18n

    assert plots.label("horizon (steps after t = {t})", t=69) == "horizon (steps after t = 69)"
    i18n.set_language("ja")
    try:
        assert plots.label("input ({n} steps)", n=10) == "入力（10 ステップ）"
        fig, ax = plt.subplots()
        plots.title(ax, "noise floor")
        assert ax.get_title(loc="left") == "ノイズフロア"
        plt.close(fig)
    finally:
        i18n.set_language(None)
