"""Widgets that work with or without a kernel (chapter 3 introduces the epoch stepper).

Python callbacks run only in a live kernel. The steppers are built from front-end links
instead (``jslink`` from a slider to a ``Stack`` of frames), so the frames also step on the
static site, where the saved widget state is all there is. A frame is a picture (PNG bytes,
an ``Image`` widget) or text (a ``str``, shown preformatted: what a language model writes,
chapter 7). ``live_sampler`` (chapter 7) is the exception: it runs Python at every change.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as widgets

__all__ = ["epoch_stepper", "image_stepper", "live_sampler"]


def image_stepper(
    frames: Mapping[object, bytes | str],
    *,
    description: str = "",
    caption: str | None = None,
    interval_ms: int = 700,
    width: str = "100%",
    max_width: str = "640px",
) -> widgets.VBox:
    """Show one frame per key with a slider and a Play button; the keys label the slider.

    A frame is PNG bytes or text (a ``str``, shown preformatted). ``caption``, if given, is a
    sentence above the stepper saying what the animation shows.

    Shapes: frames {label: PNG bytes or str}, shown in the order given.
    """
    if not isinstance(frames, Mapping):
        raise TypeError(
            f"frames must be a dict of label -> PNG bytes or text, got {type(frames).__name__}."
        )
    if not frames:
        raise ValueError(
            "frames is empty: there is nothing to step through. Pass at least one frame."
        )
    for label, frame in frames.items():
        if not isinstance(frame, (bytes, bytearray, str)):
            raise TypeError(
                f"frame {label!r} must be PNG bytes (see helpers.plots.figure_png) or text "
                f"(str), got {type(frame).__name__}."
            )
    layout = widgets.Layout(width=width, max_width=max_width, height="auto")
    pages = [
        widgets.HTML(f'<pre class="book-stepper-text">{html.escape(frame)}</pre>', layout=layout)
        if isinstance(frame, str)
        else widgets.Image(value=bytes(frame), format="png", layout=layout)
        for frame in frames.values()
    ]
    stack = widgets.Stack(pages, selected_index=0)
    slider = widgets.SelectionSlider(
        options=[(str(label), i) for i, label in enumerate(frames)],
        description=description,
        continuous_update=True,
        layout=widgets.Layout(width="min(420px, 70vw)"),
    )
    play = widgets.Play(min=0, max=len(pages) - 1, step=1, interval=interval_ms, description="Play")
    # front-end links, so the page needs no kernel: play -> slider position -> visible frame
    widgets.jslink((play, "value"), (slider, "index"))
    widgets.jslink((slider, "index"), (stack, "selected_index"))
    parts = [widgets.HBox([play, slider]), stack]
    if caption:
        parts.insert(0, widgets.HTML(f'<p class="book-stepper-caption">{html.escape(caption)}</p>'))
    return widgets.VBox(parts)


def epoch_stepper(
    frames: Mapping[int, bytes | str], *, caption: str | None = None, interval_ms: int = 700
) -> widgets.VBox:
    """Step through training with a slider over epochs (frames keyed by epoch index).

    Frames as in ``image_stepper``: PNG bytes (e.g. from ``plots.prediction_frames``) or text
    (e.g. what a language model writes after each checkpoint, chapter 7).

    Shapes: frames {epoch: PNG bytes or str}.
    """
    if isinstance(frames, Mapping) and any(
        isinstance(k, bool) or not isinstance(k, int) for k in frames
    ):
        raise TypeError(f"epoch_stepper keys must be int epochs, got {list(frames)[:5]!r}.")
    ordered = dict(sorted(frames.items())) if isinstance(frames, Mapping) else frames
    return image_stepper(ordered, description="epoch", caption=caption, interval_ms=interval_ms)


def live_sampler(
    generate: Callable[[str, float, int], str],
    *,
    prompt: str = "the time traveller ",
    temperature: float = 0.8,
    length: int = 200,
) -> widgets.VBox:
    """A prompt box and sliders for temperature and length; the text below follows them.

    ``generate(prompt, temperature, length)`` writes the text (chapter 7 passes a language
    model's sampler). Unlike the steppers this widget runs Python at every change, so it
    needs a live kernel: on the static site its controls do nothing.
    """
    if not callable(generate):
        raise TypeError(f"generate must be a function, got {type(generate).__name__}.")
    box = widgets.Text(value=prompt, description="prompt", continuous_update=False)
    heat = widgets.FloatSlider(
        value=temperature, min=0.1, max=2.0, step=0.1, description="temperature",
        continuous_update=False,
    )  # fmt: skip
    size = widgets.IntSlider(
        value=length, min=20, max=600, step=20, description="length", continuous_update=False
    )
    # an HTML widget, not an Output one: setting its value sends no output messages, so the
    # notebook's stored outputs stay the same whatever the kernel does
    out = widgets.HTML(layout=widgets.Layout(max_width="640px"))

    def update(_change: object = None) -> None:
        try:
            shown = f"{box.value}{generate(box.value, heat.value, size.value)}"
        except (TypeError, ValueError) as err:  # e.g. a prompt without letters
            shown = f"{type(err).__name__}: {err}"
        out.value = (
            '<pre class="book-stepper-text" style="white-space: pre-wrap">'
            f"{html.escape(shown)}</pre>"
        )

    for control in (box, heat, size):
        control.observe(update, names="value")
    update()
    return widgets.VBox([box, heat, size, out])
