"""The softmax lab: from the network's logits and the learner's controls to everything shown.

Pure numpy, no DOM: `lab_view` returns a plain JSON-ready dict that the page only renders.
The controls apply z' = scale * z + shift to the network's logits z; every number on the page
(logits, probabilities, loss, gradient) is computed from that z'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from softmax import cross_entropy, cross_entropy_grad, entropy, softmax

K = 10
SHIFT_LIMIT = 1000.0  # beyond this, float64 rounding of z + c starts to show in the probabilities
SCALE_MIN, SCALE_MAX = 0.01, 100.0
CONFIDENT = 0.5  # a wrong argmax holding at least half the mass counts as "confidently wrong"


@dataclass(frozen=True)
class Controls:
    shift: float = 0.0
    scale: float = 1.0
    label: int | None = None  # the true digit for the cross-entropy panel, None when unset
    zero_logits: bool = False  # replace the network's logits by zeros (the uniform edge case)


def _parse_number(text: str, name: str) -> tuple[float | None, str | None]:
    try:
        value = float(str(text).strip())
    except ValueError:
        return None, f"{name} must be a number, e.g. 2.5 (got “{text}”)."
    if not math.isfinite(value):
        return None, f"{name} must be a finite number."
    return value, None


def parse_shift(text: str) -> tuple[float | None, str | None]:
    """(value, None) for a usable shift c, else (None, a message saying what is allowed)."""
    value, error = _parse_number(text, "Shift")
    if error is None and abs(value) > SHIFT_LIMIT:
        return None, f"Shift must lie between -{SHIFT_LIMIT:g} and {SHIFT_LIMIT:g}."
    return value, error


def parse_scale(text: str) -> tuple[float | None, str | None]:
    """(value, None) for a usable scale alpha > 0, else (None, a message saying why not)."""
    value, error = _parse_number(text, "Scale")
    if error is not None:
        return None, error
    if value <= 0:
        return None, (
            "Scale must be greater than 0: multiplying by 0 erases the logits, "
            "and a negative number reverses their order."
        )
    if not SCALE_MIN <= value <= SCALE_MAX:
        return None, f"Scale must lie between {SCALE_MIN:g} and {SCALE_MAX:g}."
    return value, None


def parse_label(text: str) -> tuple[int | None, str | None]:
    text = str(text).strip()
    if text == "":
        return None, None
    if text.isdigit() and int(text) < K:
        return int(text), None
    return None, f"The true label must be a digit 0-9 (got “{text}”)."


def apply_control_text(current: Controls, raw: dict) -> tuple[Controls, dict[str, str]]:
    """New controls from the page's raw input strings; a rejected field keeps its last good
    value (the learner loses nothing) and reports why in the returned errors."""
    values, errors = {}, {}
    for field, parse in (("shift", parse_shift), ("scale", parse_scale), ("label", parse_label)):
        if field not in raw:
            continue
        value, error = parse(raw[field])
        if error is not None:
            errors[field] = error
        else:
            values[field] = value
    if "zero_logits" in raw:
        values["zero_logits"] = bool(raw["zero_logits"])
    return replace(current, **values), errors


def _floats(a: np.ndarray) -> list[float]:
    return [float(v) for v in a]


def cross_entropy_view(z: np.ndarray, p: np.ndarray, label: int) -> dict:
    grad = cross_entropy_grad(z, label)
    guess = int(np.argmax(p))
    return {
        "label": label,
        "one_hot": [1.0 if k == label else 0.0 for k in range(K)],
        "loss": cross_entropy(z, label),
        "grad": _floats(grad),
        "grad_norm": float(np.linalg.norm(grad)),
        # |p_label - 1| is how hard the true class is pulled up: near 1 when p_label is near 0.
        "pull_on_label": float(-grad[label]),
        "confidently_wrong": guess != label and float(p[guess]) >= CONFIDENT,
    }


def lab_view(logits: np.ndarray | None, controls: Controls) -> dict:
    """Everything the lab shows for the network's logits (None: empty pad) under `controls`."""
    if controls.zero_logits:
        logits = np.zeros(K)
    if logits is None:
        return {"empty": True, "zero_logits": False}
    z_net = np.asarray(logits, dtype=np.float64)  # (K,) the network's output activations
    z = controls.scale * z_net + controls.shift  # (K,) the logits shown
    p = softmax(z)
    p_unshifted = softmax(controls.scale * z_net)
    p_unscaled = softmax(z_net)
    view = {
        "empty": False,
        "zero_logits": controls.zero_logits,
        "network_logits": _floats(z_net),
        "logits": _floats(z),
        "probs": _floats(p),
        "sum": float(p.sum()),
        "prediction": int(np.argmax(p)),
        "max_prob": float(p.max()),
        "entropy": entropy(p),
        "entropy_unscaled": entropy(p_unscaled),
        "max_entropy": math.log(K),
        "argmax_unscaled": int(np.argmax(p_unscaled)),
        # The shift lesson in one number: how far any probability moved when c was added.
        "shift_max_change": float(np.abs(p - p_unshifted).max()),
        "cross_entropy": None,
    }
    if controls.label is not None:
        view["cross_entropy"] = cross_entropy_view(z, p, controls.label)
    return view
