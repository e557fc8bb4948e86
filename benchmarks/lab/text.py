"""What the ``text_*.py`` scripts add to ``helpers.language``: d2l's recipe, the stored weights'
writer, and training curves as they go into JSON (chapter 7).

The chapter reads the results with ``helpers.results.read`` and the weights with
``language.load_trained``; the files these functions write are what those read.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from helpers.language import WEIGHTS, CharLM, LMHistory
from helpers.training import Recipe

__all__ = ["D2L_RECIPE", "curve", "save_trained"]

# Dive into Deep Learning's recipe for this model (d2l.ai, "Recurrent Neural Networks"), which
# text_speed.py races the book's (language.BOOK_RECIPE: the same batches and clipping; d2l's
# windows are 35 characters too, language.N_TIME)
D2L_RECIPE = Recipe(optimizer="sgd", lr=1.0, batch_size=32, clip=1.0, dropout=0.0)


def curve(history: LMHistory) -> list[dict[str, float]]:
    """Update, CPU seconds and held-out perplexity of every checkpoint, rounded for JSON."""
    points = []
    for p in history.checkpoints:
        if p.perplexity is None:
            raise ValueError("no held-out perplexity to record: pass held_out to train_lm.")
        points.append(
            {"step": p.step, "seconds": round(p.seconds, 2), "perplexity": round(p.perplexity, 4)}
        )
    return points


def save_trained(model: CharLM, info: dict[str, object], path: str | Path | None = None) -> Path:
    """Store ``model``'s weights as float16 (half the bytes) and ``info`` beside them (.json).

    By default at ``language.WEIGHTS``; ``language.load_trained`` reads them back.
    """
    path = WEIGHTS if path is None else Path(path)
    half = {name: t.detach().to(torch.float16).clone() for name, t in model.state_dict().items()}
    torch.save(half, path)
    config = {"cell": model.cell, "hidden_size": model.rnn.hidden_size}
    meta = {"config": config, **info}
    path.with_suffix(".json").write_text(
        json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
