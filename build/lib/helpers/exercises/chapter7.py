"""Exercises of chapter 7 (An LSTM that writes): encoding, perplexity, temperature, detaching.

Loaded in the notebook with ``from helpers.exercises import chapter7 as ex``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from helpers import text
from helpers.exercises.checking import Fail, as_number, call_answer, expect_close, fmt, one_line
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises


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
        case = f"case {k}/{len(_ENCODE_CASES)} ({case_text!r})"
        got = call_answer(fn, case, case_text)
        if isinstance(got, torch.Tensor):
            got = got.tolist()
        if not isinstance(got, (list, tuple)) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in got
        ):
            raise Fail(f"{case}: return a list of ints, got {one_line(repr(got), 60)}.")
        expected = text.encode(case_text).tolist()
        if list(got) == expected:
            continue
        if len(got) != len(expected):
            raise Fail(
                f"{case}: got {len(got)} ids, expected {len(expected)}: fold every run of "
                "whitespace into one space and strip the ends."
            )
        at = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
        ch = text.clean(case_text)[at]
        shown = "the unknown token" if ch == text.UNK_CHAR else repr(ch)
        raise Fail(
            f"{case}: at position {at} ({shown}) you gave {got[at]}, expected {expected[at]}."
        )
    return "your ids match text.encode on every case: letters, spaces, case and unknowns."


def _uniform_truth() -> tuple[float, float, float]:
    def ppl(probability: float) -> float:
        return math.exp(-math.log(probability))  # every token gets the same probability

    return ppl(1 / text.VOCAB_SIZE), ppl(1.0), ppl(0.5)


def _judge_perplexities(answers: tuple[Any, ...], truth: tuple[Any, ...]) -> str:
    names = ("answer_uniform", "answer_certain", "answer_half")
    got = [as_number(name, value) for name, value in zip(names, answers, strict=True)]
    for name, value, true in zip(names, got, truth, strict=True):
        if not math.isclose(value, true, rel_tol=1e-3):
            if name == "answer_uniform" and math.isclose(value, math.log(28), rel_tol=1e-3):
                raise Fail(
                    "answer_uniform is the cross-entropy, log 28; perplexity is its exponential."
                )
            raise Fail(f"{name} = {fmt(value)} is not it: perplexity is 1 / p when p is fixed.")
    return (
        "28, 1 and 2: perplexity is the number of equally likely choices the model is as "
        "unsure as. A model that scores 4 hesitates, on average, as if between 4 characters."
    )


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
        case = f"case {k}/4 (28 random logits, temperature {temperature})"
        got = call_answer(fn, case, logits.clone(), temperature)
        expected = torch.softmax(logits / temperature, dim=-1)
        mistakes = [
            (torch.softmax(logits * temperature, dim=-1), "you multiplied by the temperature"),
            (torch.softmax(logits, dim=-1), "the temperature has no effect in your function"),
            (logits / temperature, "turn the scaled logits into probabilities with softmax"),
        ]
        expect_close("probabilities", got, expected, case, mistakes)
    return (
        "softmax(logits / T): below 1 the largest logit takes over (greedy as T -> 0), "
        "above 1 the probabilities even out (uniform as T grows)."
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
        truth=_uniform_truth,
        judge=_judge_perplexities,
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
)
