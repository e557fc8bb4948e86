"""The exercises' checks: they accept the reference answers and reject typical wrong ones."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat
import pytest
import torch
from torch import nn

from helpers import text
from helpers.exercises import CHAPTERS, MARKER, ExerciseFailed
from helpers.exercises.kinds import OpenQuestion

MODULES = {name: importlib.import_module(f"helpers.exercises.{name}") for name in CHAPTERS}
ALL = [(name, q) for name, module in MODULES.items() for q in module.EXERCISES]
CHECKED = [(name, q) for name, q in ALL if q.kind != "open"]


def ids(pairs):
    return [f"{name}.{q.name}" for name, q in pairs]


def reference_answers(chapter: str, exercise) -> tuple:
    """What the notebook's answer cell defines, found by running that cell."""
    namespace = {"torch": torch, "nn": nn}
    exec(exercise.cell_source, namespace)
    if exercise.kind == "code":
        return (namespace[exercise.answer_name],)
    return tuple(namespace[name] for name in exercise.answer_names)


def solution_lines(exercise) -> list[str]:
    """The reference lines that compute something (assign or return) between the markers.

    Habits a verdict may name, such as `with torch.no_grad():`, are not secrets.
    """
    lines, inside = [], False
    for line in exercise.cell_source.splitlines():
        code = line.split("  #")[0].strip()
        if MARKER.match(line):
            inside = "BEGIN" in line
        elif inside and ("=" in code or code.startswith("return ")):
            lines.append(code)
    return lines


# --------------------------------------------------------------------------- wrong answers


def rnn_backward(slope="h", through="weight_hh", weight_grad="outer"):
    """A backward step with one classic slip: the slope, the matrix or the weight gradient."""

    def rnn_step_backward(grad_h, h, h_prev, weight_hh):
        slope_at = {"h": 1 - h**2, "h_prev": 1 - h_prev**2, "none": 1.0}[slope]
        grad_pre = grad_h * slope_at
        matrix = weight_hh if through == "weight_hh" else weight_hh.T
        grad_weight_hh = {
            "outer": grad_pre.T @ h_prev,
            "transposed": h_prev.T @ grad_pre,
            "mean": grad_pre.T @ h_prev / len(h_prev),
        }[weight_grad]
        return grad_pre @ matrix, grad_weight_hh

    return rnn_step_backward


def windows_answer_off_by_one(series, n_time):
    n_sample = len(series) - n_time
    input_data, correct_data = torch.zeros(n_sample, n_time, 1), torch.zeros(n_sample, 1)
    for i in range(n_sample):
        input_data[i] = series[i : i + n_time].view(-1, 1)
        correct_data[i] = series[i + n_time - 1]  # the window's last point, not the next one
    return input_data, correct_data


def windows_not_sliding(series, n_time):
    n_sample = len(series) - n_time
    input_data, correct_data = torch.zeros(n_sample, n_time, 1), torch.zeros(n_sample, 1)
    for i in range(n_sample):
        input_data[i] = series[0:n_time].view(-1, 1)
        correct_data[i] = series[i + n_time]
    return input_data, correct_data


def windows_one_too_many(series, n_time):
    n_sample = len(series) - n_time + 1
    input_data, correct_data = torch.zeros(n_sample, n_time, 1), torch.zeros(n_sample, 1)
    for i in range(n_sample - 1):
        input_data[i] = series[i : i + n_time].view(-1, 1)
        correct_data[i] = series[i + n_time]
    return input_data, correct_data


def closed_loop_with_grad(model, seed_window, steps):
    n_time, values = len(seed_window), seed_window.reshape(-1).tolist()
    model.eval()
    for _ in range(steps):
        values.append(model(torch.tensor(values[-n_time:]).view(1, n_time, 1)).item())
    return torch.tensor(values[n_time:])


def closed_loop_train_mode(model, seed_window, steps):
    n_time, values = len(seed_window), seed_window.reshape(-1).tolist()
    with torch.no_grad():
        for _ in range(steps):
            values.append(model(torch.tensor(values[-n_time:]).view(1, n_time, 1)).item())
    return torch.tensor(values[n_time:])


def closed_loop_not_sliding(model, seed_window, steps):
    model.eval()
    with torch.no_grad():
        x = seed_window.view(1, -1, 1)
        return torch.tensor([model(x).item() for _ in range(steps)])


def closed_loop_with_seed(model, seed_window, steps):
    n_time, values = len(seed_window), seed_window.reshape(-1).tolist()
    model.eval()
    with torch.no_grad():
        for _ in range(steps):
            values.append(model(torch.tensor(values[-n_time:]).view(1, n_time, 1)).item())
    return torch.tensor(values)


def closed_loop_grad_off_for_good(model, seed_window, steps):
    torch.set_grad_enabled(False)
    n_time, values = len(seed_window), seed_window.reshape(-1).tolist()
    model.eval()
    for _ in range(steps):
        values.append(model(torch.tensor(values[-n_time:]).view(1, n_time, 1)).item())
    return torch.tensor(values[n_time:])


def epoch(zero_grad=True, step=True, train=True, result="mean"):
    def train_one_epoch(model, loader, loss_func, optimizer):
        if train:
            model.train()
        losses = []
        for x, t in loader:
            loss = loss_func(model(x), t)
            if zero_grad:
                optimizer.zero_grad()
            loss.backward()
            if step:
                optimizer.step()
            losses.append(loss.item())
        return {"mean": sum(losses) / len(losses), "sum": sum(losses), "last": losses[-1]}[result]

    return train_one_epoch


def coupled_cell(squash=("s", "t", "s"), f_is_i=False, order="igo", squash_c=True):
    fns = {"s": torch.sigmoid, "t": torch.tanh}

    def coupled_lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        pre = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh
        blocks = dict(zip(order, pre.chunk(3, dim=1), strict=True))
        i, g, o = (fns[s](blocks[k]) for s, k in zip(squash, "igo", strict=True))
        f = i if f_is_i else 1 - i
        c = f * c_prev + i * g
        return (o * torch.tanh(c) if squash_c else o * c), c

    return coupled_lstm_step


def lstm_net(layer=nn.LSTM, batch_first=True, step=-1, unpack=True):
    class LSTMNet(nn.Module):
        def __init__(self, input_size=1, hidden_size=64, output_size=1):
            super().__init__()
            self.rnn = layer(input_size, hidden_size, batch_first=batch_first)
            self.fc = nn.Linear(hidden_size, output_size)

        def forward(self, x):
            y, state = self.rnn(x, None)
            if not unpack:
                return self.fc(state)  # the LSTM's state is a pair: this raises
            return self.fc(y[:, step, :])

    return LSTMNet


def gru_cho(pytorch=False, gated_bias=False, swap_z=False, no_reset=False):
    def gru_step_cho(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        x_r, x_z, x_n = (x @ weight_ih.T + bias_ih).chunk(3, dim=1)
        w_hr, w_hz, w_hn = weight_hh.chunk(3, dim=0)
        b_hr, b_hz, b_hn = bias_hh.chunk(3)
        r = torch.sigmoid(x_r + h_prev @ w_hr.T + b_hr)
        z = torch.sigmoid(x_z + h_prev @ w_hz.T + b_hz)
        if pytorch:
            from_h = r * (h_prev @ w_hn.T + b_hn)
        elif gated_bias:
            from_h = (r * h_prev) @ w_hn.T + r * b_hn
        elif no_reset:
            from_h = h_prev @ w_hn.T + b_hn
        else:
            from_h = (r * h_prev) @ w_hn.T + b_hn
        n = torch.tanh(x_n + from_h)
        return z * n + (1 - z) * h_prev if swap_z else (1 - z) * n + z * h_prev

    return gru_step_cho


def batches_wrong(kind):
    def tbptt_batches(ids, batch_size, n_time):
        if kind == "windows grouped":  # consecutive windows, grouped into batches
            windows = [ids[t : t + n_time] for t in range(0, len(ids) - n_time, n_time)]
            grouped = [
                torch.stack(windows[k : k + batch_size])
                for k in range(0, len(windows) - batch_size + 1, batch_size)
            ]
            return [(inputs, inputs + 1) for inputs in grouped]
        if kind == "the helper itself":
            return list(text.sequential_batches(ids, batch_size, n_time))
        per_row = (len(ids) - (kind != "no room for the last target")) // batch_size
        inputs = ids[: batch_size * per_row].view(batch_size, per_row)
        targets = ids[1 : batch_size * per_row + 1]
        targets = inputs if kind == "targets = inputs" else targets.view(batch_size, -1)
        targets = inputs + 1 if kind == "id + 1" else targets
        return [
            (inputs[:, t : t + n_time], targets[:, t : t + n_time])
            for t in range(0, per_row - n_time + 1, n_time)
        ]

    return tbptt_batches


def next_is_last_point(window, step):
    return window[-1]


def next_from_a_sine_only(window, step):  # the fit forgets the cosine: phase fixed at 0
    n = len(window)
    s = torch.arange(n + 1, dtype=torch.float64) * step
    basis = torch.sin(s).reshape(-1, 1)
    coef = torch.linalg.lstsq(basis[:n], window.double().reshape(n, 1)).solution
    return (basis[n] @ coef)[0]


def encoder(lower=True, collapse=True, first_letter=2, unknown=0):
    def encode_chars(s):
        s = s.lower() if lower else s
        s = " ".join(s.split()) if collapse else s.replace("\n", " ")
        ids = []
        for ch in s:
            if ch == " ":
                ids.append(1)
            elif "a" <= ch <= "z":
                ids.append(ord(ch) - ord("a") + first_letter)
            else:
                ids.append(unknown)
        return ids

    return encode_chars


def temperature_probs_wrong(kind):
    def temperature_probs(logits, temperature):
        if kind == "times":
            return torch.softmax(logits * temperature, dim=-1)
        if kind == "ignored":
            return torch.softmax(logits, dim=-1)
        return logits / temperature  # no softmax

    return temperature_probs


WRONG = {
    ("chapter1", "q1"): [
        rnn_backward(slope="none"),
        rnn_backward(slope="h_prev"),
        rnn_backward(through="weight_hh.T"),
        rnn_backward(weight_grad="transposed"),
        rnn_backward(weight_grad="mean"),
    ],
    ("chapter1", "q2"): [
        ((4, 32), (2, 4, 32)),
        ((2, 4, 32), (4, 25, 32)),
        ((4, 25, 32), (1, 4, 32)),
    ],
    ("chapter1", "q3"): [(10, (1, 10, 64)), (8, (1, 8, 64)), ("8", (1, 10, 64))],
    ("chapter2", "q1"): [windows_answer_off_by_one, windows_not_sliding, windows_one_too_many],
    ("chapter2", "q2"): [(226, (226, 25, 1)), (225, (225, 25)), (250, (250, 25, 1))],
    ("chapter2", "q3"): [(43,), (50,), (7,)],
    ("chapter3", "q1"): [
        closed_loop_with_grad,
        closed_loop_train_mode,
        closed_loop_not_sliding,
        closed_loop_with_seed,
        closed_loop_grad_off_for_good,
    ],
    ("chapter3", "q2"): [(0.3,), (0.01,), (0.0,)],
    ("chapter3", "q3"): [
        epoch(zero_grad=False),
        epoch(step=False),
        epoch(train=False),
        epoch(result="sum"),
        epoch(result="last"),
    ],
    ("chapter4", "q1"): [
        coupled_cell(f_is_i=True),
        coupled_cell(order="iog"),
        coupled_cell(squash=("s", "s", "s")),
        coupled_cell(squash_c=False),
    ],
    ("chapter4", "q2"): [
        ((256, 28), (256, 256)),
        ((28, 1024), (256, 1024)),
        ((1024, 28), (1024, 28)),
    ],
    ("chapter4", "q3"): [((0, 256),), ((512, 768),), (slice(256, 511),)],
    ("chapter5", "q1"): [
        lstm_net(step=0),
        lstm_net(layer=nn.RNN),
        lstm_net(batch_first=False),
        lstm_net(unpack=False),
    ],
    ("chapter5", "q2"): [(1152, 320), (1280, 304), (320, 1280)],
    ("chapter6", "q1"): [
        gru_cho(pytorch=True),
        gru_cho(gated_bias=True),
        gru_cho(swap_z=True),
        gru_cho(no_reset=True),
    ],
    ("chapter6", "q2"): [(0.731, 0.9933), (0.51, 2.5e-14), (1e-5, 0.51), (1.5, 0.5)],
    ("chapter6", "q3"): [next_is_last_point, next_from_a_sine_only],
    ("chapter7", "q1"): [
        encoder(lower=False),
        encoder(collapse=False),
        encoder(first_letter=1),
        encoder(unknown=1),
    ],
    ("chapter7", "q2"): [(3.3322, 1.0, 2.0), (28.0, 0.0, 0.5), (1 / 28, 1.0, 0.5)],
    ("chapter7", "q3"): [
        temperature_probs_wrong("times"),
        temperature_probs_wrong("ignored"),
        temperature_probs_wrong("no softmax"),
    ],
    ("chapter7", "q5"): [
        batches_wrong("windows grouped"),
        batches_wrong("targets = inputs"),
        batches_wrong("no room for the last target"),
        batches_wrong("id + 1"),
        batches_wrong("the helper itself"),
    ],
}


# --------------------------------------------------------------------------- the tests


def test_every_chapter_has_its_mix_of_exercises():
    for name, module in MODULES.items():
        kinds = [q.kind for q in module.EXERCISES]
        assert 3 <= len(kinds) <= 5, name
        assert "code" in kinds and "predict" in kinds and kinds.count("open") == 1, name
    assert set(WRONG) == {(name, q.name) for name, q in CHECKED}  # wrong answers for each


@pytest.mark.parametrize(("chapter", "exercise"), CHECKED, ids=ids(CHECKED))
def test_check_accepts_the_reference(chapter, exercise):
    feedback = exercise.check(*reference_answers(chapter, exercise))
    assert feedback, feedback.text
    assert feedback.text.startswith(f"✓ {exercise.name} correct: ")
    assert "\n" not in feedback.text


@pytest.mark.parametrize(("chapter", "exercise"), CHECKED, ids=ids(CHECKED))
def test_check_rejects_typical_mistakes_in_one_line_without_the_solution(chapter, exercise):
    wrong_answers = WRONG[(chapter, exercise.name)]
    assert len(wrong_answers) >= 2
    secrets = solution_lines(exercise)
    if exercise.kind == "predict":
        secrets += [repr(v) for v in exercise.expected_answers]
    for wrong in wrong_answers:
        answers = (wrong,) if exercise.kind == "code" else wrong
        feedback = exercise.check(*answers)
        assert not feedback, f"{wrong} passed: {feedback.text}"
        assert feedback.text.startswith(f"✗ {exercise.name} not yet: ")
        assert "\n" not in feedback.text and "\n" not in feedback.markdown
        assert feedback.text.endswith(f"Try `ex.{exercise.name}.hint()`.")
        for secret in secrets:  # echoing the learner's own answer gives nothing away
            if secret not in repr(answers):
                assert secret not in feedback.text, f"the verdict gives away {secret!r}"


def test_verdicts_name_the_typical_mistake():
    from helpers.exercises import chapter2, chapter3, chapter4

    assert "point right after the window" in chapter2.q1.check(windows_answer_off_by_one).text
    assert "slide the start with i" in chapter2.q1.check(windows_not_sliding).text
    assert "torch.no_grad()" in chapter3.q1.check(closed_loop_with_grad).text
    assert "model.eval()" in chapter3.q1.check(closed_loop_train_mode).text
    assert "zero_grad" in chapter3.q3.check(epoch(zero_grad=False)).text
    from helpers.exercises import chapter1

    assert "1 - h**2" in chapter1.q1.check(rnn_backward(slope="none")).text
    assert "not at h_prev" in chapter1.q1.check(rnn_backward(slope="h_prev")).text
    assert "back it is" in chapter1.q1.check(rnn_backward(through="weight_hh.T")).text
    assert "transposed" in chapter1.q1.check(rnn_backward(weight_grad="transposed")).text
    assert "do not average" in chapter1.q1.check(rnn_backward(weight_grad="mean")).text
    assert "f must be 1 - i" in chapter4.q1.check(coupled_cell(f_is_i=True)).text
    assert "order i, g, o" in chapter4.q1.check(coupled_cell(order="iog")).text
    assert "tanh, not a sigmoid" in chapter4.q1.check(coupled_cell(squash=("s", "s", "s"))).text
    assert "o * tanh(c)" in chapter4.q1.check(coupled_cell(squash_c=False)).text
    from helpers.exercises import chapter6

    assert "PyTorch's variant" in chapter6.q1.check(gru_cho(pytorch=True)).text
    assert "b_hn is added after" in chapter6.q1.check(gru_cho(gated_bias=True)).text
    assert "z and 1 - z are swapped" in chapter6.q1.check(gru_cho(swap_z=True)).text
    assert "reset gate is missing" in chapter6.q1.check(gru_cho(no_reset=True)).text
    assert "what one step keeps" in chapter6.q2.check(0.731, 0.9933).text
    assert "last point" in chapter6.q3.check(next_is_last_point).text
    from helpers.exercises import chapter5

    # a function that returns nothing, not a class: a verdict, not an AttributeError
    assert "should build an nn.Module" in chapter5.q1.check(lambda *args: None).text
    from helpers.exercises import chapter7

    assert "continue row b" in chapter7.q5.check(batches_wrong("windows grouped")).text
    assert "shifted by one" in chapter7.q5.check(batches_wrong("targets = inputs")).text
    assert "shuffled text" in chapter7.q5.check(batches_wrong("id + 1")).text
    original = text.sequential_batches
    verdict = chapter7.q5.check(batches_wrong("the helper itself")).text
    assert "write the batches yourself" in verdict
    assert text.sequential_batches is original  # put back after the check


# the chapters whose exercises speak Japanese so far (chapter 7 is not in the edition yet)
IN_JAPANESE = [(c, q) for c, q in CHECKED if int(c.removeprefix("chapter")) <= 6]
KANA_OR_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"\b[a-z]+ [a-z]+ [a-z]+\b")  # three in a row: an English phrase


@pytest.fixture
def japanese():
    from helpers import i18n

    i18n.set_language("ja")
    yield
    i18n.set_language(None)


@pytest.mark.parametrize(("chapter", "exercise"), IN_JAPANESE, ids=ids(IN_JAPANESE))
def test_the_checks_own_words_are_japanese_in_the_japanese_edition(japanese, chapter, exercise):
    """Not only the frame ("✗ q1 まだ: ... を試そう。"): what the check says of the reference
    answer and of each typical mistake, so that a message left unmarked for gettext fails."""
    from helpers.i18n import gettext

    answers = [reference_answers(chapter, exercise)] + [
        (wrong,) if exercise.kind == "code" else wrong for wrong in WRONG[(chapter, exercise.name)]
    ]
    stuck = gettext("{problem} Stuck? Try `{call}.hint()`.").format(problem="", call=exercise.call)
    for answer in answers:
        feedback = exercise.check(*answer)
        mark, verdict = ("✓", gettext("correct")) if feedback else ("✗", gettext("not yet"))
        head = f"{mark} {exercise.name} {verdict}: "
        assert feedback.text.startswith(head), feedback.text
        said = feedback.text.removeprefix(head)
        if not feedback:
            assert said.endswith(stuck), feedback.text
            said = said.removesuffix(stuck)
        assert KANA_OR_KANJI.search(said), f"in English: {said}"
        assert not ENGLISH_WORDS.search(said), f"partly English: {said}"


@pytest.mark.parametrize(
    ("chapter", "exercise"),
    [(c, q) for c, q in CHECKED if q.kind == "code"],
    ids=ids([(c, q) for c, q in CHECKED if q.kind == "code"]),
)
@pytest.mark.parametrize("error", [RuntimeError("boom\nsecond line"), NotImplementedError()])
def test_an_exception_in_the_learners_code_is_reported_not_raised(chapter, exercise, error):
    def broken(*args, **kwargs):
        raise error

    feedback = exercise.check(broken)
    assert not feedback
    assert "\n" not in feedback.text
    assert type(error).__name__ in feedback.text
    assert "case 1/" in feedback.text
    if type(error) is RuntimeError:
        assert "boom second line" in feedback.text


def test_wrong_kinds_of_argument_are_answered_not_raised():
    from helpers.exercises import chapter1, chapter5

    for answers in [(), (1,), (chapter1.q1.reference, 2)]:
        assert "pass your rnn_step_backward" in chapter1.q1.check(*answers).text
    assert "should be a tuple" in chapter1.q2.check(8, (1, 8, 64)).text
    assert "pass your answers" in chapter1.q2.check((4, 25, 32)).text
    assert "not an instance" in chapter5.q1.check(chapter5.LSTMNet()).text


@pytest.mark.parametrize(("chapter", "exercise"), ALL, ids=ids(ALL))
def test_hints_and_solution(chapter, exercise):
    total = len(exercise.hints)
    assert total >= 1
    for n in range(1, total + 1):
        hint = exercise.hint(n)
        assert hint.text.startswith(f"Hint {n} of {total} ({exercise.name}): ")
        assert hint._repr_markdown_().startswith(f"**Hint {n} of {total}")
    for n in (0, total + 1, 99):
        assert f"{exercise.name} has {total} hint" in exercise.hint(n).text
    with pytest.raises(TypeError, match="hint number"):
        exercise.hint("2")
    solution = exercise.solution()
    assert solution.text.startswith(f"Solution ({exercise.name})")
    assert exercise.explanation in solution.markdown
    if exercise.kind != "open":
        assert "SOLUTION" not in solution.text
        assert all(line in solution.text for line in solution_lines(exercise))


@pytest.mark.parametrize(("chapter", "exercise"), [(c, q) for c, q in ALL if q.kind == "open"])
def test_open_questions_have_nothing_to_check(chapter, exercise):
    assert isinstance(exercise, OpenQuestion)
    feedback = exercise.check()
    assert not feedback and feedback.passed is None
    assert f"ex.{exercise.name}.solution()" in feedback.text


def test_grade_raises_for_a_wrong_answer_and_check_never_does(monkeypatch):
    from helpers.exercises import chapter2

    assert chapter2.q1.grade(chapter2.make_windows_loop)
    with pytest.raises(ExerciseFailed, match="q1 not yet"):
        chapter2.q1.grade(windows_not_sliding)
    # the verdict hangs on the answer alone: no environment variable changes it either way
    for value in ("autograde", None):
        if value is None:
            monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
        else:
            monkeypatch.setenv("NBGRADER_EXECUTION", value)
        assert not chapter2.q1.check(windows_not_sliding)  # reported, not raised
        with pytest.raises(ExerciseFailed):
            chapter2.q1.grade(windows_not_sliding)
    assert chapter2.q4.grade().passed is None  # open questions are graded by hand


def test_checks_leave_the_learners_state_alone():
    from helpers.exercises import chapter3, chapter5

    torch.manual_seed(123)
    before = torch.get_rng_state()
    chapter3.q1.check(closed_loop_grad_off_for_good)
    chapter3.q3.check(chapter3.train_one_epoch)
    chapter5.q1.check(chapter5.LSTMNet)
    assert torch.equal(torch.get_rng_state(), before)
    assert torch.is_grad_enabled()


def test_the_teachers_page_lists_every_exercise():
    page = (Path(__file__).resolve().parents[1] / "book" / "teaching.md").read_text()
    for chapter, exercise in ALL:
        assert f"| {exercise.name} {exercise.title} | {exercise.kind} |" in page, chapter


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_notebooks_answer_cells_are_the_reference_answers(chapter):
    root = Path(__file__).resolve().parents[1]
    (path,) = (root / "notebooks").glob(f"{int(chapter.removeprefix('chapter')):02d}_*.ipynb")
    nb = nbformat.read(path, as_version=4)
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and any(MARKER.match(line) for line in c.source.splitlines())
    ]
    expected = [q.cell_source for q in MODULES[chapter].EXERCISES if q.kind != "open"]
    assert [c.source for c in cells] == expected
    assert all("hide-input" in c.metadata.get("tags", []) for c in cells)  # folded in the book


def test_every_notebook_with_exercises_has_its_chapter_module_and_back():
    root = Path(__file__).resolve().parents[1]
    imported = {}
    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        for chapter in re.findall(r"from helpers\.exercises import (chapter\d+) as ex", code):
            assert int(chapter.removeprefix("chapter")) == int(path.name[:2]), path.name
            imported[chapter] = path.name
    assert sorted(imported) == sorted(CHAPTERS)  # no module without its notebook, nor back
