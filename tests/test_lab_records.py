"""benchmarks/lab/records.py and rounding.py: writing results, and the rounding check's nudge."""

from __future__ import annotations

import json
import os

import pytest
import torch

from helpers import results
from helpers.models import SequenceRegressor
from lab.records import load_average, machine, save_cache, save_json, versions
from lab.rounding import NUDGE, nudge_weights


def test_cache_round_trip_one_row_a_line(tmp_path, monkeypatch):
    cache = {"description": "x", "rows": [{"a": 1}, {"a": 2.5}]}
    path = tmp_path / "sub" / "c.json"
    save_cache(cache, path)
    monkeypatch.setattr(results, "RESOURCES", path.parent)
    assert results.read("c") == cache  # as the chapters read it
    lines = path.read_text().splitlines()
    assert '  {"a": 1},' in lines and '  {"a": 2.5}' in lines  # one row a line
    with pytest.raises(ValueError, match="rows"):
        save_cache({"rows": []}, path)


def test_save_json_writes_indented_json(tmp_path):
    content = {"seeds": [0, 1], "rows": [{"cell": "rnn"}]}
    path = tmp_path / "sub" / "r.json"
    save_json(content, path)
    assert json.loads(path.read_text()) == content
    assert path.read_text() == json.dumps(content, indent=1) + "\n"


def test_versions_and_machine_say_what_ran():
    assert set(versions()) == {"python", "torch", "platform"}
    assert versions()["torch"] == torch.__version__
    load = load_average()
    assert load is None or load >= 0
    assert machine(2, load) == {"cpus": os.cpu_count(), "jobs": 2, "load_before": load}


def test_nudge_moves_every_weight_a_little_and_the_same_way_each_time():
    torch.manual_seed(0)
    model = SequenceRegressor("lstm", hidden_size=4)
    before = [p.detach().clone() for p in model.parameters()]
    assert nudge_weights(model, 0.0) is model
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), before, strict=True))
    nudge_weights(model)
    for p, q in zip(model.parameters(), before, strict=True):
        assert not torch.equal(p, q)
        assert torch.allclose(p, q, rtol=10 * NUDGE, atol=0)
    torch.manual_seed(0)
    again = nudge_weights(SequenceRegressor("lstm", hidden_size=4))
    pairs = zip(model.parameters(), again.parameters(), strict=True)
    assert all(torch.equal(p, q) for p, q in pairs)
