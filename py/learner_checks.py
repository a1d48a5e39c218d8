"""The learner's own softmax: run it, check it against the lesson's claims, compute the lab with it.

Runs in a second Pyodide of its own (assets/js/sandbox-worker.js) that the page terminates and
restarts when the learner's code runs too long: the lab's Python never runs learner code. Plain
standard library + numpy + py/ modules, so it is tested under CPython against the same
reference functions (py/softmax.py) the lab uses.

Every function that returns to the page returns plain JSON-ready dicts; the *_json functions
are the sandbox's whole interface (strings in, strings out).
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import linecache
import math
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import lab
from softmax import cross_entropy, softmax

SOURCE = "<your code>"  # the file name of the learner's code in tracebacks
K = lab.K
ATOL = 1e-9  # how close "equal" is in the checks (float64 rounding is ~1e-16)
LAB_SUM_TOL = 1e-6  # in the lab, probabilities must sum to 1 within this to be used
FD_STEP, FD_TOL = 1e-5, 1e-6  # central finite differences of the cross-entropy
STDOUT_LIMIT = 4000  # characters of print() output kept
TRACEBACK_FRAMES = 8  # deeper tracebacks (runaway recursion) keep their first and last frames

# Logit vectors the checks use: fixed, readable (two decimals), each with a single largest entry.
_rng = np.random.default_rng(13)
CASES = [np.arange(K) * 0.5 - 2.0] + [np.round(_rng.normal(0.0, 3.0, K), 2) for _ in range(3)]
LARGE = [
    np.array([1000.0] + [0.0] * (K - 1)),
    np.full(K, -1000.0),
    np.array([1000.0, 999.0, -1000.0] + [0.0] * (K - 3)),
]
SHIFTS = (-10.0, 3.5, 100.0)
SCALES = (0.1, 2.0, 25.0)
GRAD_CASES = ((CASES[0], 3), (CASES[1], 0), (CASES[2], K - 1))

CONTROL_FIELDS = tuple(f.name for f in dataclasses.fields(lab.Controls))

TITLES = {
    "distribution": "Probabilities are non-negative and sum to 1",
    "shift": "Shift invariance: softmax(z + c) = softmax(z)",
    "scale": "Scaling by α > 0 keeps the argmax",
    "uniform": "All-zero logits give 1/K each",
    "large": "Large logits (±1000) give finite, correct results",
    "batch": "A batch (N, K) works along the last axis",
    "gradient": "cross_entropy_grad matches finite differences",
}
OVERFLOW_HINT = (
    ". e^1000 overflows float64 to inf, and inf / inf is nan. Shift invariance is the cure: "
    "softmax(z) = softmax(z − max z), whose largest exponential is e^0 = 1."
)
BATCH_HINT = (
    ". Sum along the last axis and keep it for broadcasting: e.sum(axis=-1, keepdims=True) "
    "(and the same for the max)."
)


class LearnerError(Exception):
    """A learner's function raised, or returned something that is not the answer asked for.
    `summary` is one line for a counter-example; `traceback` the learner's frames ('' if none)."""

    def __init__(self, summary: str, traceback_text: str = "", raised: str = ""):
        super().__init__(summary)
        self.summary = summary
        self.traceback = traceback_text
        self.raised = raised  # the name of the exception the learner's code raised, if any


@dataclass
class Loaded:
    """The learner's code after running it: its namespace, or the error that stopped it."""

    code: str
    namespace: dict | None
    error: str = ""  # the learner's traceback (compile or run error), '' when it ran
    stdout: list[str] = field(default_factory=list)

    def function(self, name: str) -> Callable | None:
        value = (self.namespace or {}).get(name)
        return value if callable(value) else None


# --- Formatting -------------------------------------------------------------------------------


def fmt_number(x: float) -> str:
    return f"{float(x):.6g}"


def fmt(a) -> str:
    """A short, exact-enough rendering of an array: [1000, 0, nan, ...], rows for 2-D."""
    a = np.asarray(a)
    if a.ndim == 0:
        return fmt_number(a)
    if a.ndim == 1:
        items = [fmt_number(x) for x in a[:12]]
        return "[" + ", ".join(items) + (", …" if a.size > 12 else "") + "]"
    return "[" + ", ".join(fmt(row) for row in a[:6]) + (", …" if len(a) > 6 else "") + "]"


def learner_traceback(err: BaseException) -> str:
    """The traceback of an exception with only the frames of the learner's code (their line
    numbers, their source lines), never the page's."""
    if isinstance(err, SyntaxError) and err.filename == SOURCE:
        lines = traceback.format_exception_only(type(err), err)
        return "".join(lines).replace(f'File "{SOURCE}", ', "").rstrip()
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == SOURCE]
    if len(frames) > TRACEBACK_FRAMES:
        hidden = len(frames) - 6
        frames = frames[:3] + [f"  ... {hidden} more calls in your code ..."] + frames[-3:]
    lines = ["Traceback (your code):"]
    for frame in frames:
        if isinstance(frame, str):
            lines.append(frame)
            continue
        lines.append(f"  line {frame.lineno}, in {frame.name}")
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append("".join(traceback.format_exception_only(type(err), err)).rstrip())
    return "\n".join(lines)


# --- Running the learner's code ---------------------------------------------------------------


class _Capped(io.StringIO):
    def __init__(self, sink: list[str]):
        super().__init__()
        self.sink = sink

    def write(self, text: str) -> int:
        used = sum(map(len, self.sink))
        if used < STDOUT_LIMIT:
            self.sink.append(text[: STDOUT_LIMIT - used])
        return len(text)


def load(code: str) -> Loaded:
    """Compile and run the learner's code in a fresh namespace; print() output is kept."""
    # Tracebacks read source lines through linecache: give it the learner's text.
    linecache.cache[SOURCE] = (len(code), None, code.splitlines(True), SOURCE)
    loaded = Loaded(code, None)
    try:
        compiled = compile(code, SOURCE, "exec")
    except SyntaxError as err:
        loaded.error = learner_traceback(err)
        return loaded
    namespace: dict = {"__name__": "learner"}
    try:
        with contextlib.redirect_stdout(_Capped(loaded.stdout)), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compiled, namespace)  # noqa: S102 - running the learner's code is the point
    except BaseException as err:  # noqa: BLE001 - SystemExit too: report, never stop the sandbox
        loaded.error = learner_traceback(err)
        return loaded
    loaded.namespace = namespace
    return loaded


def call(loaded: Loaded, name: str, *args, shown: str | None = None):
    """Call the learner's function `name` on copies of `args` (their code may change its input
    in place). Returns (result, numpy warnings); raises LearnerError when it raises."""
    fn = loaded.function(name)
    if fn is None:
        raise LearnerError(f"your code defines no function {name}()")
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    try:
        with (
            contextlib.redirect_stdout(_Capped(loaded.stdout)),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("always")
            result = fn(*args)
    except BaseException as err:  # noqa: BLE001
        described = shown or f"{name}(…)"
        summary = f"{described} raised {type(err).__name__}: {err}"
        raise LearnerError(summary, learner_traceback(err), type(err).__name__) from None
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    return result, messages


def as_floats(result, described: str) -> np.ndarray:
    try:
        array = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        shown = repr(result)[:80]
        raise LearnerError(f"{described} returned {shown}, not an array of numbers") from None
    return array


def _warned(messages: list[str]) -> str:
    return f" (numpy warned: {'; '.join(messages)})" if messages else ""


def learner_softmax(loaded: Loaded, z: np.ndarray, label: str = "") -> tuple[np.ndarray, str]:
    """The learner's softmax(z) as float64, and a note of any numpy warnings. `label` names
    the argument in messages (default: its values)."""
    described = f"softmax({label or fmt(z)})"
    result, messages = call(loaded, "softmax", z, shown=described)
    return as_floats(result, described), _warned(messages)


# --- The checks -------------------------------------------------------------------------------


def _distribution_problem(p: np.ndarray, shape: tuple, tol: float = ATOL) -> str:
    if p.shape != shape:
        return f"shape {p.shape}, expected {shape}"
    if not np.all(np.isfinite(p)):
        return "values that are not finite numbers"
    if np.any(p < 0):
        k = int(np.argmin(p))
        return f"a negative probability p[{k}] = {fmt_number(p[k])}"
    total = float(p.sum(axis=-1).max() if p.ndim > 1 else p.sum())
    if abs(total - 1.0) > tol:
        return f"probabilities summing to {fmt_number(total)}, not 1"
    return ""


def check_distribution(loaded: Loaded) -> str:
    for z in CASES:
        p, warned = learner_softmax(loaded, z)
        problem = _distribution_problem(p, z.shape)
        if problem:
            return f"softmax({fmt(z)}) returned {fmt(p)}: {problem}{warned}"
    return ""


def check_shift(loaded: Loaded) -> str:
    for z in CASES[:3]:
        p, _ = learner_softmax(loaded, z)
        for c in SHIFTS:
            q, warned = learner_softmax(loaded, z + c, label=f"z + {fmt_number(c)}")
            if q.shape != p.shape or not np.allclose(q, p, rtol=0, atol=ATOL, equal_nan=False):
                return (
                    f"with z = {fmt(z)} and c = {fmt_number(c)}: softmax(z + c) = {fmt(q)} "
                    f"but softmax(z) = {fmt(p)}{warned}"
                )
    return ""


def check_scale(loaded: Loaded) -> str:
    for z in CASES:
        for alpha in SCALES:
            p, warned = learner_softmax(loaded, alpha * z, label=f"{fmt_number(alpha)}·z")
            if p.shape != z.shape or not np.all(np.isfinite(p)):
                return f"softmax({fmt_number(alpha)}·z) returned {fmt(p)} for z = {fmt(z)}{warned}"
            if int(np.argmax(p)) != int(np.argmax(z)):
                return (
                    f"z = {fmt(z)} has its largest logit at {int(np.argmax(z))}, but "
                    f"softmax({fmt_number(alpha)}·z) = {fmt(p)} is largest at {int(np.argmax(p))}"
                )
    return ""


def check_uniform(loaded: Loaded) -> str:
    for k in (K, 3):
        z = np.zeros(k)
        p, warned = learner_softmax(loaded, z)
        if p.shape != z.shape or not np.allclose(p, 1.0 / k, rtol=0, atol=1e-12):
            hint = ". Use the length of z, not a fixed 10." if k != K else ""
            return f"softmax({fmt(z)}) returned {fmt(p)}; expected 1/{k} each{warned}{hint}"
    return ""


def check_large(loaded: Loaded) -> str:
    for z in LARGE:
        p, warned = learner_softmax(loaded, z)
        expected = softmax(z)
        finite = p.shape == z.shape and bool(np.all(np.isfinite(p)))
        if not finite or not np.allclose(p, expected, rtol=0, atol=ATOL):
            hint = OVERFLOW_HINT if not finite else ""
            return f"softmax({fmt(z)}) returned {fmt(p)}; expected {fmt(expected)}{warned}{hint}"
    return ""


def check_batch(loaded: Loaded) -> str:
    batch = np.stack(CASES)
    described = f"softmax(Z) for a batch Z of shape {batch.shape}"
    result, messages = call(loaded, "softmax", batch, shown=described)
    p = as_floats(result, described)
    if p.shape != batch.shape:
        return f"{described} returned shape {p.shape}; expected {batch.shape}{_warned(messages)}"
    for i, z in enumerate(batch):
        row, warned = learner_softmax(loaded, z, label=f"Z[{i}]")
        if row.shape != z.shape or not np.allclose(p[i], row, rtol=0, atol=ATOL):
            return (
                f"row {i} of softmax(Z) is {fmt(p[i])} (sums to {fmt_number(p[i].sum())}), but "
                f"softmax(Z[{i}]) = {fmt(row)}{warned}{BATCH_HINT}"
            )
    return ""


def finite_difference_grad(z: np.ndarray, label: int) -> np.ndarray:
    """d(cross-entropy)/dz by central differences of the reference loss."""
    grad = np.empty_like(z)
    for k in range(z.size):
        step = np.zeros_like(z)
        step[k] = FD_STEP
        grad[k] = (cross_entropy(z + step, label) - cross_entropy(z - step, label)) / (2 * FD_STEP)
    return grad


def check_gradient(loaded: Loaded) -> str:
    if loaded.function("cross_entropy_grad") is None:
        return "your code defines no function cross_entropy_grad(z, label)"
    for z, label in GRAD_CASES:
        described = f"cross_entropy_grad({fmt(z)}, {label})"
        try:
            result, warned = call(loaded, "cross_entropy_grad", z, label, shown=described)
        except LearnerError as err:
            if err.raised == "NotImplementedError":
                return "not written yet: cross_entropy_grad raises NotImplementedError"
            raise
        g = as_floats(result, described)
        fd = finite_difference_grad(z, label)
        if g.shape != z.shape or not np.allclose(g, fd, rtol=0, atol=FD_TOL):
            return f"{described} returned {fmt(g)}; finite differences give {fmt(fd)}" + _warned(
                warned
            )
    return ""


CHECKS = {
    "distribution": check_distribution,
    "shift": check_shift,
    "scale": check_scale,
    "uniform": check_uniform,
    "large": check_large,
    "batch": check_batch,
    "gradient": check_gradient,
}


def check_all(loaded: Loaded) -> list[dict]:
    """One result per check: {id, title, passed, detail, traceback}; detail is the
    counter-example that broke it (or what was tested), traceback the learner's frames."""
    results = []
    for check_id, check in CHECKS.items():
        tb = ""
        if loaded.namespace is None:
            detail = "your code did not run (see the error below)"
        else:
            try:
                detail = check(loaded)
            except LearnerError as err:
                detail, tb = err.summary, err.traceback
        passed = loaded.namespace is not None and detail == ""
        if passed:
            detail = "passed"
        results.append(
            {
                "id": check_id,
                "title": TITLES[check_id],
                "passed": passed,
                "detail": detail,
                "traceback": tb,
            }
        )
    return results


# --- The sandbox's state and its interface ----------------------------------------------------

CURRENT = Loaded("", None, "no code has been run yet")  # the code the lab uses ("Use my softmax")


def run_checks(code: str) -> dict:
    """Run the learner's code and every check; it becomes the code the lab uses."""
    global CURRENT
    CURRENT = load(code)
    checks = check_all(CURRENT)
    first_tb = next((c["traceback"] for c in checks if c["traceback"]), "")
    return {
        "ran": CURRENT.namespace is not None,
        "error": CURRENT.error or first_tb,
        "checks": checks,
        "passed": sum(c["passed"] for c in checks),
        "stdout": "".join(CURRENT.stdout),
    }


def use_code(code: str) -> dict:
    """Run the learner's code so the lab can use it; says what it defines."""
    global CURRENT
    CURRENT = load(code)
    return {
        "ran": CURRENT.namespace is not None,
        "error": CURRENT.error,
        "has_softmax": CURRENT.function("softmax") is not None,
        "has_grad": CURRENT.function("cross_entropy_grad") is not None,
        "stdout": "".join(CURRENT.stdout),
    }


def _lab_maths(loaded: Loaded, notes: dict[str, str]) -> lab.Maths:
    """The learner's functions, checked on every call; when the learner has not written the
    gradient or the loss, or they fail, they return None (with a note): the lab then derives
    p − y and −log p_y from the learner's own p."""

    def checked_softmax(z):
        z = np.asarray(z, dtype=np.float64)
        p, warned = learner_softmax(loaded, z, label="z′")
        problem = _distribution_problem(p, z.shape, LAB_SUM_TOL)
        if problem:
            raise LearnerError(
                f"your softmax returned {fmt(p)} for z′ = {fmt(z)}: {problem}{warned}"
            )
        return p

    def checked_grad(z, label):
        if loaded.function("cross_entropy_grad") is None:
            notes["gradient"] = "your p minus y (your code has no cross_entropy_grad)"
            return None
        try:
            result, _ = call(loaded, "cross_entropy_grad", np.asarray(z, dtype=float), label)
            g = as_floats(result, "cross_entropy_grad(z′, label)")
            if g.shape != (K,) or not np.all(np.isfinite(g)):
                raise LearnerError(f"cross_entropy_grad returned {fmt(g)}")
        except LearnerError as err:
            why = "not written yet" if err.raised == "NotImplementedError" else err.summary
            notes["gradient"] = f"your p minus y (cross_entropy_grad: {why})"
            return None
        notes["gradient"] = "your cross_entropy_grad"
        return g

    def checked_loss(z, label):
        if loaded.function("cross_entropy") is None:
            notes["loss"] = "−log p_y of your p"
            return None
        try:
            result, _ = call(loaded, "cross_entropy", np.asarray(z, dtype=float), label)
            loss = float(result)
            if not math.isfinite(loss):
                raise LearnerError(f"cross_entropy returned {fmt_number(loss)}")
        except (LearnerError, TypeError, ValueError) as err:
            notes["loss"] = f"−log p_y of your p (cross_entropy: {getattr(err, 'summary', err)})"
            return None
        notes["loss"] = "your cross_entropy"
        return loss

    return lab.Maths(
        softmax=checked_softmax, cross_entropy=checked_loss, cross_entropy_grad=checked_grad
    )


def learner_lab(loaded: Loaded, network_logits, controls: dict) -> dict:
    """The lab view computed with the learner's functions, or why it cannot be.

    {"source": "mine", "lab": view, "notes": {...}} when their softmax gave probabilities for
    every vector the lab needs; else {"source": "builtin", "problem": ..., "traceback": ...}:
    the page then keeps the built-in view and says why."""
    if loaded.namespace is None:
        return {"source": "builtin", "problem": "your code did not run", "traceback": loaded.error}
    if loaded.function("softmax") is None:
        return {"source": "builtin", "problem": "your code defines no function softmax(z)"}
    notes = {"softmax": "your softmax"}
    try:
        view = lab.lab_view(
            np.asarray(network_logits, dtype=np.float64),
            lab.Controls(**{f: controls[f] for f in CONTROL_FIELDS if f in controls}),
            _lab_maths(loaded, notes),
        )
    except LearnerError as err:
        return {"source": "builtin", "problem": err.summary, "traceback": err.traceback}
    return {"source": "mine", "lab": view, "notes": notes}


def run_checks_json(code: str) -> str:
    return json.dumps(run_checks(str(code)))


def use_code_json(code: str) -> str:
    return json.dumps(use_code(str(code)))


def lab_json(network_logits_json: str, controls_json: str) -> str:
    """The sandbox's per-update call: the lab's logits and controls in, the view out."""
    return json.dumps(
        learner_lab(CURRENT, json.loads(network_logits_json), json.loads(controls_json))
    )
