"""What runs when the calibration panel scores the held-out digits: one HeldOutRun at a time
(py/model/heldout.py), on a copy of the weights in force in the lab (py/lab_state.py) when it began.
"""

from __future__ import annotations

from digit_sets import DigitSetError, load_digit_set
from heldout import HeldOutRun
from lab_state import LabState
from network import Network


class CalibrationPanel:
    """The calibration panel's side in Python: one HeldOutRun at a time, of the weights that
    were in force in the lab (py/lab_state.py) when it began."""

    def __init__(self, lab: LabState):
        self.lab = lab
        self.run: HeldOutRun | None = None
        self.weights: tuple[str, int] | None = None  # (weights id, examples taught) it scores

    def start(self, data: bytes, name: str) -> dict:
        """Load a shipped digit set to score with a copy of the weights in force now; learning
        while the run goes on changes the lab, never this run's numbers. {"error": why} when
        the file is unusable."""
        try:
            digits = load_digit_set(data, name)
        except DigitSetError as err:
            return {"error": str(err)}
        snapshot = Network({key: a.copy() for key, a in self.lab.network.params.items()})
        self.run = HeldOutRun(digits, snapshot)
        self.weights = (self.lab.weights_id, self.lab.learned)
        return {"scored": 0, "total": len(digits)}

    def step(self) -> dict:
        """Score the next chunk of held-out digits; the report comes with the last chunk,
        saying which weights it is for ("weights_id", "learned": as in the view when it began)."""
        if self.run is None:
            raise ValueError("no digit set loaded: call calibration_start first")
        progress = self.run.step()
        if self.run.done:
            weights, examples = self.weights
            progress["report"] = {**self.run.report(), "weights_id": weights, "learned": examples}
        return progress
