"""helpers.results: the shipped measurements, read as tables or as they are."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers import results


def test_every_shipped_file_with_rows_reads_as_a_table():
    for path in sorted(results.RESOURCES.glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        if "rows" not in content:
            continue
        meta, runs = results.load(path.stem)
        assert isinstance(runs, pd.DataFrame) and len(runs) == len(content["rows"])
        assert "rows" not in meta and set(meta) == set(content) - {"rows"}


def test_nested_fields_become_columns(tmp_path, monkeypatch):
    rows = [{"cell": "lstm", "recipe": {"lr": 0.003, "clip": None}, "error": 0.5}]
    (tmp_path / "demo.json").write_text(json.dumps({"seeds": [0], "rows": rows}))
    monkeypatch.setattr(results, "RESOURCES", tmp_path)
    meta, runs = results.load("demo")
    assert meta == {"seeds": [0]}
    assert runs.loc[0, "recipe.lr"] == 0.003 and runs.loc[0, "cell"] == "lstm"


def test_an_unknown_name_or_a_file_without_rows_says_what_there_is(tmp_path, monkeypatch):
    (tmp_path / "empty.json").write_text(json.dumps({"seeds": [0], "rows": []}))
    (tmp_path / "curves.json").write_text(json.dumps({"seeds": [0], "curves": {}}))
    monkeypatch.setattr(results, "RESOURCES", tmp_path)
    for read in (results.read, results.load):
        with pytest.raises(ValueError, match="the names are curves, empty"):
            read("missing")
        with pytest.raises(ValueError, match="re-create it with benchmarks/empty.py"):
            read("empty")
    assert results.read("curves") == {"seeds": [0], "curves": {}}  # no rows: read as it is
    with pytest.raises(ValueError, match="results.read"):
        results.load("curves")


def test_read_returns_a_shipped_file_as_it_is():
    for name in ("memory_sweep", "text_speed"):
        content = results.read(name)
        path = results.RESOURCES / f"{name}.json"
        assert content == json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="the names are memory_budget, memory_sweep, rnn_vs"):
        results.read("rnn_vs_lstm.json")  # a name, not a file: the message lists the names
