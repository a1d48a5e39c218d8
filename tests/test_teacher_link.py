"""A teacher's link: ?hide=, ?lock= (enforced by the lab's state), ?task= (py/lab/teacher_link.py,
py/lab/presets.py, py/lab_state.py), and a drawing in a link, ?ink= (py/lab/ink_code.py)."""

from __future__ import annotations

import base64
import random
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import ink_code
import presets
from drawings import MODEL, bar
from lab_state import LabState

NAMES = ["ambiguous-4-9"]
ROOT = Path(__file__).resolve().parent.parent


def ignored(link: dict) -> dict:
    return {item["param"]: item["why"] for item in link["ignored"]}


# ------------------------------------------------------------------ hide, lock, task


def test_hide_lock_and_task_are_read_from_the_link():
    link = presets.read_link("?hide=quiz,code,quiz&lock=alpha,log&task=Try%20c%20%3D%201000", NAMES)
    assert link["hide"] == ["quiz", "code"]  # once each, in the link's order
    assert link["lock"] == ["alpha", "log"]
    assert link["task"] == "Try c = 1000"
    assert link["ignored"] == []


def test_the_parts_head_and_by_hand_can_be_hidden_before_the_page_has_them():
    assert presets.read_link("?hide=head,by-hand", NAMES)["hide"] == ["head", "by-hand"]


@pytest.mark.parametrize(
    ("query", "param", "why"),
    [
        ("?hide=quiz,menu", "hide", "unknown: menu"),
        ("?hide=", "hide", "names separated by commas"),
        ("?hide=quiz,,code", "hide", "names separated by commas"),
        ("?lock=alpha,colour", "lock", "unknown: colour"),
        ("?task=%20%0A%20", "task", "the task is empty"),
        ("?task=" + "x" * 301, "task", "301 characters long; at most 300"),
    ],
)
def test_bad_teacher_values_are_ignored_and_say_why(query, param, why):
    link = presets.read_link(query, NAMES)
    assert why in ignored(link)[param]
    assert link["hide"] == [] and link["lock"] == [] and link["task"] is None


def test_a_task_is_one_plain_line_kept_as_written():
    """Markup stays text (the page shows it with textContent); line breaks and control
    characters become single spaces."""
    link = presets.read_link("?task=%3Cb%3Ebold%3C%2Fb%3E%0A%0Aand%09%00more", NAMES)
    assert link["task"] == "<b>bold</b> and more"


def test_a_long_value_is_cut_short_in_the_note():
    link = presets.read_link("?ink=1" + "A" * 9000, NAMES)
    (item,) = link["ignored"]
    assert item["param"] == "ink" and len(item["value"]) == 80 and item["value"].endswith("…")


# ------------------------------------------------------------------ lock, enforced in Python


@pytest.fixture
def lab() -> LabState:
    return LabState(str(MODEL))


def test_a_locked_control_refuses_every_new_value_reset_included(lab):
    lab.draw(bar())
    lab.set_controls({"scale": "0.5", "label": "3"})
    view = lab.lock(["scale", "label"])
    assert set(view["locked"]) == {"scale", "label"}
    assert "α = 0.5" in view["locked"]["scale"]
    view = lab.set_controls({"scale": "7", "label": "4", "shift": "2"})
    assert view["controls"]["scale"] == 0.5 and view["controls"]["label"] == 3
    assert view["controls"]["shift"] == 2  # not locked: applied
    assert view["errors"]["scale"].startswith("Locked by the teacher's link: α = 0.5")
    view = lab.set_controls({"reset": True})
    assert view["controls"]["scale"] == 0.5 and view["controls"]["label"] == 3
    assert view["controls"]["shift"] == 0


def test_locked_all_zero_logits_stay_for_a_new_drawing(lab):
    lab.draw(bar())
    lab.set_controls({"zero_logits": True})
    lab.lock(["zero_logits"])
    view = lab.draw(bar())
    assert view["controls"]["zero_logits"] is True and view["lab"]["probs"] == [0.1] * 10
    assert "all logits zero on" in lab.set_controls({"zero_logits": False})["errors"]["zero_logits"]


def test_only_lab_controls_can_be_locked(lab):
    with pytest.raises(ValueError, match="no lab control"):
        lab.lock(["softmax"])


# ------------------------------------------------------------------ ink: a drawing in a link


def random_strokes(rng: random.Random, count: int, length: int) -> list:
    """A pen path on the pad's 1/4-px grid, as the pad records it."""
    strokes = []
    for _ in range(count):
        x, y = rng.randint(0, 1120), rng.randint(0, 1120)
        stroke = []
        for _ in range(length):
            x = min(1120, max(0, x + rng.randint(-40, 40)))
            y = min(1120, max(0, y + rng.randint(-40, 40)))
            stroke.append([x / 4, y / 4])
        strokes.append(stroke)
    return strokes


def test_ink_round_trips_exactly_on_the_grid():
    rng = random.Random(3)
    for count, length in ((1, 1), (3, 50), (8, 200)):
        strokes = random_strokes(rng, count, length)
        text = ink_code.encode(strokes)
        assert ink_code.decode(text) == strokes
    corners = [[[0, 0], [280, 280], [0, 280], [280, 0]]]
    assert ink_code.decode(ink_code.encode(corners)) == corners


def test_ink_is_compact_and_url_safe():
    """A digit-sized drawing (2 strokes, 150 points, steps of a few px) is a few hundred
    characters, all of them safe in a query without escaping."""
    strokes = random_strokes(random.Random(1), 2, 75)
    text = ink_code.encode(strokes)
    assert len(text) < 700
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_off_grid_points_are_quantised_to_a_quarter_pixel_and_kept_on_the_pad():
    strokes = [[[10.1, 20.13], [-3, 300.0]]]
    assert ink_code.decode(ink_code.encode(strokes)) == [[[10.0, 20.25], [0.0, 280.0]]]


def test_ink_limits_points_and_length():
    with pytest.raises(ValueError, match="at most 2000"):
        ink_code.encode([[[1, 1]] * 2001])
    # 2000 points that each jump across the pad need more characters than a link holds
    wild = [[[0, 0], [280, 280]] * 1000]
    with pytest.raises(ValueError, match="a link holds 8000"):
        ink_code.encode(wild)
    for bad in ([], [[]], [[[1]]], [[[1, float("nan")]]], "x", [[["1", 2]]]):
        with pytest.raises(ValueError):
            ink_code.encode(bad)


def b64(data: bytes) -> str:
    return "1" + base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        ("2AQEA", "not a drawing of this page"),
        ("1AQ$A", "characters a drawing's text never has"),
        ("1A", "characters a drawing's text never has"),  # a lone base64 character
        (b64(b"\x01\x01\x02"), "cut short"),  # the point's y is missing
        (b64(b"\x01\x01\x02\x02\x00"), "bytes left over"),
        (b64(b"\x00"), "0 strokes"),
        (b64(b"\x01\x00"), "a stroke has 0 points"),
        (b64(b"\x01\xd1\x0f"), "a stroke has 2001 points"),
        (b64(b"\x01\x01\x01\x00"), "outside the 280x280 pad"),  # x = -1
        (b64(b"\x01\x01\xc2\x11\x00"), "outside the 280x280 pad"),  # x = 1121
        (b64(b"\x01\x01" + b"\xff" * 10), "far too large"),
        ("1" + "A" * 8000, "at most 8000"),
    ],
)
def test_hostile_ink_is_refused_saying_why(text, why):
    with pytest.raises(ValueError, match=why):
        ink_code.decode(text)


def test_a_bad_ink_is_listed_and_a_good_one_gives_strokes():
    link = presets.read_link("?ink=1%25%25", NAMES)
    assert link["ink"] is None and "not a drawing" in ignored(link)["ink"]
    good = ink_code.encode([[[10, 10], [20, 30]]])
    assert presets.read_link(f"?ink={good}", NAMES)["ink"] == [[[10.0, 10.0], [20.0, 30.0]]]


def test_an_example_and_a_drawing_in_one_link_show_the_example():
    good = ink_code.encode([[[10, 10]]])
    link = presets.read_link(f"?sample=ambiguous-4-9&ink={good}", NAMES)
    assert link["sample"] == "ambiguous-4-9" and link["ink"] is None
    assert "the example is shown" in ignored(link)["ink"]


def test_the_teacher_guides_example_links_are_used_whole():
    """docs/teachers.md's worked examples: every part of each link is used, none ignored."""
    guide = (ROOT / "docs" / "teachers.md").read_text()
    names = [p["name"] for p in presets.load_presets((ROOT / presets.FILE).read_text())["presets"]]
    links = [word.strip("`") for word in guide.split() if "&task=" in word]
    assert len(links) == 3
    for url in links:
        link = presets.read_link(urlsplit(url).query, names)
        assert link["ignored"] == [] and link["hide"] and link["task"]
