#!/usr/bin/env python3
"""Measure in-page learning (py/model/head_trainer.py): does teaching a few drawings fix a misread
style,
and what does it cost the other digits?

    python scripts/model/eval_learn.py [--teach 5] [--steps 10] [--new 100] [--compare]

1. Finds the drawn style the shipped network reads worst (scripts/model/strokes.py styles, every
pen,
   a fixed seed), i.e. the style a learner would most likely want to teach.
2. Teaches `--teach` fresh drawings of it, one press of `--steps` steps each, with its true
   digit, exactly as the page's "Learn this digit" does (head_trainer.HeadTrainer with the
   shipped replay digits and check digits).
3. Prints the accuracy on `--new` other new drawings of that style before and after, and the
   accuracy on the 1,000 shipped check digits before and after.

--compare runs the same for each choice of learning layers, step size and the drawing's share
of each step's loss (how LAYERS, STEP_SIZE and DRAWING_SHARE in py/model/head_trainer.py were
chosen).
Fixed seeds: the same figures on every run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402

use_page_modules()

import head_trainer  # noqa: E402
import preprocess  # noqa: E402
from digit_sets import load_digit_set  # noqa: E402
from network import load_network  # noqa: E402
from scripts.model import strokes  # noqa: E402

WEIGHTS = ROOT / "assets" / "model.npz"
DIGITS = ROOT / "assets" / "digits"
SEED = 4242  # drawings never used elsewhere


def digit_sets():
    replay = load_digit_set((DIGITS / "mnist-replay.npz").read_bytes(), "mnist-replay")
    check = load_digit_set((DIGITS / "mnist-test.npz").read_bytes(), "mnist-test")
    return replay, check


def drawings(digit: int, style: str, n: int, rng) -> np.ndarray:
    """n drawings of `digit` in `style`, pens in turn, as the network sees them: (n, 784)."""
    pens = list(strokes.PENS)
    out = []
    while len(out) < n:
        rgba, _ = strokes.styled_digit(digit, style, rng, pens[len(out) % len(pens)])
        x = preprocess.preprocess(rgba)
        if x is not None:
            out.append(x)
    return np.stack(out)


def worst_style(net, per_style: int = 60) -> tuple[int, str, float]:
    """(digit, style, accuracy) of the style the network reads worst."""
    rng = np.random.default_rng(SEED)
    worst = (0, "", 2.0)
    for digit in range(10):
        for style in strokes.styles(digit):
            acc = float(
                (net.logits(drawings(digit, style, per_style, rng)).argmax(1) == digit).mean()
            )
            if acc < worst[2]:
                worst = (digit, style, acc)
    return worst


def trial(digit, style, layers, step_size, share, args, replay, check) -> dict:
    """Teach args.teach drawings; accuracy on args.new others and on the check digits."""
    rng = np.random.default_rng(SEED + 1)
    teach, new = drawings(digit, style, args.teach, rng), drawings(digit, style, args.new, rng)
    net = load_network(WEIGHTS)
    trainer = head_trainer.HeadTrainer(net, seed=0)
    trainer.attach(replay, check)
    saved = head_trainer.LAYERS, head_trainer.LEARNED, head_trainer.DRAWING_SHARE
    head_trainer.LAYERS, head_trainer.LEARNED = (
        layers,
        tuple(f"{n}_{k}" for n in layers for k in "wb"),
    )
    head_trainer.DRAWING_SHARE = share
    try:
        style_before = float((net.logits(new).argmax(1) == digit).mean())
        check_before = trainer.check_accuracy()
        start = time.perf_counter()
        for x in teach:
            trainer.learn(x, digit, args.steps, step_size)
        seconds = time.perf_counter() - start
    finally:
        head_trainer.LAYERS, head_trainer.LEARNED, head_trainer.DRAWING_SHARE = saved
    return {
        "style_before": style_before,
        "style_after": float((net.logits(new).argmax(1) == digit).mean()),
        "check_before": check_before,
        "check_after": trainer.check_accuracy(),
        "ms_per_step": 1e3 * seconds / (args.teach * args.steps),
    }


def report(label: str, r: dict) -> str:
    return (
        f"{label:<34} style {r['style_before']:6.1%} -> {r['style_after']:6.1%}   check digits"
        f" {r['check_before']:6.1%} -> {r['check_after']:6.1%}"
        f" ({100 * (r['check_after'] - r['check_before']):+.1f} points)"
        f"   {r['ms_per_step']:.2f} ms/step (CPython)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teach", type=int, default=5, help="drawings taught")
    parser.add_argument("--steps", type=int, default=10, help="steps per press")
    parser.add_argument("--new", type=int, default=100, help="new drawings to score")
    parser.add_argument("--compare", action="store_true", help="every layer / step-size choice")
    args = parser.parse_args(argv)
    replay, check = digit_sets()
    digit, style, acc = worst_style(load_network(WEIGHTS))
    print(f"worst-read style: {digit} '{style}' ({acc:.1%} of 60 drawings, all pens)")
    print(f"teaching {args.teach} drawings of it, {args.steps} steps each; {args.new} new ones")
    choices = [(head_trainer.LAYERS, head_trainer.STEP_SIZE, head_trainer.DRAWING_SHARE)]
    if args.compare:
        choices = [
            (layers, lr, share)
            for layers in (("dense2",), ("dense2", "dense1"))
            for lr in (0.005, 0.02, 0.1)
            for share in (0.1, 0.5)
        ]
    for layers, lr, share in choices:
        r = trial(digit, style, layers, lr, share, args, replay, check)
        print(report(f"{'+'.join(layers)}, lr {lr}, share {share}", r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
