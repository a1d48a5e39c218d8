"""Does a drawing look like a digit at all? One score on the network's ten logits, one threshold.

The network always answers with ten logits; softmax turns them into ten probabilities that sum to
1, even for a scribble. It is trained (outlier exposure) to answer drawings that are no digit
with near-equal logits, i.e. a near-uniform softmax, while a digit gets one clearly largest
probability. The score is therefore the largest softmax probability (the "maximum softmax
probability" of Hendrycks & Gimpel, 2017):

    score = max_k softmax(z)_k        between 1/10 (all ten equal) and 1 (one class certain)

and the page says "this doesn't look like a digit" when score < THRESHOLD. THRESHOLD belongs to
the shipped weights: it is chosen on validation digits (scripts/model/evaluate.py,
`choose_threshold`:
the largest value that flags at most 0.5 % of them) and must be updated whenever the weights
are retrained.

numpy only: this module runs in the browser under Pyodide.
"""

from __future__ import annotations

import numpy as np

from softmax import softmax

# Chosen for the weights in assets/model.npz by scripts/model/evaluate.py (run at the end of
# scripts/model/train.py): the largest threshold flagging at most 0.5 % of the MNIST validation
# digits
# and at most 1 % of the validation drawn digits, 0.64879 for these weights, rounded down.
# Update it with the weights (tests/test_accuracy.py checks it against assets/model.json).
THRESHOLD = 0.64


def score(logits) -> float | np.ndarray:
    """Largest softmax probability: (10,) -> float, or (N, 10) -> (N,). Higher = more digit-like."""
    p = softmax(logits)
    best = p.max(axis=-1)
    return float(best) if np.ndim(best) == 0 else best


def is_not_a_digit(logits, threshold: float = THRESHOLD) -> bool | np.ndarray:
    """True when the drawing does not look like a digit: score(logits) < threshold."""
    s = score(logits)
    return bool(s < threshold) if isinstance(s, float) else s < threshold
