"""helpers.i18n: which language a notebook speaks, and the helpers' messages in it (issue 18)."""

from __future__ import annotations

import json
import re
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import polib
import pytest

from helpers import i18n
from helpers.exercises import chapter1
from helpers.plots import figure_png, plot_gradient_reach, use_book_style


@pytest.fixture(autouse=True)
def _fresh_language(monkeypatch, tmp_path):
    """No language chosen, no notebook around, and a working directory outside any edition."""
    i18n.set_language(None)
    i18n._colab_language.cache_clear()
    for name in ("BOOK_LANGUAGE", "JPY_SESSION_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    with mpl.rc_context():
        yield
    i18n.set_language(None)


def notebook(path, language=None):
    """A notebook file at ``path`` whose metadata names ``language`` (or nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"book": {"language": language}} if language else {}
    path.write_text(json.dumps({"cells": [], "metadata": metadata}), encoding="utf-8")
    return path


# --- the language --------------------------------------------------------------------------------


def test_english_unless_something_says_otherwise():
    assert i18n.language() == "en"
    assert i18n.gettext("correct") == "correct"


def test_set_language_wins_and_none_goes_back(monkeypatch):
    monkeypatch.setenv("BOOK_LANGUAGE", "en")
    i18n.set_language("ja")
    assert i18n.language() == "ja"
    i18n.set_language(None)
    assert i18n.language() == "en"


def test_a_language_the_book_lacks_is_refused_with_the_choices(monkeypatch):
    with pytest.raises(ValueError, match="'en' and 'ja'"):
        i18n.set_language("fr")
    monkeypatch.setenv("BOOK_LANGUAGE", "jp")
    with pytest.raises(ValueError, match="BOOK_LANGUAGE='jp'"):
        i18n.language()


def test_the_environment_variable_the_make_targets_set(monkeypatch):
    monkeypatch.setenv("BOOK_LANGUAGE", "ja")
    assert i18n.language() == "ja"
    monkeypatch.setenv("BOOK_LANGUAGE", "")  # empty: as if unset
    assert i18n.language() == "en"


def test_jupyter_servers_session_path_and_the_notebooks_metadata(monkeypatch, tmp_path):
    """JupyterLab and Binder hand the kernel the notebook's path; its metadata decides."""
    handed_out = notebook(tmp_path / "course" / "ps1" / "01_rnn_concepts.ipynb", "ja")
    monkeypatch.setenv("JPY_SESSION_NAME", str(handed_out))
    assert i18n.language() == "ja"  # a student's copy, far from ja/notebooks
    english = notebook(tmp_path / "ja" / "notebooks" / "x.ipynb", "en")
    monkeypatch.setenv("JPY_SESSION_NAME", str(english))
    assert i18n.language() == "en"  # the metadata says English, whatever the folder


def test_a_notebook_saved_again_is_read_again(monkeypatch, tmp_path):
    path = notebook(tmp_path / "n.ipynb", "ja")
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert i18n.language() == "ja"
    notebook(path, "en")
    import os

    os.utime(path, ns=(1, 1))  # a new modification time, even on a coarse clock
    assert i18n.language() == "en"


def test_the_path_decides_when_the_file_says_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "ja" / "notebooks" / "gone.ipynb"))
    assert i18n.language() == "ja"
    # a folder named ja elsewhere in the path is someone's folder, not the Japanese edition
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook(tmp_path / "ja" / "book" / "n.ipynb")))
    assert i18n.language() == "en"


def test_vs_codes_notebook_path(monkeypatch, tmp_path):
    path = notebook(tmp_path / "anywhere" / "n.ipynb", "ja")
    monkeypatch.setattr(i18n, "_ipython_variable", lambda name: str(path))
    assert i18n.language() == "ja"


def test_the_working_directory_that_nbclient_and_nbval_give_a_kernel(monkeypatch, tmp_path):
    (tmp_path / "ja" / "notebooks").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "ja" / "notebooks")
    assert i18n.language() == "ja"


def test_colab_is_asked_for_the_notebooks_metadata(monkeypatch):
    """On Colab the kernel asks the front end for the notebook (simulated: Colab is not here)."""
    import sys
    import types

    message = types.ModuleType("google.colab._message")
    message.blocking_request = lambda kind, request, timeout_sec: {
        "ipynb": {"metadata": {"book": {"language": "ja"}}}
    }
    colab = types.ModuleType("google.colab")
    colab._message = message
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab._message", message)
    assert i18n.language() == "ja"
    message.blocking_request = lambda *a, **k: (_ for _ in ()).throw(TimeoutError())
    assert i18n.language() == "ja"  # asked once: the answer stands for the kernel's life
    i18n._colab_language.cache_clear()
    assert i18n.language() == "en"  # Colab did not answer: English, no error


# --- messages ------------------------------------------------------------------------------------


def test_messages_in_japanese_and_unknown_ones_in_english():
    i18n.set_language("ja")
    assert i18n.gettext("correct") == "正解"
    assert i18n.gettext("a sentence no catalog has") == "a sentence no catalog has"
    assert i18n.N_("correct") == "correct"  # marks for the catalog, translates nothing


def test_the_catalog_reader_reads_what_polib_reads():
    path = i18n.CATALOGS / "ja" / "LC_MESSAGES" / "helpers.po"
    expected = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.translated()}
    assert i18n.catalog("ja") == expected and expected


def test_the_catalog_reader_leaves_out_fuzzy_and_empty_entries():
    text = (
        'msgid ""\nmsgstr "Language: ja\\n"\n\n'
        '#: helpers/x.py:1\nmsgid "done"\nmsgstr "完了"\n\n'
        '#, fuzzy\n#| msgid "old"\nmsgid "changed"\nmsgstr "古い訳"\n\n'
        'msgid "not yet"\nmsgstr ""\n\n'
        'msgid ""\n"a long message, "\n"continued: \\"quoted\\"\\n"\nmsgstr "長い" "訳"\n'
        'msgctxt "plot"\nmsgid "lag"\nmsgstr "ラグ"\n'
    )
    assert i18n.read_po(text) == {
        "done": "完了",
        'a long message, continued: "quoted"\n': "長い訳",
        "lag": "ラグ",
    }
    with pytest.raises(ValueError, match="line 1"):
        i18n.read_po('msgid_plural "x"\n')


# --- what a learner sees -------------------------------------------------------------------------


def test_exercise_feedback_hints_and_solutions_in_japanese():
    i18n.set_language("ja")
    verdict = chapter1.q1.check(chapter1.rnn_step_backward)
    assert verdict.passed and verdict.text == (
        "✓ q1 正解: あなたの逆伝播のステップは、3 つのケースすべてで PyTorch の nn.RNNCell を"
        "通した autograd の結果と一致した。"
    )
    assert "正解" in chapter1.q2.check((4, 25, 32), (2, 4, 32)).text
    wrong = chapter1.q2.check((2, 4, 32), (4, 25, 32)).text
    assert wrong.startswith("✗ q2 まだ:") and "`ex.q2.hint()` を試そう" in wrong
    hint = chapter1.q1.hint(1).text
    assert hint.startswith("ヒント 1/2（q1）: ステップの演算を逆の順にたどろう。")
    assert chapter1.q4.solution().text.startswith("解答例（q4）: ステップ $t - k$ に届く勾配は")


def test_exercise_feedback_stays_english_in_english():
    verdict = chapter1.q1.check(chapter1.rnn_step_backward)
    assert verdict.text == (
        "✓ q1 correct: your backward step matches autograd through PyTorch's nn.RNNCell on all 3 "
        "cases."
    )


def _glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "missing from" in str(w.message)]


def test_japanese_figure_labels_in_ipaex_gothic_with_no_missing_glyph():
    i18n.set_language("ja")
    use_book_style()
    assert mpl.rcParams["font.family"][0] == "IPAexGothic"
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ax = plot_gradient_reach(
            range(3), [1.0, 0.1, 0.01], xlabel="lag k (steps back from the last step T)"
        )
        png = figure_png(ax.figure)
    assert ax.get_xlabel() == "ラグ k（最後のステップ T から何ステップ前か）"
    assert png.startswith(b"\x89PNG") and not _glyph_warnings(record)


def test_the_check_sees_a_missing_glyph():
    """Without the Japanese font, the same label warns: the test above could fail."""
    i18n.set_language("ja")
    use_book_style()
    mpl.rcParams["font.family"] = ["DejaVu Sans"]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        figure_png(plot_gradient_reach(range(2), [1.0, 0.1], xlabel="ラグ").figure)
    assert _glyph_warnings(record)


def test_english_figures_keep_matplotlibs_default_font():
    i18n.set_language("ja")
    use_book_style()
    i18n.set_language("en")
    use_book_style()
    assert mpl.rcParams["font.family"] == ["sans-serif"]


# --- every word of a figure goes through the catalog ---------------------------------------------


class _Marked(dict):
    """A catalog that knows every message and marks it: «message»."""

    def get(self, message, default=None):
        return f"«{message}»"


ALLOWED = {"sin", "MSE"}  # what a figure may show untranslated: a function, an abbreviation


def _english_left(texts: list[str]) -> list[str]:
    """The texts that show English outside «…» (a message) and $…$ (math)."""
    left = []
    for text in texts:
        rest = re.sub(r"\$[^$]*\$", " ", text)
        while "«" in rest:  # a message may hold another (a caption naming the slider)
            rest, n = re.subn(r"«[^«»]*»", " ", rest)
            if not n:
                break
        if set(re.findall(r"[A-Za-z]{2,}", rest)) - ALLOWED:
            left.append(text)
    return left


def _figure_texts(fig) -> list[str]:
    fig.canvas.draw()  # tick labels are made when the figure is drawn
    return [t.get_text() for t in fig.findobj(mpl.text.Text) if t.get_text().strip()]


def _figures():
    """One call of each figure of helpers.plots, with labels handed in where a chapter does."""
    import pandas as pd
    import torch

    from helpers import plots

    y = torch.sin(torch.linspace(0, 6, 30))
    curve = [{"step": 0, "seconds": 0.0, "perplexity": 28.0}, {"step": 9, "seconds": 1.0,
             "perplexity": 9.0}]  # fmt: skip
    gates = {name: torch.rand(6, 4) for name in ("input", "forget", "cell", "output")}
    rows = pd.DataFrame(
        [
            {"run": f"{cell.upper()}, {n} epochs", "cell": cell, "seed": s, "rmse": 0.1 * s + 0.1}
            for cell, n in (("rnn", 100), ("lstm", 1000))
            for s in range(3)
        ]
    )
    return {
        "plot_series": lambda: plots.plot_series(torch.linspace(0, 6, 30), y),
        "plot_windows": lambda: plots.plot_windows(y, 5, samples=(0, 1)),
        "plot_prediction": lambda: plots.plot_prediction(y, y, 5, title="epoch 3"),
        "plot_loss": lambda: plots.plot_loss([0.5, 0.1], label="RNN", noise_floor=0.01),
        "plot_forecast_modes": lambda: plots.plot_forecast_modes(y, y[5:], y[5:], 5, clean=y[5:]),
        "plot_gradient_reach": lambda: plots.plot_gradient_reach(
            range(3), {"RNN": [1.0, 0.1, 0.01], "LSTM": [1.0, 0.5, 0.2]}
        ),
        "plot_gate_heatmaps": lambda: plots.plot_gate_heatmaps(gates, torch.zeros(6)),
        "plot_cell_memory": lambda: plots.plot_cell_memory(0.5),
        "plot_seed_comparison": lambda: plots.plot_seed_comparison(rows, "rmse").set_ylabel(
            plots.label("closed-loop RMSE")  # as chapter 5 names the measure
        ),
        "plot_perplexity": lambda: plots.plot_perplexity(
            {"LSTM": curve, "dropout 0.5": [curve, curve]}, x="seconds", baselines={"bigram": 10.0}
        ),
        "plot_loss_curves": lambda: plots.plot_loss_curves(
            {"training loss": ([0, 1], [0.5, 0.1])}, floors={"σ² = 0.01": 0.01, "floor": 0.02}
        ),
        "plot_gate_histograms": lambda: plots.plot_gate_histograms(
            {"before training": {g: [1, 2, 1] for g in ("input", "forget", "output")}}
        ),
        "plot_recall_sweep": lambda: plots.plot_recall_sweep(
            {"LSTM": {5: {"errors": [0.0, 0.1], "median": 0.05}}}
        ),
        "plot_reach_by_lag": lambda: plots.plot_reach_by_lag(
            [0, 1], {"RNN": [1.0, 0.1]}, {"RNN": [1.0, 0.2]}, remembered=1
        ),
        "plot_horizon_error": lambda: plots.plot_horizon_error(
            {"sgd": [[0.1, 0.2], [0.2, 0.3]]}, data_end=1
        ),
        "plot_window_floors": lambda: plots.plot_window_floors(
            [2, 3], {"best possible": [0.02, 0.015]}, {"LSTM, SGD": 0.017}
        ),
        "title and label": lambda: (
            (ax := plt.subplots()[1]).set_xlabel(plots.label("horizon (steps after t = {t})", t=9)),
            plots.title(ax, "Held-out perplexity, {s:.0f} CPU-s each", s=45.2),
        ),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_every_word_a_figure_shows_goes_through_the_catalog(name, monkeypatch):
    """In Japanese every title, label, legend entry, annotation and tick label with words is a
    message of the catalog: its own, or one a chapter hands in (helpers.plots.style)."""
    monkeypatch.setattr(i18n, "catalog", lambda lang: _Marked())
    i18n.set_language("ja")
    plt.close("all")
    _figures()[name]()
    texts = [text for number in plt.get_fignums() for text in _figure_texts(plt.figure(number))]
    plt.close("all")
    assert texts and not _english_left(texts), _english_left(texts)


def test_every_word_of_the_frames_and_the_steppers_goes_through_the_catalog(monkeypatch):
    """The steppers' captions, slider names and frames' alt text, the frames' own figures."""
    import torch

    from helpers import plots, widgets
    from helpers.training import History, Snapshot

    monkeypatch.setattr(i18n, "catalog", lambda lang: _Marked())
    i18n.set_language("ja")
    drawn = []
    monkeypatch.setattr(  # keep the frames' figures to read them
        plots.series, "figure_png", lambda fig, dpi: drawn.append(_figure_texts(fig)) or b"png"
    )
    y = torch.sin(torch.linspace(0, 6, 20))
    history = History([0.1, 0.05], {0: Snapshot(0, 0.1, y), 1: Snapshot(1, 0.05, y)})
    frames = plots.prediction_frames(history, y, 5)
    forget = plots.forget_gate_frames((0.5, 1.0), dpi=20)
    texts = [frames.caption, forget.caption]
    texts += [frame.alt for frame in [*frames.values(), *forget.values()]]
    texts += [text for figure in drawn for text in figure]
    for box in (
        widgets.image_stepper({"a": "x", "b": "y"}, description="step"),
        widgets.image_stepper({"a": "x"}, description="step", caption="what the frames show"),
        widgets.epoch_stepper(frames),
        widgets.live_sampler(lambda prompt, temperature, length: "text"),
    ):
        for child in [box, *box.children, *getattr(box.children[1], "children", [])]:
            texts += [getattr(child, "description", "") or ""]
            if isinstance(child, widgets.widgets.HTML) and "caption" in child.value:
                texts.append(re.sub(r"<[^>]+>", "", child.value))
    assert len(drawn) == 2 and not _english_left([t for t in texts if t]), _english_left(texts)
