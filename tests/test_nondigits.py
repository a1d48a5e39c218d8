"""Non-digit drawings (scripts/model/nondigits.py): families, held-out split, the page's input
path."""

from __future__ import annotations

import numpy as np
import pytest

from scripts.model import nondigits


def test_training_and_held_out_families_split_every_family():
    """Each family is either for training or held out, never both; both groups are non-empty."""
    train, held = set(nondigits.TRAIN_FAMILIES), set(nondigits.HELD_OUT_FAMILIES)
    assert train and held and not train & held
    assert train | held == set(nondigits.FAMILIES)


def test_nothing_that_reads_as_a_digit_is_generated():
    """Letters a person could read as a digit (O, I, l, Z, S, G, b, B, g, q, ...) are left out."""
    lookalikes = set("OoDQIlijJZzSsGbBgqadPLTtFfUuyC")
    letters = {f.split()[1] for f in nondigits.FAMILIES if f.startswith("letter ")}
    assert letters and not letters & lookalikes


@pytest.mark.parametrize("family", list(nondigits.FAMILIES))
def test_every_family_draws_inputs_the_page_would_read(family):
    """Each family gives (784,) inputs in [0, 1] through preprocess, non-blob but for marks."""
    rng = np.random.default_rng(0)
    for _ in range(3):
        rgba, x, info = nondigits.random_nondigit(family, rng)
        assert rgba.shape == (280, 280, 4) and x.shape == (784,)
        assert 0 <= x.min() and x.max() == pytest.approx(1.0)
        assert info["family"] == family
        assert family in nondigits.MARKS or nondigits.fill(x) <= nondigits.BLOB_FILL


def test_dashes_are_never_steep():
    """Dashes lie within 45 degrees of horizontal, so no lone dash can pass for a 1."""
    rng = np.random.default_rng(1)
    for _ in range(50):
        for dash in nondigits.dashes(rng):
            dx, dy = np.abs(dash[-1] - dash[0])
            assert dy <= dx + 1e-9


def test_evaluation_set_is_fixed_and_covers_every_family():
    """The evaluation set is the same on every call and holds per_family drawings per family."""
    families = ("zigzag", "letter N", "heart")
    x, names = nondigits.nondigit_inputs(families, per_family=2)
    assert x.shape == (6, 784) and names == ["zigzag"] * 2 + ["letter N"] * 2 + ["heart"] * 2
    again, _ = nondigits.nondigit_inputs(families, per_family=2)
    np.testing.assert_array_equal(again, x)


def test_training_images_come_only_from_training_families(monkeypatch):
    """training_images never draws a held-out family, and returns 28x28 images."""
    drawn = []
    original = nondigits.random_nondigit

    def spy(family, rng, size=280, pen=None):
        drawn.append(family)
        return original(family, rng, size, pen)

    monkeypatch.setattr(nondigits, "random_nondigit", spy)
    images = nondigits.training_images(60, np.random.default_rng(2))
    assert images.shape == (60, 28, 28)
    assert drawn and set(drawn) <= set(nondigits.TRAIN_FAMILIES)
