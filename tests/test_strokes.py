"""Drawn-digit styles, pens and the styled evaluation set (scripts/model/strokes.py,
eval_drawn.py)."""

from __future__ import annotations

import numpy as np
import pytest

import preprocess
from scripts.model import eval_drawn, strokes


def test_every_family_member_is_a_style_of_its_digit():
    """Each style named in FAMILIES exists for its digit, and family() finds it."""
    for name, (digit, members) in strokes.FAMILIES.items():
        for style in members:
            assert style in strokes.styles(digit), (name, style)
            assert strokes.family(digit, style) == name
    assert strokes.family(1, "stick") is None


def test_original_templates_keep_their_order_and_names():
    """styles() lists the original TEMPLATES first, under STYLE_NAMES, then the extra styles."""
    for digit in range(10):
        named = list(strokes.styles(digit).items())
        assert len(named) == len(strokes.TEMPLATES[digit]) + len(strokes.EXTRA[digit])
        for (name, template), original, expected in zip(
            named, strokes.TEMPLATES[digit], strokes.STYLE_NAMES[digit], strict=False
        ):
            assert name == expected and template is original


@pytest.mark.parametrize("pen", list(strokes.PENS))
def test_every_style_with_every_pen_is_a_readable_drawing(pen):
    """Every style drawn with every pen is solid ink that preprocesses to an input."""
    rng = np.random.default_rng(3)
    for digit in range(10):
        for style in strokes.styles(digit):
            rgba, info = strokes.styled_digit(digit, style, rng, pen)
            assert rgba[..., 3].max() == 255, (digit, style, pen)
            assert preprocess.preprocess(rgba) is not None, (digit, style, pen)
            assert info["pen"] == pen


def test_pen_kinds_differ_as_documented():
    """Thin pens are at most 4 px and felt pens at least 28 px wide (on a 280 px pad); small
    digits are at most 30% of the pad tall."""
    rng = np.random.default_rng(0)
    one = strokes.styles(1)["stick"]
    for _ in range(20):
        assert strokes.draw(one, rng, pen="thin")[1]["width"] <= 4
        assert strokes.draw(one, rng, pen="felt")[1]["width"] >= 28
        assert strokes.draw(one, rng, pen="small")[1]["height"] <= 0.3 * strokes.CANVAS


def test_a_smaller_canvas_gives_nearly_the_same_input():
    """draw() scales to the canvas: the same random drawing at 140 px preprocesses like at 280."""
    template = strokes.styles(7)["crossbar"]
    big = preprocess.preprocess(strokes.draw(template, np.random.default_rng(5))[0])
    small = preprocess.preprocess(strokes.draw(template, np.random.default_rng(5), 140)[0])
    assert np.abs(big - small).mean() < 0.03


def test_place_reports_how_far_the_drawing_leans():
    """info["lean"] is the angle from upright of a stick drawn upright in the template, in
    degrees, positive when its top went right (within the hand's jitter)."""
    stick = [strokes.line((0.5, 0.0), (0.5, 1.0))]
    leans = []
    for seed in range(30):
        (line,), _, info = strokes.place(stick, np.random.default_rng(seed))
        (x0, y0), (x1, y1) = line
        assert info["lean"] == pytest.approx(np.degrees(np.arctan2(x0 - x1, y1 - y0)), abs=4)
        leans.append(info["lean"])
    assert min(leans) < -10 and max(leans) > 10  # slant and rotation go both ways


def test_place_gives_the_pen_path_that_draw_renders():
    """place() returns the polylines (pad pixels, inside the 280 px pad) and pen width that draw()
    renders from the same random numbers: what eval_mouse.py draws with the real mouse is what
    the renderer scores."""
    template = strokes.styles(1)["long flag"]
    lines, width, info = strokes.place(template, np.random.default_rng(9), pen="page")
    rgba, drawn_info = strokes.draw(template, np.random.default_rng(9), pen="page")
    assert info == drawn_info and width == info["width"] == 18.0
    np.testing.assert_array_equal(strokes.render(lines, width), rgba)
    every = np.concatenate(lines)
    assert every.min() >= width / 2 - 1e-9 and every.max() <= strokes.CANVAS - width / 2 + 1e-9


def test_unknown_pen_is_rejected():
    """A pen name not in PENS raises instead of silently drawing something else."""
    with pytest.raises(ValueError, match="unknown pen"):
        strokes.draw(strokes.styles(0)["oval"], np.random.default_rng(0), pen="crayon")


def test_styled_set_covers_every_digit_style_and_pen_and_is_fixed():
    """The styled set holds per_cell drawings of each (digit, style, pen), the same every time."""
    x, records = eval_drawn.styled_inputs(seed=7, per_cell=1, pens=("page", "thin"))
    n_styles = sum(len(strokes.styles(d)) for d in range(10))
    assert x.shape == (2 * n_styles, 784) and len(records) == 2 * n_styles
    assert {(d, s) for d, s, *_ in records} == {
        (d, s) for d in range(10) for s in strokes.styles(d)
    }
    again, _ = eval_drawn.styled_inputs(seed=7, per_cell=1, pens=("page", "thin"))
    np.testing.assert_array_equal(again, x)


def test_styled_score_counts_each_breakdown(monkeypatch):
    """evaluate_styled tallies right/count per class, family, style and pen from the logits."""
    monkeypatch.setattr(eval_drawn, "PER_CELL", 1)

    def perfect(x):  # a fake network that reads every drawing right
        digits = [d for d, *_ in records]
        return np.eye(10)[digits]

    _, records = eval_drawn.styled_inputs(eval_drawn.STYLED_SEEDS["validation"], 1)
    result = eval_drawn.evaluate_styled(None, "validation", per_cell=1, logits=perfect)
    assert result["overall"] == 1.0 and eval_drawn.styled_passes(result)
    assert result["per_family"]["long-flag 1"] == (24, 4 * len(strokes.PENS))
    assert sum(c for _, c in result["per_pen"].values()) == result["count"]


def test_misses_lists_only_the_familys_wrong_reads_with_their_probabilities():
    """misses() gives every drawing of the family read wrong, by its index in the set, with
    what it was read as and both probabilities; other families' drawings are not listed."""
    _, records = eval_drawn.styled_inputs(eval_drawn.STYLED_SEEDS["validation"], 1)

    def flags_as_sevens(x):  # reads every long-flag 1 as 7 (p 0.41 against 0.15), the rest right
        truth = [7 if strokes.family(d, s) == "long-flag 1" else d for d, s, *_ in records]
        return 2.0 * np.eye(10)[truth] + np.eye(10)[[d for d, *_ in records]]

    result = eval_drawn.evaluate_styled(None, "validation", per_cell=1, logits=flags_as_sevens)
    missed = eval_drawn.misses(result, "long-flag 1")
    assert len(missed) == result["per_family"]["long-flag 1"][1] == 4 * len(strokes.PENS)
    for m in missed:
        digit, style, pen, lean = records[m["index"]]
        assert (digit, style, pen, lean) == (1, m["style"], m["pen"], m["lean"])
        assert m["read"] == 7 and 0 <= m["leans_less"] < 1
        p7, p1 = np.exp(2) / (np.exp(2) + np.e + 8), np.e / (np.exp(2) + np.e + 8)
        assert m["p_read"] == pytest.approx(p7) and m["p_digit"] == pytest.approx(p1)
    assert eval_drawn.misses(result, "crossbar 7") == []


def test_sheet_draws_each_input_as_a_framed_tile_in_reading_order(tmp_path):
    """save_sheet lays inputs out left to right, top to bottom, 3x, ink dark on white; the
    empty places of the last row stay white."""
    from PIL import Image

    ink, blank = np.ones(784, np.float32), np.zeros(784, np.float32)
    strokes.save_sheet(np.stack([ink, blank, ink]), tmp_path / "sheet.png", columns=2)
    sheet = np.asarray(Image.open(tmp_path / "sheet.png"))
    assert sheet.shape == (2 * 90, 2 * 90)
    centres = sheet[45::90, 45::90]  # the middle pixel of each tile
    np.testing.assert_array_equal(centres, [[0, 255], [0, 255]])
    assert sheet[0, 0] == 128  # the grey frame


def test_mouse_set_draws_every_style_inside_the_pad_the_same_every_time():
    """eval_mouse.drawings gives per_style drawings of every style of every digit, with the
    page's pen inside the pad, and the same strokes for the same seed."""
    from scripts.model import eval_mouse

    first = list(eval_mouse.drawings(per_style=2, seed=1))
    styles = sum(len(strokes.styles(d)) for d in range(10))
    assert len(first) == 2 * styles
    assert {(d, s) for d, s, _ in first} == {(d, s) for d in range(10) for s in strokes.styles(d)}
    for _, _, lines in first:
        points = np.concatenate([np.array(line) for line in lines])
        assert points.min() > 9 - 1e-9 and points.max() < strokes.CANVAS - 9 + 1e-9  # 18 px pen
    assert first == list(eval_mouse.drawings(per_style=2, seed=1))
