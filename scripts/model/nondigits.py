#!/usr/bin/env python3
"""Drawings that are no digit at all, for outlier exposure and for the "not a digit" score.

    python scripts/model/nondigits.py [--out /tmp/nondigits.png]   # counts, and a contact sheet

Scribbles, letters, shapes and stray marks, each made by a small generator of strokes in a unit
box (x right, y down) and drawn exactly like the drawn digits: scripts/strokes.draw (random
height, pen, slant, rotation, jitter, place; every pen kind of strokes.PENS) rendered by the
canvas-like renderer, then py/model/preprocess.py, the page's own path. A drawing the page would not
hand to the network (preprocess gives None: empty or too small) is drawn again.

What is left out on purpose, because a person could fairly read it as a digit: circles and
ovals, O, o, D and Q (0); I, l, i, j and J, single vertical or steep dashes (1); Z and z (2);
S and s (5); b and G (6); B (8); g, q, a, d and P (9); L (a 1 with a base); T, t, F and f (7s,
crossbar 7s); U, u and y (open 4s), C (an open 0). Zig-zags have at least four segments, so
never a Z; spirals at least 1.5 turns; waves at least two periods and lying flat (on its side a
wave is an S); dashes never steeper than 45 degrees (a 1); letters only turned by +-10 degrees
(an N on its side is a Z). Random scribbles may still now and then look like a digit.

Held out honestly: training draws only from TRAIN_FAMILIES with its own random stream; the
evaluation set (EVAL_SEED, never used by training) holds every family, the training families
drawn afresh and HELD_OUT_FAMILIES that training never sees at all, and is scored for both groups
separately.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402

use_page_modules()

import preprocess  # noqa: E402
from scripts.model import strokes  # noqa: E402
from scripts.model.strokes import arc, bezier, join, line  # noqa: E402

EVAL_SEED = 90210  # the held-out evaluation set; training never uses this seed
VALIDATION_SEED = 4242  # training families drawn afresh, to make choices on while training
PER_FAMILY = 20  # evaluation drawings per family: 760 in all, 240 of held-out families

Rng = np.random.Generator
Maker = Callable[[Rng], list[np.ndarray]]


# ------------------------------------------------------------------------------- scribbles


def zigzag(rng: Rng) -> list[np.ndarray]:
    """Back and forth, 4 to 12 segments, across or down the box."""
    n = int(rng.integers(5, 14))  # points
    t = np.linspace(0, 1, n)
    side = np.where(np.arange(n) % 2 == 0, 0.0, 1.0) + rng.normal(0, 0.06, n)
    pts = np.stack([side, t + rng.normal(0, 0.02, n)], axis=1)
    if rng.random() < 0.5:
        pts = pts[:, ::-1]
    return [pts]


def scribble(rng: Rng) -> list[np.ndarray]:
    """A smooth curve through 7 to 12 random points, each far from the last (chained quadratic
    curves): long sweeps across the box rather than one small loop that could be a 0."""
    n = int(rng.integers(7, 13))
    pts = [rng.uniform(0, 1, 2)]
    while len(pts) < n:
        p = rng.uniform(0, 1, 2)
        if np.hypot(*(p - pts[-1])) >= 0.4:
            pts.append(p)
    pts = np.array(pts)
    parts = [
        bezier((pts[i] + pts[i + 1]) / 2, pts[i + 1], (pts[i + 1] + pts[i + 2]) / 2, 8)
        for i in range(n - 2)
    ]
    return [join(*parts)]


def loops(rng: Rng) -> list[np.ndarray]:
    """A coil of 3 to 7 loops along a line, like "eeee" or a telephone cord."""
    k = int(rng.integers(3, 8))
    t = np.linspace(0, 2 * np.pi * k, 24 * k)
    r = 1 / (rng.uniform(0.8, 1.5) * k + 2)  # loops about their own size apart: never one O
    x = t / t[-1] * (1 - 2 * r) + r + r * np.cos(t + np.pi)
    y = 0.5 + rng.uniform(0.15, 0.35) * np.sin(t + np.pi)  # taller than wide: no sausage
    pts = np.stack([x, y], axis=1)
    return [pts if rng.random() < 0.5 else pts[:, ::-1]]


def tangle(rng: Rng) -> list[np.ndarray]:
    """A ball of scribble: a random walk with momentum, kept in the box, 40 to 80 steps."""
    n = int(rng.integers(40, 81))
    pos, vel = rng.uniform(0.3, 0.7, 2), rng.normal(0, 0.08, 2)
    pts = []
    for _ in range(n):
        vel = 0.8 * vel + rng.normal(0, 0.06, 2) + 0.05 * (0.5 - pos)
        pos = np.clip(pos + vel, 0, 1)
        pts.append(pos.copy())
    return [np.array(pts)]


def hatching(rng: Rng) -> list[np.ndarray]:
    """4 to 9 parallel lines (pen lifted in between), at a random angle."""
    k = int(rng.integers(4, 10))
    offsets = np.linspace(0, 1, k) + rng.normal(0, 0.02, k)
    lines = [line((o, 0.0), (o + rng.normal(0, 0.04), 1.0)) for o in offsets]
    return _rotated(lines, rng.uniform(0, 180))


def cross_hatching(rng: Rng) -> list[np.ndarray]:
    """Two sets of 3 to 6 parallel lines crossing each other."""
    out = []
    base = rng.uniform(0, 180)
    for extra in (0.0, rng.uniform(60, 120)):
        k = int(rng.integers(3, 7))
        lines = [line((o, 0.0), (o, 1.0)) for o in np.linspace(0, 1, k)]
        out += _rotated(lines, base + extra)
    return out


# -------------------------------------------------------------------------------- letters

CAPITALS: dict[str, list[np.ndarray]] = {
    "A": [line((0.05, 1), (0.5, 0), (0.95, 1)), line((0.25, 0.6), (0.75, 0.6))],
    "E": [line((0.85, 0), (0.15, 0), (0.15, 1), (0.85, 1)), line((0.15, 0.5), (0.7, 0.5))],
    "H": [line((0.15, 0), (0.15, 1)), line((0.85, 0), (0.85, 1)), line((0.15, 0.5), (0.85, 0.5))],
    "K": [line((0.15, 0), (0.15, 1)), line((0.85, 0), (0.15, 0.55)), line((0.35, 0.42), (0.9, 1))],
    "M": [line((0.05, 1), (0.12, 0), (0.5, 0.7), (0.88, 0), (0.95, 1))],
    "N": [line((0.15, 1), (0.15, 0), (0.85, 1), (0.85, 0))],
    "R": [
        join(line((0.15, 1), (0.15, 0), (0.55, 0)), arc(0.55, 0.25, 0.3, 0.25, -90, 90, 12)),
        line((0.55, 0.5), (0.15, 0.5)),
        line((0.45, 0.5), (0.9, 1)),
    ],
    "W": [line((0.0, 0), (0.25, 1), (0.5, 0.35), (0.75, 1), (1.0, 0))],
    "V": [line((0.05, 0), (0.5, 1), (0.95, 0))],
    "X": [line((0.1, 0), (0.9, 1)), line((0.9, 0), (0.1, 1))],
    "Y": [line((0.1, 0), (0.5, 0.5), (0.9, 0)), line((0.5, 0.5), (0.5, 1))],
}

LOWERCASE: dict[str, list[np.ndarray]] = {
    "e": [join(line((0.1, 0.55), (0.9, 0.55)), arc(0.5, 0.55, 0.4, 0.45, 0, -300, 24))],
    "h": [
        join(
            line((0.15, 0), (0.15, 1)),
            line((0.15, 1), (0.15, 0.6)),
            arc(0.5, 0.65, 0.35, 0.3, 180, 360, 12),
            line((0.85, 0.65), (0.85, 1)),
        )
    ],
    "m": [
        join(
            line((0.05, 1), (0.05, 0.3)),
            arc(0.27, 0.45, 0.22, 0.2, 180, 360, 10),
            line((0.49, 0.45), (0.49, 1)),
            line((0.49, 1), (0.49, 0.45)),
            arc(0.71, 0.45, 0.22, 0.2, 180, 360, 10),
            line((0.93, 0.45), (0.93, 1)),
        )
    ],
    "n": [
        join(
            line((0.15, 1), (0.15, 0.2)),
            line((0.15, 0.2), (0.15, 0.45)),
            arc(0.5, 0.45, 0.35, 0.35, 180, 360, 14),
            line((0.85, 0.45), (0.85, 1)),
        )
    ],
    "r": [
        join(
            line((0.2, 1), (0.2, 0.05)),
            line((0.2, 0.05), (0.2, 0.4)),
            arc(0.55, 0.4, 0.35, 0.35, 180, 300, 10),
        )
    ],
    "k": [line((0.2, 0), (0.2, 1)), line((0.8, 0.35), (0.2, 0.7), (0.85, 1))],
    "w": [line((0.0, 0.1), (0.22, 1), (0.5, 0.3), (0.78, 1), (1.0, 0.1))],
    "x": [line((0.1, 0.1), (0.9, 1)), line((0.9, 0.1), (0.1, 1))],
}


def _letter(strokes_: list[np.ndarray]) -> Maker:
    def make(rng: Rng) -> list[np.ndarray]:
        # A person's letters vary in proportion: width 0.7-1.3 of the template's.
        w = rng.uniform(0.7, 1.3)
        return [np.column_stack([0.5 + (s[:, 0] - 0.5) * w, s[:, 1]]) for s in strokes_]

    return make


# --------------------------------------------------------------------------------- shapes


def triangle(rng: Rng) -> list[np.ndarray]:
    a = rng.uniform(0, 360) + np.array([0, 120, 240]) + rng.normal(0, 8, 3)
    pts = np.stack([0.5 + 0.5 * np.cos(np.deg2rad(a)), 0.5 + 0.5 * np.sin(np.deg2rad(a))], 1)
    return [np.vstack([pts, pts[:1]])]


def square(rng: Rng) -> list[np.ndarray]:
    """A square or rectangle with sharp corners (a rounded one would be a 0)."""
    h = rng.uniform(0.6, 1.0)
    pts = line((0, 0), (1, 0), (1, h), (0, h), (0, 0.02))
    return _rotated([pts + rng.normal(0, 0.02, pts.shape)], rng.uniform(-30, 30))


def diamond(rng: Rng) -> list[np.ndarray]:
    pts = line((0.5, 0), (1, 0.5), (0.5, 1), (0, 0.5), (0.5, 0))
    return [pts + rng.normal(0, 0.03, pts.shape)]


def star(rng: Rng) -> list[np.ndarray]:
    """A five-pointed star in one stroke (pentagram)."""
    a = np.deg2rad(-90 + 144 * np.arange(6) + rng.uniform(-15, 15))
    return [np.stack([0.5 + 0.5 * np.cos(a), 0.5 + 0.5 * np.sin(a)], 1)]


def spiral(rng: Rng) -> list[np.ndarray]:
    turns = rng.uniform(1.5, 3.5)
    t = np.linspace(0, 2 * np.pi * turns, int(40 * turns))
    r = 0.5 * t / t[-1]
    sign = rng.choice([-1, 1])
    pts = np.stack([0.5 + r * np.cos(sign * t), 0.5 + r * np.sin(sign * t)], 1)
    return [pts]


def cross(rng: Rng) -> list[np.ndarray]:
    """A plus sign, upright or tilted a little (an X is a letter above)."""
    c = rng.uniform(0.35, 0.65, 2)
    return _rotated([line((0, c[1]), (1, c[1])), line((c[0], 0), (c[0], 1))], rng.uniform(-20, 20))


def heart(rng: Rng) -> list[np.ndarray]:
    t = np.linspace(0, 2 * np.pi, 50)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [np.stack([(x + 17) / 34, (y + 17) / 30], 1)]


def arrow(rng: Rng) -> list[np.ndarray]:
    shaft = line((0, 0.5), (1, 0.5))
    head = line((0.7, 0.25), (1, 0.5), (0.7, 0.75))
    return _rotated([shaft, head], rng.choice([0, 90, 180, 270]) + rng.uniform(-20, 20))


def hash_sign(rng: Rng) -> list[np.ndarray]:
    lines = [line((0.3, 0), (0.25, 1)), line((0.7, 0), (0.65, 1))]
    lines += [line((0, 0.33), (1, 0.33)), line((0, 0.67), (1, 0.67))]
    return lines


def wave(rng: Rng) -> list[np.ndarray]:
    """A sine wave of 2 to 4 periods, across the box (fewer, on its side, would be an S)."""
    periods = rng.uniform(2, 4)
    t = np.linspace(0, 1, 60)
    amp = rng.uniform(0.15, 0.4)
    return [np.stack([t, 0.5 + amp * np.sin(2 * np.pi * periods * t)], 1)]


def smiley(rng: Rng) -> list[np.ndarray]:
    face = arc(0.5, 0.5, 0.5, 0.5, 0, 360, 36)
    eyes = [line((0.33, 0.35), (0.33, 0.38)), line((0.67, 0.35), (0.67, 0.38))]
    mouth = arc(0.5, 0.55, 0.25, 0.2, 20, 160, 10)
    return [face, *eyes, mouth]


# ---------------------------------------------------------------------------- stray marks


def dots(rng: Rng) -> list[np.ndarray]:
    """2 to 6 dots scattered over the box."""
    k = int(rng.integers(2, 7))
    return [p[None, :] for p in rng.uniform(0, 1, size=(k, 2))]


def dashes(rng: Rng) -> list[np.ndarray]:
    """One flat dash (a minus sign), or 2 to 5 short dashes, none steeper than 45 degrees (a
    steep dash is a 1, and two of them stacked could be one too)."""
    if rng.random() < 0.3:
        return _rotated([line((0, 0.5), (1, 0.5))], rng.uniform(-20, 20))
    k = int(rng.integers(2, 6))
    out = []
    for _ in range(k):
        c, a = rng.uniform(0.1, 0.9, 2), rng.uniform(-np.pi / 4, np.pi / 4)
        d = rng.uniform(0.05, 0.15) * np.array([np.cos(a), np.sin(a)])
        out.append(np.array([c - d, c + d]))
    return out


def _rotated(parts: list[np.ndarray], degrees: float) -> list[np.ndarray]:
    """Rotate strokes about the centre of the unit box."""
    a = np.deg2rad(degrees)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return [(np.asarray(p, float) - 0.5) @ rot.T + 0.5 for p in parts]


# ------------------------------------------------------------------------------- families

FAMILIES: dict[str, Maker] = {
    "zigzag": zigzag,
    "scribble": scribble,
    "loops": loops,
    "tangle": tangle,
    "hatching": hatching,
    "cross-hatching": cross_hatching,
    **{f"letter {c}": _letter(s) for c, s in CAPITALS.items()},
    **{f"letter {c}": _letter(s) for c, s in LOWERCASE.items()},
    "triangle": triangle,
    "square": square,
    "diamond": diamond,
    "star": star,
    "spiral": spiral,
    "cross": cross,
    "heart": heart,
    "arrow": arrow,
    "hash": hash_sign,
    "wave": wave,
    "smiley": smiley,
    "dots": dots,
    "dashes": dashes,
}
# Never used in training: they measure whether "not a digit" generalises beyond what was shown.
HELD_OUT_FAMILIES = (
    "tangle",
    "cross-hatching",
    "letter N",
    "letter X",
    "letter Y",
    "letter k",
    "letter w",
    "heart",
    "arrow",
    "hash",
    "wave",
    "smiley",
)
TRAIN_FAMILIES = tuple(f for f in FAMILIES if f not in HELD_OUT_FAMILIES)
# Families drawn with only the small rotation of digits (strokes.draw's +-10 deg): letters keep
# their orientation, because an N on its side is a Z; a flat dash on its end is a 1; a wave on
# its side is an S. The others are turned any way.
UPRIGHT = tuple(f for f in FAMILIES if f.startswith("letter")) + ("dashes", "wave")
# Pen kinds for non-digits, weighted: the page's own 18 px pen most often.
PEN_WEIGHTS = {
    "page": 0.4,
    "varied": 0.2,
    "thin": 0.1,
    "felt": 0.1,
    "small": 0.1,
    "off-centre": 0.1,
}


MARKS = ("dots", "dashes")
# Share of the ink's bounding box that is solid ink (> 0.5) above which a drawing is a blob. Drawn
# digits: median 0.28, 99th percentile 0.60 (a fat "1" is a filled bar, up to 0.87).
BLOB_FILL = 0.6


def fill(x: np.ndarray) -> float:
    """Share of the ink's bounding box, in a (784,) input, that is solid ink (> 0.5)."""
    im = x.reshape(28, 28)
    rows = np.flatnonzero((im > 0.05).any(axis=1))
    cols = np.flatnonzero((im > 0.05).any(axis=0))
    return float((im[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] > 0.5).mean())


def random_nondigit(family: str, rng: Rng, size: int = strokes.CANVAS, pen: str | None = None):
    """One drawing of `family` -> (rgba (size, size, 4) uint8, input (784,) float32, info).

    A random pen kind (PEN_WEIGHTS) unless given; drawn again until preprocess accepts it (a
    tiny drawing the page would call empty or too small never reaches the network) and, but for
    dots and dashes, until it is not a blob (fill() above BLOB_FILL: a fat pen filled in the
    detail; a solid blob teaches nothing about scribbles and letters).
    """
    for _ in range(100):
        kind = pen or str(rng.choice(list(PEN_WEIGHTS), p=list(PEN_WEIGHTS.values())))
        template = FAMILIES[family](rng)
        rotation = 10.0 if family in UPRIGHT else 180.0
        rgba, info = strokes.draw(template, rng, size, kind, max_rotation=rotation)
        x = preprocess.preprocess(rgba)
        if x is not None and (family in MARKS or fill(x) <= BLOB_FILL):
            info.update(family=family)
            return rgba, x, info
    raise RuntimeError(f"{family}: no drawing the page would read in 100 tries")


def nondigit_inputs(
    families=tuple(FAMILIES), per_family: int = PER_FAMILY, seed: int = EVAL_SEED
) -> tuple[np.ndarray, list[str]]:
    """per_family drawings of each family -> inputs (N, 784), family names (N,). Fixed set."""
    rng = np.random.default_rng(seed)
    xs, names = [], []
    for family in families:
        for _ in range(per_family):
            xs.append(random_nondigit(family, rng)[1])
            names.append(family)
    return np.stack(xs), names


def training_images(n: int, rng: Rng, size: int = 112) -> np.ndarray:
    """n drawings from TRAIN_FAMILIES as 28x28 images (N, 28, 28) in [0, 1], ready for the
    same augmentation as MNIST digits. Rendered on a small canvas for speed."""
    picks = rng.choice(len(TRAIN_FAMILIES), size=n)
    return np.stack(
        [random_nondigit(TRAIN_FAMILIES[i], rng, size)[1].reshape(28, 28) for i in picks]
    )


def contact_sheet(path: Path, per_family: int = 4, seed: int = 1) -> None:
    """A PNG of per_family network inputs of every family, one family per row (needs Pillow)."""
    x, _ = nondigit_inputs(tuple(FAMILIES), per_family, seed)
    strokes.save_sheet(x, path, columns=per_family)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write a contact sheet PNG here")
    args = parser.parse_args(argv)
    print(
        f"{len(FAMILIES)} families: {len(TRAIN_FAMILIES)} for training, "
        f"{len(HELD_OUT_FAMILIES)} held out ({', '.join(HELD_OUT_FAMILIES)})"
    )
    print(
        f"evaluation set: {len(FAMILIES) * PER_FAMILY} drawings (seed {EVAL_SEED}), of which "
        f"{len(HELD_OUT_FAMILIES) * PER_FAMILY} from held-out families"
    )
    if args.out:
        contact_sheet(args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
