"""helpers.widgets: steppers built from front-end links, so they work without a kernel (ch. 3).

The frames are HTML widgets carrying their alt text; the browser tests (tests/site) check what a
screen reader gets from them on the built pages.
"""

from __future__ import annotations

import base64
import re
import struct
import zlib

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
import torch

from helpers import plots
from helpers.training import History, Snapshot
from helpers.widgets import Frames, PngFrame, epoch_stepper, image_stepper, live_sampler

PNG = b"\x89PNG\r\n\x1a\n"


def png(width: int = 3, height: int = 2, tag: int = 0) -> bytes:
    """A real (tiny) PNG of the given size; tag makes otherwise equal images differ."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([tag]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return PNG + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def frame(i: int) -> PngFrame:
    return PngFrame(png(tag=i), f"picture number {i}")


def parts(box: widgets.VBox) -> tuple[widgets.HTML, widgets.Play, widgets.SelectionSlider, list]:
    """Unpack VBox(HTML caption, HBox(Play, SelectionSlider), Stack of HTML frames)."""
    assert isinstance(box, widgets.VBox)
    assert "book-stepper" in box._dom_classes
    caption, controls, stack = box.children
    assert isinstance(caption, widgets.HTML)
    assert isinstance(controls, widgets.HBox)
    play, slider = controls.children
    assert isinstance(play, widgets.Play)
    assert isinstance(slider, widgets.SelectionSlider)
    assert isinstance(stack, widgets.Stack)
    assert all(isinstance(page, widgets.HTML) for page in stack.children)
    return caption, play, slider, stack


def images(stack: widgets.Stack) -> list[dict]:
    """Each frame's <img> attributes, with its PNG decoded from the data URL."""
    found = []
    for page in stack.children:
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', page.value))
        assert attrs["src"].startswith("data:image/png;base64,"), page.value[:80]
        attrs["png"] = base64.b64decode(attrs["src"].split(",", 1)[1])
        found.append(attrs)
    return found


def links_between(source: widgets.Widget, target: widgets.Widget) -> list[tuple[str, str]]:
    """(source trait, target trait) of every jslink from ``source`` to ``target``.

    Read from the manager state, the same JSON that is saved into the notebook and that
    the static site's widget manager reads.
    """
    state = widgets.Widget.get_manager_state(drop_defaults=False)["state"]
    found = []
    for entry in state.values():
        if entry["model_name"] != "LinkModel":
            continue
        src_ref, src_trait = entry["state"]["source"]
        dst_ref, dst_trait = entry["state"]["target"]
        if src_ref == f"IPY_MODEL_{source.model_id}" and dst_ref == f"IPY_MODEL_{target.model_id}":
            found.append((src_trait, dst_trait))
    return found


# ---------------------------------------------------------------- frames


def test_png_frame_is_png_bytes_with_alt_text():
    data = png()
    shown = PngFrame(data, "  a sine wave\n and its forecast ")
    assert isinstance(shown, bytes) and shown == data
    assert shown.alt == "a sine wave and its forecast"  # whitespace folded, words kept apart


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_png_frame_needs_alt_text(alt):
    with pytest.raises(ValueError, match="alt must say in words what the picture shows"):
        PngFrame(png(), alt)


def test_frames_is_an_ordered_dict_with_a_caption():
    frames = Frames({2: frame(2), 1: frame(1)}, caption="what it shows")
    assert list(frames) == [2, 1] and frames.caption == "what it shows"
    assert Frames().caption == ""


# ---------------------------------------------------------------- image_stepper


def test_image_stepper_structure():
    frames = {"a": frame(0), "b": frame(1), "c": frame(2)}
    caption, play, slider, stack = parts(image_stepper(frames, description="step"))
    assert len(stack.children) == 3
    shown = images(stack)
    assert [img["png"] for img in shown] == list(frames.values())
    assert [img["alt"] for img in shown] == [
        "picture number 0",
        "picture number 1",
        "picture number 2",
    ]
    assert [(img["width"], img["height"]) for img in shown] == [("3", "2")] * 3  # no layout shift
    assert stack.selected_index == 0
    assert slider.options == (("a", 0), ("b", 1), ("c", 2))  # label, frame index
    assert slider.index == 0
    assert slider.description == "step"
    assert (play.min, play.max, play.step) == (0, 2, 1)
    assert 'class="book-stepper-caption"' in caption.value
    assert "step a to c" in caption.value  # the default sentence names the range


def test_image_stepper_caption_from_argument_or_frames():
    frames = Frames({"a": frame(0), "b": frame(1)}, caption="Gate values & their effect")
    caption, *_ = parts(image_stepper(frames))
    assert "Gate values &amp; their effect" in caption.value  # escaped
    caption, *_ = parts(image_stepper(frames, caption="Given here"))
    assert ">Given here<" in caption.value


def test_image_stepper_text_frames_are_escaped_preformatted_text():
    frames = {0: "the time <traveller>", 1: "the time traveller said\nhe"}
    _, _, _, stack = parts(image_stepper(frames))
    assert [page.value for page in stack.children] == [
        '<pre class="book-stepper-text">the time &lt;traveller&gt;</pre>',
        '<pre class="book-stepper-text">the time traveller said\nhe</pre>',
    ]


def test_image_stepper_mixes_pictures_and_text():
    _, _, _, stack = parts(image_stepper({0: frame(0), 1: "text"}))
    assert stack.children[0].value.startswith("<img") and "<pre" in stack.children[1].value


def test_image_stepper_plain_bytes_get_an_alt_naming_the_frame():
    _, _, _, stack = parts(image_stepper({"0.5": png()}, description="forget f"))
    assert images(stack)[0]["alt"] == "forget f 0.5"


def test_image_stepper_alt_text_is_escaped():
    _, _, _, stack = parts(image_stepper({0: PngFrame(png(), 'loss "0.1" < 1')}))
    assert 'alt="loss &quot;0.1&quot; &lt; 1"' in stack.children[0].value


def test_image_stepper_links_play_to_slider_to_stack():
    _, play, slider, stack = parts(image_stepper({"a": frame(0), "b": frame(1)}))
    assert links_between(play, slider) == [("value", "index")]
    assert links_between(slider, stack) == [("index", "selected_index")]


def test_links_are_front_end_links_not_python_callbacks():
    _, _, slider, stack = parts(image_stepper({"a": frame(0), "b": frame(1)}))
    # no kernel on the static site: a Python-side link (widgets.link, observe) would move
    # the stack here and do nothing there; a jslink moves it in the browser only
    slider.index = 1
    assert stack.selected_index == 0


def test_image_stepper_keeps_the_given_order():
    frames = {"z": frame(0), "a": frame(1), "m": frame(2)}
    _, _, slider, stack = parts(image_stepper(frames))
    assert slider.options == (("z", 0), ("a", 1), ("m", 2))
    assert [img["png"] for img in images(stack)] == [frame(0), frame(1), frame(2)]


def test_image_stepper_single_frame_and_bytearray():
    _, play, _, stack = parts(image_stepper({0: bytearray(png(tag=5))}))
    assert play.max == 0
    assert images(stack)[0]["png"] == png(tag=5)


def test_play_has_no_description_of_its_own():
    # the Play view would draw it as a second label beside the slider's
    _, play, _, _ = parts(image_stepper({"a": frame(0), "b": frame(1)}))
    assert play.description == ""


@pytest.mark.parametrize(
    ("frames", "error", "match"),
    [
        ({}, ValueError, r"frames is empty.*at least one frame"),
        ([frame(0)], TypeError, r"frames must be a dict of label -> PNG bytes or text, got list"),
        ({"a": 1.5}, TypeError, r"frame 'a' must be PNG bytes .* or text \(str\), got float"),
        ({"a": frame(0), "b": None}, TypeError, r"frame 'b' must be PNG bytes .*got NoneType"),
    ],
)
def test_image_stepper_bad_frames(frames, error, match):
    with pytest.raises(error, match=match):
        image_stepper(frames)


# ---------------------------------------------------------------- epoch_stepper


def test_epoch_stepper_sorts_epochs():
    frames = {20: frame(2), 0: frame(0), 99: frame(9), 10: frame(1)}
    _, play, slider, stack = parts(epoch_stepper(frames))
    assert slider.options == (("0", 0), ("10", 1), ("20", 2), ("99", 3))
    assert slider.description == "epoch"
    assert [img["png"] for img in images(stack)] == [frame(0), frame(1), frame(2), frame(9)]
    assert play.max == 3
    assert links_between(play, slider) == [("value", "index")]
    assert links_between(slider, stack) == [("index", "selected_index")]


def test_epoch_stepper_keeps_the_caption_of_frames_while_sorting_them():
    frames = Frames({1: frame(1), 0: frame(0)}, caption="The forecast after each epoch.")
    caption, *_ = parts(epoch_stepper(frames))
    assert "The forecast after each epoch." in caption.value


def test_epoch_stepper_of_text():
    _, _, slider, stack = parts(epoch_stepper({5: "later", 1: "early"}, caption="Samples."))
    assert slider.options == (("1", 0), ("5", 1))
    assert "early" in stack.children[0].value


def test_epoch_stepper_interval():
    _, play, _, _ = parts(epoch_stepper({0: frame(0), 1: frame(1)}, interval_ms=250))
    assert play.interval == 250


@pytest.mark.parametrize(
    ("frames", "error", "match"),
    [
        ({}, ValueError, r"frames is empty"),
        ({"10": frame(0)}, TypeError, r"epoch_stepper keys must be int epochs, got \['10'\]"),
        ({1.0: frame(0)}, TypeError, r"keys must be int epochs, got \[1\.0\]"),
        ({True: frame(0)}, TypeError, r"keys must be int epochs, got \[True\]"),
        ({0: 123}, TypeError, r"frame 0 must be PNG bytes .*got int"),
        ([(0, frame(0))], TypeError, r"frames must be a dict"),
    ],
)
def test_epoch_stepper_bad_frames(frames, error, match):
    with pytest.raises(error, match=match):
        epoch_stepper(frames)


# ---------------------------------------------------------------- the frames the chapters step


def test_prediction_frames_describe_each_epoch_with_its_loss():
    series = torch.sin(torch.linspace(0, 6, 20))
    predicted = series.clone()
    predicted[5:] += 0.5  # the forecast is off by exactly 0.5 after the seed window
    history = History(
        [0.25, 0.125], {0: Snapshot(0, 0.25, predicted), 1: Snapshot(1, 0.125, series)}
    )
    frames = plots.prediction_frames(history, series, 5, dpi=20)
    assert isinstance(frames, Frames) and "from epoch 0 to 1" in frames.caption
    assert all(isinstance(f, PngFrame) and f.startswith(PNG) for f in frames.values())
    assert frames[0].alt.startswith("Epoch 0, training loss 0.2500.")
    assert "off by 0.50 on average" in frames[0].alt
    assert "off by 0.00 on average" in frames[1].alt
    plt.close("all")


def test_forget_gate_frames_describe_the_fading_memory():
    frames = plots.forget_gate_frames((0.0, 0.5), steps=4, dpi=20)
    assert isinstance(frames, Frames) and "from 0.0 to 0.5" in frames.caption
    assert frames["0.5"].alt == (
        "Forget gate f = 0.5: bars of the cell state c_t over 4 steps, starting at 1 and "
        "multiplied by f at every step; after 4 steps c_4 = 0.0625."
    )


def test_frames_share_one_layout_and_style():
    # saved state stays small: one Layout and one HTMLStyle model for all frames
    _, _, _, stack = parts(image_stepper({i: frame(i) for i in range(4)}))
    assert len({id(page.layout) for page in stack.children}) == 1
    assert len({id(page.style) for page in stack.children}) == 1


# ---------------------------------------------------------------- the live sampler (chapter 7)


def test_live_sampler_shows_what_generate_writes_and_follows_its_controls():
    calls = []

    def generate(prompt, temperature, length):
        calls.append((prompt, temperature, length))
        return "x" * length

    box = live_sampler(generate, prompt="the <time> ", temperature=0.5, length=40)
    prompt, heat, size, out = box.children
    assert calls == [("the <time> ", 0.5, 40)]  # filled once when built
    assert "the &lt;time&gt; " + "x" * 40 in out.value  # escaped: the prompt, then the text
    heat.value = 1.0
    size.value = 60
    prompt.value = "a"
    assert calls[1:] == [("the <time> ", 1.0, 40), ("the <time> ", 1.0, 60), ("a", 1.0, 60)]


def test_live_sampler_shows_a_bad_prompt_s_error_instead_of_raising():
    def generate(prompt, temperature, length):
        raise ValueError("prompt '?!' has no letter a-z")

    out = live_sampler(generate, prompt="?!").children[-1]
    assert "ValueError: prompt" in out.value


def test_live_sampler_needs_a_function():
    with pytest.raises(TypeError, match="generate must be a function"):
        live_sampler("not a function")
