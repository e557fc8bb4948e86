"""Train the weights chapter 7 loads: the lecture's LSTM(28, 256) on The Time Machine.

The chapter trains the model live for a few seconds, which is enough to watch it learn but
not to write readable text; this script trains the same model from a fixed seed for longer
and stores the result in helpers/resources/timemachine_lstm.pt (float16, 0.6 MB) with a record
beside it (timemachine_lstm.json): the recipe, the seed, the CPU time, the held-out
perplexity the stored float16 weights reach, and a sample at each checkpoint.
tests/test_language.py checks that the stored weights still give that perplexity.

    python benchmarks/text_weights.py                  # ~5 CPU-minutes, one thread
    python benchmarks/text_weights.py --steps 200 --out /tmp/lstm.pt   # a quick try

Steps, not CPU seconds, set the length of the run, so the same command gives the same
weights on this machine whatever else it is doing. The learning rate falls along a cosine
from ``--lr`` to zero over the run.
"""

from __future__ import annotations

import argparse
import math
import platform
import time
from pathlib import Path

import torch

from helpers import language, text

PROMPT = "the time traveller "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=8000, help="updates (default 8000)")
    parser.add_argument("--every", type=int, default=500, help="checkpoint every N updates")
    parser.add_argument("--lr", type=float, default=5e-3, help="peak learning rate of Adam")
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=language.WEIGHTS)
    args = parser.parse_args()

    torch.set_num_threads(1)  # one thread: on a busy 2-core machine more threads only wait
    torch.set_flush_denormal(True)
    train_ids, held_out = text.split(text.encode(text.read_book()))
    recipe = language.Recipe(optimizer="adam", lr=args.lr)
    torch.manual_seed(args.seed)
    model = language.CharLM("lstm", 256, dropout=args.dropout)

    def report(point: language.Checkpoint) -> None:
        print(
            f"step {point.step:5d}  {point.seconds:6.1f} CPU-s  train loss {point.train_loss:.3f}"
            f"  held-out perplexity {point.perplexity:.3f}  | {PROMPT}{point.sample[:50]}",
            flush=True,
        )

    start = time.process_time()
    history = language.train_lm(
        model,
        train_ids,
        recipe,
        steps=args.steps,
        every=args.every,
        held_out=held_out,
        prompt=PROMPT,
        seed=args.seed,
        lr_schedule="cosine",
        progress=False,
        on_checkpoint=report,
    )
    cpu_total = time.process_time() - start

    # the record says what the stored (float16) weights reach, so measure after the round trip
    info = {
        "recipe": language.recipe_dict(recipe),
        "dropout": args.dropout,
        "lr_schedule": "cosine",
        "steps": args.steps,
        "seed": args.seed,
        "cpu_seconds_training": round(history.final.seconds, 1),
        "cpu_seconds_total": round(cpu_total, 1),
        "prompt": PROMPT,
        "checkpoints": [
            {
                "step": p.step,
                "seconds": round(p.seconds, 2),
                "train_loss": None if math.isnan(p.train_loss) else round(p.train_loss, 4),
                "perplexity": round(p.perplexity, 4),
                "sample": p.sample,
            }
            for p in history.checkpoints
        ],
        "machine": {"torch": torch.__version__, "python": platform.python_version()},
    }
    path = language.save_trained(model, info, args.out)
    stored, _ = language.load_trained(path)
    info["perplexity_float32"] = round(history.final.perplexity, 4)
    info["perplexity"] = round(language.perplexity(stored, held_out), 4)
    language.save_trained(model, info, path)
    size = path.stat().st_size
    print(f"stored {path} ({size / 1e6:.2f} MB)")
    print(
        f"held-out perplexity: {info['perplexity']:.3f} (float16 weights), "
        f"{info['perplexity_float32']:.3f} (float32)"
    )


if __name__ == "__main__":
    main()
