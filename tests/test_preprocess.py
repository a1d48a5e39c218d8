"""preprocess.py: canvas RGBA -> MNIST-style 28x28 input, or None when there is no digit."""

from __future__ import annotations

import time

import numpy as np
import pytest

import preprocess
from scripts.model import strokes

SEVEN = [np.array([(0.15, 0.0), (0.85, 0.0), (0.38, 1.0)])]  # a 7 in the unit box


def draw(template, height=150.0, origin=(60.0, 60.0), pen=14.0, aspect=1.0):
    """Render a unit-box template at a given size/place as canvas RGBA (280, 280, 4)."""
    pts = [np.asarray(s) * [height * aspect, height] + origin for s in template]
    return strokes.render(pts, pen)


def centre_of_mass(x: np.ndarray) -> tuple[float, float]:
    img = x.reshape(28, 28)
    centres = np.arange(28) + 0.5
    mass = img.sum()
    return float(img.sum(1) @ centres / mass), float(img.sum(0) @ centres / mass)


def test_output_is_float32_784_in_unit_range():
    """A drawing becomes a float32 vector of 784 values in [0, 1] whose darkest pixel is 1."""
    x = preprocess.preprocess(draw(SEVEN))
    assert x.shape == (784,)
    assert x.dtype == np.float32
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert x.max() == pytest.approx(1.0)


def test_ink_is_darkness_times_alpha():
    """Ink = (1 - luminance) * alpha: opaque black 1, white or transparent 0, half alpha 0.5."""
    rgba = np.array(
        [[[0, 0, 0, 255], [255, 255, 255, 255], [0, 0, 0, 0], [0, 0, 0, 128]]], dtype=np.uint8
    )
    ink = preprocess.ink_from_rgba(rgba)
    assert ink.shape == (1, 4)
    np.testing.assert_allclose(ink[0], [1.0, 0.0, 0.0, 128 / 255], atol=1e-6)


def test_shifted_drawing_gives_the_same_input():
    """Moving a drawing across the canvas (whole pixels) does not change the network input."""
    a = preprocess.preprocess(draw(SEVEN, origin=(20, 30)))
    b = preprocess.preprocess(draw(SEVEN, origin=(110, 100)))
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_rescaled_drawing_gives_nearly_the_same_input():
    """The same digit drawn at half the size (and half the pen) gives nearly the same input."""
    big = preprocess.preprocess(draw(SEVEN, height=220, origin=(30, 30), pen=20))
    small = preprocess.preprocess(draw(SEVEN, height=110, origin=(150, 140), pen=10))
    assert np.abs(big - small).mean() < 0.03
    assert np.corrcoef(big, small)[0, 1] > 0.97


def test_centre_of_mass_is_at_the_centre():
    """Like MNIST, the ink's centre of mass lands on pixel (14, 14), however off-centre it was."""
    for origin in [(5, 5), (150, 20), (40, 150)]:
        x = preprocess.preprocess(draw(SEVEN, height=120, origin=origin))
        cy, cx = centre_of_mass(x)
        assert abs(cy - 14.5) < 0.25 and abs(cx - 14.5) < 0.25, (origin, cy, cx)


def test_bounding_box_fits_20_pixels():
    """The longer side of the ink's bounding box becomes 20 pixels (the MNIST box)."""
    img = preprocess.preprocess(draw(SEVEN, height=200)).reshape(28, 28) > 0.05
    rows = np.flatnonzero(img.any(1))
    assert 20 <= rows[-1] - rows[0] + 1 <= 21


def test_aspect_ratio_is_kept():
    """A tall thin "1" stays tall and thin instead of being stretched into a square."""
    one = [np.array([(0.5, 0.0), (0.5, 1.0)])]
    img = preprocess.preprocess(draw(one, height=200, pen=16)).reshape(28, 28) > 0.2
    rows = np.flatnonzero(img.any(1))
    cols = np.flatnonzero(img.any(0))
    height, width = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    assert height >= 19
    assert width <= 4


@pytest.mark.parametrize(
    "fill",
    [(0, 0, 0, 0), (255, 255, 255, 255), (250, 250, 250, 255)],
    ids=["transparent", "white", "near-white"],
)
def test_empty_canvas_gives_none(fill):
    """A canvas with no ink (transparent, opaque white, or off-white haze) is None, not a guess."""
    rgba = np.empty((280, 280, 4), dtype=np.uint8)
    rgba[:] = fill
    assert preprocess.preprocess(rgba) is None


def test_tiny_speck_gives_none():
    """A speck below MIN_INK_FRACTION of the canvas (here 3x3 black pixels) counts as empty."""
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[100:103, 100:103] = (0, 0, 0, 255)
    assert 9 < preprocess.MIN_INK_FRACTION * 280 * 280
    assert preprocess.preprocess(rgba) is None


@pytest.mark.parametrize("pen", [18, 24, 30])
def test_a_dot_is_no_digit(pen):
    """A click or tap (one fat dot, or a twitch of a few px) is too small to be a digit: None."""
    for points in ([(200.0, 50.0)], [(200.0, 50.0), (203.0, 52.0)]):
        rgba = strokes.render([np.array(points)], pen)
        assert preprocess.ink_from_rgba(rgba).sum() > preprocess.MIN_INK_FRACTION * 280 * 280
        assert preprocess.examine_rgba(rgba) == (None, preprocess.TOO_SMALL)
        assert preprocess.preprocess(rgba) is None


def test_a_small_but_real_digit_is_still_read():
    """A 7 drawn 40 px tall (a seventh of the pad) is small, but it is read, not dismissed."""
    x, reason = preprocess.examine_rgba(draw(SEVEN, height=40, pen=6))
    assert reason is None and x is not None


def test_an_empty_canvas_is_reported_as_empty():
    """examine_rgba tells an empty canvas from a dot, so the page can say which."""
    assert preprocess.examine_rgba(np.zeros((280, 280, 4), np.uint8)) == (None, preprocess.EMPTY)


def test_flat_input_is_accepted():
    """A flat ImageData-style buffer gives the same result as the (H, W, 4) array."""
    rgba = draw(SEVEN)
    np.testing.assert_array_equal(preprocess.preprocess(rgba.ravel()), preprocess.preprocess(rgba))


def test_flat_non_square_needs_size():
    """A flat buffer of a non-square canvas needs size=(H, W); a wrong size is an error."""
    rgba = np.zeros((140, 280, 4), dtype=np.uint8)
    rgba[40:100, 100:110] = (0, 0, 0, 255)
    expected = preprocess.preprocess(rgba)
    np.testing.assert_array_equal(preprocess.preprocess(rgba.ravel(), size=(140, 280)), expected)
    with pytest.raises(ValueError, match="not square"):
        preprocess.preprocess(rgba.ravel())
    with pytest.raises(ValueError, match="does not match"):
        preprocess.preprocess(rgba.ravel(), size=100)


def test_any_canvas_size_works():
    """The same drawing on a 560x560 canvas (a 2x high-DPI screen) gives nearly the same input."""
    x1 = preprocess.preprocess(draw(SEVEN))
    pts = [np.asarray(s) * 300 + 120 for s in SEVEN]
    x2 = preprocess.preprocess(strokes.render(pts, 28, size=560))
    assert np.abs(x1 - x2).mean() < 0.03


def test_preprocess_is_fast():
    """A 280x280 canvas is preprocessed in a few milliseconds (generous bound for slow CI)."""
    rgba = draw(SEVEN)
    preprocess.preprocess(rgba)
    best = min(_timed(preprocess.preprocess, rgba) for _ in range(20))
    assert best < 0.01


def _timed(fn, arg) -> float:
    start = time.perf_counter()
    fn(arg)
    return time.perf_counter() - start
