"""The lab's state in the page: the loaded network, the digit on the pad, the controls, the view.

LabState keeps what the lab panel shows between calls: the network and which weights are in
force, the last drawing (its 28x28 input and logits, or why there is none), the controls and
the messages of rejected values. `view()` is everything the lab panel renders, as plain
JSON-ready values: numbers as numbers, texts in the language shown (py/lab/catalogue.py), e.g.
"controls_text" the values in force as plain text (a link's), "controls_shown" as a person reads
them ("0,5" in German). The quiz (py/quiz_flow.py), the Learn panel (py/model/head_trainer.py) and
the
calibration panel (py/model/heldout.py) read it; worker.py only converts browser values.

Pure Python + numpy (no js, no pyscript): testable under CPython.
"""

from __future__ import annotations

import time
from dataclasses import asdict, replace

import numpy as np

import catalogue
import lab
import novelty
from digit_sets import to_inputs
from network import load_network
from preprocess import EMPTY, examine_rgba, preprocess

SHIPPED = "shipped"  # the weights id of the shipped weights (see LabState.weights_id)


class LabState:
    def __init__(self, weights_path: str = "model.npz"):
        self.network = load_network(weights_path)
        self.controls = lab.Controls()
        # A rejected field's message stays until that field gets a good value or the controls
        # are reset: a later drawing must not hide that an older value is still in force.
        self.errors: dict[str, str] = {}
        self.logits: np.ndarray | None = None  # (10,) of the last drawing, None for no digit
        self.image: np.ndarray | None = None  # (784,) what the network saw
        self.no_digit: str | None = None  # why there is no input: preprocess.EMPTY / TOO_SMALL
        self.input = "drawing"  # what the lab shows: "drawing", or "nudged" (py/head_panel.py)
        # Which weights are in force: SHIPPED, or a fingerprint of the taught ones, and how many
        # drawings were taught. Every view and calibration report carries them, so the page can
        # tell a report of other weights. Set by the Learn panel through weights_changed().
        self.weights_id = SHIPPED
        self.learned = 0
        # Controls a teacher's link fixed (lock()): field -> the value in force. Enforced here,
        # not only by disabled fields: a locked field refuses every new value, Reset included.
        self.locked: dict = {}

    def update(self, rgba: np.ndarray | None, raw_controls: dict | None) -> dict:
        """New canvas pixels (H, W, 4) uint8 and/or control texts, applied in that order;
        returns the lab view, computed once. raw_controls {"reset": true} restores the defaults."""
        if rgba is not None:
            self._set_input(*examine_rgba(rgba))
        return self._apply_controls(raw_controls)

    def update_digit(self, grey: np.ndarray, raw_controls: dict | None) -> dict:
        """Show a ready-made digit, 784 grey levels 0..255 (e.g. a shipped held-out digit), then
        apply control texts. The network gets exactly these pixels, as when the digit set was
        scored: no canvas round trip and no second normalisation that could change the guess."""
        self._set_input(to_inputs(np.asarray(grey).reshape(-1)), None)
        return self._apply_controls(raw_controls)

    def _set_input(
        self, image: np.ndarray | None, no_digit: str | None, kind: str = "drawing"
    ) -> None:
        self.image, self.no_digit, self.input = image, no_digit, kind
        self.logits = None if image is None else self.network.logits(image)
        # A new digit means the learner wants its own logits back (unless a link locked them).
        self.controls = replace(self.controls, zero_logits=self.locked.get("zero_logits", False))

    def _apply_controls(self, raw_controls: dict | None) -> dict:
        """{"reset": true} first, then the fields sent with it: a value typed after pressing
        Reset, sent in the same update, is applied, not lost."""
        fields = dict(raw_controls or {})
        if fields.pop("reset", False):
            self.controls, self.errors = replace(lab.Controls(), **self.locked), {}
        for field in self.locked.keys() & fields.keys():
            del fields[field]
            self.errors[field] = self._locked_text(field)
        if fields:
            self.controls, errors = lab.apply_control_text(self.controls, fields)
            for field in fields:
                self.errors.pop(field, None)
            self.errors.update(errors)
        return self.view()

    def lock(self, fields: list[str]) -> dict:
        """Fix these control fields (lab.Controls names) at the values in force now, for the
        rest of the visit: a teacher's `?lock=` (py/lab/teacher_link.py)."""
        for field in fields:
            if field not in lab.Controls.__dataclass_fields__:
                raise ValueError(f"no lab control is called {field!r}")
            self.locked[field] = getattr(self.controls, field)
        return self.view()

    def _locked_text(self, field: str) -> str:
        value = self.locked[field]
        if field in lab.SYMBOLS:
            shown = f"{lab.SYMBOLS[field]} = {lab.shown_number(value)}"
        elif field == "label" and value is None:
            shown = catalogue.t("lab.locked.label_none")
        elif field == "label":
            shown = catalogue.t("lab.locked.label", digit=value)
        elif value:
            shown = catalogue.t("lab.locked.zero_on")
        else:
            shown = catalogue.t("lab.locked.zero_off")
        return catalogue.t("lab.locked.text", shown=shown)

    def show_image(self, image: np.ndarray, kind: str) -> dict:
        """Put an input (784,) made here (a nudged drawing, or the drawing back) in the lab;
        `kind` says which, for the page. Returns the lab view."""
        self._set_input(image, None, kind)
        return self.view()

    def draw(self, rgba: np.ndarray) -> dict:
        return self.update(rgba, None)

    def set_controls(self, raw: dict) -> dict:
        return self.update(None, raw)

    def weights_changed(self, weights_id: str, learned: int) -> None:
        """The network's weights were changed in place (taught, undone, forgotten, restored):
        record which are in force and rescore the drawing with them."""
        self.weights_id, self.learned = weights_id, learned
        if self.image is not None:
            self.logits = self.network.logits(self.image)

    def lab_view(self) -> dict:
        """The lab panel's numbers alone (py/lab/lab.py's `lab_view`), e.g. before and after a
        predicted change."""
        return lab.lab_view(self.logits, self.controls)

    def view(self) -> dict:
        lab_view = self.lab_view()
        if lab_view["empty"]:
            lab_view["no_digit"] = self.no_digit or EMPTY
        return {
            "lab": lab_view,
            # Judged on the network's own logits, whatever the controls do to them afterwards.
            "novelty": None
            if self.logits is None
            else {
                "score": novelty.score(self.logits),
                "not_a_digit": novelty.is_not_a_digit(self.logits),
                "threshold": novelty.THRESHOLD,
            },
            "learned": self.learned,
            "weights_id": self.weights_id,
            "image": None if self.image is None else np.round(self.image.astype(float), 3).tolist(),
            "controls": asdict(self.controls),
            # The value in force as plain text (a link's: it reads back as the same float), and as
            # a person reads it in the fields ("0,5" in German).
            "controls_text": {f: lab.format_number(getattr(self.controls, f)) for f in lab.SYMBOLS},
            "controls_shown": {f: lab.shown_number(getattr(self.controls, f)) for f in lab.SYMBOLS},
            "errors": dict(self.errors),
            # Controls a teacher's link locked, each with the reason the page shows.
            "locked": {field: self._locked_text(field) for field in self.locked},
            "input": self.input,
            # The chip beside the guess, for the built-in softmax and for the learner's (the
            # page knows only after their Python answered which one the lab shows).
            "pad_in_force": {
                mine: lab.pad_in_force(
                    self.controls, self.learned, mine == "mine", self.input == "nudged"
                )
                for mine in ("builtin", "mine")
            },
        }

    def time_pipeline(self, rgba: np.ndarray, repeats: int = 200) -> dict:
        """Mean milliseconds of preprocess and of the forward pass (for the benchmarks)."""
        start = time.perf_counter()
        for _ in range(repeats):
            image = preprocess(rgba)
        middle = time.perf_counter()
        for _ in range(repeats):
            self.network.logits(image)
        end = time.perf_counter()
        return {
            "preprocess_ms": 1e3 * (middle - start) / repeats,
            "forward_ms": 1e3 * (end - middle) / repeats,
        }
