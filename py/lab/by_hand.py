"""Softmax by hand: every stage of the computation for ten logits the learner sets, the naive
path that overflows, and draws from the categorical distribution p.

The stable stages are exactly softmax.py's, one line each, so the page shows what the lab
computes:

    z                  the logits (the panel's, within +-LIMIT)
    shifted = z - max  at most 0: exp() of it lies in (0, 1], so nothing overflows
    exp                e^shifted; the largest is e^0 = 1, so the sum is at least 1
    sum                sum of exp
    p = exp / sum

Subtracting max z is exact, not an approximation: softmax(z + c) == softmax(z) for any c (shift
invariance), because e^(z_k + c) / sum_j e^(z_j + c) = e^c e^z_k / (e^c sum_j e^z_j).

The naive path takes exp(z) itself. float64 holds at most ~1.8e308, so e^z overflows to inf for
z > ln(1.8e308) ~ 709.78; the sum is then inf and p = inf / inf = nan (the other classes get
finite / inf = 0). At the other end, e^(z_k - max) below ~5e-324 underflows to exactly 0: that p
reads 0 though the true value is positive (prob_text.py gives its size from log p).

Sampling uses numpy's Generator (PCG64) seeded with the visible seed: the same seed and n give
the same draws.

Texts and messages are in the language shown (py/lab/catalogue.py); the values (data-value)
stay plain full-precision numbers.

numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import math
import time

import numpy as np

import catalogue
from prob_text import Shown, number_text
from softmax import entropy, softmax

K = 10
LIMIT = 1000.0  # the panel's range for each logit: far past the naive path's overflow at ~709.78
SAMPLE_SIZES = (1, 10, 100, 1000, 10000)
SEED_MAX = 2**32 - 1
STAGES = ("z", "shifted", "exp", "sum", "p")


class HandInputError(ValueError):
    """Logits, n or a seed the panel cannot use; the message says why."""


def read_logits(raw) -> np.ndarray:
    """Ten finite numbers within +-LIMIT (a list from the page): (10,) float64."""
    try:
        z = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise HandInputError(catalogue.t("lab.hand.not_numbers", why=err)) from None
    if z.shape != (K,):
        raise HandInputError(catalogue.t("lab.hand.shape", shape=z.shape))
    if not np.all(np.isfinite(z)):
        raise HandInputError(catalogue.t("lab.hand.finite"))
    if np.any(np.abs(z) > LIMIT):
        raise HandInputError(catalogue.t("lab.hand.range", limit=f"{LIMIT:g}"))
    return z


def stable_stages(z: np.ndarray) -> dict[str, np.ndarray]:
    """The stages as softmax() computes them: (10,) each, "sum" a (1,) array."""
    shifted = z - z.max()  # (10,) -> (10,), max 0
    e = np.exp(shifted)  # (10,) in [0, 1]: 0 only by underflow
    total = e.sum()  # >= 1: the max contributes e^0 = 1
    return {"z": z, "shifted": shifted, "exp": e, "sum": np.array([total]), "p": e / total}


def naive_stages(z: np.ndarray) -> dict[str, np.ndarray]:
    """exp(z) without the shift: inf where z > ~709.78, then p is nan there (and 0 elsewhere)."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)  # (10,): inf where float64 overflows
        total = e.sum()  # inf if any term is, or if the finite terms add up past the maximum
        p = e / total  # inf / inf = nan
    return {"z": z, "shifted": z.copy(), "exp": e, "sum": np.array([total]), "p": p}


def top_digits(z: np.ndarray) -> list[int]:
    """The argmax: every digit with the largest logit (more than one on a tie)."""
    return [int(k) for k in np.flatnonzero(z == z.max())]


def _values(a: np.ndarray) -> list[str]:
    """Full-precision numbers as text for data-value ("inf", "nan" included): repr round-trips."""
    return [repr(float(v)) for v in a]


def hand_view(raw_logits, naive: bool) -> dict:
    """Everything the panel shows for these logits; naive: the stages without the shift."""
    start = time.perf_counter()
    z = read_logits(raw_logits)
    stages = naive_stages(z) if naive else stable_stages(z)
    p = stages["p"]
    overflowed = bool(np.any(np.isinf(stages["exp"])) or np.isinf(stages["sum"][0]))
    underflowed = [int(k) for k in np.flatnonzero(stages["exp"] == 0.0)]
    # After an overflow p is no distribution (nan, or all 0 when only the sum overflowed).
    h = math.nan if overflowed else entropy(p)
    # The bar texts: the page's probability texts where p is softmax(z), else the raw values.
    shown = [number_text(v) for v in p] if overflowed else Shown.from_logits(z).strip_texts()
    return {
        "logits": [float(v) for v in z],
        "naive": naive,
        "stages": {
            name: {"values": _values(a), "texts": [number_text(v) for v in a]}
            for name, a in stages.items()
        },
        "p": _values(p),
        "p_bars": [float(v) if math.isfinite(v) else 0.0 for v in p],
        "p_texts": shown,
        # As text ("nan" included): JSON has no NaN, and the page's data-value shows it as is.
        "entropy_nats": repr(h),
        "entropy_bits": repr(h / math.log(2)),
        "entropy_text": catalogue.t(
            "lab.hand.entropy", nats=number_text(h), bits=number_text(h / math.log(2))
        ),
        "max_entropy_text": catalogue.t("lab.hand.max_entropy", nats=number_text(math.log(K))),
        "argmax": top_digits(z),
        "overflowed": overflowed,
        "underflowed": underflowed,
        "python_ms": 1000 * (time.perf_counter() - start),
    }


def read_sample_request(n, seed) -> tuple[int, int]:
    """n among SAMPLE_SIZES and a seed 0..2^32-1 (a whole number, perhaps typed as text)."""
    sizes = ", ".join(map(str, SAMPLE_SIZES))
    try:
        n = int(n)
    except (TypeError, ValueError):
        raise HandInputError(catalogue.t("lab.hand.n", sizes=sizes)) from None
    if n not in SAMPLE_SIZES:
        raise HandInputError(catalogue.t("lab.hand.n_got", sizes=sizes, n=n))
    text = str(seed).strip()
    if not text.isdigit() or int(text) > SEED_MAX:
        raise HandInputError(catalogue.t("lab.hand.seed", max=SEED_MAX, got=repr(text)))
    return n, int(text)


def sample_counts(p: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n draws from the categorical p (10,) with a seeded Generator: (draws (n,), counts (10,))."""
    rng = np.random.default_rng(seed)
    draws = rng.choice(K, size=n, p=p).astype(np.intp)  # (n,) digits 0..9; int64 even on
    # wasm32, where bincount wants the platform's int32
    return draws, np.bincount(draws, minlength=K)  # (n,) -> (10,)


def hand_sample(raw_logits, n, seed) -> dict:
    """n draws from softmax(z) (the stable p, whatever the naive toggle shows)."""
    start = time.perf_counter()
    z = read_logits(raw_logits)
    n, seed = read_sample_request(n, seed)
    p = softmax(z)
    draws, counts = sample_counts(p, n, seed)
    return {
        "n": n,
        "seed": seed,
        "counts": [int(c) for c in counts],
        "frequencies": [float(c) / n for c in counts],
        "first_draws": [int(d) for d in draws[:20]],
        "python_ms": 1000 * (time.perf_counter() - start),
    }
