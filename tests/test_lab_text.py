"""benchmarks/lab/text.py: d2l's recipe, training curves for JSON, the stored weights' writer."""

from __future__ import annotations

import pytest
import torch

from helpers import language, text
from helpers.training import Recipe
from lab.text import D2L_RECIPE, curve, save_trained

TINY = text.encode(text.read_book()[2000:8000])  # a short stretch: each run under a second


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def small_model() -> language.CharLM:
    torch.manual_seed(0)
    return language.CharLM("lstm", hidden_size=16)


def run(steps: int, every: int, **kwargs) -> language.LMHistory:
    recipe = Recipe("adam", 1e-2, batch_size=4, clip=1.0)
    return language.train_lm(
        small_model(), TINY, recipe, n_time=10, steps=steps, every=every, progress=False, **kwargs
    )


def test_d2l_recipe_is_d2l_s():
    r = D2L_RECIPE
    got = (r.optimizer, r.lr, r.batch_size, r.clip, r.dropout)
    assert got == ("sgd", 1.0, 32, 1.0, 0.0)  # and windows of 35 characters: language.N_TIME
    assert isinstance(r.make_optimizer(small_model()).optimizer, torch.optim.SGD)


def test_book_recipe_uses_the_same_batches():
    book, d2l = language.BOOK_RECIPE, D2L_RECIPE
    assert (book.batch_size, book.clip) == (d2l.batch_size, d2l.clip)
    assert (book.optimizer, book.dropout) == ("adam", 0.5)


def test_curve_rounds_each_checkpoint_and_needs_the_held_out_text():
    history = run(steps=10, every=5, held_out=TINY[:200])
    points = curve(history)
    assert [point["step"] for point in points] == [0, 5, 10]
    assert list(points[-1]) == ["step", "seconds", "perplexity"]
    assert points[-1]["perplexity"] == round(history.final.perplexity, 4)
    with pytest.raises(ValueError, match="pass held_out"):
        curve(run(steps=5, every=5))


def test_saved_weights_load_back_as_language_load_trained_reads_them(tmp_path):
    model = small_model()
    path = save_trained(model, {"perplexity": 1.0}, tmp_path / "m.pt")
    loaded, info = language.load_trained(path)
    assert info["perplexity"] == 1.0 and info["config"] == {"cell": "lstm", "hidden_size": 16}
    assert not loaded.training
    for (name, a), (_, b) in zip(
        model.state_dict().items(), loaded.state_dict().items(), strict=True
    ):
        assert torch.equal(a.to(torch.float16).to(torch.float32), b), name
