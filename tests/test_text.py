"""helpers.text: The Time Machine, its 28 tokens, and the batches that feed them (chapter 7)."""

from __future__ import annotations

import hashlib
import string
from pathlib import Path

import pytest
import torch

from helpers import text

# ---------------------------------------------------------------- the book as shipped


def test_book_is_the_d2l_copy_byte_for_byte():
    data = text.BOOK.read_bytes()
    assert len(data) == 178_979
    # data/timemachine.txt of d2l-ai/d2l-zh at 3e36f4a77b1be16f39b372518af5ad288b1ed6c4
    assert (
        hashlib.sha256(data).hexdigest()
        == "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516"
    )


def test_read_book_returns_the_whole_text():
    book = text.read_book()
    assert len(book) == 178_979
    assert book.startswith("The Time Machine, by H. G. Wells")
    assert book.rstrip().endswith("in the heart\nof man.")


def test_book_has_a_source_and_licence_note_beside_it():
    note = (text.BOOK.parent / "README.md").read_text(encoding="utf-8")
    for needed in ("d2l-ai/d2l-zh", "3e36f4a77b1be16f39b372518af5ad288b1ed6c4", "public domain"):
        assert needed in note


def test_the_book_ships_as_package_data():
    # a notebook handed out alone finds it through the installed package, not a relative path
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'helpers = ["resources/*"' in pyproject  # (the helpers' translations follow)
    assert text.BOOK.parent == Path(text.__file__).parent / "resources"


# ---------------------------------------------------------------- the vocabulary


def test_vocabulary_has_28_tokens_in_a_fixed_order():
    assert text.VOCAB_SIZE == len(text.TOKENS) == 28
    assert text.TOKENS[0] == text.UNK == "<unk>"
    assert text.TOKENS[1] == " "
    assert text.TOKENS[2:] == tuple(string.ascii_lowercase)
    assert len(set(text.TOKENS)) == 28


def test_encode_pins_the_ids():
    assert text.encode("a").tolist() == [2]
    assert text.encode("z").tolist() == [27]
    assert text.encode("ab z").tolist() == [2, 3, 1, 27]
    assert text.encode("!").tolist() == [0]


def test_encode_returns_int64():
    ids = text.encode("time")
    assert ids.dtype == torch.long and ids.shape == (4,)


def test_clean_folds_case_and_whitespace():
    assert text.clean("The  Time\nMachine") == "the time machine"
    assert text.clean("  a\t\n\n b  ") == "a b"
    assert text.clean("ABC xyz") == "abc xyz"


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("way--marking", "way··marking"),  # every unknown character stays one token
        ("'You must.'", "·you must··"),
        ("1895", "····"),
        ("café", "caf·"),  # only ASCII letters are letters
        ("said Filby, an", "said filby· an"),
        ("·", "·"),  # the unknown token's own symbol is unknown: cleaning is idempotent
    ],
)
def test_clean_maps_everything_else_to_unknown(raw, cleaned):
    assert text.clean(raw) == cleaned


def test_clean_is_idempotent_on_the_book():
    once = text.clean(text.read_book())
    assert text.clean(once) == once


def test_round_trip_gives_the_cleaned_text():
    for raw in ["the time traveller", "Hello, World!\n  Bye.", "", "  ", "Ünïcödé 123"]:
        assert text.decode(text.encode(raw)) == text.clean(raw)


def test_round_trip_of_ids():
    ids = torch.arange(28)
    assert torch.equal(text.encode(text.decode(ids)), ids)


def test_decode_writes_unknown_as_its_symbol():
    assert text.decode([0, 1, 2]) == "· a"
    assert text.UNK_CHAR == "·"


def test_decode_accepts_lists_and_tensors_alike():
    assert text.decode([21, 9, 6]) == text.decode(torch.tensor([21, 9, 6])) == "the"
    assert text.decode([]) == ""


def test_cleaned_book_uses_exactly_the_28_tokens():
    cleaned = text.clean(text.read_book())
    assert len(cleaned) == 178_605
    assert set(cleaned) == {text.UNK_CHAR, " ", *string.ascii_lowercase}
    assert "  " not in cleaned  # whitespace runs became one space
    ids = text.encode(text.read_book())
    assert torch.equal(torch.unique(ids), torch.arange(28))
    assert int((ids == 0).sum()) == cleaned.count(text.UNK_CHAR) == 5_647


def test_encode_refuses_what_is_not_text():
    with pytest.raises(TypeError, match="must be a str"):
        text.encode(["a", "b"])
    with pytest.raises(TypeError, match="text.decode"):
        text.clean(torch.tensor([1, 2]))


@pytest.mark.parametrize(
    "ids, match",
    [
        ([0, 28], r"ids\[1\] is 28"),
        ([-1], r"ids\[0\] is -1"),
        ([1.0], r"ints from 0 to 27"),
        ([True], r"ints from 0 to 27"),
        (torch.tensor([[1, 2]]), "1-D tensor"),
        (torch.tensor([1.0]), "integer token ids"),
    ],
)
def test_decode_refuses_bad_ids(ids, match):
    with pytest.raises(ValueError, match=match):
        text.decode(ids)


def test_decode_refuses_a_string():
    with pytest.raises(TypeError, match="1-D tensor or a list"):
        text.decode("abc")


# ---------------------------------------------------------------- the split


def test_split_holds_out_the_end():
    ids = torch.arange(100)
    train, held = text.split(ids, held_out=0.1)
    assert torch.equal(train, torch.arange(90)) and torch.equal(held, torch.arange(90, 100))


def test_split_of_the_book():
    ids = text.encode(text.read_book())
    train, held = text.split(ids)
    assert len(train) == 160_745 and len(held) == 17_860
    assert torch.equal(torch.cat([train, held]), ids)


def test_split_returns_copies():
    ids = torch.arange(10)
    train, _ = text.split(ids, 0.5)
    train[0] = 99
    assert ids[0] == 0


@pytest.mark.parametrize("held_out", [0.0, 1.0, 0.001])
def test_split_needs_two_nonempty_parts(held_out):
    with pytest.raises(ValueError, match="both parts need at least one token"):
        text.split(torch.arange(10), held_out)


@pytest.mark.parametrize("held_out", [-0.1, 1.5, float("nan")])
def test_split_refuses_a_fraction_out_of_range(held_out):
    with pytest.raises(ValueError, match="held_out must be a fraction"):
        text.split(torch.arange(10), held_out)


def test_split_refuses_text():
    with pytest.raises(TypeError, match="1-D int64 tensor"):
        text.split("the time machine")


# ---------------------------------------------------------------- batches


def test_sequential_batches_continue_each_row():
    ids = torch.arange(30)
    batches = list(text.sequential_batches(ids, batch_size=2, n_time=4))
    # 29 inputs in 2 rows of 14: rows start at 0 and 14; 3 whole windows of 4 per row
    assert len(batches) == 3
    first, second = batches[0], batches[1]
    assert first[0].tolist() == [[0, 1, 2, 3], [14, 15, 16, 17]]
    assert second[0].tolist() == [[4, 5, 6, 7], [18, 19, 20, 21]]
    for inputs, targets in batches:
        assert torch.equal(targets, inputs + 1)  # the target is the next token


def test_sequential_batches_offset_shifts_every_window():
    ids = torch.arange(30)
    inputs, _ = next(text.sequential_batches(ids, 2, 4, offset=3))
    assert inputs[0].tolist() == [3, 4, 5, 6]


def test_sequential_batches_cover_the_text_once():
    ids = torch.arange(1000)
    seen = torch.cat([x.reshape(-1) for x, _ in text.sequential_batches(ids, 4, 10)])
    assert len(seen) == len(torch.unique(seen)) == 4 * 240


def test_sequential_batches_shapes_on_the_book():
    ids = text.encode(text.read_book())
    inputs, targets = next(text.sequential_batches(ids, 32, 35))
    assert inputs.shape == targets.shape == (32, 35)
    assert inputs.dtype == torch.long


def test_sequential_batches_refuse_a_window_that_does_not_fit():
    with pytest.raises(ValueError, match=r"n_time=35 does not fit.*Use n_time <= 3"):
        next(text.sequential_batches(torch.arange(100), 32, 35))


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"batch_size": 0, "n_time": 4}, ValueError),
        ({"batch_size": 2, "n_time": 2.5}, TypeError),
        ({"batch_size": 2, "n_time": 4, "offset": -1}, ValueError),
    ],
)
def test_sequential_batches_check_their_arguments(kwargs, error):
    with pytest.raises(error):
        next(text.sequential_batches(torch.arange(100), **kwargs))


def test_random_windows_are_windows_of_the_text():
    ids = torch.arange(500)
    inputs, targets = text.random_windows(ids, 8, 10, generator=torch.Generator().manual_seed(0))
    assert inputs.shape == targets.shape == (8, 10)
    assert torch.equal(targets, inputs + 1)
    assert torch.equal(inputs[:, 1:] - inputs[:, :-1], torch.ones(8, 9, dtype=torch.long))
    assert int(targets.max()) <= 499


def test_random_windows_same_generator_same_batch():
    ids = torch.arange(500)
    a = text.random_windows(ids, 4, 5, generator=torch.Generator().manual_seed(3))
    b = text.random_windows(ids, 4, 5, generator=torch.Generator().manual_seed(3))
    assert torch.equal(a[0], b[0])


def test_random_windows_can_reach_the_last_token():
    ids = torch.arange(12)  # windows of 10: starts 0 or 1
    inputs, targets = text.random_windows(ids, 50, 10, generator=torch.Generator().manual_seed(0))
    assert int(targets.max()) == 11 and int(inputs.min()) == 0


def test_random_windows_refuse_a_window_longer_than_the_text():
    with pytest.raises(ValueError, match="n_time=20 does not fit"):
        text.random_windows(torch.arange(10), 2, 20)
