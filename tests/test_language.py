"""helpers.language: the character model, its training, perplexity and generation (chapter 7)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import language, text
from helpers.training import Recipe, TrainingDiverged

# a short stretch of the book keeps every training test under a second
TINY = text.encode(text.read_book()[2000:8000])


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def small_model(cell: str = "lstm", seed: int = 0, **kwargs) -> language.CharLM:
    torch.manual_seed(seed)
    return language.CharLM(cell, hidden_size=16, **kwargs)


# ---------------------------------------------------------------- the model


def test_lecture_shapes_and_names():
    model = language.CharLM()
    assert isinstance(model.rnn, nn.LSTM)
    assert (model.rnn.input_size, model.rnn.hidden_size) == (28, 256)
    assert model.rnn.batch_first
    assert (model.fc.in_features, model.fc.out_features) == (256, 28)
    assert "LSTM(28, 256, batch_first=True)" in repr(model)
    assert sum(p.numel() for p in model.parameters()) == 300_060


@pytest.mark.parametrize("cell, kind", [("lstm", nn.LSTM), ("gru", nn.GRU), ("rnn", nn.RNN)])
def test_forward_predicts_at_every_step(cell, kind):
    model = small_model(cell)
    assert isinstance(model.rnn, kind)
    ids = torch.randint(0, 28, (3, 7))
    logits, state = model(ids)
    assert logits.shape == (3, 7, 28)
    h = state[0] if cell == "lstm" else state
    assert h.shape == (1, 3, 16)


def test_forward_is_the_layers_on_one_hot_inputs():
    model = small_model()
    ids = torch.randint(0, 28, (2, 5), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        logits, _ = model(ids)
        y, _ = model.rnn(F.one_hot(ids, 28).float())
        assert torch.equal(logits, model.fc(y))


def test_state_carried_over_equals_one_long_pass():
    model = small_model()
    ids = torch.randint(0, 28, (2, 10), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        whole, _ = model(ids)
        first, state = model(ids[:, :6])
        second, _ = model(ids[:, 6:], state)
    assert torch.allclose(torch.cat([first, second], dim=1), whole, atol=1e-6)


@pytest.mark.parametrize(
    "ids",
    [torch.zeros(5, dtype=torch.long), torch.zeros(2, 5), torch.zeros(2, 5, 28)],
)
def test_forward_refuses_what_is_not_a_batch_of_ids(ids):
    with pytest.raises(ValueError, match=r"\(batch, time\) and dtype int64"):
        small_model()(ids)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"cell": "transformer"}, ValueError),
        ({"hidden_size": 0}, ValueError),
        ({"dropout": 1.0}, ValueError),
        ({"dropout": -0.1}, ValueError),
        ({"dropout": "0.5"}, TypeError),
    ],
)
def test_model_checks_its_arguments(kwargs, error):
    with pytest.raises(error):
        language.CharLM(**kwargs)


def test_detach_state():
    h = torch.ones(1, requires_grad=True) * 2
    assert not language.detach_state(h).requires_grad
    pair = language.detach_state((h, h))
    assert isinstance(pair, tuple) and not any(s.requires_grad for s in pair)
    assert language.detach_state(None) is None


# ---------------------------------------------------------------- perplexity


def test_a_uniform_guess_has_perplexity_28():
    model = small_model()
    with torch.no_grad():
        model.fc.weight.zero_()
        model.fc.bias.zero_()
    assert language.perplexity(model, TINY[:200]) == pytest.approx(28, rel=1e-5)  # float32 rounding


def test_perplexity_is_exp_of_the_cross_entropy():
    model = small_model()
    ids = TINY[:300]
    with torch.no_grad():
        logits, _ = model(ids[:-1].view(1, -1))
        expected = math.exp(F.cross_entropy(logits[0], ids[1:]).item())
    assert language.perplexity(model, ids) == pytest.approx(expected, rel=1e-6)


def test_perplexity_runs_without_dropout_and_restores_the_mode():
    model = small_model(dropout=0.5)
    model.train()
    first = language.perplexity(model, TINY[:300])
    assert language.perplexity(model, TINY[:300]) == first  # no random dropout
    assert model.training


def test_perplexity_by_windows_restarts_the_state():
    model = small_model()
    ids = TINY[:41]  # 40 inputs: 4 windows of 10
    with torch.no_grad():
        parts = [model(ids[k : k + 10].view(1, -1))[0][0] for k in range(0, 40, 10)]
        loss = F.cross_entropy(torch.cat(parts), ids[1:41])
    assert language.perplexity(model, ids, n_time=10) == pytest.approx(math.exp(loss), rel=1e-5)
    # windows of the whole length are the stream itself
    assert language.perplexity(model, ids, n_time=40) == pytest.approx(
        language.perplexity(model, ids), rel=1e-6
    )


def test_perplexity_by_windows_needs_one_window():
    with pytest.raises(ValueError, match="n_time=50 is longer than the 9 inputs"):
        language.perplexity(small_model(), TINY[:10], n_time=50)


def test_perplexity_needs_two_tokens():
    with pytest.raises(ValueError, match="at least 2"):
        language.perplexity(small_model(), TINY[:1])
    with pytest.raises(TypeError, match="1-D int64"):
        language.perplexity(small_model(), "the")


# ---------------------------------------------------------------- recipes


def test_a_recipe_s_dropout_replaces_the_model_s():
    model = small_model(dropout=0.2)
    run(steps=1, every=1, model=model, recipe=Recipe("adam", batch_size=4))
    assert model.drop.p == 0.2  # None keeps it
    run(steps=1, every=1, model=model, recipe=Recipe("adam", batch_size=4, dropout=0.5))
    assert model.drop.p == 0.5


def test_the_book_s_recipe():
    assert language.BOOK_RECIPE == Recipe("adam", 5e-3, batch_size=32, clip=1.0, dropout=0.5)
    assert language.N_TIME == 35
    history = run(steps=1, every=1)
    assert (history.recipe, history.n_time, history.carry_state) == (RECIPE, 10, True)


# ---------------------------------------------------------------- training

RECIPE = Recipe("adam", 1e-2, batch_size=4, clip=1.0)


def run(steps: int = 20, every: int = 10, seed: int = 0, **kwargs) -> language.LMHistory:
    model = kwargs.pop("model", None) or small_model()
    kwargs.setdefault("n_time", 10)
    return language.train_lm(
        model, TINY, kwargs.pop("recipe", RECIPE), steps=steps, every=every, seed=seed,
        progress=False, **kwargs,
    )  # fmt: skip


def test_checkpoints_at_the_start_every_n_steps_and_the_end():
    history = run(steps=25, every=10, held_out=TINY[:200])
    assert [p.step for p in history.checkpoints] == [0, 10, 20, 25]
    assert math.isnan(history.checkpoints[0].train_loss)  # nothing trained yet
    assert history.final.step == 25
    assert all(p.perplexity > 1 for p in history.checkpoints)
    seconds = [p.seconds for p in history.checkpoints]
    assert seconds == sorted(seconds) and seconds[0] == 0.0


def test_training_lowers_the_loss_and_the_perplexity():
    history = run(steps=60, every=30, held_out=TINY[-500:])
    first, last = history.checkpoints[1], history.final
    assert last.train_loss < first.train_loss
    assert last.perplexity < history.checkpoints[0].perplexity


def test_same_seed_same_history():
    a = run(held_out=TINY[:200], prompt="the ")
    b = run(held_out=TINY[:200], prompt="the ")
    assert [p.train_loss for p in a.checkpoints[1:]] == [p.train_loss for p in b.checkpoints[1:]]
    assert [p.sample for p in a.checkpoints] == [p.sample for p in b.checkpoints]


def test_samples_at_every_checkpoint():
    history = run(prompt="the ", sample_length=12)
    assert all(len(p.sample) == 12 for p in history.checkpoints)
    assert all(p.perplexity is None for p in history.checkpoints)


def test_no_prompt_no_samples():
    assert all(p.sample is None for p in run().checkpoints)


def test_training_by_cpu_time_stops_at_the_budget():
    history = language.train_lm(
        small_model(), TINY, RECIPE, n_time=10, cpu_seconds=0.2, every=0.1, progress=False
    )
    assert 0.2 <= history.final.seconds < 2.0
    assert history.final.step > 1


def test_random_windows_train_too():
    history = run(steps=40, every=20, carry_state=False, held_out=TINY[:300])
    assert history.final.train_loss < history.checkpoints[1].train_loss + 0.5


@pytest.fixture
def states_seen(monkeypatch):
    """A model whose forward records the state it is given: (model, list of states)."""
    model, seen = small_model(), []
    original = model.forward

    def spy(ids, state=None):
        seen.append(state)
        return original(ids, state)

    monkeypatch.setattr(model, "forward", spy)
    return model, seen


def test_state_is_carried_between_consecutive_batches(states_seen):
    model, seen = states_seen
    run(steps=3, every=3, model=model)
    assert seen[0] is None  # an epoch starts from zero
    assert all(isinstance(s, tuple) and not s[0].requires_grad for s in seen[1:])


def test_random_windows_start_from_zero(states_seen):
    model, seen = states_seen
    run(
        steps=3,
        every=3,
        model=model,
        carry_state=False,
    )
    assert seen == [None, None, None]


def test_gradient_is_clipped(monkeypatch):
    norms = []
    real = nn.utils.clip_grad_norm_

    def spy(params, max_norm):
        norms.append(max_norm)
        return real(params, max_norm)

    monkeypatch.setattr(nn.utils, "clip_grad_norm_", spy)
    run(steps=2, every=2)
    assert norms == [1.0, 1.0]


def test_checkpoints_record_the_gradient_norm_and_how_often_it_was_clipped():
    history = run(steps=20, every=10)
    start, point = history.checkpoints[0], history.final
    assert math.isnan(start.grad_norm) and math.isnan(start.clipped)
    assert point.grad_norm > 0 and 0 <= point.clipped <= 1
    huge = run(steps=10, every=10, recipe=Recipe("adam", 5e-3, batch_size=4, clip=1e-6))
    assert huge.final.clipped == 1.0  # every gradient is longer than 1e-6


def test_cosine_schedule_ends_near_zero():
    model = small_model()
    history = language.train_lm(
        model, TINY, RECIPE, steps=10, every=10, lr_schedule="cosine", progress=False
    )
    assert history.final.step == 10


def test_divergence_is_reported():
    model = small_model()
    with torch.no_grad():
        model.fc.bias[0] = math.inf  # as if an update had overflowed
    with pytest.raises(TrainingDiverged, match="lower the learning rate"):
        run(steps=20, every=5, model=model)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"steps": 10, "cpu_seconds": 1.0}, ValueError, "exactly one of steps"),
        ({}, ValueError, "exactly one of steps"),
        ({"steps": 0}, ValueError, "steps"),
        ({"steps": 10, "prompt": "!!"}, ValueError, "no letter"),
        ({"steps": 10, "lr_schedule": "step"}, ValueError, "lr_schedule"),
        ({"steps": 10, "recipe": "adam"}, TypeError, "training.Recipe"),
        ({"steps": 10, "n_time": 0}, ValueError, "n_time"),
        ({"steps": 10, "carry_state": "yes"}, TypeError, "carry_state"),
    ],
)
def test_train_checks_its_arguments_before_training(kwargs, error, match):
    kwargs.setdefault("recipe", RECIPE)
    kwargs.setdefault("n_time", 10)
    with pytest.raises(error, match=match):
        language.train_lm(small_model(), TINY, every=5, progress=False, **kwargs)


def test_train_refuses_a_text_too_short_for_the_window():
    with pytest.raises(ValueError, match="does not fit"):
        language.train_lm(small_model(), TINY[:30], RECIPE, steps=5, every=5, progress=False)


# ---------------------------------------------------------------- generation


def test_generate_returns_length_characters_of_the_vocabulary():
    out = language.generate(small_model(), "the time ", 50, generator=torch.Generator())
    assert len(out) == 50
    assert set(out) <= {text.UNK_CHAR, " ", *"abcdefghijklmnopqrstuvwxyz"}


def test_generate_with_a_seeded_generator_repeats():
    model = small_model()
    a = language.generate(model, "the", 40, generator=torch.Generator().manual_seed(5))
    b = language.generate(model, "the", 40, generator=torch.Generator().manual_seed(5))
    assert a == b


def test_generate_leaves_the_mode_and_gradients_alone():
    model = small_model(dropout=0.5)
    model.train()
    language.generate(model, "the", 5, greedy=True)
    assert model.training
    assert all(p.grad is None for p in model.parameters())


def rereading(model: language.CharLM, prompt: str, length: int) -> str:
    """Greedy generation that re-reads everything from a zero state at every step."""
    ids = text.encode(prompt).tolist() + ([1] if prompt.endswith(" ") else [])
    with torch.no_grad():
        for _ in range(length):
            logits, _ = model(torch.tensor([ids]))
            ids.append(int(logits[0, -1].argmax()))
    return text.decode(ids[len(text.encode(prompt)) + prompt.endswith(" ") :])


def test_carrying_the_state_equals_rereading_everything():
    model = small_model().eval()
    assert language.generate(model, "the time ", 30, greedy=True) == rereading(
        model, "the time ", 30
    )


def test_low_temperature_approaches_greedy():
    model = small_model()
    greedy = language.generate(model, "the ", 30, greedy=True)
    cold = language.generate(
        model, "the ", 30, temperature=1e-4, generator=torch.Generator().manual_seed(0)
    )
    assert cold == greedy


def test_temperature_divides_the_logits():
    # a model whose next character is "a" with logit 3 and any other with logit 0, always
    model = small_model()
    with torch.no_grad():
        model.fc.weight.zero_()
        model.fc.bias.zero_()
        model.fc.bias[2] = 3.0
    for temperature in (0.5, 1.0, 2.0):
        out = language.generate(
            model, "the ", 800, temperature=temperature, generator=torch.Generator().manual_seed(0)
        )
        p_a = math.exp(3 / temperature) / (math.exp(3 / temperature) + 27)
        # 800 draws: the share of "a" is within 3 standard errors (at most 0.018) of p_a
        assert out.count("a") / 800 == pytest.approx(p_a, abs=0.055), temperature


def test_prompt_is_cleaned_like_the_book():
    model = small_model().eval()
    gen = lambda: torch.Generator().manual_seed(1)  # noqa: E731
    assert language.generate(model, "The  Time", 20, generator=gen()) == language.generate(
        model, "the time", 20, generator=gen()
    )


def test_a_final_space_in_the_prompt_counts(monkeypatch):
    model = small_model().eval()
    read = []
    original = model.forward

    def spy(ids, state=None):
        read.append(ids[0].tolist())
        return original(ids, state)

    monkeypatch.setattr(model, "forward", spy)
    language.generate(model, "The  time ", 1, greedy=True)
    language.generate(model, "the time", 1, greedy=True)
    assert read[0] == text.encode("the time").tolist() + [1]  # one space, kept at the end
    assert read[1] == text.encode("the time").tolist()


def test_zero_length_gives_nothing():
    assert language.generate(small_model(), "the", 0) == ""


@pytest.mark.parametrize(
    "prompt, match",
    [("", "empty after cleaning"), ("   \n", "empty after cleaning"), ("?!", "no letter a-z")],
)
def test_generate_refuses_a_prompt_without_letters(prompt, match):
    with pytest.raises(ValueError, match=match):
        language.generate(small_model(), prompt)


@pytest.mark.parametrize("temperature", [0, -1.0, float("nan"), float("inf")])
def test_generate_refuses_a_temperature_that_is_not_positive(temperature):
    with pytest.raises(ValueError, match="greedy=True"):
        language.generate(small_model(), "the", temperature=temperature)


def test_generate_refuses_a_prompt_that_is_not_text():
    with pytest.raises(TypeError, match="prompt must be a str"):
        language.generate(small_model(), text.encode("the"))


# ---------------------------------------------------------------- stored weights


def test_load_without_weights_says_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="benchmarks/text_weights.py"):
        language.load_trained(tmp_path / "missing.pt")


# ---------------------------------------------------------------- n-gram baselines


def ids_of(s: str) -> torch.Tensor:
    return text.encode(s)


def ngram_perplexities(train: torch.Tensor, held: torch.Tensor, max_order: int) -> list[float]:
    """Held-out perplexity of each order, 1 .. max_order, as chapter 7 computes it."""
    losses = language.ngram_losses(train, held, max_order)
    return [math.exp(row.mean().item()) for row in losses]


def test_unigram_by_hand():
    # counts a: 2, b: 1 of 3, 2 distinct; Witten-Bell: p(a) = (2 + 2 / 28) / (3 + 2)
    ppl = ngram_perplexities(ids_of("aab"), ids_of("a"), max_order=1)
    assert ppl[0] == pytest.approx(1 / ((2 + 2 / 28) / 5))


def test_ngram_probabilities_sum_to_one():
    train = ids_of("the time machine by h g wells the time traveller")
    for context in ["t", "th", "e t", "zq"]:  # seen and unseen contexts
        total = 0.0
        for w in range(28):
            held = torch.cat([ids_of(context), torch.tensor([w])])
            n = len(held)
            with_w = ngram_perplexities(train, held, 3)[2] ** (-n)
            without = ngram_perplexities(train, held[:-1], 3)[2] ** (-(n - 1))
            total += with_w / without  # p(w | context)
        assert total == pytest.approx(1.0, rel=1e-9), context


def test_longer_context_wins_on_a_predictable_text():
    train, held = ids_of("abc " * 200), ids_of("abc " * 20)
    ppl = ngram_perplexities(train, held, 3)
    assert ppl[0] > 3.5  # four symbols, equally often
    assert ppl[1] < 1.1  # each one fixes the next


def test_ngram_losses_say_how_each_token_is_predicted():
    train, held = ids_of("the time machine by h g wells " * 5), ids_of("the machine by wells")
    losses = language.ngram_losses(train, held, max_order=3)
    assert losses.shape == (3, len(held)) and losses.dtype == torch.float64
    assert bool((losses > 0).all())  # no held-out token is certain under a smoothed model
    # the first held-out token has no context: every order gives it the unigram's loss
    assert losses[0, 0] == losses[1, 0] == losses[2, 0]
    # "e" after "th" is certain in this training text: the trigram is nearly sure of it
    assert losses[2, 2] < 0.2 and losses[0, 2] > 1


def test_ngram_baselines_on_the_book():
    train, held = text.split(text.encode(text.read_book()))
    ppl = ngram_perplexities(train, held, 5)
    assert [round(p, 2) for p in ppl] == [17.72, 10.07, 6.57, 4.78, 4.24]


# ---------------------------------------------------------------- what ships with the package


def held_out_of_the_book() -> torch.Tensor:
    return text.split(text.encode(text.read_book()))[1]


def test_stored_weights_give_the_recorded_perplexity():
    model, info = language.load_trained()
    assert info["config"] == {"cell": "lstm", "hidden_size": 256}
    assert language.WEIGHTS.stat().st_size <= 1_000_000  # the limit: 1 MB
    assert all(p.dtype == torch.float32 for p in model.parameters())
    # float32 inference on another CPU moves the result in the 6th digit, not the 3rd
    assert language.perplexity(model, held_out_of_the_book()) == pytest.approx(
        info["perplexity"], abs=2e-3
    )


def test_stored_weights_were_chosen_without_the_held_out_text():
    _, info = language.load_trained()
    assert "validation" in info["chosen_by"]
    best = min(info["checkpoints"], key=lambda row: row["valid_perplexity"])
    assert best["step"] == info["steps_trained"]  # the choice follows the validation column
    assert info["train_tokens"] + info["valid_tokens"] + info["held_out_tokens"] == 178_605
