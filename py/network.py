"""The digit network: a small convolutional net in plain numpy, and its weight loader.

    x (784,) -> 28x28x1
    conv 5x5, 1 -> C1, maxpool 2, relu   -> 12x12xC1
    conv 5x5, C1 -> C2, maxpool 2, relu  -> 4x4xC2
    dense 16*C2 -> HIDDEN, relu
    dense HIDDEN -> 10                   -> logits (the output activations, before softmax)

The same `forward` is used by the browser (through Network.logits) and by scripts/train.py, so
training and the page can never disagree. numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import io
import os
import zipfile

import numpy as np

C1, C2, HIDDEN, KERNEL = 16, 32, 128, 5

# Every array the weights file must hold, with its shape (all float32).
SHAPES: dict[str, tuple[int, ...]] = {
    "conv1_w": (KERNEL, KERNEL, 1, C1),
    "conv1_b": (C1,),
    "conv2_w": (KERNEL, KERNEL, C1, C2),
    "conv2_b": (C2,),
    "dense1_w": (4 * 4 * C2, HIDDEN),
    "dense1_b": (HIDDEN,),
    "dense2_w": (HIDDEN, 10),
    "dense2_b": (10,),
}
DTYPE = np.float32


class WeightsError(ValueError):
    """The weights file is unreadable or does not match the architecture."""


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valid 2-D convolution (cross-correlation) by im2col. Returns (output, columns).

    x (N, H, W, Cin), w (k, k, Cin, Cout) -> (N, H-k+1, W-k+1, Cout); the columns are kept for
    the backward pass in training.
    """
    k, _, cin, cout = w.shape
    n, h, wd, _ = x.shape
    ho, wo = h - k + 1, wd - k + 1
    windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))
    # (N, Ho, Wo, Cin, k, k) -> (N, Ho, Wo, k, k, Cin) -> (N*Ho*Wo, k*k*Cin)
    cols = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * ho * wo, k * k * cin)
    out = cols @ w.reshape(k * k * cin, cout) + b  # (N*Ho*Wo, Cout)
    return out.reshape(n, ho, wo, cout), cols


def maxpool2(x: np.ndarray) -> np.ndarray:
    """2x2 max pooling, stride 2: (N, H, W, C) -> (N, H/2, W/2, C)."""
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def forward(params: dict[str, np.ndarray], x: np.ndarray, cache: dict | None = None) -> np.ndarray:
    """Batch forward pass: (N, 784) -> (N, 10) logits, in the dtype of x and the weights.

    If `cache` is a dict, the intermediate values the backward pass needs are stored in it.
    """
    n = x.shape[0]
    img = x.reshape(n, 28, 28, 1)  # (N, 784) -> (N, 28, 28, 1)
    z1, cols1 = conv2d(img, params["conv1_w"], params["conv1_b"])  # -> (N, 24, 24, C1)
    p1 = maxpool2(z1)  # -> (N, 12, 12, C1)
    a1 = relu(p1)
    z2, cols2 = conv2d(a1, params["conv2_w"], params["conv2_b"])  # -> (N, 8, 8, C2)
    p2 = maxpool2(z2)  # -> (N, 4, 4, C2)
    a2 = relu(p2)
    flat = a2.reshape(n, -1)  # -> (N, 16*C2)
    h = relu(flat @ params["dense1_w"] + params["dense1_b"])  # -> (N, HIDDEN)
    logits = h @ params["dense2_w"] + params["dense2_b"]  # -> (N, 10)
    if cache is not None:
        cache.update(cols1=cols1, z1=z1, p1=p1, a1=a1, cols2=cols2, z2=z2, p2=p2, flat=flat, h=h)
    return logits


class Network:
    """Validated weights plus the forward pass."""

    def __init__(self, params: dict[str, np.ndarray]):
        self.params = params

    @property
    def parameter_count(self) -> int:
        return sum(int(a.size) for a in self.params.values())

    def logits(self, x: np.ndarray) -> np.ndarray:
        """(784,) -> (10,) float64 logits, or a batch (N, 784) -> (N, 10)."""
        x = np.asarray(x, dtype=DTYPE)
        single = x.ndim == 1
        batch = x.reshape(1, -1) if single else x
        if batch.ndim != 2 or batch.shape[1] != 784:
            raise ValueError(f"expected (784,) or (N, 784) input, got shape {x.shape}")
        out = forward(self.params, batch).astype(np.float64)
        return out[0] if single else out


def _open_npz(source) -> dict[str, np.ndarray]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    elif not isinstance(source, (str, os.PathLike)) and not hasattr(source, "read"):
        raise WeightsError(f"weights source must be a path or bytes, got {type(source).__name__}")
    try:
        with np.load(source, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except FileNotFoundError as e:
        raise WeightsError(f"weights file not found: {source}") from e
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as e:
        raise WeightsError(f"weights are not a readable .npz archive: {e}") from e


def load_network(source) -> Network:
    """Load and check an .npz of weights (path or bytes). Raises WeightsError on any problem."""
    arrays = _open_npz(source)
    params = {}
    for name, shape in SHAPES.items():
        if name not in arrays:
            raise WeightsError(f"missing array {name!r} (expected {DTYPE.__name__} {shape})")
        a = arrays[name]
        if a.dtype != DTYPE:
            raise WeightsError(f"array {name!r} has dtype {a.dtype}, expected {DTYPE.__name__}")
        if a.shape != shape:
            raise WeightsError(f"array {name!r} has shape {a.shape}, expected {shape}")
        if not np.isfinite(a).all():
            raise WeightsError(f"array {name!r} contains NaN or infinite values")
        params[name] = a
    return Network(params)
