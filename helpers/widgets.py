"""Widgets that work with or without a kernel (chapter 3 introduces the epoch stepper).

Python callbacks run only in a live kernel. These widgets are built from front-end links
instead (``jslink`` from a slider to a ``Stack`` of frames), so the frames also step on the
static site, where the saved widget state is all there is.

A frame is what the stepper shows at one position: a picture (``PngFrame``: PNG bytes with the
alt text a screen reader speaks for it) or text (a ``str``, shown preformatted, e.g. the text a
model generates after an epoch). Each frame is an ``HTML`` widget, so its alt text travels with
it into JupyterLab and into the saved state the book's pages render. The stepper opens with a
sentence that says what the animation shows (``caption``).

``live_sampler`` (chapter 7) is the exception: a prompt box and sliders whose every change
runs a language model in the kernel, so it works in Jupyter only.

A widget's words (caption, slider names) are in the notebook's language (``helpers.i18n``),
those handed to it included, where the helpers' catalog has them.
"""

from __future__ import annotations

import base64
import html
import struct
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from helpers.i18n import gettext

__all__ = ["Frames", "PngFrame", "epoch_stepper", "image_stepper", "live_sampler"]

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class PngFrame(bytes):
    """PNG bytes with their alt text: what the picture shows, in words, for a screen reader.

    Still ``bytes``, so anything that takes a PNG (``open(...).write``, ``Image(value=...)``)
    takes a ``PngFrame``.
    """

    alt: str

    def __new__(cls, png: bytes, alt: str) -> PngFrame:
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError(
                f"alt must say in words what the picture shows, got {alt!r}: for example "
                "'Epoch 10, loss 0.0123: the forecast follows the data for 15 steps'."
            )
        frame = super().__new__(cls, png)
        frame.alt = " ".join(alt.split())
        return frame


class Frames(dict):
    """Frames in the order to show them, with the sentence that says what they show together.

    A ``dict`` of label -> frame with one more attribute, ``caption``; the frame functions in
    ``helpers.plots`` return one, so a stepper built from them describes itself.
    """

    caption: str = ""

    def __init__(self, frames: Mapping | None = None, *, caption: str = "") -> None:
        super().__init__(frames or {})
        self.caption = caption


def _png_size(png: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG's header, or None if the bytes are not a PNG."""
    if len(png) < 24 or not png.startswith(_PNG_MAGIC):
        return None
    return struct.unpack(">II", png[16:24])


def _frame_html(label: object, frame: object, description: str) -> str:
    """The HTML of one frame: an <img> with its alt text, or preformatted text."""
    if isinstance(frame, str):
        return f'<pre class="book-stepper-text">{html.escape(frame)}</pre>'
    if not isinstance(frame, (bytes, bytearray)):
        raise TypeError(
            f"frame {label!r} must be PNG bytes (a PngFrame, with its alt text) or text (str), "
            f"got {type(frame).__name__}."
        )
    # plain bytes carry no description: say at least which frame it is
    alt = getattr(frame, "alt", None) or f"{description or gettext('frame')} {label}".strip()
    size = _png_size(bytes(frame))
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    data = base64.b64encode(bytes(frame)).decode("ascii")
    return (
        f'<img class="book-stepper-image" alt="{html.escape(alt)}"{dims} '
        f'src="data:image/png;base64,{data}">'
    )


def _default_caption(labels: list[str], description: str) -> str:
    what = f"{description} " if description else ""
    if len(labels) == 1:
        return gettext(
            "An animation over {what}{first}: press Play, or move the slider (arrow keys step "
            "one frame); each frame's description says what it shows."
        ).format(what=what, first=labels[0])
    return gettext(
        "An animation over {what}{first} to {last}: press Play, or move the slider (arrow keys "
        "step one frame); each frame's description says what it shows."
    ).format(what=what, first=labels[0], last=labels[-1])


def image_stepper(
    frames: Mapping[Any, bytes | str],
    *,
    description: str = "",
    caption: str | None = None,
    interval_ms: int = 700,
) -> widgets.VBox:
    """Show one frame per key with a slider and a Play button; the keys label the slider.

    A frame is a ``PngFrame`` (PNG with alt text), plain PNG ``bytes`` (alt text then only names
    the frame), or a ``str`` (shown as preformatted text). ``caption`` is the sentence above the
    stepper saying what the animation shows; by default ``frames.caption`` when ``frames`` is
    a ``Frames``, else a sentence naming the range.

    Shapes: frames {label: frame}, shown in the order given.
    """
    if not isinstance(frames, Mapping):
        raise TypeError(
            f"frames must be a dict of label -> PNG bytes or text, got {type(frames).__name__}."
        )
    if not frames:
        raise ValueError(
            "frames is empty: there is nothing to step through. Pass at least one frame."
        )
    labels = [str(label) for label in frames]
    description = gettext(description) if description else description
    # one layout and one style for every frame: each widget would otherwise save its own pair
    # into the page (about 1.5 kB a frame)
    pages: list[widgets.HTML] = []
    for label, frame in frames.items():
        shared = {"layout": pages[0].layout, "style": pages[0].style} if pages else {}
        pages.append(widgets.HTML(_frame_html(label, frame, description), **shared))
    # the caption given, the frames' own, or a sentence naming the range; in the notebook's language
    given = caption or getattr(frames, "caption", "") or ""
    caption = gettext(given) if given else _default_caption(labels, description)
    stack = widgets.Stack(pages, selected_index=0, layout=widgets.Layout(max_width="640px"))
    slider = widgets.SelectionSlider(
        options=[(label, i) for i, label in enumerate(labels)],
        description=description,
        continuous_update=True,
        layout=widgets.Layout(width="min(420px, 70vw)"),
    )
    # no description: the Play widget would draw it as a second label beside the slider's
    play = widgets.Play(min=0, max=len(pages) - 1, step=1, interval=interval_ms)
    # front-end links, so the page needs no kernel: play -> slider position -> visible frame
    widgets.jslink((play, "value"), (slider, "index"))
    widgets.jslink((slider, "index"), (stack, "selected_index"))
    text = widgets.HTML(f'<p class="book-stepper-caption">{html.escape(caption)}</p>')
    # the classes let book/_static/widgets-loader.js name the parts the widget manager draws
    box = widgets.VBox([text, widgets.HBox([play, slider]), stack])
    box.add_class("book-stepper")
    return box


def epoch_stepper(
    frames: Mapping[int, bytes | str], *, caption: str | None = None, interval_ms: int = 700
) -> widgets.VBox:
    """Step through training with a slider over epochs (frames keyed by epoch index).

    Frames as in ``image_stepper``: pictures (``PngFrame``, e.g. from
    ``plots.prediction_frames``) or text (e.g. what a language model writes after each epoch).

    Shapes: frames {epoch: frame}.
    """
    if isinstance(frames, Mapping) and any(
        isinstance(k, bool) or not isinstance(k, int) for k in frames
    ):
        raise TypeError(f"epoch_stepper keys must be int epochs, got {list(frames)[:5]!r}.")
    if isinstance(frames, Mapping):
        caption = caption or getattr(frames, "caption", None)
        frames = dict(sorted(frames.items()))
    return image_stepper(frames, description="epoch", caption=caption, interval_ms=interval_ms)


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
    box = widgets.Text(value=prompt, description=gettext("prompt"), continuous_update=False)
    heat = widgets.FloatSlider(
        value=temperature, min=0.1, max=2.0, step=0.1, description=gettext("temperature"),
        continuous_update=False,
    )  # fmt: skip
    size = widgets.IntSlider(
        value=length,
        min=20,
        max=600,
        step=20,
        description=gettext("length"),
        continuous_update=False,
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
            '<pre class="book-stepper-text" style="white-space: pre-wrap; overflow-wrap: anywhere">'
            f"{html.escape(shown)}</pre>"
        )

    for control in (box, heat, size):
        control.observe(update, names="value")
    update()
    return widgets.VBox([box, heat, size, out])
