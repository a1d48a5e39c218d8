"""A nudge that makes the network say t: targeted iterative FGSM on the 28x28 input.

    x <- clip(x - eta * sign(grad_x CE(z(x), t)), x0 +- eps, [0, 1]),   eta = eps / 4

Each step moves every pixel by eta against the gradient of the cross-entropy for the target,
then clips back into the eps box around the drawing and into the valid ink range, so the
nudged input never differs from the drawing by more than eps in any pixel. numpy only.

The shipped network was trained to answer noise with near-equal logits ("not a digit"), and a
sign step moves every pixel, the blank ones too: often the nudge lands where all its features
are off, the gradient is exactly 0 and it stops there, reading "not a digit" rather than t.
Targets close to the guess (the runner-up) are reached far more often than others.
"""

from __future__ import annotations

import numpy as np

import catalogue
from network import cross_entropy, forward, input_gradient
from number_rule import parse_number

EPS_MIN, EPS_MAX = 0.05, 0.5
STEPS = 10  # the page's default number of steps
STOP_PROB = 0.99  # stop early once the target is this sure: more steps only add noise


def parse_eps(text) -> tuple[float | None, str | None]:
    """(eps, None) for a usable epsilon, else (None, a message saying what is allowed)."""
    value, error = parse_number(str(text), catalogue.t("lab.field.eps"))
    if error is not None:
        return None, error
    if not EPS_MIN <= value <= EPS_MAX:
        low, high = (catalogue.decimal(f"{v:g}") for v in (EPS_MIN, EPS_MAX))
        return None, catalogue.t("lab.eps.range", low=low, high=high)
    return value, None


def nudge(params: dict, x0: np.ndarray, target: int, eps: float, steps: int = STEPS) -> dict:
    """Up to `steps` steps towards class `target` from the input x0 (784,) in [0, 1].

    Returns {"image": the nudged input (784,) in the params' dtype, "steps": steps taken,
    "logits": its logits (10,) float64}. Stops early once p(target) >= STOP_PROB.
    """
    dtype = params["dense2_w"].dtype
    x0 = np.asarray(x0, dtype).reshape(1, 784)
    low, high = np.clip(x0 - eps, 0, 1), np.clip(x0 + eps, 0, 1)  # (1, 784): the box
    eta = eps / 4
    x = x0.copy()
    label = np.array([target])
    taken = 0
    cache: dict = {}
    logits = forward(params, x, cache)
    for _ in range(steps):
        loss, dlogits = cross_entropy(logits, label)  # dlogits (1, 10): p - onehot(t)
        if np.exp(-loss) >= STOP_PROB:
            break
        grad = input_gradient(params, cache, dlogits)  # (1, 784)
        if not grad.any():  # every feature is off: no pixel moves any logit, more steps do nothing
            break
        x = np.clip(x - eta * np.sign(grad), low, high).astype(dtype)
        taken += 1
        cache = {}
        logits = forward(params, x, cache)
    return {"image": x[0], "steps": taken, "logits": logits[0].astype(np.float64)}
