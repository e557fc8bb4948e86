"""Train the weights chapter 7 loads: the lecture's LSTM(28, 256) on The Time Machine.

The chapter trains the model live for a few seconds, enough to watch it learn but not to
write readable text. This script trains the same model with the book's recipe (Adam 0.005,
dropout 0.5, 32 rows x 35 steps, clipping at 1) from a fixed seed for longer, with the
learning rate falling along a cosine to zero, and stores the result in
helpers/resources/timemachine_lstm.pt (float16, 0.6 MB) with a record beside it
(timemachine_lstm.json). tests/test_language.py checks that the stored weights still give
the perplexity recorded there.

Which checkpoint is stored is decided on a **validation** slice, the last 5 % of the training
text, on which the model does not train; the held-out last 10 % of the book plays no part in
any choice. It is only measured, at every checkpoint (recorded for the curious) and for the
stored weights, after their round trip through float16.

    python benchmarks/text_weights.py                  # ~2-3 CPU-minutes, one thread
    python benchmarks/text_weights.py --steps 200 --out /tmp/lstm.pt   # a quick try

Steps, not CPU seconds, set the length of the run, so the same command gives the same
weights on this machine whatever else it is doing.
"""

from __future__ import annotations

import argparse
import copy
import math
import platform
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TypedDict

import torch

from helpers import language, text
from lab.text import save_trained

PROMPT = "the time traveller "


@dataclass
class Best:
    """The checkpoint with the lowest validation perplexity so far."""

    valid: float = math.inf  # its validation perplexity
    step: int = 0
    weights: dict[str, torch.Tensor] = field(default_factory=dict)


class CheckpointRow(TypedDict):
    """One checkpoint, as the record lists it."""

    step: int
    seconds: float  # CPU time of the updates so far
    train_loss: float | None  # None before the first update
    valid_perplexity: float  # what chooses the stored checkpoint
    perplexity: float  # on the held-out text: measured, never used to choose
    sample: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=4000, help="updates (default 4000)")
    parser.add_argument("--every", type=int, default=250, help="checkpoint every N updates")
    parser.add_argument("--lr", type=float, default=5e-3, help="peak learning rate of Adam")
    parser.add_argument("--dropout", type=float, default=language.BOOK_RECIPE.dropout)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=language.WEIGHTS)
    args = parser.parse_args()

    torch.set_num_threads(1)  # one thread: on a busy 2-core machine more threads only wait
    train_ids, held_out = text.split(text.encode(text.read_book()))
    fit_ids, valid_ids = text.split(train_ids, held_out=0.05)  # choose on this, not held_out
    recipe = replace(language.BOOK_RECIPE, lr=args.lr, dropout=args.dropout)
    torch.manual_seed(args.seed)
    model = language.CharLM("lstm", 256)
    best = Best()
    rows: list[CheckpointRow] = []

    def at_checkpoint(point: language.Checkpoint) -> None:
        assert point.perplexity is not None and point.sample is not None  # held_out and prompt
        test = language.perplexity(model, held_out)  # measured only, never used to choose
        if point.perplexity < best.valid:
            best.valid, best.step = point.perplexity, point.step
            best.weights = copy.deepcopy(model.state_dict())
        rows.append(
            {
                "step": point.step,
                "seconds": round(point.seconds, 2),
                "train_loss": None if math.isnan(point.train_loss) else round(point.train_loss, 4),
                "valid_perplexity": round(point.perplexity, 4),
                "perplexity": round(test, 4),
                "sample": point.sample,
            }
        )
        print(
            f"step {point.step:5d}  {point.seconds:6.1f} CPU-s  validation {point.perplexity:.3f}"
            f"  held-out {test:.3f}  | {PROMPT}{point.sample[:48]}",
            flush=True,
        )

    start = time.process_time()
    history = language.train_lm(
        model,
        fit_ids,
        recipe,
        steps=args.steps,
        every=args.every,
        held_out=valid_ids,
        prompt=PROMPT,
        seed=args.seed,
        lr_schedule="cosine",
        progress=False,
        on_checkpoint=at_checkpoint,
    )
    model.load_state_dict(best.weights)
    info = {
        "recipe": asdict(recipe),
        "n_time": history.n_time,
        "lr_schedule": f"cosine from {args.lr} to 0 over {args.steps} updates",
        "seed": args.seed,
        "steps": args.steps,
        "steps_trained": best.step,
        "chosen_by": "lowest perplexity on the validation slice (last 5 % of the training text)",
        "train_tokens": len(fit_ids),
        "valid_tokens": len(valid_ids),
        "held_out_tokens": len(held_out),
        "valid_perplexity": round(best.valid, 4),
        "cpu_seconds_training": round(
            next(r["seconds"] for r in rows if r["step"] == best.step), 1
        ),
        "cpu_seconds_run": round(history.final.seconds, 1),
        "cpu_seconds_total": round(time.process_time() - start, 1),
        "prompt": PROMPT,
        "checkpoints": rows,
        "machine": {"torch": torch.__version__, "python": platform.python_version()},
    }
    # the record states what the stored float16 weights reach: measure after the round trip
    path = save_trained(model, info, args.out)
    stored, _ = language.load_trained(path)
    info["perplexity"] = round(language.perplexity(stored, held_out), 4)
    info["perplexity_float32"] = round(language.perplexity(model, held_out), 4)
    save_trained(model, info, path)
    print(f"stored {path} ({path.stat().st_size / 1e6:.2f} MB), update {best.step}")
    print(
        f"held-out perplexity {info['perplexity']:.3f} (float16 weights), "
        f"{info['perplexity_float32']:.3f} (float32); validation {best.valid:.3f}"
    )


if __name__ == "__main__":
    main()
