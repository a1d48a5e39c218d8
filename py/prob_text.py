"""Probabilities as text and bar lengths that never pretend a class has probability zero.

Softmax is strictly positive: e^z > 0 for every finite z. On a clear digit nine classes get
1e-5 to 1e-17, which "0.0 %" would hide, and the winner 1 - 1e-12, which "100.0 %" would round
up. Each text is therefore chosen from the size of the number:

    1e-3 <= p <= 0.999        "12.3 %"
    0 < p < 1e-3              "3.2e-6 %"            (scientific, never rounded to 0)
    p > 0.999                 "100 % − 4.1e-5 %"   (how far below 1 the winner sits)
    p == 0.0 in float64       "0 (underflow: log₁₀ p = -1234.5)"

Tiny values come from log p (log_softmax), which stays finite when p itself underflows to 0.0
(e.g. at α = 100, where exp(-2000) is below the smallest float64, 5e-324). The text then says
the stored value is 0 because of underflow, and gives the true size as log₁₀ p.

numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import math

import numpy as np

from softmax import log_softmax

LOW = 1e-3  # below this (or within this of 1) a one-decimal percentage would read 0 or 100
LOG_BAR_DECADES = 20  # the log-scale bar spans 10^-20 (empty) to 1 (full)
MINUS = "\u2212"


def log10_probs(z: np.ndarray) -> np.ndarray:
    """log10 of softmax(z), finite for any finite logits: (K,) -> (K,)."""
    return log_softmax(z) / math.log(10)


def scientific(log10_value: float) -> str:
    """10**log10_value as "3.2e-6", from the logarithm: no underflow, however small."""
    exponent = math.floor(log10_value)
    mantissa = round(10 ** (log10_value - exponent), 1)
    if mantissa >= 10:  # 9.96 rounds up to 10.0: carry into the exponent
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa:.1f}e{exponent}"


def _log10_rest(log10_p: np.ndarray, k: int) -> float:
    """log10 of the sum of every probability but class k's (a log-sum-exp, base 10)."""
    others = np.delete(log10_p, k)  # (K-1,)
    top = others.max()
    return float(top + np.log10(np.sum(10.0 ** (others - top))))


def probability_text(p: float, log10_p: np.ndarray, k: int) -> str:
    """The text for class k, whose float64 probability is p; log10_p holds all K log10 values."""
    if p == 0.0:
        return f"0 (underflow: log₁₀ p = {log10_p[k]:.1f})"
    if p < LOW:
        return f"{scientific(log10_p[k] + 2)} %"  # + 2: as a percentage
    rest = _log10_rest(log10_p, k)
    if rest < math.log10(LOW):
        return f"100 % {MINUS} {scientific(rest + 2)} %"
    return f"{100 * p:.1f} %"


def probability_texts(p: np.ndarray, log10_p: np.ndarray) -> list[str]:
    """The text for each class: (K,) probabilities and their log10 -> K strings."""
    return [probability_text(float(p[k]), log10_p, k) for k in range(len(p))]


def log_bars(log10_p: np.ndarray) -> np.ndarray:
    """Bar lengths in [0, 1] on a log scale: 1 for p = 1, 0 for p <= 10^-LOG_BAR_DECADES."""
    return np.clip(1 + log10_p / LOG_BAR_DECADES, 0.0, 1.0)  # (K,) -> (K,)
