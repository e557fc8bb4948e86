"""helpers.exercises.feedback.Message: what a check, a hint or a solution displays, as Markdown
and as the same words in plain text."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from helpers.exercises.feedback import Message


def test_markdown_and_plain_text_carry_the_same_words():
    note = Message("The norm after **10** steps is 3e-02.")
    assert note._repr_markdown_() == "The norm after **10** steps is 3e-02."
    assert repr(note) == str(note) == "The norm after **10** steps is 3e-02."
    plain = Message("**q1 correct:** yes", "q1 correct: yes")
    assert (plain.markdown, plain.text) == ("**q1 correct:** yes", "q1 correct: yes")


def test_displayed_as_display_data_with_both_mime_types():
    shell = InteractiveShell.instance()
    shell.display_pub.clear_output = lambda *a, **k: None
    seen = []
    shell.display_pub.publish = lambda data, metadata=None, **k: seen.append(data)
    Message("x = 1")._ipython_display_()
    assert seen == [{"text/markdown": "x = 1", "text/plain": "x = 1"}]


def test_rejects_what_is_not_text():
    with pytest.raises(TypeError, match="markdown must be a str, got float"):
        Message(0.5)
