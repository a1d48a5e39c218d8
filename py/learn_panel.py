"""What runs when Learn, Undo or Forget is pressed, or saved learning is restored.

LearnPanel teaches the lab's drawing and true digit (py/lab_state.py) to the trainable head
(py/model/head_trainer.py), refuses with a message what cannot be taught, and hands back the lab
view rescored with the new weights. Its messages are in the language shown (py/lab/catalogue.py).
"""

from __future__ import annotations

import numpy as np

import catalogue
from digit_sets import DigitSetError, load_digit_set
from head_trainer import MAX_STEPS, HeadTrainer, fingerprint
from lab_state import SHIPPED, LabState

# A network file holds one small layer (a few kB); anything far bigger is not one, and is
# refused before it is read.
MAX_NETWORK_BYTES = 1_000_000


def grouped(n: int) -> str:
    """A whole number with the language's thousands separator: "1,000,000" ("1.000.000")."""
    return f"{n:,}".replace(",", catalogue.t("lab.number.thousands"))


class LearnPanel:
    """The Learn panel's side in Python: the HeadTrainer of the lab's network, made on the first
    call; every answer that may follow a change of weights carries the rescored lab view."""

    def __init__(self, lab: LabState):
        self.lab = lab
        self.trainer = HeadTrainer(lab.network)
        # The drawing last taught and how many presses in a row taught it: pressing Learn again
        # on one drawing teaches it again (it counts as one more example), and the page says so.
        self._last_taught: np.ndarray | None = None
        self._times = 0

    def _after_change(self, **extra) -> dict:
        """After the weights may have changed: the weights id, the drawing rescored, the lab
        view, the text to save."""
        trainer = self.trainer
        # Nothing taught means the shipped values exactly (Forget puts back the shipped arrays,
        # Undo the ones of before the press): one id for them however they came back.
        weights_id = SHIPPED if trainer.examples == 0 else fingerprint(self.lab.network.params)
        self.lab.weights_changed(weights_id, trainer.examples)
        return {"view": self.lab.view(), "saved": trainer.saved(), **extra}

    def restore(self, saved: str | None) -> dict:
        """Saved learning from the browser's storage (None: none); a notice if unusable."""
        notice = self.trainer.restore(saved)
        return self._after_change(notice=notice)

    def start(self, replay: bytes, check: bytes) -> dict:
        """The replay and check digit files' bytes; {"error": why} when one is unusable."""
        try:
            replay_set = load_digit_set(replay, "mnist-replay")
            check_set = load_digit_set(check, "mnist-test")
        except DigitSetError as err:
            return {"error": str(err)}
        self.trainer.attach(replay_set, check_set)
        return {"error": None}

    def learn(self, steps: int) -> dict:
        """`steps` steps of gradient descent on the drawing and the chosen true digit; every
        step's figures under "result", or {"error": why} when there is nothing to learn."""
        if self.lab.image is None:
            return {"error": catalogue.t("lab.learn.no_drawing")}
        if self.lab.controls.label is None:
            return {"error": catalogue.t("lab.learn.no_label")}
        if not (type(steps) is int and 1 <= steps <= MAX_STEPS):  # not bool, not float
            return {"error": catalogue.t("lab.learn.steps", max=MAX_STEPS)}
        if not self.trainer.ready:
            return {"error": catalogue.t("lab.learn.not_ready")}
        image, label = self.lab.image, self.lab.controls.label
        result = self.trainer.learn(image, label, steps)
        same = self._last_taught is not None and np.array_equal(self._last_taught, image)
        self._times = self._times + 1 if same else 1
        self._last_taught = image.copy()
        status = taught_status(label, steps, self._times)
        return self._after_change(result=result, status=status, error=None)

    def undo(self) -> dict:
        self._last_taught, self._times = None, 0
        return self._after_change(undone=self.trainer.undo())

    def network_file(self) -> dict:
        """The taught head as a network file's text (the saved format); None when nothing was
        taught."""
        return {"text": self.trainer.saved()}

    def load_network(self, data: bytes, size: int) -> dict:
        """A network file the learner chose: its first bytes and its full size. Checked exactly
        as saved learning is (HeadTrainer.apply); unusable: {"notice": why}, nothing changed."""
        if size > MAX_NETWORK_BYTES:
            return {
                "notice": catalogue.t(
                    "lab.file.too_large", size=grouped(size), limit=grouped(MAX_NETWORK_BYTES)
                )
            }
        try:
            examples = self.trainer.apply(data.decode("utf-8"))
        except UnicodeDecodeError:
            return {"notice": catalogue.t("lab.file.not_text")}
        except ValueError as err:
            return {"notice": catalogue.t("lab.file.unusable", why=err)}
        if examples == 1:
            loaded = catalogue.t("lab.file.loaded_one", n=examples)
        else:
            loaded = catalogue.t("lab.file.loaded_many", n=examples)
        return self._after_change(notice=None, loaded=loaded)

    def forget(self) -> dict:
        self._last_taught, self._times = None, 0
        self.trainer.forget()
        return self._after_change()


def taught_status(label: int, steps: int, times: int) -> str:
    """What Learn says once a press has finished: the label, and whether the same drawing was
    taught before (every press counts as one example, however often it is the same drawing)."""
    if steps == 1:
        text = catalogue.t("lab.learn.taught_one", label=label, steps=steps)
    else:
        text = catalogue.t("lab.learn.taught_many", label=label, steps=steps)
    if times > 1:
        text += " " + catalogue.t("lab.learn.same_drawing", times=times)
    return text
