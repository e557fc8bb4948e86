"""The Time Machine as 28 tokens: reading, cleaning, encoding, batches (chapter 7).

Chapter 7 trains the lecture's ``nn.LSTM(28, 256)`` as a character-level language model on
H. G. Wells' *The Time Machine* (1895, public domain), the text Dive into Deep Learning uses.
The book ships inside this package (``resources/timemachine.txt``, see
``resources/README.md``), so a notebook handed out alone finds it offline.

Cleaning keeps what d2l keeps, letters folded to lower case and single spaces, and gives the
28th token a job: every other character (punctuation, digits) becomes the unknown token,
written ``·`` in decoded text, so a model learns where a sentence or a clause ends.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator

import torch

from helpers._checks import non_negative_int, positive_int, real_number
from helpers.results import RESOURCES

__all__ = [
    "TOKENS",
    "VOCAB_SIZE",
    "clean",
    "decode",
    "encode",
    "random_windows",
    "read_book",
    "sequential_batches",
    "split",
]

BOOK = RESOURCES / "timemachine.txt"
UNK = "<unk>"  # the unknown token's name, as d2l's vocabulary spells it
UNK_CHAR = "·"  # how cleaned and decoded text shows it: one character per token
# id -> token: the unknown token, space, then a..z, so "a" is 2 and "z" is 27
TOKENS = (UNK, " ", *string.ascii_lowercase)
VOCAB_SIZE = len(TOKENS)  # 28: the lecture's input_size
_ID = {" ": 1, **{letter: k + 2 for k, letter in enumerate(string.ascii_lowercase)}}
_CHARS = (UNK_CHAR, " ", *string.ascii_lowercase)  # id -> the character decode writes
_WHITESPACE = re.compile(r"\s+")
_UNKNOWN = re.compile(r"[^a-z ]")


def read_book() -> str:
    """The text of *The Time Machine* as shipped with the package: 178,979 characters."""
    return BOOK.read_text(encoding="utf-8")


def _as_str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a str of text, got {type(value).__name__}; "
            "to turn token ids back into text use text.decode."
        )
    return value


def clean(text: str) -> str:
    """Fold ``text`` onto the 28 tokens: one character of the result per token.

    Letters become lower case; every run of whitespace (spaces, line breaks) becomes one
    space, and the ends are stripped; every other character becomes ``UNK_CHAR`` ("·").
    Only ASCII letters count as letters: "é" is unknown.
    """
    text = _WHITESPACE.sub(" ", _as_str("text", text).lower()).strip()
    return _UNKNOWN.sub(UNK_CHAR, text)


def encode(text: str) -> torch.Tensor:
    """Clean ``text`` and return the token id of each character.

    Shapes: str of n characters -> (m,) int64 with m <= n (whitespace runs shrink to one).
    """
    return torch.tensor([_ID.get(ch, 0) for ch in clean(text)], dtype=torch.long)


def decode(ids: object) -> str:
    """Write token ids as text, the unknown token as ``UNK_CHAR``.

    Accepts a 1-D tensor or a list of ints in 0..27. Shapes: (n,) -> str of n characters.
    """
    if isinstance(ids, torch.Tensor):
        if ids.dim() != 1 or ids.is_floating_point() or ids.is_complex():
            raise ValueError(
                f"ids must be a 1-D tensor of integer token ids, got shape {tuple(ids.shape)} "
                f"and dtype {ids.dtype}; decode one sequence at a time, e.g. decode(batch[0])."
            )
        values = ids.tolist()
    elif isinstance(ids, (list, tuple)):
        values = list(ids)
    else:
        raise TypeError(f"ids must be a 1-D tensor or a list of ints, got {type(ids).__name__}.")
    for k, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < VOCAB_SIZE:
            raise ValueError(
                f"ids[{k}] is {value!r}; token ids are ints from 0 to {VOCAB_SIZE - 1}."
            )
    return "".join(_CHARS[value] for value in values)


def _as_ids(name: str, ids: object) -> torch.Tensor:
    if not isinstance(ids, torch.Tensor) or ids.dim() != 1 or ids.dtype != torch.long:
        got = (
            f"shape {tuple(ids.shape)}, dtype {ids.dtype}"
            if isinstance(ids, torch.Tensor)
            else type(ids).__name__
        )
        raise TypeError(
            f"{name} must be a 1-D int64 tensor of token ids (from text.encode), got {got}."
        )
    return ids


def split(ids: torch.Tensor, held_out: float = 0.1) -> tuple[torch.Tensor, torch.Tensor]:
    """Cut the token ids in two: the first part to train on, the last ``held_out`` to test.

    The held-out part comes from the end of the book, so no window of it was ever trained on.

    Shapes: (n,) -> (n - k,), (k,) with k = round(n * held_out).
    """
    ids = _as_ids("ids", ids)
    held_out = real_number("held_out", held_out, "a fraction between 0 and 1", low=0, high=1)
    k = round(len(ids) * held_out)
    if not 0 < k < len(ids):
        raise ValueError(
            f"held_out={held_out} of {len(ids)} tokens leaves {len(ids) - k} to train on and "
            f"{k} to test; both parts need at least one token."
        )
    return ids[: len(ids) - k].clone(), ids[len(ids) - k :].clone()


def _fits(ids: torch.Tensor, batch_size: int, n_time: int) -> int:
    """Tokens per row for ``batch_size`` rows, or an error if no window of ``n_time`` fits."""
    per_row = (len(ids) - 1) // batch_size
    if per_row < n_time:
        raise ValueError(
            f"n_time={n_time} does not fit: {len(ids)} tokens in {batch_size} rows give "
            f"{per_row} inputs per row, and a window needs n_time inputs plus the next token. "
            f"Use n_time <= {per_row}, fewer rows, or a longer text."
        )
    return per_row


def sequential_batches(
    ids: torch.Tensor, batch_size: int, n_time: int, *, offset: int = 0
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Windows for truncated BPTT: row ``b`` of each batch continues row ``b`` of the last.

    The text (from ``offset``) is cut into ``batch_size`` equal rows, read side by side
    ``n_time`` tokens at a time, so the state after one batch is the right start for the
    next. The target of each input is the token after it. Tokens that do not fill a whole
    window at the end are left out. Dive into Deep Learning calls this sequential sampling.

    Shapes: ids (n,) -> batches of inputs (batch_size, n_time) and targets (batch_size, n_time).
    """
    ids = _as_ids("ids", ids)
    batch_size = positive_int("batch_size", batch_size)
    n_time = positive_int("n_time", n_time)
    offset = non_negative_int("offset", offset)
    per_row = _fits(ids[offset:], batch_size, n_time)
    inputs = ids[offset : offset + batch_size * per_row].view(batch_size, per_row)
    targets = ids[offset + 1 : offset + 1 + batch_size * per_row].view(batch_size, per_row)
    for start in range(0, per_row - n_time + 1, n_time):
        yield inputs[:, start : start + n_time], targets[:, start : start + n_time]


def random_windows(
    ids: torch.Tensor,
    batch_size: int,
    n_time: int,
    *,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One batch of windows that start at random places, each on its own.

    Shapes: ids (n,) -> inputs (batch_size, n_time) and targets (batch_size, n_time).
    """
    ids = _as_ids("ids", ids)
    batch_size = positive_int("batch_size", batch_size)
    n_time = positive_int("n_time", n_time)
    _fits(ids, 1, n_time)
    starts = torch.randint(0, len(ids) - n_time, (batch_size, 1), generator=generator)
    index = starts + torch.arange(n_time)  # (batch_size, n_time)
    return ids[index], ids[index + 1]
