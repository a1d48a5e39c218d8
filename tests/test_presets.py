"""Presets and links (py/lab/presets.py) and the shipped assets/presets.json."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import pytest

import catalogue
import lab
import number_rule
import presets
from digit_sets import load_digit_set
from preprocess import TOO_SMALL, examine_rgba
from scripts.model import make_presets, strokes

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = (ROOT / "assets" / "presets.json").read_text()
NAMES = ["dot", "ambiguous-4-9"]


def one(drop: tuple[str, ...] = (), **fields) -> dict:
    """Load a file holding one preset: a good stroke preset with `fields` replaced and the
    fields in `drop` removed."""
    preset = {"name": "dot", "title": "Dot", "prompt": "Try it.", "strokes": [[[140, 140]]]}
    preset.update(fields)
    for field in drop:
        del preset[field]
    return presets.load_presets(json.dumps({"presets": [preset]}))


def test_the_shipped_file_loads_without_a_problem():
    """Every shipped preset passes, and there are MNIST digits and the four drawn edge cases."""
    loaded = presets.load_presets(SHIPPED)
    assert loaded["errors"] == []
    names = [p["name"] for p in loaded["presets"]]
    assert {"ambiguous-1-7", "ambiguous-4-9", "scribble", "dot"} <= set(names)
    assert sum(p["pixels"] is not None for p in loaded["presets"]) >= 2


def test_the_shipped_file_is_what_the_script_writes():
    """Running scripts/model/make_presets.py would change nothing in assets/presets.json but, at
    most, its layout (so a hand edit with other spacing still passes)."""
    assert json.loads(make_presets.build(SHIPPED)) == json.loads(SHIPPED)


def test_mnist_presets_are_the_shipped_held_out_digits():
    """Each MNIST preset's 784 grey levels and label are those of the digit with its test index
    in assets/digits/mnist-test.npz (what the calibration panel scores)."""
    digits = load_digit_set((ROOT / "assets/digits/mnist-test.npz").read_bytes(), "mnist-test")
    raw = {p["name"]: p for p in json.loads(SHIPPED)["presets"]}
    for preset in presets.load_presets(SHIPPED)["presets"]:
        if preset["pixels"] is None:
            continue
        row = list(digits.indices).index(raw[preset["name"]]["mnist_test_index"])
        assert preset["pixels"] == digits.images[row].reshape(-1).tolist()
        assert preset["label"] == digits.labels[row]


def test_the_drawn_presets_go_through_preprocessing_as_intended():
    """Rendered as the pad draws (18 px round pen), the dot is "too small" and the other drawn
    presets are digits the network can score (which digit is not asserted: it is retrained)."""
    for preset in presets.load_presets(SHIPPED)["presets"]:
        if preset["strokes"] is None:
            continue
        rgba = strokes.render([np.array(s) for s in preset["strokes"]], width=18)
        image, why = examine_rgba(rgba)
        if preset["name"] == "dot":
            assert (image, why) == (None, TOO_SMALL)
        else:
            assert image is not None, preset["name"]


def test_pixels_round_trip_through_hex_rows():
    """encode_pixels writes 28 rows of 56 hex digits that decode_pixels reads back."""
    grey = list(range(256)) * 3 + list(range(16))
    rows = presets.encode_pixels(grey)
    assert len(rows) == 28 and all(len(r) == 56 for r in rows)
    assert presets.decode_pixels(rows) == grey


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Dot!"}, '"name" must be lowercase'),
        ({"title": ""}, '"title" must be a non-empty text'),
        ({"prompt": "x" * 201}, '"prompt" is longer than 200'),
        ({"label": 10}, '"label" must be a digit'),
        ({"label": True}, '"label" must be a digit'),
        ({"drop": ("strokes",)}, 'exactly one of "strokes" and "pixels"'),
        ({"pixels": ["00" * 28] * 28}, 'exactly one of "strokes" and "pixels"'),
        ({"strokes": [[[140, 300]]]}, "outside the 280x280 pad"),
        ({"strokes": [[[140]]]}, "a point must be [x, y]"),
        ({"strokes": [[]]}, "each stroke must be a list"),
        ({"strokes": [[["1", 2]]]}, "a point must be [x, y]"),
    ],
)
def test_a_bad_preset_is_left_out_with_a_message_naming_it(fields, message):
    """A preset with a wrong field is left out; the message names it and the field."""
    loaded = one(**fields)
    assert loaded["presets"] == []
    assert len(loaded["errors"]) == 1
    assert loaded["errors"][0].startswith("Preset 1")
    assert message in loaded["errors"][0]


def test_bad_pixels_are_refused():
    """Pixels must be 28 rows of 56 lowercase hex digits."""
    for pixels in (["00" * 28] * 27, ["0g" * 28] * 28, ["00" * 27] * 28, "00"):
        assert one(drop=("strokes",), pixels=pixels)["presets"] == []


def test_good_presets_survive_a_bad_one_and_names_are_unique():
    """One bad entry and one duplicate name leave the other presets loaded."""
    good = {"name": "dot", "title": "Dot", "prompt": "Try.", "strokes": [[[1, 2]]]}
    other = {**good, "name": "four", "pixels": ["ff" * 28] * 28, "label": 4}
    del other["strokes"]
    loaded = presets.load_presets(json.dumps({"presets": [good, 7, other, good]}))
    assert [p["name"] for p in loaded["presets"]] == ["dot", "four"]
    assert loaded["presets"][1]["pixels"] == [255] * 784
    assert loaded["presets"][1]["label"] == 4
    assert loaded["presets"][0]["label"] is None
    assert len(loaded["errors"]) == 2
    assert "used twice" in loaded["errors"][1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "could not be loaded: HTTP 404."),
        ("{", "is not valid JSON"),
        ("[]", 'must hold {"presets": [...]}'),
        ('{"presets": 3}', 'must hold {"presets": [...]}'),
    ],
)
def test_a_missing_or_broken_file_gives_no_presets_and_says_why(text, message):
    """Never an exception: the page shows the message and keeps working."""
    loaded = presets.load_presets(text, "HTTP 404")
    assert loaded["presets"] == []
    assert message in loaded["errors"][0]


# What a link without a teacher's parameters or a drawing says of them (tests/test_teacher_link.py).
NO_TEACHER = {"hide": [], "lock": [], "task": None, "ink": None}


def test_a_link_sets_the_sample_and_the_controls_as_typed_texts():
    """sample, alpha, shift, label, log and zero come back ready to apply through the real
    controls."""
    query = "?sample=ambiguous-4-9&alpha=0.5&shift=-2&label=9&log=1&zero=1"
    assert presets.read_link(query, NAMES) == {
        "sample": "ambiguous-4-9",
        "controls": {"scale": "0.5", "shift": "-2", "label": "9"},
        "log": True,
        "zero": True,
        "ignored": [],
        **NO_TEACHER,
    }
    assert presets.read_link("", NAMES) == {
        "sample": None,
        "controls": {},
        "log": None,
        "zero": None,
        "ignored": [],
        **NO_TEACHER,
    }
    assert presets.read_link("zero=off", NAMES)["zero"] is False
    assert presets.read_link("log=off&label=", NAMES)["log"] is False
    assert presets.read_link("log=off&label=", NAMES)["controls"] == {"label": ""}


def test_link_numbers_follow_the_labs_own_rule():
    """A link takes exactly what the fields take: the same parser, the same messages."""
    for text in ("1e-2", "100", "0.01", " 2.5"):
        controls = presets.read_link(f"alpha={text}", NAMES)["controls"]
        assert controls == {"scale": lab.format_number(lab.parse_scale(text)[0])}
    for text in ("abc", "0x10", "inf", "0", "101", "1_0"):
        ignored = presets.read_link(f"alpha={text}", NAMES)["ignored"]
        assert ignored == [{"param": "alpha", "value": text, "why": lab.parse_scale(text)[1]}]


def test_a_garbage_link_is_ignored_parameter_by_parameter():
    """Each unusable parameter is listed with its value and the reason; nothing raises."""
    link = presets.read_link("?sample=nope&alpha=abc&label=12&zzz=1&log=maybe&shift=3", NAMES)
    assert link["sample"] is None and link["log"] is None
    assert link["controls"] == {"shift": "3"}
    why = {i["param"]: i["why"] for i in link["ignored"]}
    assert list(why) == ["sample", "alpha", "label", "zzz", "log"]
    assert "no example is called “nope”" in why["sample"]
    assert number_rule.NUMBER_RULE in why["alpha"]
    assert "digit 0-9" in why["label"]
    assert "not a link parameter" in why["zzz"]
    assert "log must be 1 or 0" in why["log"]


def test_a_link_in_the_language_shown_says_nothing_and_another_is_listed():
    """?lang= is read by the page (i18n.js); Python lists a value that is not the language the
    page shows (unknown, or its catalogue failed), said in the shown language, cut if long."""
    assert presets.read_link("?lang=en", NAMES)["ignored"] == []
    [fr] = presets.read_link("?lang=fr", NAMES)["ignored"]
    assert fr["param"] == "lang" and fr["value"] == "fr"
    assert "no such language" in fr["why"] and "shown in English" in fr["why"]
    [long] = presets.read_link("?lang=" + "<script>" * 40, NAMES)["ignored"]
    assert len(long["value"]) == 80 and long["value"].endswith("…")
    catalogue.use_file("de")
    assert presets.read_link("?lang=de", NAMES)["ignored"] == []
    [en] = presets.read_link("?lang=en", NAMES)["ignored"]
    assert "auf Deutsch angezeigt" in en["why"]


@pytest.mark.parametrize(
    "value", ["2", "", "yes please", "<b>1</b>", "1;alert(1)", "\u202e1", "0" * 300]
)
def test_a_bad_zero_is_ignored_and_named(value):
    """zero= takes 1 or 0 (on/off, true/false) like log=; anything else is listed, verbatim,
    with the rule, and the link's other parameters still apply."""
    link = presets.read_link(f"alpha=2&{urlencode({'zero': value})}", NAMES)
    assert link["ignored"] == [
        {"param": "zero", "value": value, "why": f"zero must be 1 or 0 (on or off), got “{value}”."}
    ]
    assert link["zero"] is None and link["controls"] == {"scale": "2"}


def test_a_repeated_parameter_keeps_the_first_value():
    """A second alpha is ignored with a note: the link means what it says first."""
    link = presets.read_link("alpha=2&alpha=3", NAMES)
    assert link["controls"] == {"scale": "2"}
    assert link["ignored"] == [
        {"param": "alpha", "value": "3", "why": "given more than once; the first one is used."}
    ]


def test_a_sample_is_ignored_when_the_presets_did_not_load():
    """With no presets file, sample= is ignored (and says why) while the controls still apply."""
    link = presets.read_link("sample=dot&alpha=2", None)
    assert link["sample"] is None and link["controls"] == {"scale": "2"}
    assert link["ignored"][0]["why"] == "the examples could not be loaded."
