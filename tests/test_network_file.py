"""A taught network that travels: the Learn panel's network file (py/learn_panel.py), checked
exactly as saved learning is (py/model/head_trainer.py)."""

from __future__ import annotations

import json

import pytest
from test_head_trainer import PROBLEMS, corrupt, digit_file

from drawings import MODEL, bar
from lab_state import LabState
from learn_panel import MAX_NETWORK_BYTES, LearnPanel


def taught_panel(presses: int) -> tuple[LabState, LearnPanel]:
    lab = LabState(str(MODEL))
    lab.draw(bar())
    lab.set_controls({"label": "7"})
    panel = LearnPanel(lab)
    panel.start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    for _ in range(presses):
        panel.learn(5)
    return lab, panel


@pytest.fixture(scope="module")
def learner() -> tuple[LabState, LearnPanel, dict]:
    """A session that taught two presses, and its view. The bad files all go to it: each must
    leave it exactly as it was (a bad file loses nothing)."""
    lab, panel = taught_panel(2)
    return lab, panel, lab.view()


@pytest.fixture(scope="module")
def taught(learner) -> tuple[str, list[float]]:
    """Its network file, and the drawing's logits with it."""
    lab, panel, view = learner
    return panel.network_file()["text"], view["lab"]["network_logits"]


def fresh() -> tuple[LabState, LearnPanel]:
    lab = LabState(str(MODEL))
    lab.draw(bar())
    return lab, LearnPanel(lab)


def test_the_file_is_the_saved_format(taught):
    text, _ = taught
    data = json.loads(text)
    assert data["format"] == "softmax-digits/learned" and data["version"] == 1
    assert data["examples"] == 2 and set(data["arrays"]) == {"dense2_w", "dense2_b"}


def test_nothing_taught_gives_no_file():
    _, panel = fresh()
    assert panel.network_file() == {"text": None}


def test_download_forget_load_gives_the_taught_logits_bit_for_bit(taught):
    text, logits = taught
    lab, panel = fresh()
    shipped = lab.view()["lab"]["network_logits"]
    answer = panel.load_network(text.encode(), len(text))
    assert answer["notice"] is None
    assert answer["loaded"] == "Network loaded: it was taught 2 examples."
    assert answer["view"]["lab"]["network_logits"] == logits and answer["view"]["learned"] == 2
    assert answer["saved"] == text  # what the page then keeps in the browser's storage
    assert panel.undo()["view"]["lab"]["network_logits"] == shipped  # Undo takes the load back


@pytest.mark.parametrize("how", PROBLEMS)
def test_a_bad_file_gives_its_notice_and_keeps_the_weights_in_force(taught, learner, how):
    text, _ = taught
    lab, panel, before = learner
    bad = corrupt(text, how).encode()
    answer = panel.load_network(bad, len(bad))
    assert answer["notice"] == (
        f"This network file could not be used ({PROBLEMS[how]}). "
        "The weights in force are unchanged."
    )
    assert lab.view()["lab"]["network_logits"] == before["lab"]["network_logits"]
    assert lab.view()["learned"] == 2


def test_a_huge_file_or_one_that_is_not_text_is_refused():
    lab, panel = fresh()
    shipped = lab.view()["lab"]["network_logits"]
    big = panel.load_network(b"{" * 100, 50 * 1024 * 1024)
    assert "it is 52,428,800 bytes" in big["notice"] and f"{MAX_NETWORK_BYTES:,}" in big["notice"]
    binary = panel.load_network(b"\x89PNG\r\n\x1a\n\xff\xfe", 10)
    assert "it is not a text file" in binary["notice"]
    assert lab.view()["lab"]["network_logits"] == shipped and lab.view()["learned"] == 0
