"""The page's network on a shipped set of held-out digits: calibration and the worst mistakes.

HeldOutRun scores the digits a chunk at a time (step()), so the browser worker can answer lab
updates between chunks; report() then gives the calibration panel everything it shows, as
plain JSON-ready values. The digits are split in two fixed halves: T* is fitted on one, and ECE
and NLL before and after are measured on the other, which the fit never saw. The panel's calls
(py/calibration_panel.py) run it on a copy of the lab's weights in force.

numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import math

import numpy as np

import calibration
from digit_sets import DigitSet
from prob_text import Shown
from softmax import log_softmax

CHUNK = 100  # digits per step: ~10 MB of im2col columns, a fraction of a second in Pyodide
MISTAKES = 12  # digits in the gallery


def split_halves(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(fit, evaluate) positions: even and odd. A set sorted by label gives balanced halves."""
    positions = np.arange(n)
    return positions[0::2], positions[1::2]


def worst_mistakes(logits: np.ndarray, labels: np.ndarray, count: int = MISTAKES) -> np.ndarray:
    """Positions of the wrongly predicted digits with the highest cross-entropy -log p_y, highest
    first (ties by position): (N, K), (N,) -> (<= count,)."""
    loss = -log_softmax(logits)[np.arange(len(labels)), labels]  # (N,)
    wrong = np.flatnonzero(logits.argmax(axis=1) != labels)
    order = np.lexsort((wrong, -loss[wrong]))  # by loss descending, then position
    return wrong[order][:count]


def _or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _bins(bins: dict) -> list[dict]:
    edges = bins["edges"]
    return [
        {
            "lower": float(edges[b]),
            "upper": float(edges[b + 1]),
            "count": int(bins["count"][b]),
            "confidence": _or_none(bins["confidence"][b]),  # None for an empty bin
            "accuracy": _or_none(bins["accuracy"][b]),
        }
        for b in range(len(edges) - 1)
    ]


def _summary(logits: np.ndarray, labels: np.ndarray, temperature: float) -> dict:
    s = calibration.summary(logits, labels, temperature)
    return {**s, "bins": _bins(s["bins"])}


class HeldOutRun:
    """Scores `digits` with `network` in chunks, then reports calibration and mistakes."""

    def __init__(self, digits: DigitSet, network, chunk: int = CHUNK):
        self.digits = digits
        self.network = network
        self.chunk = chunk
        self.logits = np.zeros((len(digits), 10))  # (N, 10), filled by step()
        self.scored = 0
        self._report: dict | None = None

    @property
    def done(self) -> bool:
        return self.scored == len(self.digits)

    def step(self) -> dict:
        """Score the next chunk; returns the progress {"scored": n, "total": N}."""
        if not self.done:
            rows = slice(self.scored, min(self.scored + self.chunk, len(self.digits)))
            self.logits[rows] = self.network.logits(self.digits.inputs(rows))  # (n, 784) -> (n, 10)
            self.scored = rows.stop
        return {"scored": self.scored, "total": len(self.digits)}

    def report(self) -> dict:
        """Everything the calibration panel shows (once every digit is scored)."""
        if not self.done:
            raise RuntimeError(f"only {self.scored} of {len(self.digits)} digits are scored")
        if self._report is None:
            self._report = self._compute()
        return self._report

    def _compute(self) -> dict:
        z, y = self.logits, self.digits.labels
        fit, held = split_halves(len(y))
        t = calibration.fit_temperature(z[fit], y[fit])
        changed = int(np.sum(z[held].argmax(axis=1) != (z[held] / t).argmax(axis=1)))
        return {
            "source": self.digits.source,
            "total": len(y),
            "fit_count": len(fit),
            "eval_count": len(held),
            "accuracy": float(np.mean(z.argmax(axis=1) == y)),
            "temperature": t,
            "alpha": 1 / t,
            "before": _summary(z[held], y[held], 1.0),
            "after": _summary(z[held], y[held], t),
            "fit_nll_before": calibration.nll(z[fit], y[fit]),
            "fit_nll_after": calibration.nll(z[fit], y[fit], t),
            "predictions_changed": changed,  # 0: dividing by T > 0 keeps every argmax
            "mistakes": [self._mistake(int(i)) for i in worst_mistakes(z, y)],
            "error_count": int(np.sum(z.argmax(axis=1) != y)),
            **self._confusion(),
        }

    def _confusion(self) -> dict:
        """The 10x10 confusion matrix on every digit (rows: true, columns: read), each class's
        accuracy, and every wrongly read digit (a cell lists its digits)."""
        read, y = self.logits.argmax(axis=1), self.digits.labels
        counts = np.zeros((10, 10), int)
        np.add.at(counts, (y, read), 1)  # (10, 10)
        per_class = counts.sum(axis=1)
        return {
            "confusion": counts.tolist(),
            "class_accuracy": [
                float(counts[k, k] / per_class[k]) if per_class[k] else None for k in range(10)
            ],
            "confused": [self._mistake(int(i)) for i in np.flatnonzero(read != y)],
        }

    def _mistake(self, i: int) -> dict:
        z = self.logits[i]
        logp = log_softmax(z)
        label, predicted = int(self.digits.labels[i]), int(z.argmax())
        return {
            "index": i,  # position in the shipped set
            "source_index": int(self.digits.indices[i]),  # e.g. the MNIST test index
            "label": label,
            "predicted": predicted,
            "confidence": float(math.exp(logp[predicted])),
            "confidence_text": Shown.from_logits(z).text(predicted),  # never "100.0 %" below 1
            "p_label": float(math.exp(logp[label])),
            "loss": float(-logp[label]),
            "pixels": self.digits.images[i].reshape(-1).tolist(),  # 784 grey levels 0..255
        }
