"""Training augmentations for what people draw, and the deterministic chunk maker (train.py)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from scripts.model import strokes, train

SIDE = train.CANVAS


def stick(width: float = 5.0, lean: float = 0.0) -> np.ndarray:
    """A bare "1" on the 2x augmentation canvas, upright or its top leaning `lean` degrees right."""
    shift = 60 * np.tan(np.deg2rad(lean)) / 2
    return strokes.coverage([np.array([[42.0 + shift, 12.0], [42.0 - shift, 72.0]])], width, SIDE)


def seven(width: float = 5.0) -> np.ndarray:
    return strokes.coverage([np.array([[20.0, 12.0], [64.0, 12.0], [34.0, 72.0]])], width, SIDE)


def flag_angle(img: np.ndarray, out: np.ndarray) -> float:
    """Degrees below the page's horizontal of the ink `add_flag` added: its principal axis."""
    added = (out > 0.5) & ~(img > 0.5)
    added[62:] = False  # leave out a base
    points = np.argwhere(added)[:, ::-1].astype(float)  # (n, 2) as (x, y)
    axis = np.linalg.svd(points - points.mean(axis=0), full_matrices=False)[2][0]
    return float(np.degrees(np.arctan(abs(axis[1] / axis[0]))))


def nine(width: float = 5.0) -> np.ndarray:
    """A closed 9: a round loop on the upper half and a straight stem on its right."""
    loop = strokes.arc(40, 28, 14, 14, 0, 360, 40)
    stem = np.array([[54.0, 28.0], [54.0, 74.0]])
    return strokes.coverage([loop, stem], width, SIDE)


def test_long_flag_starts_far_down_the_left():
    """A long flag reaches 22-45 % of the height down, to the left of the stick (a base, when
    drawn, lies at the foot)."""
    img = stick()
    for seed in range(10):
        out = train.add_flag(img, np.random.default_rng(seed), long=True)
        added = (out > 0.5) & ~(img > 0.5)
        added[62:] = False  # leave out a base
        rows, cols = np.nonzero(added)
        assert cols.max() < 42  # only to the left of the stick
        drop = (rows.max() - 12) / 60
        assert 0.15 < drop < 0.55, drop


def test_stick_lean_is_the_angle_of_the_stick_from_upright():
    """Sticks leaning 20 degrees left, none, 12 and 25 right measure as such, within 1.5 degrees."""
    for degrees in (-20, 0, 12, 25):
        ink, rows, _ = train._ink_rows_and_width(stick(lean=degrees))
        assert abs(np.degrees(train.stick_lean(ink, rows)) - degrees) < 1.5, degrees


@pytest.mark.parametrize("turn_max", [0, 8])
def test_flag_is_turned_by_the_sticks_own_lean(turn_max):
    """The same flag on a 1 leaning right lies flatter on the page than on an upright 1, by the
    lean up to turn_max; on a 1 leaning left it stands steeper by as much (0: not turned)."""
    upright = stick()

    def flag(img, seed):
        return train.add_flag(img, np.random.default_rng(seed), long=True, turn_max=turn_max)

    for seed in range(5):
        # the same seed draws the same flag in the stick's own frame
        base = flag_angle(upright, flag(upright, seed))
        for sign in (1, -1):
            img = stick(lean=sign * 16)  # twice the 8-degree turn
            turned = flag_angle(img, flag(img, seed))
            assert abs(base - turned - sign * turn_max) < 4, (seed, sign, base, turned)


def test_short_flag_stays_near_the_top():
    """A short flag ends well above a third of the way down."""
    img = stick()
    out = train.add_flag(img, np.random.default_rng(0), long=False)
    added = (out > 0.5) & ~(img > 0.5)
    added[62:] = False  # leave out a base
    rows, _ = np.nonzero(added)
    assert (rows.max() - 12) / 60 < 0.36


def test_crossbar_crosses_the_sevens_stem_below_the_top():
    """The bar adds ink on both sides of the stem, between 40 % and 70 % of the height."""
    img = seven()
    out = train.add_crossbar(img, np.random.default_rng(3))
    rows, cols = np.nonzero((out > 0.5) & ~(img > 0.5))
    assert 12 + 0.4 * 60 <= rows.mean() <= 12 + 0.7 * 60
    stem_x = np.flatnonzero(img[int(rows.mean())] > 0.5).mean()
    assert cols.min() < stem_x < cols.max()


def test_long_flags_are_sometimes_bowed():
    """Some long flags are curves, not straight lines: the added ink strays from the chord
    between the flag's two ends further than a straight pen line does."""
    img = stick()
    strays = []
    for seed in range(40):
        out = train.add_flag(img, np.random.default_rng(seed), long=True)
        added = (out > 0.5) & ~(img > 0.5)
        added[62:] = False  # leave out a base
        rows, cols = np.nonzero(added)
        end = np.array([cols.min(), rows[cols == cols.min()].mean()])  # the flag's far end
        tip = np.array([42.0, 12.0 + 2.5])
        d = (tip - end) / np.linalg.norm(tip - end)
        off = np.abs((cols - end[0]) * d[1] - (rows - end[1]) * d[0])  # distance from the chord
        strays.append(off.max())
    # A straight flag strays by its half-width plus anti-aliasing (3.1-3.5 px here).
    assert sum(s > 4.2 for s in strays) >= 4  # clearly bowed ones
    assert sum(s < 3.6 for s in strays) >= 5  # straight ones


def test_open_loop_lower_left_cuts_the_bottom_of_the_loop_and_keeps_the_stem():
    """The "lower left" way removes ink from the loop's lower left; the stem and the loop's top
    stay."""
    img = nine()
    out = train.open_loop(img, np.random.default_rng(0), "lower left")
    removed = (img > 0.5) & ~(out > 0.5)
    rows, cols = np.nonzero(removed)
    assert removed.sum() > 20
    assert cols.max() < 52 and rows.min() > 28  # left of the stem, below the loop's middle
    np.testing.assert_array_equal(out[:20], img[:20])  # the top of the loop is untouched
    assert (out[50:74, 52:57] > 0.5).any(axis=1).all()  # the stem still runs down


def test_open_loop_c_beside_the_stem_leaves_a_gap_before_the_stem():
    """The "c beside the stem" way cuts the loop's bottom curve between its middle and the stem;
    the loop's left side, its top and the stem stay."""
    img = nine()
    for seed in range(5):
        out = train.open_loop(img, np.random.default_rng(seed), "c beside the stem")
        removed = (img > 0.5) & ~(out > 0.5)
        rows, cols = np.nonzero(removed)
        assert removed.sum() > 10
        assert cols.min() > 33 and cols.max() < 52 and rows.min() > 34  # bottom right of the loop
        np.testing.assert_array_equal(out[:, :33], img[:, :33])  # the left side is untouched
        np.testing.assert_array_equal(out[:30], img[:30])  # so is the top
        assert (out[28:74, 52:57] > 0.5).any(axis=1).all()  # the stem still runs down


def test_open_loop_picks_either_way_by_default():
    """Without a way, both ways turn up."""
    img = nine()
    outs = [train.open_loop(img, np.random.default_rng(seed)) for seed in range(12)]
    left = [((img > 0.5) & ~(o > 0.5))[:, :30].any() for o in outs]
    assert any(left) and not all(left)


def test_skeleton_is_one_pixel_wide_and_keeps_the_shape_connected():
    """Thinning a 9 px wide stroke of a 7 leaves a connected centre line about one pixel wide,
    as long as the stroke, inside the ink."""
    ink = seven(width=9.0) > 0.5
    line = train.skeleton(ink)
    _, parts = ndimage.label(line, structure=np.ones((3, 3)))
    assert parts == 1
    assert not (line & ~ink).any()
    length = 44 + np.hypot(30, 60)  # the two segments of seven()
    assert 0.8 * length < line.sum() < 1.3 * length  # a 1-px line, not a band of 9


def test_thin_pen_draws_a_faint_even_line_through_the_digit():
    """thin_pen turns a bold 9 px stick into a line at most 3 px wide over 0.5, peaking at 1,
    that still runs the whole length of the stick."""
    thin = train.thin_pen(stick(width=9.0), np.random.default_rng(0))
    assert np.isclose(thin.max(), 1.0)
    assert (thin > 0.5).sum(axis=1).max() <= 3
    assert (thin[18:66, 38:47] > 0.5).any(axis=1).all()


def test_augment_returns_an_input_for_digits_and_non_digits():
    """augment gives a (784,) input in [0, 1] peaking at 1, for a digit or a non-digit (-1)."""
    rng = np.random.default_rng(0)
    img28 = np.zeros((28, 28), np.float32)
    img28[4:24, 13:15] = 1.0
    for label in (1, 7, 9, -1):
        x = train.augment(img28, label, rng)
        assert x.shape == (784,) and x.min() >= 0 and np.isclose(x.max(), 1.0)


def test_epoch_order_visits_every_digit_and_some_classes_again():
    """Each epoch visits every training digit once, plus EXTRA of the listed classes again,
    shuffled; the same seed and epoch give the same order."""
    labels = np.arange(1000) % 10
    order = train.epoch_order(labels, 0, 3)
    counts = np.bincount(order, minlength=1000)
    assert counts.min() == 1 and counts.max() == 2
    for d in range(10):
        expected = int(round(100 * (1 + train.EXTRA.get(d, 0))))
        assert np.sum(labels[order] == d) == expected
    np.testing.assert_array_equal(order, train.epoch_order(labels, 0, 3))
    assert not np.array_equal(order, train.epoch_order(labels, 0, 4))


def test_chunks_depend_only_on_their_seed():
    """make_chunk gives the same arrays for the same spec, so worker count never matters."""
    rng = np.random.default_rng(0)
    images = (rng.random((20, 28, 28)) > 0.8).astype(np.uint8) * 255
    labels = np.arange(20) % 10
    pool = (rng.random((5, 28, 28)) > 0.8).astype(np.uint8) * 255
    train._init_worker(images, labels, pool)
    a = train.make_chunk((np.arange(8), 3, [0, 1, 2], 8))
    b = train.make_chunk((np.arange(8), 3, [0, 1, 2], 8))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert a[0].shape == (8, 784) and a[2].shape == (3, 784)
    np.testing.assert_array_equal(a[1], labels[:8])


def test_chunk_specs_cover_each_epoch_and_turn_flags_from_the_set_epoch(monkeypatch):
    """chunk_specs visits each epoch's order in CHUNK-sized pieces, each with its own seed and
    about 1 non-digit per 4 digits, and turns the flags from FLAG_TURN_FROM_EPOCH (1-based) on."""
    monkeypatch.setattr(train, "FLAG_TURN_MAX", 8)
    monkeypatch.setattr(train, "FLAG_TURN_FROM_EPOCH", 3)
    labels = np.arange(3000) % 10
    specs = list(train.chunk_specs(labels, 5, 4, 0.25))
    for epoch in range(4):
        mine = [s for s in specs if s[2][1] == epoch]
        np.testing.assert_array_equal(
            np.concatenate([s[0] for s in mine]), train.epoch_order(labels, 5, epoch)
        )
        assert [s[2] for s in mine] == [[5, epoch, c] for c in range(len(mine))]
        assert all(s[1] == round(len(s[0]) / 4) for s in mine)
        assert {s[3] for s in mine} == ({8} if epoch + 1 >= 3 else {0}), epoch


def test_weight_average_forgets_old_weights_at_its_decay_rate():
    """After the weights jump from a to b, the average is b + (a - b) * decay**steps: steady
    weights are kept exactly, and old ones fade geometrically."""
    average = train.WeightAverage(decay=0.9)
    a, b = {"w": np.full(3, 2.0, np.float32)}, {"w": np.full(3, -1.0, np.float32)}
    for _ in range(5):
        average.update(a)
    np.testing.assert_allclose(average.params()["w"], a["w"], rtol=1e-6)
    for _ in range(7):
        average.update(b)
    expected = -1.0 + (2.0 - -1.0) * 0.9**7
    np.testing.assert_allclose(average.params()["w"], expected, rtol=1e-6)
    assert average.params()["w"].dtype == np.float32
