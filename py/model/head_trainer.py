"""Teaching the network in the page ("Learn this digit"): the trainable head.

HeadTrainer runs gradient descent on cross-entropy for one drawing and its true digit. Each step
moves the dense head's weights against the gradient of

    loss = DRAWING_SHARE * CE(drawing, y) + (1 - DRAWING_SHARE) * mean CE(replay digits)

where the replay digits are REPLAY_PER_STEP shipped MNIST training digits drawn afresh each
step: without them, learning one 7 would pull the head towards answering 7 for everything.
Everything below the learning layer stays frozen (the features of the replay and check digits
are computed once), so a step is a few small matrix products. The backward pass is
network.head_loss_and_grads, the one scripts/model/train.py uses too. The layers, the step size and
the drawing's share were chosen by measurement: `python scripts/model/eval_learn.py --compare`
(figures in docs/network.md).

What was taught survives a reload as a versioned JSON text (`saved()` / `restore()`); anything
unusable in it is discarded with a notice (in the language shown, py/lab/catalogue.py), never an
exception. `forget()` puts back the shipped
arrays themselves, so the logits equal a fresh load's bit for bit.

The Learn panel's calls (py/learn_panel.py) drive it with the lab's drawing and true digit.

numpy only: this module runs in the browser under Pyodide.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time

import numpy as np

import catalogue
from digit_sets import DigitSet
from network import DTYPE, SHAPES, Network, features, head, head_loss_and_grads
from softmax import log_softmax, softmax

# Only the last layer learns: on a misread style it fixed as much as the whole dense head, for
# the smallest cost to the check digits (scripts/model/eval_learn.py --compare), and its gradient is
# the page's own lesson: d loss / d dense2_w = h (the 128 hidden activations) times (p - y).
LAYERS = ("dense2",)
LEARNED = tuple(f"{layer}_{kind}" for layer in LAYERS for kind in "wb")
STEP_SIZE = 0.02  # plain gradient descent, no momentum: each step is exactly "minus lr times p - y"
REPLAY_PER_STEP = 32
DRAWING_SHARE = 0.1  # of each step's loss: the learner's drawing; the rest is replay
MAX_STEPS = 50
# Digits per features() call when attaching. One digit's im2col columns and activations take
# ~0.45 MB at once, and a browser worker's wasm memory never shrinks: the 1,000 check digits in
# one call grew it from ~42 MB to ~470 MB for the rest of the visit (enough for a phone to kill
# the tab). 50 at a time costs ~25 MB (CPython's peak: 409 MB at once, 45 MB by 100, 25 MB by
# 50) and gives the same features bit for bit (each digit's features depend on that digit alone;
# tests/test_head_trainer.py checks it); the per-call overhead is negligible beside the maths.
FEATURE_CHUNK = 50
FORMAT, VERSION = "softmax-digits/learned", 1


class HeadTrainer:
    """The head's weights over a session: the shipped copy, what was taught, one undo."""

    def __init__(self, network: Network, seed: int = 0):
        self.network = network
        self.shipped = {name: network.params[name].copy() for name in LEARNED}
        self.fingerprint = fingerprint(self.shipped)
        self.examples = 0  # drawings taught since the shipped weights
        self.before_last: tuple[dict, int] | None = None  # for undo
        self.rng = np.random.default_rng(seed)
        self.replay: tuple[np.ndarray, np.ndarray] | None = None  # (features, labels)
        self.check: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def ready(self) -> bool:
        return self.replay is not None

    def attach(self, replay: DigitSet, check: DigitSet) -> None:
        """Compute, once, the frozen convolutions' features of the replay and check digits."""
        params = self.network.params
        self.replay = (chunked_features(params, replay), replay.labels)  # (R, 16*C2), (R,)
        self.check = (chunked_features(params, check), check.labels)

    def check_accuracy(self) -> float:
        x, y = self.check
        return float((head(self.network.params, x).argmax(axis=1) == y).mean())

    def learn(self, image: np.ndarray, label: int, steps: int, step_size=STEP_SIZE) -> dict:
        """`steps` steps on the drawing `image` (784,) with true digit `label`; what each did."""
        if not self.ready:
            raise ValueError("no replay digits yet: call attach first")
        if not 1 <= steps <= MAX_STEPS:
            raise ValueError(f"steps must be 1..{MAX_STEPS}, got {steps}")
        params = self.network.params
        self.before_last = ({n: params[n].copy() for n in LEARNED}, self.examples)
        drawing = features(params, np.asarray(image, DTYPE).reshape(1, 784))  # (1, 16*C2)
        replay_x, replay_y = self.replay
        target = np.empty(1 + REPLAY_PER_STEP, np.int64)
        target[0] = label
        weights = np.full(1 + REPLAY_PER_STEP, (1 - DRAWING_SHARE) / REPLAY_PER_STEP)
        weights[0] = DRAWING_SHARE
        check_before = self.check_accuracy()
        start = time.perf_counter()
        record = [_state(params, drawing, label)]
        for _ in range(steps):
            pick = self.rng.choice(len(replay_y), size=REPLAY_PER_STEP, replace=False)
            batch = np.concatenate([drawing, replay_x[pick]])
            target[1:] = replay_y[pick]
            _, grads = head_loss_and_grads(params, batch, target, LAYERS, weights)
            for name in LEARNED:
                params[name] = params[name] - DTYPE(step_size) * grads[name]
            record.append(_state(params, drawing, label))
        seconds = time.perf_counter() - start
        self.examples += 1
        return {
            "label": label,
            "steps": record,
            "loss_before": record[0]["loss"],
            "loss_after": record[-1]["loss"],
            "check_before": check_before,
            "check_after": self.check_accuracy(),
            "check_count": len(self.check[1]),
            "step_ms": 1e3 * seconds / steps,  # for scripts/bench/bench_learn.py
        }

    def undo(self) -> bool:
        """Back to the weights before the last press; False when there is nothing to undo."""
        if self.before_last is None:
            return False
        arrays, self.examples = self.before_last
        self.network.params.update(arrays)
        self.before_last = None
        return True

    def forget(self) -> None:
        """The shipped weights again, the very arrays: logits equal a fresh load's exactly."""
        self.network.params.update({n: a.copy() for n, a in self.shipped.items()})
        self.examples, self.before_last = 0, None

    def saved(self) -> str | None:
        """What was taught, as text for the browser's storage; None when nothing was."""
        if self.examples == 0:
            return None
        arrays = {
            name: base64.b64encode(
                np.ascontiguousarray(self.network.params[name]).tobytes()
            ).decode("ascii")
            for name in LEARNED
        }
        return json.dumps(
            {
                "format": FORMAT,
                "version": VERSION,
                "shipped": self.fingerprint,
                "examples": self.examples,
                "arrays": arrays,
            }
        )

    def restore(self, text: str | None) -> str | None:
        """Apply saved learning; returns a notice when it was unusable (and nothing changed)."""
        if text is None:
            return None
        try:
            self.apply(text)
        except ValueError as err:
            return catalogue.t("lab.saved.unusable", why=err)
        self.before_last = None
        return None

    def apply(self, text: str) -> int:
        """Put in force the weights of a text in the saved format (from storage or a network
        file); returns its examples count. ValueError saying why it is unusable, and then
        nothing changed. Undo goes back to the weights of before."""
        examples, arrays = self._parse(text)
        before = ({name: self.network.params[name].copy() for name in LEARNED}, self.examples)
        self.network.params.update(arrays)
        self.examples, self.before_last = examples, before
        return examples

    def _parse(self, text: str) -> tuple[int, dict[str, np.ndarray]]:
        t = catalogue.t
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, TypeError) as err:
            raise ValueError(t("lab.saved.not_json")) from err
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(t("lab.saved.not_ours"))
        if data.get("version") != VERSION:
            raise ValueError(
                t("lab.saved.version", version=repr(data.get("version")), expected=VERSION)
            )
        if data.get("shipped") != self.fingerprint:
            raise ValueError(t("lab.saved.other_weights"))
        examples = data.get("examples")
        if type(examples) is not int or examples < 1:  # not True, not 2.0
            raise ValueError(t("lab.saved.examples", got=repr(examples)))
        stored = data.get("arrays")
        if not isinstance(stored, dict):
            raise ValueError(t("lab.saved.no_arrays", names=", ".join(LEARNED)))
        missing = [name for name in LEARNED if name not in stored]
        if len(missing) == 1:
            raise ValueError(t("lab.saved.missing_one", name=missing[0]))
        if missing:
            names = t("lab.list.and", rest=", ".join(missing[:-1]), last=missing[-1])
            raise ValueError(t("lab.saved.missing_many", names=names))
        extra = sorted(set(stored) - set(LEARNED))
        if extra:
            raise ValueError(t("lab.saved.extra", names=", ".join(extra)))
        arrays = {}
        for name in LEARNED:
            arrays[name] = _decode(name, stored[name])
        return examples, arrays


def _decode(name: str, text) -> np.ndarray:
    shape = SHAPES[name]
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError) as err:
        raise ValueError(catalogue.t("lab.saved.not_base64", name=name)) from err
    size = int(np.prod(shape)) * np.dtype(DTYPE).itemsize
    if len(raw) != size:
        raise ValueError(
            catalogue.t("lab.saved.shape", name=name, got=len(raw), size=size, shape=shape)
        )
    array = np.frombuffer(raw, DTYPE).reshape(shape).copy()
    bad = int(np.count_nonzero(~np.isfinite(array)))
    if bad == 1:
        raise ValueError(catalogue.t("lab.saved.nan_one", name=name, n=bad))
    if bad:
        raise ValueError(catalogue.t("lab.saved.nan_many", name=name, n=bad))
    return array


def chunked_features(
    params: dict[str, np.ndarray], digits: DigitSet, chunk: int = FEATURE_CHUNK
) -> np.ndarray:
    """features() of every digit in the set, `chunk` digits at a time: (N, 16*C2) float32."""
    out = np.empty((len(digits), SHAPES["dense1_w"][0]), DTYPE)  # (N, 16*C2)
    for start in range(0, len(digits), chunk):
        rows = slice(start, start + chunk)
        out[rows] = features(params, digits.inputs(rows))  # (chunk, 784) -> (chunk, 16*C2)
    return out


def fingerprint(arrays: dict[str, np.ndarray]) -> str:
    """Short hash of the shipped arrays: saved learning only applies to the weights it came from."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return digest.hexdigest()[:16]


def _state(params: dict, drawing: np.ndarray, label: int) -> dict:
    """The drawing's logits, probabilities, p - y and loss under `params` (JSON-ready)."""
    logits = head(params, drawing)[0].astype(np.float64)  # (1, 16*C2) -> (10,)
    probs = softmax(logits)
    grad = probs.copy()
    grad[label] -= 1  # p - y
    return {
        "loss": max(0.0, float(-log_softmax(logits)[label])),  # never a rounded -0.0
        "logits": logits.tolist(),
        "probs": probs.tolist(),
        "grad": grad.tolist(),
        "p_y": float(probs[label]),
    }
