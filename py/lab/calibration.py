"""Calibration: when the network says 90 %, is it right 90 % of the time?

For N held-out digits with logits (N, K) and true labels (N,):

- reliability bins: the confidences (the top probability) cut into equal-width bins; per bin the
  number of digits, their mean confidence and the fraction the network got right;
- expected calibration error (ECE): the count-weighted mean gap |accuracy - confidence| over bins;
- negative log-likelihood (NLL): the mean cross-entropy -log p_y, the loss training minimises;
- temperature scaling: softmax(z / T) with the one T* that minimises the NLL on held-out digits.
  Dividing every logit by the same T > 0 keeps their order, so no prediction changes: only the
  confidence does (T > 1 softens an overconfident network, T < 1 sharpens an underconfident one).

numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import math

import numpy as np

from number_rule import SCALE_MAX, SCALE_MIN
from softmax import log_softmax, softmax

N_BINS = 10
# The search range for T*: alpha = 1/T* then stays within the lab's scale range.
T_MIN, T_MAX = 1 / SCALE_MAX, 1 / SCALE_MIN
GOLDEN = (math.sqrt(5) - 1) / 2  # 0.618...


def confidence_and_correct(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0):
    """(N, K) logits, (N,) labels -> confidence (N,) = max softmax(z / T), correct (N,) bool."""
    p = softmax(np.asarray(logits, dtype=np.float64) / temperature)  # (N, K)
    return p.max(axis=1), p.argmax(axis=1) == np.asarray(labels)  # (N, K) -> (N,), (N,)


def bin_edges(n_bins: int = N_BINS) -> np.ndarray:
    """(n_bins + 1,) equal-width edges over [0, 1]: exactly b / n_bins (linspace is 1 ulp off)."""
    return np.arange(n_bins + 1) / n_bins


def bin_index(confidence: np.ndarray, n_bins: int = N_BINS) -> np.ndarray:
    """Bin b holds edges[b] <= c < edges[b + 1]; the last bin also holds c = 1: (N,) -> (N,)."""
    edges = bin_edges(n_bins)
    return np.clip(np.searchsorted(edges, confidence, side="right") - 1, 0, n_bins - 1)


def reliability(confidence: np.ndarray, correct: np.ndarray, n_bins: int = N_BINS) -> dict:
    """Per bin: count (n_bins,), mean confidence and accuracy (n_bins,), NaN for an empty bin."""
    b = bin_index(confidence, n_bins)  # (N,)
    count = np.bincount(b, minlength=n_bins)  # (n_bins,)
    conf_sum = np.bincount(b, weights=confidence, minlength=n_bins)
    right = np.bincount(b, weights=correct.astype(np.float64), minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):  # empty bins: 0 / 0 -> NaN, on purpose
        return {
            "edges": bin_edges(n_bins),
            "count": count,
            "confidence": conf_sum / count,
            "accuracy": right / count,
        }


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, n_bins=N_BINS):
    """sum over bins of (count / N) * |accuracy - mean confidence|; empty bins weigh 0."""
    bins = reliability(confidence, correct, n_bins)
    used = bins["count"] > 0
    gaps = np.abs(bins["accuracy"][used] - bins["confidence"][used])
    return float(np.sum(bins["count"][used] * gaps) / len(confidence))


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0) -> float:
    """Mean -log softmax(z / T)_y over the digits, from log_softmax (finite even for p_y ~ 0)."""
    logp = log_softmax(np.asarray(logits, dtype=np.float64) / temperature)  # (N, K)
    return float(-logp[np.arange(len(labels)), labels].mean())


def fit_temperature(
    logits: np.ndarray, labels: np.ndarray, lo: float = T_MIN, hi: float = T_MAX, tol=1e-7
) -> float:
    """The T in [lo, hi] that minimises nll(logits / T), by golden-section search on log T.

    The NLL is convex in alpha = 1/T (a log-sum-exp of lines minus a line), and log T is a
    monotone function of alpha, so the NLL has one minimum along log T: golden section finds it
    (or the nearer end of the range, if the minimum lies outside it).
    """
    a, b = math.log(lo), math.log(hi)

    def f(u: float) -> float:
        return nll(logits, labels, math.exp(u))

    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc <= fd:  # the minimum lies in [a, d]
            b, d, fd = d, c, fc
            c = b - GOLDEN * (b - a)
            fc = f(c)
        else:  # in [c, b]
            a, c, fc = c, d, fd
            d = a + GOLDEN * (b - a)
            fd = f(d)
    return math.exp((a + b) / 2)


def summary(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0) -> dict:
    """Accuracy, ECE, NLL and the reliability bins of softmax(logits / T) against labels."""
    confidence, correct = confidence_and_correct(logits, labels, temperature)
    return {
        "accuracy": float(correct.mean()),
        "mean_confidence": float(confidence.mean()),
        "ece": expected_calibration_error(confidence, correct),
        "nll": nll(logits, labels, temperature),
        "bins": reliability(confidence, correct),
    }
