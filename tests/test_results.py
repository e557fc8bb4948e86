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
    (tmp_path / "empty.json").write_text(json.dumps({"script": "benchmarks/x.py", "rows": []}))
    monkeypatch.setattr(results, "RESOURCES", tmp_path)
    with pytest.raises(ValueError, match="the names are empty"):
        results.load("missing")
    with pytest.raises(ValueError, match="re-create it with benchmarks/x.py"):
        results.load("empty")


def test_load_cache_reads_a_file_or_says_how_to_make_it(tmp_path):
    (tmp_path / "c.json").write_text(json.dumps({"seeds": [0], "rows": [{"a": 1}]}))
    assert results.load_cache(tmp_path / "c.json", "benchmarks/x.py")["rows"] == [{"a": 1}]
    with pytest.raises(FileNotFoundError, match="python benchmarks/x.py"):
        results.load_cache(tmp_path / "missing.json", "benchmarks/x.py")
    (tmp_path / "empty.json").write_text('{"rows": []}')
    with pytest.raises(ValueError, match="re-run"):
        results.load_cache(tmp_path / "empty.json", "benchmarks/x.py")
    assert results.load_cache(tmp_path / "empty.json", "benchmarks/x.py", rows=False) == {
        "rows": []
    }
