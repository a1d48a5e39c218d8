"""One learner's session in the page: the loaded network, the last drawing, the controls, the quiz.

Pure Python + numpy (no js, no pyscript): worker.py only converts browser values to numpy and
the dicts returned here to JSON, so everything the page does is testable under CPython.
"""

from __future__ import annotations

import numpy as np

import lab
from network import load_network
from preprocess import preprocess


class Session:
    def __init__(self, weights_path: str = "model.npz"):
        self.network = load_network(weights_path)
        self.controls = lab.Controls()
        self.logits: np.ndarray | None = None  # (10,) of the last drawing, None for an empty pad
        self.image: np.ndarray | None = None  # (784,) what the network saw

    def draw(self, rgba: np.ndarray) -> dict:
        """New canvas pixels (H, W, 4) uint8: preprocess, run the network, return the lab view."""
        self.image = preprocess(rgba)
        self.logits = None if self.image is None else self.network.logits(self.image)
        # Drawing again means the learner wants their own digit's logits back.
        self.controls = lab.replace(self.controls, zero_logits=False)
        return self.view()

    def set_controls(self, raw: dict) -> dict:
        self.controls, errors = lab.apply_control_text(self.controls, raw)
        return self.view(errors)

    def view(self, errors: dict | None = None) -> dict:
        return {
            "lab": lab.lab_view(self.logits, self.controls),
            "image": None if self.image is None else [round(float(v), 3) for v in self.image],
            "controls": {
                "shift": self.controls.shift,
                "scale": self.controls.scale,
                "label": self.controls.label,
                "zero_logits": self.controls.zero_logits,
            },
            "errors": errors or {},
        }
