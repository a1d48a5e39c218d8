#!/usr/bin/env python3
"""Score the shipped network on digits drawn as pen strokes on a 280x280 canvas.

    python scripts/eval_drawn.py [--per-class 40] [--weights assets/model.npz]

Each digit is rendered by scripts/strokes.py exactly as the page's canvas would hand it over
(RGBA from getImageData), then goes through preprocess.preprocess + network.Network.logits, the
same path as in the browser. Fixed seed, so the set is the same on every run. Exits non-zero if
the score is below the bars: >= 95% overall and >= 90% for every digit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))

import network  # noqa: E402
import preprocess  # noqa: E402
from scripts import strokes  # noqa: E402

SEED = 12345  # different from the training seed: these renders are never trained on
PER_CLASS = 40
OVERALL_BAR = 0.95
CLASS_BAR = 0.90
WEIGHTS = ROOT / "assets" / "model.npz"


def drawn_inputs(per_class: int = PER_CLASS, seed: int = SEED):
    """Render per_class digits of each class -> inputs (N, 784), labels (N,)."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for digit in range(10):
        for _ in range(per_class):
            rgba, _ = strokes.random_digit(digit, rng)
            x = preprocess.preprocess(rgba)
            if x is None:  # never expected for a real drawing; counts as a miss below
                x = np.zeros(784, np.float32)
            xs.append(x)
            ys.append(digit)
    return np.stack(xs), np.array(ys)


def evaluate(net: network.Network, per_class: int = PER_CLASS, seed: int = SEED) -> dict:
    """Score on the drawn set: overall and per-class accuracy, confusion matrix (true x pred)."""
    x, y = drawn_inputs(per_class, seed)
    pred = net.logits(x).argmax(axis=1)
    cm = np.zeros((10, 10), dtype=int)
    np.add.at(cm, (y, pred), 1)
    per_class_acc = (np.diag(cm) / cm.sum(axis=1)).tolist()
    return {
        "count": int(len(y)),
        "overall": float((pred == y).mean()),
        "per_class": per_class_acc,
        "confusion": cm,
    }


def passes(result: dict) -> bool:
    return result["overall"] >= OVERALL_BAR and min(result["per_class"]) >= CLASS_BAR


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-class", type=int, default=PER_CLASS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--weights", type=Path, default=WEIGHTS)
    args = parser.parse_args(argv)

    net = network.load_network(args.weights)
    result = evaluate(net, args.per_class, args.seed)
    print(f"drawn digits: {result['count']}  overall {result['overall']:.4f}")
    for digit, acc in enumerate(result["per_class"]):
        print(f"  {digit}: {acc:.3f}")
    print("confusion (rows true, columns predicted):")
    print("     " + " ".join(f"{d:3d}" for d in range(10)))
    for digit, row in enumerate(result["confusion"]):
        print(f"  {digit}: " + " ".join(f"{v:3d}" for v in row))
    ok = passes(result)
    print(
        f"{'PASS' if ok else 'FAIL'}: bars are >= {OVERALL_BAR:.0%} overall, "
        f">= {CLASS_BAR:.0%} per class"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
