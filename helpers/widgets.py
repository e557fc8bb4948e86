"""Widgets that work with or without a kernel (chapter 3 introduces the epoch stepper).

Python callbacks run only in a live kernel. These widgets are built from front-end links
instead (``jslink`` from a slider to a ``Stack`` of ``Image`` widgets), so the frames also
step on the static site, where the saved widget state is all there is.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets

__all__ = ["epoch_stepper", "image_stepper"]


def image_stepper(
    frames: Mapping[object, bytes],
    *,
    description: str = "",
    interval_ms: int = 700,
    width: str = "100%",
    max_width: str = "640px",
) -> widgets.VBox:
    """Show one PNG per key with a slider and a Play button; the keys label the slider.

    Shapes: frames {label: PNG bytes}, shown in the order given.
    """
    if not isinstance(frames, Mapping):
        raise TypeError(
            f"frames must be a dict of label -> PNG bytes, got {type(frames).__name__}."
        )
    if not frames:
        raise ValueError(
            "frames is empty: there is nothing to step through. Pass at least one frame."
        )
    for label, png in frames.items():
        if not isinstance(png, (bytes, bytearray)):
            raise TypeError(
                f"frame {label!r} must be PNG bytes (see helpers.plots.figure_png), "
                f"got {type(png).__name__}."
            )
    layout = widgets.Layout(width=width, max_width=max_width, height="auto")
    images = [
        widgets.Image(value=bytes(png), format="png", layout=layout) for png in frames.values()
    ]
    stack = widgets.Stack(images, selected_index=0)
    slider = widgets.SelectionSlider(
        options=[(str(label), i) for i, label in enumerate(frames)],
        description=description,
        continuous_update=True,
        layout=widgets.Layout(width="min(420px, 70vw)"),
    )
    play = widgets.Play(
        min=0, max=len(images) - 1, step=1, interval=interval_ms, description="Play"
    )
    # front-end links, so the page needs no kernel: play -> slider position -> visible frame
    widgets.jslink((play, "value"), (slider, "index"))
    widgets.jslink((slider, "index"), (stack, "selected_index"))
    return widgets.VBox([widgets.HBox([play, slider]), stack])


def epoch_stepper(frames: Mapping[int, bytes], *, interval_ms: int = 700) -> widgets.VBox:
    """Step through training with a slider over epochs (frames keyed by epoch index).

    Shapes: frames {epoch: PNG bytes}, for example from ``plots.prediction_frames``.
    """
    if isinstance(frames, Mapping) and any(
        isinstance(k, bool) or not isinstance(k, int) for k in frames
    ):
        raise TypeError(f"epoch_stepper keys must be int epochs, got {list(frames)[:5]!r}.")
    ordered = dict(sorted(frames.items())) if isinstance(frames, Mapping) else frames
    return image_stepper(ordered, description="epoch", interval_ms=interval_ms)
