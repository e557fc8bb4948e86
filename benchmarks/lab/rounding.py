"""How far rounding moves a result: train again from initial weights nudged by a tiny amount.

Another CPU rounds differently in the last digits of a float, and training can amplify that.
``compare_cells.py`` and ``memory_sweep.py`` re-run a few trainings from weights multiplied by
``1 + NUDGE * noise`` and record how far each result moved: the scale of the differences a
re-run on another machine may show, which the tests' tolerances must stay above.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["NUDGE", "nudge_weights"]

NUDGE = 1e-6  # relative size of the nudge: far above float32's rounding, far below any change


def nudge_weights(model: nn.Module, nudge: float = NUDGE) -> nn.Module:
    """Multiply every weight of ``model`` by (1 + nudge·noise), the noise from a fixed seed.

    The same nudge every time (seed 12345), so a nudged run repeats. Returns the model,
    changed in place; ``nudge=0`` leaves it alone.
    """
    if nudge:
        generator = torch.Generator().manual_seed(12345)
        with torch.no_grad():
            for p in model.parameters():
                p.mul_(1 + nudge * torch.randn(p.shape, generator=generator))
    return model
