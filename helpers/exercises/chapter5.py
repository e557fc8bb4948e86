"""Exercises of chapter 5 (Training an LSTM): an LSTM network, parameter counts, the comparison.

Loaded in the notebook with ``from helpers.exercises import chapter5 as ex``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from helpers.exercises.checking import Fail, call_answer, expect_close, seeded
from helpers.exercises.kinds import CodeExercise, OpenQuestion, PredictExercise, bind_exercises
from helpers.i18n import N_, gettext

INPUT_SIZE, HIDDEN_SIZE = 2, 16  # q2: the layers whose parameters are counted


class LSTMNet(nn.Module):
    """The lecture's network with an LSTM. Shapes: (batch, time, input) -> (batch, output)."""

    def __init__(self, input_size=1, hidden_size=64, output_size=1):
        super().__init__()
        ### BEGIN SOLUTION
        self.rnn = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, output_size)
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        y_rnn, (h, c) = self.rnn(x, None)  # the LSTM's state is a pair: hidden and cell
        return self.fc(y_rnn[:, -1, :])  # only the last step predicts the next value
        ### END SOLUTION


def _check_lstm_net(cls: Callable[..., Any]) -> str:
    if isinstance(cls, nn.Module):
        raise Fail(gettext("pass the class itself, `LSTMNet`, not an instance `LSTMNet()`."))
    for k, (n_in, hidden, n_out, batch, n_time) in enumerate(
        [(1, 8, 1, 4, 10), (2, 5, 3, 2, 6)], 1
    ):
        case = gettext(
            "case {k}/2 (LSTMNet({n_in}, {hidden}, {n_out}), input ({batch}, {n_time}, {n_in}))"
        ).format(k=k, n_in=n_in, hidden=hidden, n_out=n_out, batch=batch, n_time=n_time)
        torch.manual_seed(k)
        net = call_answer(cls, case, n_in, hidden, n_out)
        if not isinstance(net, nn.Module):
            raise Fail(
                gettext(
                    "{case}: LSTMNet(...) should build an nn.Module, got {got}; define it as "
                    "`class LSTMNet(nn.Module):` and pass the class."
                ).format(case=case, got=type(net).__name__)
            )
        lstms = [m for m in net.modules() if isinstance(m, nn.LSTM)]
        linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
        if len(lstms) != 1 or len(linears) != 1:
            raise Fail(
                gettext(
                    "{case}: expected one nn.LSTM and one nn.Linear layer, found "
                    "{lstms} and {linears}."
                ).format(case=case, lstms=len(lstms), linears=len(linears))
            )
        lstm, fc = lstms[0], linears[0]
        if not lstm.batch_first:
            raise Fail(
                gettext(
                    "{case}: build the LSTM with batch_first=True; the windows are "
                    "(batch, time, features)."
                ).format(case=case)
            )
        if (lstm.input_size, lstm.hidden_size) != (n_in, hidden):
            raise Fail(
                gettext(
                    "{case}: the LSTM is nn.LSTM({input_size}, {hidden_size}); "
                    "use the input_size and hidden_size arguments."
                ).format(case=case, input_size=lstm.input_size, hidden_size=lstm.hidden_size)
            )
        x = torch.randn(batch, n_time, n_in, generator=seeded(20 + k))
        reference = LSTMNet(n_in, hidden, n_out)  # the reference, on the learner's own layers
        reference.rnn, reference.fc = lstm, fc
        with torch.no_grad():
            expected = reference(x)
            first = reference(x[:, :1])  # the output after the first step only
            try:
                got = call_answer(net, case, x)
            except Fail as fail:  # the classic slip: treating the LSTM's state as one tensor
                if "tuple" not in str(fail):
                    raise
                raise Fail(
                    gettext("{problem} nn.LSTM returns y and the pair (h, c).").format(problem=fail)
                ) from None
        expect_close(
            gettext("output"),
            got,
            expected,
            case,
            [(first, N_("that is the first step's output; predict from the last, y[:, -1, :]"))],
        )
    return gettext("an LSTM layer, batch_first, then Linear on the last step's output.")


# in the order the notebook asks them: bind_exercises names them q1, q2, ...
EXERCISES = bind_exercises(
    globals(),
    CodeExercise(
        title="Swap the cell: an LSTM network",
        reference=LSTMNet,
        checker=_check_lstm_net,
        hints=[
            "Copy the RNN network of chapter 1 and replace `nn.RNN` with `nn.LSTM`; keep "
            "`batch_first=True` and the `Linear` layer on the last step.",
            "`nn.LSTM` returns `y, (h, c)`: its state is a pair. Unpack it as "
            "`y_rnn, (h, c) = self.rnn(x, None)` and feed `y_rnn[:, -1, :]` to `self.fc`.",
        ],
        explanation="Only the layer and the unpacking change: the LSTM's second return value "
        "is the pair `(h, c)`, hidden state and cell state. "
        '`helpers.models.SequenceRegressor(cell="lstm")` is the same network.',
    ),
    PredictExercise(
        title="Count the parameters",
        answers={
            "answer_lstm_params": f"nn.LSTM({INPUT_SIZE}, {HIDDEN_SIZE})",
            "answer_rnn_params": f"nn.RNN({INPUT_SIZE}, {HIDDEN_SIZE})",
        },
        # sum(p.numel() for p in layer.parameters()) of nn.RNN and nn.LSTM(INPUT_SIZE,
        # HIDDEN_SIZE); the RNN's count first, as the LSTM's builds on it
        expected={"answer_rnn_params": 320, "answer_lstm_params": 1280},
        swapped=N_("you swapped them: which layer has four blocks of weights?"),
        mistakes={
            "answer_rnn_params": [
                (
                    320 - HIDDEN_SIZE,
                    N_(
                        "answer_rnn_params is one bias vector short: PyTorch keeps two biases, "
                        "b_ih and b_hh."
                    ),
                )
            ],
            "answer_lstm_params": [
                (
                    1280 - 4 * HIDDEN_SIZE,
                    N_(
                        "answer_lstm_params is short of one set of biases: each gate has b_ih "
                        "and b_hh."
                    ),
                )
            ],
        },
        wrong={
            "answer_rnn_params": N_(
                "answer_rnn_params {value}: add up W_ih, W_hh and the two biases."
            ),
            "answer_lstm_params": N_(
                "answer_lstm_params {value}: the LSTM has four blocks, each the size of "
                "the whole RNN layer."
            ),
        },
        success=N_(
            "{answer_lstm_params} for the LSTM and {answer_rnn_params} for the RNN: four blocks "
            "(i, f, g, o) of the RNN's size, so four times the parameters and the arithmetic "
            "per step."
        ),
        hints=[
            f"An `nn.RNN({INPUT_SIZE}, {HIDDEN_SIZE})` layer has `W_ih` ({HIDDEN_SIZE}, "
            f"{INPUT_SIZE}), `W_hh` ({HIDDEN_SIZE}, {HIDDEN_SIZE}) and two bias vectors of "
            f"{HIDDEN_SIZE} (b_ih and b_hh).",
            "An LSTM layer has four such blocks, one per gate and the candidate: i, f, g, o.",
        ],
        explanation=f"RNN: ${HIDDEN_SIZE} \\cdot {INPUT_SIZE} + {HIDDEN_SIZE} \\cdot "
        f"{HIDDEN_SIZE} + {HIDDEN_SIZE} + {HIDDEN_SIZE}$. LSTM: four times that. "
        "`sum(p.numel() for p in layer.parameters())` counts them.",
    ),
    OpenQuestion(
        title="Read the comparison table",
        hints=[
            "Look at the spread across seeds before the difference between the medians: is the "
            "gap between RNN and LSTM larger than how much one model varies from seed to seed?",
            "Weigh the gain against the cost: time per epoch, epochs needed, and how long the "
            "dependencies in this data are (a window is 10 points).",
        ],
        explanation="Compare the difference between the two models' median closed-loop errors "
        "with the spread of each over seeds: if the gap is smaller than the spread, this "
        "experiment cannot rank them, and a single seed could have shown either one winning. "
        "Count the seeds each model wins, too, and ask how often coin flips would split them "
        "that unevenly (the sign test): 5 wins in 7 is a split that happens almost half the "
        "time. Then weigh the cost: the LSTM has four times the parameters and does four times the "
        "arithmetic per step, although at this size an epoch took about as long as the RNN's "
        "(the chapter's table: fixed costs per step dominate), and it was given ten times the "
        "epochs. Its advantage, memory over long spans, has nothing to work on when the model "
        "sees a 10-point window and nothing else; chapter 6 shows where it pays off. A fair "
        "verdict names the metric, the spread and the cost, not only which median is lower.",
    ),
)
