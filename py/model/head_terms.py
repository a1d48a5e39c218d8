"""The last layer read as a sum: where logit z_k comes from, and which ink made it.

    z_k = b_k + sum_j W_kj * h_j            over the HIDDEN features h (after relu)
    z_k - z_k' = (b_k - b_k') + sum_j (W_kj - W_k'j) * h_j

`head_terms` returns each term, the bias and their total in float64, so the page can show the
sum the learner reads and its total equals the network's logit. `evidence` is gradient x input
of the same quantity with respect to the 28x28 input. numpy only: runs under Pyodide.
"""

from __future__ import annotations

import numpy as np

from network import forward, input_gradient

K = 10


def _check_classes(k: int, versus: int | None) -> None:
    if not (type(k) is int and 0 <= k < K):
        raise ValueError(f"class must be a whole number 0..9, got {k!r}")
    if versus is not None and not (type(versus) is int and 0 <= versus < K and versus != k):
        raise ValueError(f"versus must be another class 0..9 or None, got {versus!r}")


def hidden_and_logits(params: dict, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict]:
    """One input (784,) through the network as the page runs it: the features h (HIDDEN,), the
    logits (10,) and the cache for the backward pass."""
    cache: dict = {}
    logits = forward(params, np.asarray(x, params["dense2_w"].dtype).reshape(1, 784), cache)
    return cache["h"][0], logits[0], cache


def head_terms(params: dict, h: np.ndarray, k: int, versus: int | None = None) -> dict:
    """The terms (HIDDEN,), the weight row (HIDDEN,), the bias and the total, all float64, for
    z_k (versus None) or z_k - z_versus, from the features h (HIDDEN,)."""
    _check_classes(k, versus)
    w = params["dense2_w"].astype(np.float64)  # (HIDDEN, 10)
    b = params["dense2_b"].astype(np.float64)  # (10,)
    row = w[:, k] - (0.0 if versus is None else w[:, versus])  # (HIDDEN,)
    bias = float(b[k] - (0.0 if versus is None else b[versus]))
    terms = row * np.asarray(h, np.float64)  # (HIDDEN,)
    return {"terms": terms, "row": row, "bias": bias, "total": bias + float(terms.sum())}


def evidence(params: dict, x: np.ndarray, cache: dict, k: int, versus: int | None = None):
    """Gradient x input of z_k (or z_k - z_versus) with respect to the input: (784,) float64.
    Positive pixels push the logit up, negative ones down. `cache` from hidden_and_logits(x)."""
    _check_classes(k, versus)
    dout = np.zeros((1, K), params["dense2_w"].dtype)
    dout[0, k] = 1
    if versus is not None:
        dout[0, versus] = -1
    grad = input_gradient(params, cache, dout)[0].astype(np.float64)  # (784,)
    return grad * np.asarray(x, np.float64).reshape(784)
