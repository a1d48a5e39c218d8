"""The digit network: a small convolutional net in plain numpy, and its weight loader.

    x (784,) -> 28x28x1
    conv 5x5, 1 -> C1, maxpool 2, relu   -> 12x12xC1
    conv 5x5, C1 -> C2, maxpool 2, relu  -> 4x4xC2
    dense 16*C2 -> HIDDEN, relu
    dense HIDDEN -> 10                   -> logits (the output activations, before softmax)

The same `forward` is used by the browser (through Network.logits) and by scripts/model/train.py, so
training and the page can never disagree; so is the one backward pass (`backward`,
`loss_and_grads`). numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Iterable

import numpy as np

from softmax import log_softmax

C1, C2, HIDDEN, KERNEL = 32, 64, 128, 5


def layer_shapes(c1: int, c2: int, hidden: int, k: int = KERNEL) -> dict[str, tuple[int, ...]]:
    """Every array of the architecture above at these widths, with its shape."""
    return {
        "conv1_w": (k, k, 1, c1),
        "conv1_b": (c1,),
        "conv2_w": (k, k, c1, c2),
        "conv2_b": (c2,),
        "dense1_w": (4 * 4 * c2, hidden),
        "dense1_b": (hidden,),
        "dense2_w": (hidden, 10),
        "dense2_b": (10,),
    }


# Every array the weights file must hold, with its shape. The page computes in float32; the file
# stores float16 (half the bytes, within the 400 KB budget; float32 files are accepted too).
SHAPES = layer_shapes(C1, C2, HIDDEN)
DTYPE = np.float32
STORED_DTYPES = (np.float16, np.float32)


# Pyodide's numpy has no BLAS: its matmul falls back to a plain loop, and einsum's summation loop
# does the long products (conv2: 800 terms each, dense1: 1,024) about 1.7x faster there. With BLAS
# (CPython, training) matmul is far faster. Short products (conv1: 25 terms) favour matmul in
# both. Measured by scripts/bench/bench_forward.py, which also times the matmul-only pass.
EINSUM = sys.platform == "emscripten"
EINSUM_MIN_TERMS = 100
# einsum's iterator spans M*K*N elements, and on 32-bit wasm numpy refuses more than 2**31 - 1
# ("iterator is too large"): the 1,000 check digits through conv2 are 64,000 x 800 x 64.
EINSUM_MAX_ELEMENTS = 2**31 - 1


def product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The matrix product a (M, K) @ b (K, N) -> (M, N), by whichever loop is faster here."""
    m, k = a.shape
    if not EINSUM or k < EINSUM_MIN_TERMS:
        return a @ b
    rows = max(1, EINSUM_MAX_ELEMENTS // (k * b.shape[1]))  # rows per einsum call
    if m <= rows:
        return np.einsum("mk,kn->mn", a, b)
    return np.concatenate([np.einsum("mk,kn->mn", a[i : i + rows], b) for i in range(0, m, rows)])


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
    out = product(cols, w.reshape(k * k * cin, cout)) + b  # (N*Ho*Wo, Cout)
    return out.reshape(n, ho, wo, cout), cols


def maxpool2(x: np.ndarray) -> np.ndarray:
    """2x2 max pooling, stride 2: (N, H, W, C) -> (N, H/2, W/2, C)."""
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def features(params: dict[str, np.ndarray], x: np.ndarray, cache: dict | None = None) -> np.ndarray:
    """The convolutional part: (N, 784) -> (N, 16*C2), what the dense head reads."""
    n = x.shape[0]
    img = x.reshape(n, 28, 28, 1)  # (N, 784) -> (N, 28, 28, 1)
    z1, cols1 = conv2d(img, params["conv1_w"], params["conv1_b"])  # -> (N, 24, 24, C1)
    p1 = maxpool2(z1)  # -> (N, 12, 12, C1)
    a1 = relu(p1)
    z2, cols2 = conv2d(a1, params["conv2_w"], params["conv2_b"])  # -> (N, 8, 8, C2)
    p2 = maxpool2(z2)  # -> (N, 4, 4, C2)
    a2 = relu(p2)
    if cache is not None:
        cache.update(cols1=cols1, z1=z1, p1=p1, a1=a1, cols2=cols2, z2=z2, p2=p2)
    return a2.reshape(n, -1)  # -> (N, 16*C2)


def head(params: dict[str, np.ndarray], flat: np.ndarray, cache: dict | None = None) -> np.ndarray:
    """The dense head: features (N, 16*C2) -> (N, 10) logits."""
    h = relu(product(flat, params["dense1_w"]) + params["dense1_b"])  # -> (N, HIDDEN)
    if cache is not None:
        cache.update(flat=flat, h=h)
    return product(h, params["dense2_w"]) + params["dense2_b"]  # -> (N, 10)


def forward(params: dict[str, np.ndarray], x: np.ndarray, cache: dict | None = None) -> np.ndarray:
    """Batch forward pass: (N, 784) -> (N, 10) logits, in the dtype of x and the weights.

    If `cache` is a dict, the intermediate values the backward pass needs are stored in it.
    """
    return head(params, features(params, x, cache), cache)


# ----------------------------------------------------------------------------- backward pass

# The layers from the output back: the order the backward pass visits them.
LAYERS = ("dense2", "dense1", "conv2", "conv1")


def loss_and_grads(
    params: dict[str, np.ndarray],
    x: np.ndarray,
    target: np.ndarray,
    layers: Iterable[str] | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy of softmax(forward(params, x)) against `target`, and its gradients.

    x (N, 784). target: as for `cross_entropy`. Gradients as from `backward` (same dtype as the
    params, which should match x's); `layers` as there.
    """
    cache: dict = {}
    loss, dlogits = cross_entropy(forward(params, x, cache), target)
    return loss, backward(params, cache, dlogits, layers)


def head_loss_and_grads(
    params: dict[str, np.ndarray],
    flat: np.ndarray,
    target: np.ndarray,
    layers: Iterable[str] = ("dense2", "dense1"),
    weights: np.ndarray | None = None,
) -> tuple[float, dict[str, np.ndarray]]:
    """As loss_and_grads, from precomputed `features` (N, 16*C2): only dense layers can learn.

    With the convolutions frozen their features never change, so a caller can compute them once
    (e.g. for a replay batch) and each step costs a few small matrix products.
    """
    if not set(layers) <= {"dense2", "dense1"}:
        raise ValueError(f"from features only dense layers can learn, got {sorted(layers)}")
    cache: dict = {}
    loss, dlogits = cross_entropy(head(params, flat, cache), target, weights)
    return loss, backward(params, cache, dlogits, layers)


def cross_entropy(
    logits: np.ndarray, target: np.ndarray, weights: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of softmax(logits) (N, 10) against `target`, and d loss / d logits.

    target: int labels (N,), or probabilities (N, 10) with rows summing to 1 (soft targets, e.g.
    the uniform 1/10 for a drawing that is not a digit). weights (N,) >= 0: a weighted mean
    instead of the plain one. The loss comes from a stable log-softmax.
    """
    n = logits.shape[0]
    logp = log_softmax(logits)  # (N, 10)
    t = np.asarray(target)
    if t.ndim == 1 and np.issubdtype(t.dtype, np.integer):
        if t.shape != (n,) or t.min(initial=0) < 0 or t.max(initial=0) > 9:
            raise ValueError(f"labels must be {n} ints in 0..9, got shape {t.shape}")
        probs = np.zeros_like(logp)
        probs[np.arange(n), t] = 1
    elif t.shape == logp.shape:
        probs = t.astype(logp.dtype)
        # (p - t) is the gradient only if every row of t is a distribution.
        if not np.allclose(probs.sum(axis=1), 1, atol=1e-3) or (probs < 0).any():
            raise ValueError("soft targets must be non-negative rows summing to 1")
    else:
        raise ValueError(f"target must be labels ({n},) or probabilities ({n}, 10), got {t.shape}")
    per_example = -(probs * logp).sum(axis=1)  # (N,)
    # The whole lesson in one line: d loss / d logits = p - target, averaged over the batch.
    if weights is None:
        return float(per_example.mean()), (np.exp(logp) - probs) / n
    w = np.asarray(weights, logp.dtype)
    if w.shape != (n,) or (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"weights must be {n} non-negative numbers, not all zero")
    w = w / w.sum()
    return float((w * per_example).sum()), (np.exp(logp) - probs) * w[:, None]


def backward(
    params: dict[str, np.ndarray],
    cache: dict,
    dlogits: np.ndarray,
    layers: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """Gradients of a loss with respect to the weights, given d loss / d logits (N, 10).

    `cache` is the dict filled by forward(params, x, cache) on the same batch. Returns an array
    per name in SHAPES, each shaped like its parameter. `layers` (names from LAYERS, e.g.
    ("dense2",)) keeps only those layers' weights and biases and stops the pass below the
    deepest one asked for, so training only the head costs a couple of small matrix products.
    A max-pool window's gradient goes to one cell, its first maximum (see _pool_backward).
    """
    wanted = set(LAYERS if layers is None else layers)
    if not wanted or not wanted <= set(LAYERS):
        raise ValueError(f"layers must be some of {LAYERS}, got {sorted(wanted)}")
    deepest = max(LAYERS.index(name) for name in wanted)
    g: dict[str, np.ndarray] = {}
    h = cache["h"]
    if "dense2" in wanted:
        g["dense2_w"] = h.T @ dlogits  # (HIDDEN, N) @ (N, 10)
        g["dense2_b"] = dlogits.sum(0)
    if deepest == 0:
        return g
    dh = (dlogits @ params["dense2_w"].T) * (h > 0)  # (N, HIDDEN), through relu
    if "dense1" in wanted:
        g["dense1_w"] = cache["flat"].T @ dh  # (16*C2, N) @ (N, HIDDEN)
        g["dense1_b"] = dh.sum(0)
    if deepest == 1:
        return g
    dflat = dh @ params["dense1_w"].T  # (N, 16*C2)
    dp2 = dflat.reshape(cache["p2"].shape) * (cache["p2"] > 0)  # (N, 4, 4, C2), through relu
    dz2 = _pool_backward(cache["z2"], dp2)  # -> (N, 8, 8, C2)
    k, _, c1, c2 = params["conv2_w"].shape
    dz2f = dz2.reshape(-1, c2)  # (N*64, C2)
    if "conv2" in wanted:
        g["conv2_w"] = (cache["cols2"].T @ dz2f).reshape(params["conv2_w"].shape)
        g["conv2_b"] = dz2f.sum(0)
    if deepest == 2:
        return g
    dcols2 = dz2f @ params["conv2_w"].reshape(-1, c2).T  # (N*64, k*k*C1)
    da1 = _conv_input_grad(dcols2, cache["a1"].shape, k)  # -> (N, 12, 12, C1)
    dp1 = da1 * (cache["p1"] > 0)  # through relu
    dz1 = _pool_backward(cache["z1"], dp1)  # -> (N, 24, 24, C1)
    dz1f = dz1.reshape(-1, c1)  # (N*576, C1)
    g["conv1_w"] = (cache["cols1"].T @ dz1f).reshape(params["conv1_w"].shape)
    g["conv1_b"] = dz1f.sum(0)
    return g


def input_gradient(params: dict[str, np.ndarray], cache: dict, dout: np.ndarray) -> np.ndarray:
    """d (some function of the logits) / d input, given its gradient dout (N, 10) -> (N, 784).

    `cache` is the dict filled by forward(params, x, cache). The same chain as `backward`, taken
    one layer further, to the 28x28 pixels: what the evidence map and the nudge read. Max-pool
    ties go to one cell, as there.
    """
    h = cache["h"]
    dh = (dout @ params["dense2_w"].T) * (h > 0)  # (N, 10) -> (N, HIDDEN), through relu
    dflat = dh @ params["dense1_w"].T  # -> (N, 16*C2)
    dp2 = dflat.reshape(cache["p2"].shape) * (cache["p2"] > 0)  # (N, 4, 4, C2), through relu
    dz2 = _pool_backward(cache["z2"], dp2)  # -> (N, 8, 8, C2)
    k, _, c1, c2 = params["conv2_w"].shape
    dcols2 = dz2.reshape(-1, c2) @ params["conv2_w"].reshape(-1, c2).T  # (N*64, k*k*C1)
    da1 = _conv_input_grad(dcols2, cache["a1"].shape, k)  # -> (N, 12, 12, C1)
    dz1 = _pool_backward(cache["z1"], da1 * (cache["p1"] > 0))  # -> (N, 24, 24, C1)
    dcols1 = dz1.reshape(-1, c1) @ params["conv1_w"].reshape(-1, c1).T  # (N*576, k*k)
    n = dout.shape[0]
    return _conv_input_grad(dcols1, (n, 28, 28, 1), k).reshape(n, 784)  # -> (N, 784)


def _pool_backward(z: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Send each 2x2 window's gradient to ONE cell, its first maximum in row-major order.

    (N, H/2, W/2, C) gradient -> (N, H, W, C). On blank background all four cells of a window
    are equal; nudging a weight moves all four together, so the max moves once, not four times:
    routing to every tied cell would count the gradient up to four times.
    """
    n, h, w, c = z.shape
    windows = z.reshape(n, h // 2, 2, w // 2, 2, c)  # (N, H/2, 2, W/2, 2, C)
    pooled = windows.max(axis=(2, 4))  # (N, H/2, W/2, C)
    out = np.zeros(windows.shape, grad.dtype)
    free = np.ones(pooled.shape, bool)  # windows whose maximum is not yet taken
    for i in (0, 1):
        for j in (0, 1):
            hit = free & (windows[:, :, i, :, j, :] == pooled)
            out[:, :, i, :, j, :] = np.where(hit, grad, 0)
            free &= ~hit
    return out.reshape(n, h, w, c)


def _conv_input_grad(dcols: np.ndarray, shape: tuple[int, ...], k: int) -> np.ndarray:
    """col2im: (N*Ho*Wo, k*k*Cin) column gradients -> (N, H, W, Cin) input gradient."""
    n, h, w, cin = shape
    ho, wo = h - k + 1, w - k + 1
    dcols = dcols.reshape(n, ho, wo, k, k, cin)
    dx = np.zeros(shape, dcols.dtype)
    for i in range(k):
        for j in range(k):
            dx[:, i : i + ho, j : j + wo, :] += dcols[:, :, :, i, j, :]
    return dx


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
        if a.dtype not in STORED_DTYPES:
            raise WeightsError(f"array {name!r} has dtype {a.dtype}, expected float16 or float32")
        if a.shape != shape:
            raise WeightsError(f"array {name!r} has shape {a.shape}, expected {shape}")
        if not np.isfinite(a).all():
            raise WeightsError(f"array {name!r} contains NaN or infinite values")
        params[name] = a.astype(DTYPE)
    return Network(params)
