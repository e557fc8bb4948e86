"""helpers.glue works with myst-nb (the book build) and without it (Colab, Binder)."""

from __future__ import annotations

import importlib
import sys

import helpers.glue


def test_uses_myst_nb_when_installed():
    assert helpers.glue.glue.__module__.startswith("myst_nb")


def test_falls_back_without_myst_nb(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # makes `import myst_nb` fail
    try:
        fallback = importlib.reload(helpers.glue)
        assert fallback.glue.__module__ == "helpers.glue"
        assert fallback.glue("hidden", 1.25, display=False) is None
        assert capsys.readouterr().out == ""
        fallback.glue("shown", 1.25)
        assert capsys.readouterr().out.strip() == "1.25"
    finally:
        monkeypatch.undo()
        importlib.reload(helpers.glue)
