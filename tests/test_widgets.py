"""helpers.widgets: steppers built from front-end links, so they work without a kernel (ch. 3)."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers.widgets import epoch_stepper, image_stepper, live_sampler

# tiny stand-ins: the widgets only carry bytes, they never decode them
PNG = b"\x89PNG\r\n\x1a\n"


def frame(i: int) -> bytes:
    return PNG + bytes([i])


def parts(box: widgets.VBox) -> tuple[widgets.Play, widgets.SelectionSlider, widgets.Stack]:
    """Unpack VBox(HBox(Play, SelectionSlider), Stack), asserting that structure."""
    assert isinstance(box, widgets.VBox)
    controls, stack = box.children
    assert isinstance(controls, widgets.HBox)
    play, slider = controls.children
    assert isinstance(play, widgets.Play)
    assert isinstance(slider, widgets.SelectionSlider)
    assert isinstance(stack, widgets.Stack)
    return play, slider, stack


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


def test_image_stepper_structure():
    frames = {"a": frame(0), "b": frame(1), "c": frame(2)}
    play, slider, stack = parts(image_stepper(frames, description="step"))
    assert len(stack.children) == 3
    assert all(isinstance(img, widgets.Image) for img in stack.children)
    assert [img.value for img in stack.children] == list(frames.values())
    assert all(img.format == "png" for img in stack.children)
    assert stack.selected_index == 0
    assert slider.options == (("a", 0), ("b", 1), ("c", 2))  # label, frame index
    assert slider.index == 0
    assert slider.description == "step"
    assert (play.min, play.max, play.step) == (0, 2, 1)


def test_image_stepper_links_play_to_slider_to_stack():
    play, slider, stack = parts(image_stepper({"a": frame(0), "b": frame(1)}))
    assert links_between(play, slider) == [("value", "index")]
    assert links_between(slider, stack) == [("index", "selected_index")]


def test_links_are_front_end_links_not_python_callbacks():
    play, slider, stack = parts(image_stepper({"a": frame(0), "b": frame(1)}))
    # no kernel on the static site: a Python-side link (widgets.link, observe) would move
    # the stack here and do nothing there; a jslink moves it in the browser only
    slider.index = 1
    assert stack.selected_index == 0


def test_image_stepper_keeps_the_given_order():
    frames = {"z": frame(0), "a": frame(1), "m": frame(2)}
    _, slider, stack = parts(image_stepper(frames))
    assert slider.options == (("z", 0), ("a", 1), ("m", 2))
    assert [img.value for img in stack.children] == [frame(0), frame(1), frame(2)]


def test_image_stepper_single_frame_and_bytearray():
    play, slider, stack = parts(image_stepper({0: bytearray(frame(5))}))
    assert play.max == 0
    assert stack.children[0].value == frame(5)


def test_epoch_stepper_sorts_epochs():
    frames = {20: frame(2), 0: frame(0), 99: frame(9), 10: frame(1)}
    play, slider, stack = parts(epoch_stepper(frames))
    assert slider.options == (("0", 0), ("10", 1), ("20", 2), ("99", 3))
    assert slider.description == "epoch"
    assert [img.value for img in stack.children] == [frame(0), frame(1), frame(2), frame(9)]
    assert play.max == 3
    assert links_between(play, slider) == [("value", "index")]
    assert links_between(slider, stack) == [("index", "selected_index")]


def test_epoch_stepper_interval():
    play, _, _ = parts(epoch_stepper({0: frame(0), 1: frame(1)}, interval_ms=250))
    assert play.interval == 250


@pytest.mark.parametrize(
    ("frames", "error", "match"),
    [
        ({}, ValueError, r"frames is empty.*at least one frame"),
        ([frame(0)], TypeError, r"frames must be a dict of label -> PNG bytes or text, got list"),
        ({"a": ["text"]}, TypeError, r"frame 'a' must be PNG bytes .*or text \(str\), got list"),
        ({"a": frame(0), "b": None}, TypeError, r"frame 'b' must be PNG bytes .*got NoneType"),
    ],
)
def test_image_stepper_bad_frames(frames, error, match):
    with pytest.raises(error, match=match):
        image_stepper(frames)


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


# ---------------------------------------------------------------- text frames (chapter 7)


def test_text_frames_are_preformatted_and_escaped():
    box = image_stepper({"0": "noise <b>", "400": "the time traveller"}, description="update")
    play, slider, stack = parts(box)
    assert all(isinstance(page, widgets.HTML) for page in stack.children)
    assert stack.children[0].value == '<pre class="book-stepper-text">noise &lt;b&gt;</pre>'
    assert links_between(slider, stack) == [("index", "selected_index")]


def test_pictures_and_text_can_share_a_stepper():
    _, _, stack = parts(epoch_stepper({0: frame(0), 1: "words"}))
    assert [type(page) for page in stack.children] == [widgets.Image, widgets.HTML]


def test_a_caption_goes_above_the_stepper():
    box = image_stepper({"a": "x", "b": "y"}, caption="What the model <writes>.")
    text, controls, _ = box.children
    assert text.value == '<p class="book-stepper-caption">What the model &lt;writes&gt;.</p>'
    assert isinstance(controls, widgets.HBox)
    assert len(image_stepper({"a": "x"}).children) == 2  # no caption, no line for it


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
