"""The softmax lab: from the network's logits and the learner's controls to everything shown.

Pure numpy, no DOM: `lab_view` returns a plain JSON-ready dict that the page only renders.
The controls apply z' = scale * z + shift to the network's logits z; every number on the page
(logits, probabilities, loss, gradient) is computed from that z'. With the learner's softmax,
every number shown derives from the p it returned (py/lab/prob_text.py's `Shown.from_learner`).
Its texts are in the language shown (py/lab/catalogue.py, lab.*), numbers a person reads with the
language's decimal separator; the view's numbers themselves stay plain floats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

import catalogue
from number_rule import SCALE_MAX, SCALE_MIN, SHIFT_LIMIT, format_number, parse_number
from prob_text import Shown
from softmax import cross_entropy, cross_entropy_grad, entropy, one_hot, softmax

K = 10
CONFIDENT = 0.5  # a wrong argmax holding at least half the mass counts as "confidently wrong"
TIE_RTOL = 1e-12  # top probabilities closer than this (relative) are a tie


@dataclass(frozen=True)
class Controls:
    shift: float = 0.0
    scale: float = 1.0
    label: int | None = None  # the true digit for the cross-entropy panel, None when unset
    zero_logits: bool = False  # replace the network's logits by zeros (the uniform edge case)


@dataclass(frozen=True)
class Maths:
    """The functions every number of the lab comes from: the built-in ones (py/lab/softmax.py), or
    the learner's own, checked and wrapped by py/learner_code/learner_checks.py. A learner's
    cross_entropy
    or cross_entropy_grad returns None when there is none of theirs to use: the lab then
    derives the number from the p shown (−log p_y, p − y), never from the built-in softmax."""

    softmax: Callable = softmax
    cross_entropy: Callable = cross_entropy
    cross_entropy_grad: Callable = cross_entropy_grad


BUILTIN = Maths()


SYMBOLS = {"shift": "c", "scale": "α"}
DEFAULTS = Controls()


def shown_number(value: float) -> str:
    """A number as a person reads it: format_number's text with the language's decimal
    separator ("0,5" in German). Never for a link or data-value: format_number there."""
    return catalogue.decimal(format_number(value))


def parse_shift(text: str) -> tuple[float | None, str | None]:
    """(value, None) for a usable shift c, else (None, a message saying what is allowed)."""
    value, error = parse_number(text, catalogue.t("lab.field.shift"))
    if error is None and abs(value) > SHIFT_LIMIT:
        return None, catalogue.t(
            "lab.shift.range", low=f"-{SHIFT_LIMIT:g}", high=f"{SHIFT_LIMIT:g}"
        )
    return value, error


def parse_scale(text: str) -> tuple[float | None, str | None]:
    """(value, None) for a usable scale alpha > 0, else (None, a message saying why not)."""
    value, error = parse_number(text, catalogue.t("lab.field.scale"))
    if error is not None:
        return None, error
    if value <= 0:
        return None, catalogue.t("lab.scale.positive")
    if not SCALE_MIN <= value <= SCALE_MAX:
        return None, catalogue.t(
            "lab.scale.range", low=shown_number(SCALE_MIN), high=shown_number(SCALE_MAX)
        )
    return value, None


def parse_label(text: str) -> tuple[int | None, str | None]:
    text = str(text).strip()
    if text == "":
        return None, None
    if len(text) == 1 and text in "0123456789":  # not str.isdigit(): "²" and "٣" are digits too
        return int(text), None
    return None, catalogue.t("lab.label.not_a_digit", text=text)


def apply_control_text(current: Controls, raw: dict) -> tuple[Controls, dict[str, str]]:
    """New controls from the page's raw input strings; a rejected field keeps its last good
    value (the learner loses nothing) and its message says which value is still in force."""
    values, errors = {}, {}
    for field, parse in (("shift", parse_shift), ("scale", parse_scale), ("label", parse_label)):
        if field not in raw:
            continue
        value, error = parse(raw[field])
        if error is None:
            values[field] = value
        elif field in SYMBOLS:
            kept = f"{SYMBOLS[field]} = {shown_number(getattr(current, field))}"
            errors[field] = catalogue.t("lab.controls.still_in_force", error=error, kept=kept)
        else:
            errors[field] = error
    if "zero_logits" in raw:
        values["zero_logits"] = bool(raw["zero_logits"])
    return replace(current, **values), errors


def in_force(controls: Controls) -> list[str]:
    """What the controls change about the network's logits, e.g. ["α = 3", "c = 5"]; [] when
    nothing does, so the page can always say what is applied to the numbers it shows."""
    if controls.zero_logits:
        return [catalogue.t("lab.in_force.zero_logits")]
    applied = []
    for field, symbol in SYMBOLS.items():
        value = getattr(controls, field)
        if value != getattr(DEFAULTS, field):
            applied.append(f"{symbol} = {shown_number(value)}")
    return applied


def pad_in_force(controls: Controls, learned: int, mine: bool, nudged: bool = False) -> dict | None:
    """The chip beside the guess (#pad-in-force): everything that makes the numbers there other
    than the plain network's softmax, named compactly, or None when nothing does. `learned`:
    drawings taught since the shipped weights; `mine`: the learner's softmax computes p;
    `nudged`: the lab shows the head panel's nudged input, not the drawing.
    "resettable": the Reset button can undo it (controls, the learner's softmax); taught
    weights are only pointed at (Forget), never undone by it."""
    parts = in_force(controls)
    resettable = bool(parts) or mine
    if mine:
        parts.append(catalogue.t("lab.chip.mine"))
    if nudged:
        parts.append(catalogue.t("lab.chip.nudged"))
    if learned == 1:
        parts.append(catalogue.t("lab.chip.taught_one", n=learned))
    elif learned:
        parts.append(catalogue.t("lab.chip.taught_many", n=learned))
    if not parts:
        return None
    text = catalogue.t("lab.chip.in_force", parts=" · ".join(parts))
    return {"text": text, "resettable": resettable, "taught": learned > 0}


def top_classes(p: np.ndarray) -> list[int]:
    """Every class whose probability equals the largest one (within float rounding).

    More than one means a tie: there is no single guess, and breaking it by index (np.argmax
    picks the first) would show a learner a preference the model does not have.
    """
    return [int(k) for k in np.flatnonzero(p >= p.max() * (1 - TIE_RTOL))]


def _guess(p: np.ndarray) -> int | None:
    top = top_classes(p)
    return top[0] if len(top) == 1 else None


def _floats(a: np.ndarray) -> list[float]:
    return [float(v) for v in a]


def _finite_or_none(a: np.ndarray) -> list[float | None]:
    """JSON has no infinity: None where a learner's p of exactly 0 has log p = -inf."""
    return [float(v) if math.isfinite(v) else None for v in a]


def cross_entropy_view(z: np.ndarray, p: np.ndarray, label: int, maths: Maths = BUILTIN) -> dict:
    grad = maths.cross_entropy_grad(z, label)
    if grad is None:
        grad = p - one_hot(label, K)
    loss = maths.cross_entropy(z, label)
    if loss is None:
        loss = -math.log(p[label]) if p[label] > 0 else math.inf
    guess = _guess(p)
    return {
        "label": label,
        "one_hot": [1.0 if k == label else 0.0 for k in range(K)],
        "loss": float(loss) if math.isfinite(loss) else None,  # None: p_y is exactly 0
        "grad": _floats(grad),
        "grad_norm": float(np.linalg.norm(grad)),
        "confidently_wrong": guess is not None and guess != label and float(p[guess]) >= CONFIDENT,
    }


def lab_view(logits: np.ndarray | None, controls: Controls, maths: Maths = BUILTIN) -> dict:
    """Everything the lab shows for the network's logits (None: empty pad) under `controls`,
    computed with `maths` (the built-in functions unless a learner's are given)."""
    if controls.zero_logits:
        logits = np.zeros(K)
    if logits is None:
        return {"empty": True, "zero_logits": False, "in_force": in_force(controls)}
    z_net = np.asarray(logits, dtype=np.float64)  # (K,) the network's output activations
    z = controls.scale * z_net + controls.shift  # (K,) the logits shown
    # The built-in softmax's texts use log_softmax (finite where p underflows to 0.0); a
    # learner's use nothing but the p their function returned.
    if maths.softmax is softmax:
        shown = Shown.from_logits(z)
    else:
        shown = Shown.from_learner(maths.softmax(z))
    p = shown.p
    top = top_classes(p)
    p_unshifted = maths.softmax(controls.scale * z_net)
    p_unscaled = maths.softmax(z_net)
    view = {
        "empty": False,
        "zero_logits": controls.zero_logits,
        "in_force": in_force(controls),
        "network_logits": _floats(z_net),
        "logits": _floats(z),
        "probs": _floats(p),
        "log10_probs": _finite_or_none(shown.log10),
        "prob_text": shown.texts(),  # never "0" for a positive p
        "strip_text": shown.strip_texts(),  # the short texts beside the pad
        "others_text": shown.others_text(top[0]),  # every class but the top one, together
        "log_bars": _floats(shown.log_bars()),  # bar lengths for the log-scale view
        "sum": float(p.sum()),
        "prediction": _guess(p),  # None on a tie
        "top": top,
        "max_prob": float(p.max()),
        "entropy": entropy(p),
        "entropy_unscaled": entropy(p_unscaled),
        "max_entropy": math.log(K),
        "argmax_unscaled": _guess(p_unscaled),
        # The shift lesson in one number: how far any probability moved when c was added.
        "shift_max_change": float(np.abs(p - p_unshifted).max()),
        "cross_entropy": None,
    }
    if controls.label is not None:
        view["cross_entropy"] = cross_entropy_view(z, p, controls.label, maths)
    return view
