"""Probabilities as text and bar lengths that never pretend a class has probability zero.

The one home for every probability the page prints: the lab's table and strip, the quiz's
observations and the mistakes gallery all take their texts from here.

Softmax is strictly positive: e^z > 0 for every finite z. On a clear digit nine classes get
1e-5 to 1e-17, which "0.0 %" would hide, and the winner 1 - 1e-12, which "100.0 %" would round
up. Each text is therefore chosen from the size of the number:

    1e-3 <= p <= 0.999        "12.3 %"
    0 < p < 1e-3              "3.2e-6 %"            (scientific, never rounded to 0)
    p > 0.999                 "100 % − 4.1e-5 %"   (how far below 1 the winner sits)
    p == 0.0 in float64       "0 (underflow: log₁₀ p = -1234.5)"

The built-in softmax's tiny values come from log p (log_softmax), which stays finite when p
itself underflows to 0.0 (e.g. at α = 100, where exp(-2000) is below the smallest float64,
5e-324): the text then says the stored value is 0 because of underflow and gives the true size.
The winner's distance below 1 is the other classes' total, from their log p too: float64
cannot hold 1 - 1e-19, so p itself reads exactly 1.0 there.

A learner's softmax (the code panel's "Use my softmax") is shown as it is: every text comes from
their p alone. Its log p is log10 of their p, the winner's distance below 1 is the sum of their
other p's, and a p of exactly 0 reads "exactly 0 from your softmax": their function returned 0.

The forms above are English's; every text is in the language shown (py/lab/catalogue.py): its
words from the catalogue (lab.prob.*), its numbers with the language's decimal separator
("99,9 %", "3,2e-6 %" in German and Spanish). `scientific` and `number_text` give the plain
form ("3.2e-6"); only the texts a person reads take the separator.

The strip beside the pad has room for ~4 characters: "12.3", "<0.1", ">99.9", never "0" for a
positive p nor "100" below 1. "100" only where the page's own distance below 1 is exactly 0: a
learner's p of exactly 1 (their other p's exactly 0); the built-in winner always sits below 1.

numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import catalogue
from softmax import log_softmax, softmax

LOW = 1e-3  # below this (or within this of 1) a one-decimal percentage would read 0 or 100
LOG10_LOW = math.log10(LOW)
LOG_BAR_DECADES = 20  # the log-scale bar spans 10^-20 (empty) to 1 (full)
MINUS = "\u2212"
# A float64 sum of ten probabilities near 1 is off by at most a few 1e-16: within this, a
# learner's vector sums to 1 and its other p's total is the winner's distance below 1.
SUM_ROUNDING = 1e-14


def exact_zero() -> str:
    """A learner's p of exactly 0, in the language shown: "exactly 0 from your softmax"."""
    return catalogue.t("lab.prob.exact_zero")


def percent(number: str) -> str:
    """A percentage as a person reads it: "12.3 %" ("12,3 %" in German)."""
    return catalogue.t("lab.prob.percent", value=catalogue.decimal(number))


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


def _log10(x: float) -> float:
    return math.log10(x) if x > 0 else -math.inf


@dataclass(frozen=True)
class Shown:
    """One probability vector as the page shows it."""

    p: np.ndarray  # (K,) float64, as the softmax returned it
    log10: np.ndarray  # (K,) log10 p: finite for the built-in softmax, -inf for a learner's 0
    learner: bool  # p came from the learner's softmax: an exact 0 is theirs, not underflow

    @classmethod
    def from_logits(cls, z: np.ndarray) -> Shown:
        """The built-in softmax of logits z (K,)."""
        return cls(softmax(z), log10_probs(z), learner=False)

    @classmethod
    def from_learner(cls, p: np.ndarray) -> Shown:
        """A learner's probabilities (K,), taken as they are."""
        p = np.asarray(p, dtype=np.float64)
        with np.errstate(divide="ignore"):
            return cls(p, np.log10(p), learner=True)  # log10(0) = -inf: their exact zero

    def others_log10(self, k: int) -> float:
        """log10 of the total of every probability but class k's (-inf for exactly 0)."""
        if self.learner:
            return _log10(math.fsum(np.delete(self.p, k)))
        others = np.delete(self.log10, k)  # (K-1,): a log-sum-exp, base 10
        top = others.max()
        return float(top + np.log10(np.sum(10.0 ** (others - top))))

    def _below_one(self, k: int) -> tuple[str, float]:
        """How far p_k (>= 0.5) sits from 1: (MINUS or "+", log10 of the distance)."""
        if not self.learner:
            return MINUS, self.others_log10(k)
        rest = math.fsum(np.delete(self.p, k))
        gap = 1.0 - float(self.p[k])  # exact for p_k >= 0.5, but in steps of 1.1e-16
        if rest > 0 and abs(gap - rest) <= SUM_ROUNDING:
            gap = rest  # their vector sums to 1: the others' total is the finer figure
        return (MINUS if gap >= 0 else "+"), _log10(abs(gap))

    def _near_one(self, k: int) -> tuple[str, float] | None:
        if self.p[k] < 0.5:
            return None
        sign, log10_gap = self._below_one(k)
        return (sign, log10_gap) if log10_gap < LOG10_LOW else None

    def text(self, k: int) -> str:
        """The table's text for class k."""
        p = float(self.p[k])
        if p == 0.0:
            if self.learner:
                return exact_zero()
            return catalogue.t(
                "lab.prob.underflow", log10=catalogue.decimal(f"{self.log10[k]:.1f}")
            )
        if p < LOW:
            return percent(scientific(self.log10[k] + 2))  # + 2: as a percentage
        near = self._near_one(k)
        if near is not None:
            sign, log10_gap = near
            if log10_gap == -math.inf:
                return percent("100")
            return f"{percent('100')} {sign} {percent(scientific(log10_gap + 2))}"
        return percent(f"{100 * p:.1f}")

    def strip_text(self, k: int) -> str:
        """The strip's short text for class k (a percentage without the sign)."""
        p = float(self.p[k])
        if p == 0.0 and self.learner:
            return "0"
        if p < LOW:  # the built-in 0.0 is an underflow: its true p is positive
            return catalogue.decimal("<0.1")
        near = self._near_one(k)
        if near is not None:
            sign, log10_gap = near
            if log10_gap == -math.inf:
                return "100"
            return catalogue.decimal(">99.9") if sign == MINUS else ">100"
        return catalogue.decimal(f"{100 * p:.1f}")

    def others_text(self, k: int) -> str:
        """The total of every class but k as text, for k a top class (the total is <= 0.9)."""
        log10_rest = self.others_log10(k)
        if log10_rest == -math.inf:
            return exact_zero()
        if log10_rest < LOG10_LOW:
            return percent(scientific(log10_rest + 2))
        return percent(f"{100 * 10**log10_rest:.1f}")

    def texts(self) -> list[str]:
        return [self.text(k) for k in range(len(self.p))]

    def strip_texts(self) -> list[str]:
        return [self.strip_text(k) for k in range(len(self.p))]

    def log_bars(self) -> np.ndarray:
        return log_bars(self.log10)


def log_bars(log10_p: np.ndarray) -> np.ndarray:
    """Bar lengths in [0, 1] on a log scale: 1 for p = 1, 0 for p <= 10^-LOG_BAR_DECADES."""
    return np.clip(1 + log10_p / LOG_BAR_DECADES, 0.0, 1.0)  # (K,) -> (K,)


def number_text(x: float) -> str:
    """Any float64 in three significant digits, as the by-hand panel's stage rows show it:
    "-2.5", "1e+03", "3.2e-06", "0", and "inf" / "nan" where float64 overflowed ("−2,5" in
    German: a text a person reads)."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else f"{MINUS}inf"
    return catalogue.decimal(f"{x:.3g}").replace("-", MINUS)
