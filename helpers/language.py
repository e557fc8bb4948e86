"""A character-level language model: the lecture's ``LSTM(28, 256)`` trained to write (chapter 7).

The model reads one-hot characters and predicts the next one at every step. Training uses
truncated backpropagation through time (TBPTT): consecutive windows, the state carried from
one batch to the next and cut off from the graph. Generation feeds the model its own
characters one at a time, carrying the state ``(h, c)`` forward. This file knows nothing about
*The Time Machine* beyond its 28 tokens: ``helpers.text`` reads and encodes the book.

The chapter also reads what takes longer than a chapter should run: the stored weights
(``load_trained``) and two measurements (``results.read``). The scripts that make them,
``benchmarks/text_*.py``, write them with ``benchmarks/lab/text.py`` (d2l's recipe, the
weights' writer, the curves as JSON).
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from helpers import text
from helpers._checks import non_negative_int, one_of, positive_int, real_number
from helpers.models import CELLS, eval_mode
from helpers.results import RESOURCES
from helpers.training import Recipe, TrainingDiverged, threads, want_progress

__all__ = [
    "BOOK_RECIPE",
    "WEIGHTS",
    "CharLM",
    "Checkpoint",
    "LMHistory",
    "N_TIME",
    "detach_state",
    "generate",
    "load_trained",
    "ngram_losses",
    "perplexity",
    "train_lm",
]

WEIGHTS = RESOURCES / "timemachine_lstm.pt"
State = torch.Tensor | tuple[torch.Tensor, torch.Tensor] | None


class CharLM(nn.Module):
    """The lecture's network read as a language model: 28 one-hot inputs, 28 logits out.

    ``cell`` is "lstm" (the lecture's ``nn.LSTM(28, 256)``), "gru" or "rnn". ``dropout`` zeroes
    a random share of the recurrent layer's outputs while training (no weights of its own).
    The layers keep the lecture's names, ``rnn`` and ``fc``, so ``print(model)`` reads like
    the lecture's ``print(net)``. Unlike the lecture's ``forward``, which feeds only the last
    step to ``fc``, this one predicts at every step.

    Shapes: forward ids (batch, time) int64, state -> logits (batch, time, 28), state.
    """

    def __init__(
        self,
        cell: str = "lstm",
        hidden_size: int = 256,
        *,
        dropout: float = 0.0,
        vocab_size: int = text.VOCAB_SIZE,
    ) -> None:
        super().__init__()
        self.cell = one_of("cell", cell, CELLS)
        self.vocab_size = positive_int("vocab_size", vocab_size)
        hidden_size = positive_int("hidden_size", hidden_size)
        dropout = real_number("dropout", dropout, "a probability from 0 up to (not) 1", low=0)
        if dropout >= 1:
            raise ValueError(f"dropout must be below 1 (1 drops everything), got {dropout}.")
        self.rnn = CELLS[self.cell](self.vocab_size, hidden_size, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_size, self.vocab_size)

    def forward(self, ids: torch.Tensor, state: State = None) -> tuple[torch.Tensor, State]:
        if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.dtype != torch.long:
            got = f"shape {tuple(ids.shape)}, {ids.dtype}" if isinstance(ids, torch.Tensor) else ids
            raise ValueError(
                f"expected token ids of shape (batch, time) and dtype int64, got {got}; "
                "one sequence from text.encode becomes ids.view(1, -1)."
            )
        x = F.one_hot(ids, self.vocab_size).float()  # (B, T, 28): the lecture's input_size=28
        y_rnn, state = self.rnn(x, state)  # (B, T, hidden): h at every step; state (h, c)
        return self.fc(self.drop(y_rnn)), state  # (B, T, 28): a prediction at every step


def detach_state(state: State) -> State:
    """Cut the state off from the graph that made it: gradients stop at the batch's start."""
    if state is None:
        return None
    if isinstance(state, tuple):  # the LSTM's (h, c)
        h, c = state
        return h.detach(), c.detach()
    return state.detach()


def _check_ids(name: str, ids: object, at_least: int = 2) -> torch.Tensor:
    if not isinstance(ids, torch.Tensor) or ids.dim() != 1 or ids.dtype != torch.long:
        raise TypeError(f"{name} must be a 1-D int64 tensor of token ids (text.encode gives one).")
    if len(ids) < at_least:
        raise ValueError(f"{name} holds {len(ids)} token(s); it needs at least {at_least}.")
    return ids


def perplexity(model: nn.Module, ids: torch.Tensor, *, n_time: int | None = None) -> float:
    """exp of the mean cross-entropy of predicting each token from the ones before it.

    By default the text is read as one stream from a zero state, the state carried
    throughout, so each token is predicted from everything before it. With ``n_time`` the
    text is cut into windows of ``n_time`` inputs that each start from a zero state, as
    random-window training sees them (the tail that fills no window is left out). Runs in
    eval mode (no dropout) without gradients. A uniform guess over 28 tokens scores 28.

    Shapes: ids (n,) int64, n >= 2.
    """
    ids = _check_ids("ids", ids)
    inputs, targets = ids[:-1].view(1, -1), ids[1:].view(1, -1)
    if n_time is not None:
        n_time = positive_int("n_time", n_time)
        k = len(inputs[0]) // n_time
        if k == 0:
            raise ValueError(
                f"n_time={n_time} is longer than the {len(inputs[0])} inputs in ids; "
                "use a smaller n_time or a longer text."
            )
        inputs = inputs[:, : k * n_time].reshape(k, n_time)  # (windows, n_time)
        targets = targets[:, : k * n_time].reshape(k, n_time)
    with eval_mode(model), threads(1):  # step by step, small matrices: more threads only wait
        logits, _ = model(inputs)  # (windows, n_time, 28), or (1, n - 1, 28)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
    return math.exp(loss.item())


def ngram_losses(
    train_ids: torch.Tensor, held_out: torch.Tensor, max_order: int = 5
) -> torch.Tensor:
    """The cross-entropy of each held-out token under count-based n-gram models, n = 1 .. max_order.

    An n-gram model predicts a token from the n - 1 before it by counting what followed that
    context in ``train_ids``. Rare contexts give unreliable counts, so each order mixes in the
    next shorter one (interpolated Witten-Bell smoothing, which has no setting to tune): a
    context seen often with few different followers is trusted more. Order 1 counts letters
    and mixes in a uniform guess. Context never crosses the start of ``held_out``: its first
    token is predicted from nothing, its second from one token, and so on.

    The held-out perplexity of order n, the baseline chapter 7 compares with, is the
    exponential of row n - 1's mean.

    Shapes: train_ids (n,) int64, held_out (m,) int64 -> (max_order, m) float64, in nats:
    row n - 1 holds -log p(token | the n - 1 before it).
    """
    _check_ids("train_ids", train_ids, at_least=1)
    _check_ids("held_out", held_out, at_least=1)
    max_order = positive_int("max_order", max_order)
    vocab = max(text.VOCAB_SIZE, int(train_ids.max()) + 1, int(held_out.max()) + 1)
    train, held = bytes(train_ids.tolist()), bytes(held_out.tolist())  # ids < 256: one byte each
    # counts[k][gram] for grams of k + 1 tokens; seen[k][context]: total and distinct followers
    counts = [
        Counter(train[i : i + k + 1] for i in range(len(train) - k)) for k in range(max_order)
    ]
    seen: list[dict[bytes, list[int]]] = []
    for k in range(max_order):
        by_context: dict[bytes, list[int]] = {}
        for gram, c in counts[k].items():
            entry = by_context.setdefault(gram[:-1], [0, 0])
            entry[0] += c
            entry[1] += 1
        seen.append(by_context)
    nll = [[0.0] * len(held) for _ in range(max_order)]
    for i in range(len(held)):
        p = 1.0 / vocab
        for k in range(max_order):  # k tokens of context
            if k <= i:
                context = held[i - k : i]
                total, distinct = seen[k].get(context, (0, 0))
                if total:  # an unseen context keeps the shorter one's estimate
                    p = (counts[k].get(context + held[i : i + 1], 0) + distinct * p) / (
                        total + distinct
                    )
            nll[k][i] = -math.log(p)
    return torch.tensor(nll, dtype=torch.float64)


# the book's: d2l's batches and clipping (benchmarks/lab/text.py: D2L_RECIPE), Adam, and
# dropout 0.5 on the LSTM's outputs; windows of N_TIME characters, as d2l's
BOOK_RECIPE = Recipe(optimizer="adam", lr=5e-3, batch_size=32, clip=1.0, dropout=0.5)
N_TIME = 35  # steps per window: how far back each update's gradient reaches


@dataclass
class Checkpoint:
    """The model's state of learning at one point of training."""

    step: int  # updates so far
    seconds: float  # CPU time spent in updates so far (evaluation and sampling excluded)
    train_loss: float  # mean cross-entropy of the batches since the last checkpoint
    perplexity: float | None  # on the held-out text, None when none was given
    sample: str | None  # text the model wrote here, None when no prompt was given
    grad_norm: float = math.nan  # median gradient norm since the last checkpoint, before clipping
    clipped: float = math.nan  # share of those updates whose gradient was clipped


@dataclass
class LMHistory:
    """What ``train_lm`` returns: its recipe, how it cut the text, and the checkpoints."""

    recipe: Recipe
    n_time: int = N_TIME  # steps per window
    carry_state: bool = True  # TBPTT over consecutive windows; False: random windows
    checkpoints: list[Checkpoint] = field(default_factory=list)

    @property
    def final(self) -> Checkpoint:
        """The last checkpoint."""
        return self.checkpoints[-1]


def _batches(
    ids: torch.Tensor, batch_size: int, n_time: int, carry_state: bool, generator: torch.Generator
) -> Iterator:
    """Endless (inputs, targets, carry) batches; ``None`` marks the start of a new epoch."""
    while True:
        if carry_state:
            # a new random offset every epoch, as d2l does: windows start at other places
            offset = int(torch.randint(0, n_time, (1,), generator=generator))
            yield None
            for inputs, targets in text.sequential_batches(ids, batch_size, n_time, offset=offset):
                yield inputs, targets, True
        else:
            inputs, targets = text.random_windows(ids, batch_size, n_time, generator=generator)
            yield inputs, targets, False


def train_lm(
    model: CharLM,
    ids: torch.Tensor,
    recipe: Recipe = BOOK_RECIPE,
    *,
    n_time: int = N_TIME,
    carry_state: bool = True,
    steps: int | None = None,
    cpu_seconds: float | None = None,
    every: float,
    held_out: torch.Tensor | None = None,
    prompt: str | None = None,
    sample_length: int = 80,
    sample_temperature: float = 0.8,
    seed: int = 0,
    lr_schedule: str = "constant",
    num_threads: int | None = 1,
    progress: bool | None = None,
    on_checkpoint: Callable[[Checkpoint], None] | None = None,
) -> LMHistory:
    """Train ``model`` to predict the next token of ``ids``; checkpoint every ``every``.

    The text is read in batches of ``recipe.batch_size`` windows of ``n_time`` characters:
    consecutive windows, the state carried from one to the next (truncated BPTT), or with
    ``carry_state=False`` random windows that each start from a zero state.

    Give ``steps`` (a number of updates, the same on every machine) or ``cpu_seconds`` (CPU
    time spent in updates, what a benchmark compares); ``every`` counts in the same unit. At
    each checkpoint, and at the end, it records the mean training loss since the last one,
    the perplexity on ``held_out`` and, with a ``prompt``, a sample drawn with a generator
    seeded by ``seed`` (the same random numbers at every checkpoint, so the samples differ
    only because the model does). ``seed`` also fixes the batches; the weights are seeded by
    whoever builds the model. A recipe's ``dropout`` (unless None) replaces the model's.
    ``lr_schedule`` "cosine" lowers the learning rate from the
    recipe's along half a cosine to zero at the end of the run. The model is left in train mode.

    Shapes: ids (n,) int64, held_out (m,) int64.
    """
    ids = _check_ids("ids", ids)
    recipe = Recipe.check(recipe)
    n_time = positive_int("n_time", n_time)
    if not isinstance(carry_state, bool):
        raise TypeError(f"carry_state must be True or False, got {carry_state!r}.")
    if (steps is None) == (cpu_seconds is None):
        raise ValueError(
            "give exactly one of steps (a number of updates) or cpu_seconds (CPU time); "
            f"got steps={steps!r}, cpu_seconds={cpu_seconds!r}."
        )
    if steps is not None:
        limit = float(positive_int("steps", steps))
        every = float(positive_int("every", every))
    else:
        limit = real_number("cpu_seconds", cpu_seconds, "a positive number", low=0, low_open=True)
        every = real_number("every", every, "a positive number", low=0, low_open=True)
    if held_out is not None:
        _check_ids("held_out", held_out)
    sample_length = non_negative_int("sample_length", sample_length)
    lr_schedule = one_of("lr_schedule", lr_schedule, ("constant", "cosine"))
    # fail now, not at the first checkpoint, if the data or the prompt cannot work
    next(text.sequential_batches(ids, recipe.batch_size, n_time))
    if prompt is not None:
        _prompt_ids(prompt)

    generator = torch.Generator().manual_seed(seed)
    # records every update's gradient norm before clipping; clip None: math.inf only measures
    clipping = recipe.make_optimizer(model)
    optimizer = clipping.optimizer
    if recipe.dropout is not None:
        model.drop.p = recipe.dropout
    history = LMHistory(recipe, n_time, carry_state)
    bar = None
    if want_progress(progress):
        from tqdm.auto import tqdm  # imported here: only live sessions draw a bar

        unit = "step" if steps is not None else "CPU s"
        bar = tqdm(total=limit, desc=f"training {model.cell.upper()}", unit=unit)

    def checkpoint(step: int, seconds: float, losses: list[float], norms: list[float]) -> None:
        loss = sum(losses) / len(losses) if losses else math.nan  # nan: no batch yet
        if losses and not math.isfinite(loss):
            raise TrainingDiverged(
                f"the training loss became {loss} by step {step}: lower the learning rate "
                "or clip the gradient (recipe.clip)."
            )
        ppl = None if held_out is None else perplexity(model, held_out)
        sample = None
        if prompt is not None:
            sample_gen = torch.Generator().manual_seed(seed)
            sample = generate(
                model,
                prompt,
                sample_length,
                temperature=sample_temperature,
                generator=sample_gen,
            )
        grad_norm, clipped = math.nan, math.nan
        if norms:
            grad_norm = float(torch.tensor(norms).median())
            clipped = sum(n > clipping.max_norm for n in norms) / len(norms)
        point = Checkpoint(step, seconds, loss, ppl, sample, grad_norm, clipped)
        history.checkpoints.append(point)
        if on_checkpoint is not None:
            on_checkpoint(point)

    state: State = None
    step, spent = 0, 0.0
    losses: list[float] = []  # since the last checkpoint
    seen = 0  # clipping.norms recorded before the last checkpoint
    try:
        with threads(num_threads):
            checkpoint(0, 0.0, [], [])  # the untrained model
            next_mark = every
            model.train()
            for batch in _batches(ids, recipe.batch_size, n_time, carry_state, generator):
                if batch is None:  # a new epoch starts from a zero state
                    state = None
                    continue
                inputs, targets, carry = batch
                start = time.process_time()
                if lr_schedule == "cosine":
                    done = (step if steps is not None else spent) / limit
                    for group in optimizer.param_groups:
                        group["lr"] = recipe.lr * 0.5 * (1 + math.cos(math.pi * min(done, 1.0)))
                logits, state = model(inputs, detach_state(state) if carry else None)
                loss = F.cross_entropy(logits.reshape(-1, model.vocab_size), targets.reshape(-1))
                clipping.zero_grad()
                loss.backward()
                clipping.step()
                spent += time.process_time() - start
                step += 1
                losses.append(loss.item())
                done_by = float(step) if steps is not None else spent
                if bar is not None:
                    bar.update(min(done_by, limit) - bar.n)
                if done_by >= next_mark or done_by >= limit:
                    checkpoint(step, spent, losses, clipping.norms[seen:])
                    model.train()
                    losses, seen = [], len(clipping.norms)
                    next_mark += every
                if done_by >= limit:
                    break
    finally:
        if bar is not None:
            bar.close()
    return history


def _prompt_ids(prompt: object) -> torch.Tensor:
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a str, got {type(prompt).__name__}.")
    ids = text.encode(prompt)
    if len(ids) and prompt[-1].isspace():  # clean() strips the ends, but a final space counts
        ids = torch.cat([ids, torch.tensor([1])])
    if len(ids) == 0:
        raise ValueError(
            f"prompt {prompt!r} is empty after cleaning: the model needs at least one "
            "character to start from, for example 'the time machine '."
        )
    if not (ids >= 2).any():  # ids 0 and 1 are <unk> and space
        raise ValueError(
            f"prompt {prompt!r} has no letter a-z (it cleans to {text.decode(ids)!r}): "
            "the model reads only letters, spaces and the unknown token ·. "
            "Start it with a word, for example 'the time machine '."
        )
    return ids


def generate(
    model: CharLM,
    prompt: str,
    length: int = 100,
    *,
    temperature: float = 1.0,
    greedy: bool = False,
    generator: torch.Generator | None = None,
) -> str:
    """Continue ``prompt`` by ``length`` characters, one at a time; return only the new ones.

    The model reads the prompt once, then each new character with the state ``(h, c)`` left
    by the one before: no window is read twice. Each character is drawn from the softmax of
    the logits divided by ``temperature`` (below 1: safer, above 1: wilder); ``greedy``
    takes the most likely one instead. Runs in eval mode without gradients.

    Shapes: prompt str -> str of ``length`` characters.
    """
    ids = _prompt_ids(prompt)
    length = non_negative_int("length", length)
    temperature = real_number(
        "temperature",
        temperature,
        "a positive number (1 samples the model's own probabilities); "
        "for the most likely character at every step use greedy=True",
        low=0,
        low_open=True,
    )
    new: list[int] = []
    with eval_mode(model), threads(1):  # one character at a time: more threads only wait
        logits, state = model(ids.view(1, -1))  # read the whole prompt once
        for _ in range(length):
            last = logits[0, -1]  # (28,): scores for the character after the last one
            if greedy:
                token = int(last.argmax())
            else:
                probs = torch.softmax(last / temperature, dim=-1)
                token = int(torch.multinomial(probs, 1, generator=generator))
            new.append(token)
            if len(new) < length:  # read it: one step, the state carried
                logits, state = model(torch.tensor([[token]]), state)
    return text.decode(new)


def load_trained(path: str | Path | None = None) -> tuple[CharLM, dict[str, object]]:
    """The stored model (by default the one ``benchmarks/text_weights.py`` trained) and its
    record: the recipe, the seed, the CPU time and the held-out perplexity it reached.

    The weights are stored as float16 (by ``save_trained`` in ``benchmarks/lab/text.py``) and
    come back as float32, in eval mode.
    """
    path = WEIGHTS if path is None else Path(path)
    if not path.is_file() or not path.with_suffix(".json").is_file():
        raise FileNotFoundError(
            f"no stored weights at {path} (and {path.with_suffix('.json').name} beside them); "
            "create them with `python benchmarks/text_weights.py`."
        )
    info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    model = CharLM(**info["config"])
    weights = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict({name: t.to(torch.float32) for name, t in weights.items()})
    model.eval()
    return model, info
