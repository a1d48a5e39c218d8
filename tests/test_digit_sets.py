"""Shipped digit sets: the file format, its checks, the committed sets and the recipe that
builds them (the byte-for-byte rebuild from MNIST is `python scripts/model/ship_digits.py
--check`)."""

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

import preprocess
from digit_sets import DigitSetError, encode_digit_set, load_digit_set, to_inputs
from scripts.model import ship_digits

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "assets" / "digits" / "mnist-test.npz"
SPLIT_SIZES = {"test": 10_000, "train": 50_000}  # MNIST's, as scripts/model/mnist_full.py splits it


def small_set(n=20, seed=1):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    return images, np.arange(n) % 10, np.arange(100, 100 + n), "test digits"


def test_round_trip_keeps_every_array():
    """encode then load gives back the images, labels, indices and source exactly."""
    images, labels, indices, source = small_set()
    digits = load_digit_set(encode_digit_set(images, labels, indices, source), "small")
    np.testing.assert_array_equal(digits.images, images)
    np.testing.assert_array_equal(digits.labels, labels)
    np.testing.assert_array_equal(digits.indices, indices)
    assert digits.source == source and len(digits) == 20 and digits.name == "small"


def test_encoding_is_byte_for_byte_reproducible():
    """The same digits always give the same bytes (a rebuilt file shows no spurious diff)."""
    assert encode_digit_set(*small_set()) == encode_digit_set(*small_set())


def test_inputs_are_grey_levels_over_255_and_match_a_single_digit():
    """DigitSet.inputs and to_inputs of one digit's grey levels give identical float32 inputs."""
    images, *rest = small_set()
    digits = load_digit_set(encode_digit_set(images, *rest), "small")
    batch = digits.inputs(slice(3, 6))
    assert batch.dtype == np.float32 and batch.shape == (3, 784)
    np.testing.assert_array_equal(batch[1], to_inputs(images[4].reshape(-1).tolist()))
    np.testing.assert_allclose(batch[0], images[3].reshape(-1) / 255, rtol=1e-6)


def test_to_inputs_refuses_non_grey_values():
    """Grey levels must be whole numbers 0..255 and 784 of them."""
    with pytest.raises(DigitSetError, match="whole numbers"):
        to_inputs(np.full(784, 256))
    with pytest.raises(DigitSetError, match="784 pixels"):
        to_inputs(np.zeros(783, np.uint8))


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rezip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _npy(array) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(array), allow_pickle=False)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (lambda d: b"not a zip file at all", "not a readable .npz"),
        (lambda d: d[: len(d) // 2], "not a readable .npz"),
        (lambda d: _rezip({k: v for k, v in _members(d).items() if k != "labels.npy"}), "lacks"),
        (
            lambda d: _rezip({**_members(d), "images.npy": _npy(np.zeros((20, 28, 28)))}),
            "images must be uint8",
        ),
        (
            lambda d: _rezip({**_members(d), "labels.npy": _npy(np.full(20, 12, np.uint8))}),
            "labels must lie in 0..9",
        ),
        (
            lambda d: _rezip({**_members(d), "indices.npy": _npy(np.arange(19))}),
            "indices must be 20 integers",
        ),
        (
            lambda d: _rezip({**_members(d), "images.npy": _npy(np.zeros((0, 28, 28), np.uint8))}),
            "holds no digits",
        ),
    ],
)
def test_a_corrupt_file_fails_with_one_clear_error(corrupt, message):
    """Garbage, truncation, a missing array, wrong dtypes or shapes: DigitSetError naming it."""
    good = encode_digit_set(*small_set())
    with pytest.raises(DigitSetError, match=re.escape(message)) as err:
        load_digit_set(corrupt(good), "broken")
    assert "'broken'" in str(err.value)


def test_the_shipped_file_is_small_balanced_and_from_the_mnist_test_split():
    """assets/digits/mnist-test.npz: 1,000 digits, 100 per class, < 300 KB, MNIST test indices."""
    data = SHIPPED.read_bytes()
    digits = load_digit_set(data, "mnist-test")
    assert len(data) < 300_000
    assert len(digits) == 1000
    assert np.bincount(digits.labels, minlength=10).tolist() == [100] * 10
    assert "MNIST test split" in digits.source
    assert digits.indices.min() >= 0 and digits.indices.max() < 10_000
    assert len(set(digits.indices.tolist())) == 1000
    # Normalised like training inputs: every digit has full ink somewhere and is 28x28 centred.
    assert np.all(digits.images.reshape(1000, -1).max(axis=1) == 255)


@pytest.mark.parametrize(("name", "max_bytes"), [("test", 300_000), ("replay", 120_000)])
def test_each_shipped_set_is_balanced_sorted_and_normalised(name, max_bytes):
    """Both committed sets, as ship_digits describes them: per_class digits of each class from
    the named MNIST split, sorted by label then index, and every digit normalised as training
    normalises one (full ink somewhere, the longer side of the ink 20 px, scaled to BOX with
    area weights so it may touch a 21st, the centre of mass at preprocess.CENTRE)."""
    split, per_class, path = ship_digits.SETS[name]
    digits = load_digit_set(path.read_bytes(), path.stem)
    assert path.stat().st_size < max_bytes
    assert f"MNIST {split} split" in digits.source and f"{per_class} per class" in digits.source
    assert digits.labels.tolist() == [d for d in range(10) for _ in range(per_class)]
    for d in range(10):
        assert np.all(np.diff(digits.indices[digits.labels == d]) > 0)
    assert 0 <= digits.indices.min() and digits.indices.max() < SPLIT_SIZES[split]
    images = digits.images.astype(np.float64)  # (n, 28, 28)
    assert np.all(images.max(axis=(1, 2)) == 255)
    for image in images:
        ink = image >= preprocess.INK_FLOOR * 255
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        side = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
        assert preprocess.BOX <= side <= preprocess.BOX + 1
    mass = images.sum(axis=(1, 2))
    centre = np.arange(28) + 0.5
    assert np.abs(images.sum(axis=2) @ centre / mass - preprocess.CENTRE).max() < 0.1
    assert np.abs(images.sum(axis=1) @ centre / mass - preprocess.CENTRE).max() < 0.1


def fake_split(n_per_class: int = 6, seed: int = 2):
    """A synthetic MNIST split: uint8 (N, 28, 28) rectangles of ink, labels 0..9 shuffled."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.repeat(np.arange(10), n_per_class))
    images = np.zeros((len(labels), 28, 28), np.uint8)
    for image in images:
        top, left = rng.integers(2, 10, size=2)
        height, width = rng.integers(8, 17, size=2)
        image[top : top + height, left : left + width] = rng.integers(60, 256)
    return images, labels.astype(np.int64)


def test_the_recipe_picks_balanced_digits_and_normalises_each(monkeypatch):
    """ship_digits.build on a synthetic split (the real one is MNIST, checked byte for byte by
    `python scripts/model/ship_digits.py --check`): per_class digits of each class, sorted by label
    then index, each that image through preprocess.normalise, quantised to the nearest level."""
    images, labels = fake_split()
    monkeypatch.setattr(ship_digits.mnist_full, "load", lambda: {"test": (images, labels)})
    data = ship_digits.build("test", 3)
    digits = load_digit_set(data, "built")
    assert digits.labels.tolist() == [d for d in range(10) for _ in range(3)]
    np.testing.assert_array_equal(labels[digits.indices], digits.labels)
    assert len(set(digits.indices.tolist())) == 30
    for d in range(10):
        assert np.all(np.diff(digits.indices[digits.labels == d]) > 0)
    for index, shipped in zip(digits.indices, digits.images, strict=True):
        x = preprocess.normalise(images[index] / 255).reshape(28, 28)
        np.testing.assert_array_equal(shipped, np.round(x * 255).astype(np.uint8))
    assert ship_digits.build("test", 3) == data  # the same bytes every time
