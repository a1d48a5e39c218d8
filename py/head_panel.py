"""The head panel and the nudge in Python: the lab's drawing read through the last layer.

HeadPanel answers the page's head panel (py/model/head_terms.py: the terms of z_k, the evidence
map) for the lab's input, with the weights in force (taught ones too: the Learn panel changes
the network's arrays in place), and runs the nudge (py/model/nudge.py): the nudged input goes
into the lab, and back to the drawing restores exactly the input it replaced. Its messages are in
the language shown (py/lab/catalogue.py).
"""

from __future__ import annotations

import numpy as np

import catalogue
import head_terms
import novelty
from lab_state import LabState
from nudge import STEPS, nudge, parse_eps
from prob_text import Shown
from softmax import cross_entropy, softmax

DRAWING, NUDGED = "drawing", "nudged"


def _class(text, allow_none: bool) -> int | None:
    """A class 0..9 from the page's select value ("" for none when allowed), else ValueError."""
    text = str(text).strip()
    if text == "" and allow_none:
        return None
    if text not in {str(d) for d in range(10)}:
        raise ValueError(catalogue.t("lab.head.not_a_class", text=text))
    return int(text)


def _rounded(a: np.ndarray, digits: int) -> list[float]:
    return np.round(np.asarray(a, np.float64), digits).tolist()


class HeadPanel:
    def __init__(self, lab: LabState):
        self.lab = lab
        self.drawing: np.ndarray | None = None  # the input the nudged one replaced

    def _weights(self) -> dict:
        return {"id": self.lab.weights_id, "learned": self.lab.learned}

    def view(self, k_text: str, versus_text: str) -> dict:
        """The terms for class k ("" for the guess) versus k' ("" for none) on the lab's input,
        and the evidence map."""
        lab = self.lab
        if lab.image is None:
            return {"empty": True, "weights": self._weights()}
        params = lab.network.params
        h, logits, cache = head_terms.hidden_and_logits(params, lab.image)
        order = np.argsort(-logits, kind="stable")
        try:
            k = int(order[0]) if str(k_text).strip() == "" else _class(k_text, False)
            versus = _class(versus_text, True)
        except ValueError as err:
            return {"error": str(err)}
        if versus == k:
            versus = None
        shown = head_terms.head_terms(params, h, k, versus)
        evidence = head_terms.evidence(params, lab.image, cache, k, versus)
        scale = float(np.abs(evidence).max())
        return {
            "empty": False,
            "weights": self._weights(),
            "input": lab.input,
            "k": k,
            "versus": versus,
            "guess": int(order[0]),
            "runner_up": int(order[1]),
            # The terms at full precision (what #head-terms carries and the total sums); the
            # features and the weight row only drawn, so rounded: the answer stays small.
            "terms": shown["terms"].tolist(),
            "h": _rounded(h, 3),
            "row": _rounded(shown["row"], 3),
            "bias": shown["bias"],
            "total": shown["total"],
            # Scaled to -1..1 by its largest absolute value (0: no pixel moves the logit).
            "map": _rounded(evidence / scale if scale > 0 else evidence, 2),
            "map_scale": scale,
        }

    def nudge(self, target_text: str, eps_text: str) -> dict:
        """Nudge the drawing (always the drawing, also when a nudge is shown) towards the target;
        the nudged input goes into the lab. {"error": why} for a bad value or no drawing."""
        lab = self.lab
        if lab.image is None:
            return {"error": catalogue.t("lab.nudge.no_drawing")}
        try:
            target = _class(target_text, False)
        except ValueError:
            return {"error": catalogue.t("lab.nudge.no_target")}
        eps, error = parse_eps(eps_text)
        if error is not None:
            return {"error": error}
        if lab.input != NUDGED or self.drawing is None:
            self.drawing = lab.image.copy()
        drawing = self.drawing
        params = lab.network.params
        before = lab.network.logits(drawing)
        true = lab.controls.label if lab.controls.label is not None else int(np.argmax(before))
        out = nudge(params, drawing, target, eps)
        image = out["image"]
        view = lab.show_image(image, NUDGED)
        p = softmax(lab.logits)
        shown = Shown.from_logits(lab.logits)  # the lab table's texts: never 100 % for p < 1
        change = np.abs(image.astype(np.float64) - drawing.astype(np.float64))  # (784,)
        result = {
            "target": target,
            "eps": eps,
            "steps": out["steps"],
            "max_steps": STEPS,
            "max_change": float(change.max()),
            "mean_change": float(change.mean()),
            "target_prob": float(p[target]),
            "target_text": shown.text(target),
            "answer": int(np.argmax(p)),
            "probs": p.tolist(),
            "novelty": novelty.score(lab.logits),
            "not_a_digit": bool(novelty.is_not_a_digit(lab.logits)),
            "true": true,
            "true_prob": float(p[true]),
            "true_text": shown.text(true),
            "loss": cross_entropy(lab.logits, true),  # from log-softmax: finite where p underflows
            "p_minus_y": float(p[true] - 1),
            "drawing": _rounded(drawing, 2),
            "nudged": _rounded(image, 2),
        }
        return {"view": view, "result": result, "error": None}

    def back(self) -> dict:
        """The drawing back in the lab, exactly the input the nudge replaced."""
        if self.lab.input == NUDGED and self.drawing is not None:
            return {"view": self.lab.show_image(self.drawing, DRAWING)}
        return {"view": self.lab.view()}
