"""helpers.i18n: which language a notebook speaks, and the helpers' messages in it (issue 18)."""

from __future__ import annotations

import json
import warnings

import matplotlib as mpl
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
