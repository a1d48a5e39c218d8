"""Shipped digit sets: the file format, its checks, and the committed MNIST test digits."""

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digit_sets import DigitSetError, encode_digit_set, load_digit_set, to_inputs

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "assets" / "digits" / "mnist-test.npz"
MNIST_CACHE = ROOT / ".cache" / "mnist" / "mnist.npz"


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


@pytest.mark.skipif(not MNIST_CACHE.exists(), reason="no MNIST cache (scripts/mnist_full.py)")
def test_the_shipped_file_is_exactly_what_ship_digits_builds():
    """Rebuilding from the MNIST test split gives the committed bytes (and each digit is that
    test image through preprocess.normalise, quantised)."""
    from scripts import mnist_full, ship_digits

    assert ship_digits.build() == SHIPPED.read_bytes()
    digits = load_digit_set(SHIPPED.read_bytes(), "mnist-test")
    images, labels = mnist_full.load()["test"]
    np.testing.assert_array_equal(labels[digits.indices], digits.labels)
    first = digits.indices[0]
    np.testing.assert_array_equal(ship_digits.normalise(images[first]), digits.images[0])


def test_the_replay_set_is_training_digits_exactly_as_built():
    """mnist-replay.npz: 40 training digits per class (never test digits), as ship_digits builds."""
    from scripts import ship_digits

    split, per_class, path = ship_digits.SETS["replay"]
    digits = load_digit_set(path.read_bytes(), "mnist-replay")
    assert split == "train" and "MNIST train split" in digits.source
    assert np.bincount(digits.labels, minlength=10).tolist() == [per_class] * 10
    assert path.stat().st_size < 120_000
    if MNIST_CACHE.exists():  # the rebuild needs the MNIST wheel (CI has it after setup)
        assert ship_digits.build(split, per_class) == path.read_bytes()
