"""Softmax and cross-entropy, numerically stable, numpy only.

softmax and log_softmax take logits of shape (K,) or a batch (N, K) and work along the last
axis, keeping a float dtype (training runs in float32, the page in float64); the loss functions
take one vector (K,). Stability comes from one identity the page teaches:
softmax(z) == softmax(z - max(z)), so exponentials never overflow (the largest is e^0 = 1) and
the sum is at least 1.
"""

from __future__ import annotations

import numpy as np


def _as_logits(z) -> np.ndarray:
    z = np.asarray(z)
    if not np.issubdtype(z.dtype, np.floating):
        z = z.astype(np.float64)
    if z.ndim not in (1, 2) or z.shape[-1] == 0:
        raise ValueError(f"logits must have shape (K,) or (N, K) with K > 0, got {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError("logits must be finite numbers")
    return z


def log_softmax(z) -> np.ndarray:
    """log p_k = z_k - logsumexp(z), computed without exponentiating large numbers."""
    z = _as_logits(z)
    shifted = z - z.max(axis=-1, keepdims=True)  # max 0: exp() of it lies in (0, 1]
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z) -> np.ndarray:
    """p_k = e^{z_k} / sum_j e^{z_j}: non-negative, sums to 1 along the last axis."""
    z = _as_logits(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # (..., K), no overflow
    return e / e.sum(axis=-1, keepdims=True)


def one_hot(label: int, k: int) -> np.ndarray:
    if not 0 <= label < k:
        raise ValueError(f"label must be in 0..{k - 1}, got {label}")
    y = np.zeros(k)
    y[label] = 1.0
    return y


def cross_entropy(z, label: int) -> float:
    """-log p_label, from log_softmax so a tiny p_label gives a large finite loss, not inf."""
    return float(-log_softmax(z)[label])


def cross_entropy_grad(z, label: int) -> np.ndarray:
    """d(cross-entropy)/dz = p - y: every wrong class is pushed down by its probability,
    the true class pulled up by 1 - p_label."""
    p = softmax(z)
    return p - one_hot(label, p.size)


def entropy(p) -> float:
    """Shannon entropy in nats (0 log 0 taken as 0); log K for the uniform distribution."""
    p = np.asarray(p, dtype=np.float64)
    nonzero = p[p > 0]
    return float(-(nonzero * np.log(nonzero)).sum())
