"""Exercises of chapter 7 (An LSTM that writes): encoding, perplexity, temperature, detaching,
the batches of truncated BPTT.

Loaded in the notebook with ``from helpers.exercises import chapter7 as ex``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from typing import Any

import torch

from helpers import text
from helpers.exercises.checking import Fail, call_answer, expect_close, one_line
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.i18n import N_, gettext


def encode_chars(s):
    """The token ids of string s: <unk> 0, space 1, a..z 2..27, after cleaning.

    Cleaning: lower case; every run of whitespace becomes one space, with none at the ends;
    any other character becomes the unknown token.
    """
    ### BEGIN SOLUTION
    s = " ".join(s.lower().split())  # lower case, whitespace runs -> one space, ends stripped
    ids = []
    for ch in s:
        if ch == " ":
            ids.append(1)
        elif "a" <= ch <= "z":
            ids.append(ord(ch) - ord("a") + 2)
        else:
            ids.append(0)  # everything else is unknown
    return ids
    ### END SOLUTION


_ENCODE_CASES = [
    "the time machine",
    "The Time Traveller",
    "way--marking, said Filby.",
    "two\n\nparagraphs  and\ttabs ",
    "  café 1895  ",
]


def _check_encode(fn: Callable[..., Any]) -> str:
    for k, case_text in enumerate(_ENCODE_CASES, 1):
        case = gettext("case {k}/{total} ({text})").format(
            k=k, total=len(_ENCODE_CASES), text=repr(case_text)
        )
        got = call_answer(fn, case, case_text)
        if isinstance(got, torch.Tensor):
            got = got.tolist()
        if not isinstance(got, (list, tuple)) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in got
        ):
            raise Fail(
                gettext("{case}: return a list of ints, got {got}.").format(
                    case=case, got=one_line(repr(got), 60)
                )
            )
        expected = text.encode(case_text).tolist()
        if list(got) == expected:
            continue
        if len(got) != len(expected):
            raise Fail(
                gettext(
                    "{case}: got {got} ids, expected {expected}: fold every run of "
                    "whitespace into one space and strip the ends."
                ).format(case=case, got=len(got), expected=len(expected))
            )
        at = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
        ch = text.clean(case_text)[at]
        shown = gettext("the unknown token") if ch == text.UNK_CHAR else repr(ch)
        raise Fail(
            gettext(
                "{case}: at position {at} ({shown}) you gave {got}, expected {expected}."
            ).format(case=case, at=at, shown=shown, got=got[at], expected=expected[at])
        )
    return gettext("your ids match text.encode on every case: letters, spaces, case and unknowns.")


def temperature_probs(logits, temperature):
    """Probabilities of the next token from its logits, sharpened or flattened.

    Shapes: logits (vocab,) -> (vocab,), summing to 1.
    """
    ### BEGIN SOLUTION
    return torch.softmax(logits / temperature, dim=-1)
    ### END SOLUTION


def _check_temperature(fn: Callable[..., Any]) -> str:
    generator = torch.Generator().manual_seed(7)
    logits = torch.randn(28, generator=generator) * 2
    for k, temperature in enumerate([1.0, 0.5, 2.0, 0.1], 1):
        case = gettext("case {k}/4 (28 random logits, temperature {temperature})").format(
            k=k, temperature=temperature
        )
        got = call_answer(fn, case, logits.clone(), temperature)
        expected = temperature_probs(logits, temperature)  # the reference
        mistakes = [  # the reference at another temperature, or the logits not yet a softmax
            (temperature_probs(logits, 1 / temperature), N_("you multiplied by the temperature")),
            (temperature_probs(logits, 1.0), N_("the temperature has no effect in your function")),
            (logits / temperature, N_("turn the scaled logits into probabilities with softmax")),
        ]
        expect_close("probabilities", got, expected, case, mistakes)
    return gettext(
        "softmax(logits / T): below 1 the largest logit takes over (greedy as T -> 0), "
        "above 1 the probabilities even out (uniform as T grows)."
    )


def tbptt_batches(ids, batch_size, n_time):
    """The batches of truncated BPTT over ids: a list of (inputs, targets) pairs.

    Cut ids into batch_size rows of equal length, read side by side n_time tokens at a time,
    so that row b of each batch continues row b of the batch before; the target of each
    input is the token after it. What does not fill a whole window is left out.

    Shapes: ids (n,) int64 -> pairs of (batch_size, n_time) tensors.
    """
    ### BEGIN SOLUTION
    per_row = (len(ids) - 1) // batch_size  # inputs per row: each needs the token after it
    inputs = ids[: batch_size * per_row].view(batch_size, per_row)
    targets = ids[1 : batch_size * per_row + 1].view(batch_size, per_row)
    return [
        (inputs[:, t : t + n_time], targets[:, t : t + n_time])
        for t in range(0, per_row - n_time + 1, n_time)
    ]
    ### END SOLUTION


# (tokens, batch_size, n_time, shuffled): token i is i, so that a wrong row shows where it was
# cut from; then a shuffled text, so that "the token after" cannot be computed as "id + 1"
_BATCH_CASES = [(23, 2, 3, False), (100, 4, 5, False), (50, 3, 7, False), (36, 5, 7, False),
                (61, 3, 4, True)]  # fmt: skip


@contextlib.contextmanager
def _sequential_batches_forbidden() -> Iterator[None]:
    """While the learner's function runs, text.sequential_batches answers with a Fail."""

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise Fail(
            gettext(
                "write the batches yourself: calling text.sequential_batches is not the exercise."
            )
        )

    saved = text.sequential_batches
    text.sequential_batches = forbidden
    try:
        yield
    finally:
        text.sequential_batches = saved


def _check_batches(fn: Callable[..., Any]) -> str:
    for k, (n, batch_size, n_time, shuffled) in enumerate(_BATCH_CASES, 1):
        if shuffled:
            ids = torch.randperm(n, generator=torch.Generator().manual_seed(7))
            case = gettext(
                "case {k}/{total} (a shuffled text of {n} tokens, batch_size={b}, n_time={t})"
            )
        else:
            ids = torch.arange(n)
            case = gettext("case {k}/{total} (ids = torch.arange({n}), batch_size={b}, n_time={t})")
        case = case.format(k=k, total=len(_BATCH_CASES), n=n, b=batch_size, t=n_time)
        expected = list(text.sequential_batches(ids, batch_size, n_time))
        with _sequential_batches_forbidden():
            got = call_answer(fn, case, ids.clone(), batch_size, n_time)
        try:
            got = [(inputs, targets) for inputs, targets in got]
        except (TypeError, ValueError):
            raise Fail(
                gettext("{case}: return a list of (inputs, targets) pairs.").format(case=case)
            ) from None
        if len(got) != len(expected):
            raise Fail(
                gettext(
                    "{case}: {got} batches, expected {expected}: each row holds "
                    "(len(ids) - 1) // batch_size inputs (the last token of the text is only "
                    "a target), and only whole windows of n_time count."
                ).format(case=case, got=len(got), expected=len(expected))
            )
        for j, ((inputs, targets), (want_in, want_out)) in enumerate(
            zip(got, expected, strict=True)
        ):
            for name, value, want in [("inputs", inputs, want_in), ("targets", targets, want_out)]:
                where = gettext("{case}, batch {j}").format(case=case, j=j)
                if not isinstance(value, torch.Tensor) or value.shape != want.shape:
                    shape = tuple(value.shape) if isinstance(value, torch.Tensor) else value
                    message = gettext(
                        "{where}: {name} should be a tensor of shape {want}, got {got}."
                    )
                    raise Fail(
                        message.format(
                            where=where, name=name, want=tuple(want.shape), got=one_line(shape, 60)
                        )
                    )
                if torch.equal(value, want):
                    continue
                if name == "targets" and torch.equal(value, want_in):
                    message = gettext("{where}: the targets are the inputs shifted by one token.")
                    raise Fail(message.format(where=where))
                rows_adjacent = len(value) > 1 and bool(value[1, 0] == value[0, -1] + 1)
                not_continued = j > 0 and not torch.equal(got[j - 1][0][:, -1] + 1, value[:, 0])
                if name == "inputs" and (rows_adjacent or not_continued):
                    hint = gettext(
                        "row b of each batch must continue row b of the batch before: cut the "
                        "text into batch_size long rows first, then take n_time columns at a time."
                    )
                else:
                    hint = gettext("expected {want}.").format(want=one_line(want.tolist(), 80))
                raise Fail(
                    gettext("{where}: your {name} are {got}; {hint}").format(
                        where=where, name=name, got=one_line(value.tolist(), 80), hint=hint
                    )
                )
    return gettext(
        "your batches match text.sequential_batches on every case: rows read side by side, "
        "each batch continuing the last, the targets one token ahead."
    )


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="Encode a string",
        reference=encode_chars,
        checker=_check_encode,
        hints=[
            "Clean first: `s.lower()`, then `' '.join(s.split())` turns every run of "
            "whitespace into one space and strips the ends.",
            "Space is 1, `'a'` is 2 and `'z'` is 27: `ord(ch) - ord('a') + 2`. Anything "
            "else, punctuation, digits or `'é'`, is 0, the unknown token.",
        ],
        explanation="Three rules make the 28 tokens: lower case, one space for any run of "
        "whitespace, and the unknown token for everything else. `helpers.text.encode` "
        "applies the same rules.",
    ),
    PredictExercise(
        title="Perplexity of a guess",
        answers={
            "answer_uniform": "every one of the 28 tokens with probability 1/28",
            "answer_certain": "the right token with probability 1, every time",
            "answer_half": "the right token with probability 1/2, every time",
        },
        # exp(-log p) for p = 1 / text.VOCAB_SIZE, 1 and 1/2
        expected={"answer_uniform": 28.0, "answer_certain": 1.0, "answer_half": 2.0},
        mistakes={
            "answer_uniform": [
                (
                    math.log(28),
                    N_(
                        "answer_uniform is the cross-entropy, log 28; perplexity is its "
                        "exponential."
                    ),
                )
            ]
        },
        wrong=dict.fromkeys(
            ("answer_uniform", "answer_certain", "answer_half"),
            N_("{name} = {value:.4g} is not it: perplexity is 1 / p when p is fixed."),
        ),
        success=N_(
            "28, 1 and 2: a perplexity of k means the model is as unsure as if it chose among k "
            "equally likely tokens. A model that scores 4 hesitates, on average, as if between 4 "
            "characters."
        ),
        hints=[
            "Perplexity is exp of the mean cross-entropy, and the cross-entropy of one "
            "prediction is -log p, where p is the probability the model gave the right token.",
            "If p is the same at every step, exp(-log p) = 1 / p.",
        ],
        explanation="With the same p at every step the perplexity is 1 / p: 28 for a uniform "
        "guess over 28 tokens, 1 for certainty, 2 for a coin flip between two. That is why "
        "the chapter reads perplexity as the number of characters the model hesitates between.",
    ),
    CodeExercise(
        title="Softmax with a temperature",
        reference=temperature_probs,
        checker=_check_temperature,
        hints=[
            "Divide the logits by the temperature, then apply `torch.softmax(..., dim=-1)`.",
            "A temperature below 1 makes the gaps between logits larger, so the top token "
            "takes more of the probability.",
        ],
        explanation="`torch.softmax(logits / temperature, dim=-1)`: the temperature scales "
        "every gap between logits by the same factor. `helpers.language.generate` draws from "
        "these probabilities.",
    ),
    OpenQuestion(
        title="Why detach the state?",
        hints=[
            "Think of the state after batch k as a tensor that remembers how it was computed: "
            "from batch k's inputs and from the state after batch k - 1.",
            "What would `loss.backward()` at batch 100 have to run through, and what does "
            "PyTorch do with a graph after one backward pass?",
        ],
        explanation="The state carried into batch k was computed from every batch before it, "
        "so without `detach` the graph grows with every batch: backward at batch k would run "
        "through all k batches (time and memory grow without bound), and in PyTorch it fails "
        "at once, because the earlier batches' graphs were freed by their own backward pass. "
        "Detaching keeps the state's values (the model still reads the text as one stream) "
        "but cuts the gradient at the batch's start: the gradient reaches back at most 35 "
        "steps. That is truncated backpropagation through time.",
    ),
    CodeExercise(
        title="Batches for truncated BPTT",
        reference=tbptt_batches,
        checker=_check_batches,
        hints=[
            "First cut the text into `batch_size` rows: each row gets "
            "`per_row = (len(ids) - 1) // batch_size` inputs, and "
            "`ids[: batch_size * per_row].view(batch_size, per_row)` lays them out.",
            "The targets are the same rows one token later: "
            "`ids[1 : batch_size * per_row + 1].view(batch_size, per_row)`. Then take columns "
            "`t : t + n_time` of both, for t = 0, n_time, 2 n_time, ... while a whole window fits.",
        ],
        explanation="Rows first, windows second: the text becomes `batch_size` long rows read "
        "side by side, and batch k takes columns `k * n_time` to `(k + 1) * n_time` of every row, "
        "so row b of batch k + 1 starts where row b of batch k stopped. That is what lets the "
        "state after one batch be the right start for the next. Cutting the text into "
        "consecutive windows and grouping them into batches would give other windows, in "
        "another order, and a carried state would then continue the wrong text.",
    ),
)
