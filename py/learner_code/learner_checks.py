"""The learner's own softmax: run it, check it against the lesson's claims, compute the lab with it.

Runs in a second Pyodide of its own (assets/js/sandbox-worker.js) that the page terminates and
restarts when the learner's code runs too long: the lab's Python never runs learner code. Plain
standard library + numpy + py/ modules, so it is tested under CPython against the same
reference functions (py/lab/softmax.py) the lab uses. The learner's code shares this interpreter
with the checks: "Each run from the same state" below says how its changes are kept out.

Every function that returns to the page returns plain JSON-ready dicts; the *_json functions
and set_language are the sandbox's whole interface (strings in, strings out).

Texts come from the catalogue (py/lab/catalogue.py, keys code.*) in the language shown, which
the sandbox receives before anything else (set_language). Numbers follow one rule: arrays and
Python expressions (softmax([-2, -1.5, …]), z + 3.5) are Python and keep the point; a single
number in a sentence is read in the language (catalogue.decimal: "summing to 0,9" in German).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import io
import itertools
import json
import linecache
import math
import operator
import os
import sys
import traceback
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import catalogue
import lab
from softmax import cross_entropy, softmax

SOURCE = "<your code>"  # the file name of the learner's code in tracebacks
K = lab.K
ATOL = 1e-9  # how close "equal" is in the checks (float64 rounding is ~1e-16)
LAB_SUM_TOL = 1e-6  # in the lab, probabilities must sum to 1 within this to be used
FD_STEP, FD_TOL = 1e-5, 1e-6  # central finite differences of the cross-entropy
STDOUT_LIMIT = 4000  # characters of print() output kept
TRACEBACK_FRAMES = 8  # deeper tracebacks (runaway recursion) keep their first and last frames


def _frozen(a) -> np.ndarray:
    """A read-only copy that cannot be made writeable again (its memory is a bytes object)."""
    a = np.asarray(a, dtype=np.float64)
    return np.frombuffer(a.tobytes(), dtype=np.float64).reshape(a.shape)


# Logit vectors the checks use: fixed, readable (two decimals), each with a single largest entry.
_rng = np.random.default_rng(13)
CASES = tuple(
    _frozen(z)
    for z in [np.arange(K) * 0.5 - 2.0] + [np.round(_rng.normal(0.0, 3.0, K), 2) for _ in range(3)]
)
LARGE = tuple(
    _frozen(z)
    for z in (
        [1000.0] + [0.0] * (K - 1),
        np.full(K, -1000.0),
        [1000.0, 999.0, -1000.0] + [0.0] * (K - 3),
    )
)
SHIFTS = (-10.0, 3.5, 100.0)
SCALES = (0.1, 2.0, 25.0)
GRAD_CASES = ((CASES[0], 3), (CASES[1], 0), (CASES[2], K - 1))

CONTROL_FIELDS = tuple(f.name for f in dataclasses.fields(lab.Controls))


def title(check_id: str) -> str:
    """A check's name in the language shown (catalogue key code.title.<id>)."""
    return catalogue.t(f"code.title.{check_id}")


def _hint(name: str) -> str:
    """A hint appended to a counter-example: ". " and the hint."""
    return ". " + catalogue.t(f"code.hint.{name}")


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
    """The learner's code after running it: its namespace, or the error that stopped it, and
    what it changed in the interpreter (in force only while its own code runs)."""

    code: str
    namespace: dict | None
    error: str = ""  # the learner's traceback (compile or run error), '' when it ran
    stdout: list[str] = field(default_factory=list)
    changes: _Changes = field(default_factory=lambda: _Changes())

    def function(self, name: str) -> Callable | None:
        value = (self.namespace or {}).get(name)
        return value if callable(value) else None


# --- Formatting -------------------------------------------------------------------------------


def fmt_number(x: float) -> str:
    """A number in Python's notation (in arrays and expressions: the point in every language)."""
    return f"{float(x):.6g}"


def said(x: float) -> str:
    """A single number in a sentence, with the language's decimal separator ("0,9" in German)."""
    return catalogue.decimal(fmt_number(x))


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
        more = catalogue.t("code.traceback.more", n=hidden)
        frames = frames[:3] + [f"  ... {more} ..."] + frames[-3:]
    lines = [catalogue.t("code.traceback.head")]
    for frame in frames:
        if isinstance(frame, str):
            lines.append(frame)
            continue
        lines.append("  " + catalogue.t("code.traceback.line", line=frame.lineno, name=frame.name))
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append("".join(traceback.format_exception_only(type(err), err)).rstrip())
    return "\n".join(lines)


# --- Each run from the same state -------------------------------------------------------------
#
# The learner's code and the checks share one interpreter, and Python cannot wall code off
# inside one: `np.exp = ...` changes the numpy every module uses, `np.seterr` the error state of
# every later computation. So each call into the learner's code is a turn: it starts with the
# changes the run's code made before put back, and when it ends, what it changed in the guarded
# modules (numpy's, the standard library's, this page's: every attribute set or deleted) is
# recorded for the run's later turns and undone. numpy's error state is a context variable:
# each run gets its own copy of the context the checks started in. A run also starts with
# numpy's global random state and the recursion limit as the first run found them. So the
# checks and the lab's numbers not computed by the learner's functions always use the original
# functions, and no run inherits another's changes; the reference values the checks compare
# with are computed at import, before any learner code.
#
# Setting an attribute is noticed as it happens (the guarded modules get a class of their own
# that notes it: nothing to compare after each call, which would cost milliseconds per call in
# Pyodide). Writing straight into a module's __dict__ or into sys.modules is found by comparing
# everything with the run's starting point, after the code's top level and after the checks.
# What this cannot stop is code written to defeat it (changing a function's __code__, reaching
# the checks' frames through sys._getframe or gc): the checks are there to teach, not to police.

_DELETED = object()  # an attribute or a sys.modules entry the learner's code deleted
_UNKNOWN = object()  # the value before the run of an attribute of a module not guarded in it
_PAGE_DIR = os.path.dirname(os.path.abspath(__file__))  # this page's own modules live here
_BRIDGE = frozenset({"__main__", "js", "pyodide", "pyodide_js", "_pyodide"})  # Pyodide's own
_START_RANDOM = np.random.get_state()
_START_RECURSION = sys.getrecursionlimit()
_START_CONTEXT = contextvars.copy_context()
_geterr, _geterrcall = np.geterr, np.geterrcall
_set_module_attr, _del_module_attr = types.ModuleType.__setattr__, types.ModuleType.__delattr__
_TURN: list = [None]  # the _Changes of the run whose code is running, None between turns


class _Noting(types.ModuleType):
    """The class the guarded modules are given: an attribute set or deleted during a learner's
    turn is noted, to be undone at its end. Otherwise exactly a module."""

    __slots__ = ()

    def __setattr__(self, name, value):
        if _TURN[0] is not None:
            _TURN[0].noted.add((self, name))
        _set_module_attr(self, name, value)

    def __delattr__(self, name):
        if _TURN[0] is not None:
            _TURN[0].noted.add((self, name))
        _del_module_attr(self, name)


def _guarded(name: str, module) -> bool:
    """Is this module kept as the checks left it: numpy, the standard library, this page's."""
    top = name.partition(".")[0]
    if top in _BRIDGE or not issubclass(type(module), types.ModuleType):
        return False
    if top == "numpy" or top in sys.stdlib_module_names:
        return True
    return os.path.dirname(os.path.abspath(vars(module).get("__file__") or "/")) == _PAGE_DIR


def _name(module) -> str:
    return str(vars(module).get("__name__", "?"))


def _put(target: dict, bindings: dict) -> None:
    for name, value in bindings.items():
        if value is _DELETED:
            target.pop(name, None)
        else:
            target[name] = value


def _chained(dicts: list[dict], view: Callable):
    return itertools.chain.from_iterable(map(view, dicts))


class _Baseline:
    """The guarded modules' attributes and sys.modules entries as the checks see them, taken at
    the start of each run (so that what changed outside the learner's code, an import or a test
    harness, is never taken for the learner's doing)."""

    def __init__(self) -> None:
        self.judged: set[str] = set()  # the sys.modules names looked at (guarded or not)
        self.guarded: set[str] = set()
        self.take()

    def take(self) -> None:
        loaded = sys.modules
        self.judged &= loaded.keys()
        for name in loaded.keys() - self.judged:
            self.judged.add(name)
            if _guarded(name, loaded[name]):
                self.guarded.add(name)
        self.guarded &= loaded.keys()
        self.entries = {name: loaded[name] for name in self.guarded}
        modules = {id(m): m for m in self.entries.values()}  # a module may have two names
        for module in modules.values():
            if type(module) is types.ModuleType:
                module.__class__ = _Noting
        self.modules = list(modules.values())
        self.saved = {id(m): dict(vars(m)) for m in self.modules}
        self.sizes = [len(d) for d in self.saved.values()]
        self.names = list(_chained(list(self.saved.values()), dict.keys))
        self.values = tuple(_chained(list(self.saved.values()), dict.values))

    def before(self, module, name: str):
        """The value `module.name` had at the start of the run: _DELETED if it had none,
        _UNKNOWN if the module is not one of the run's guarded modules."""
        saved = self.saved.get(id(module))
        return _UNKNOWN if saved is None else saved.get(name, _DELETED)

    def unchanged(self) -> bool:
        """Is every guarded module and sys.modules entry exactly as recorded? Every name and
        value (some 10,000) compared by identity, at C speed."""
        dicts = list(map(vars, self.modules))
        return (
            list(map(len, dicts)) == self.sizes
            and list(_chained(dicts, dict.keys)) == self.names  # str == str: no learner code
            and all(map(operator.is_, _chained(dicts, dict.values), self.values))
            and all(map(operator.is_, map(sys.modules.get, self.entries), self.entries.values()))
        )


_BASELINE = _Baseline()


@dataclass
class _Changes:
    """What one run's code changed in the interpreter, put back around each of its turns."""

    context: contextvars.Context = field(default_factory=_START_CONTEXT.copy)
    attributes: dict = field(default_factory=dict)  # (id, name) -> (module, name, value)
    entries: dict = field(default_factory=dict)  # sys.modules name -> module or _DELETED
    noted: set = field(default_factory=set)  # (module, name) set or deleted in this turn

    def apply(self) -> None:
        for module, name, value in self.attributes.values():
            _put(vars(module), {name: value})
        _put(sys.modules, self.entries)

    def keep(self, module, name: str, value, before) -> None:
        """Record module.name = value (or _DELETED) as the learner's, and undo it. A package's
        attribute for a submodule just imported is the import system's: it stays."""
        key = (id(module), name)
        if before is _UNKNOWN:
            return
        if before is _DELETED and sys.modules.get(f"{_name(module)}.{name}", _DELETED) is value:
            return
        if value is before:
            self.attributes.pop(key, None)
        else:
            self.attributes[key] = (module, name, value)
        _put(vars(module), {name: before})

    def end_turn(self, baseline: _Baseline) -> None:
        """Undo the attributes set in this turn (and this run's earlier changes)."""
        for module, name, _ in list(self.attributes.values()):
            self.noted.add((module, name))
        for module, name in self.noted:
            self.keep(module, name, vars(module).get(name, _DELETED), baseline.before(module, name))
        self.noted.clear()
        now = {n: sys.modules.get(n, _DELETED) for n in self.entries}
        self.entries = {n: m for n, m in now.items() if m is not baseline.entries.get(n, _DELETED)}
        _put(sys.modules, {n: baseline.entries.get(n, _DELETED) for n in now})

    def sweep(self, baseline: _Baseline) -> None:
        """Find and undo what was written straight into a module's __dict__ or sys.modules."""
        if baseline.unchanged():
            return
        for module in baseline.modules:
            saved, attrs = baseline.saved[id(module)], vars(module)
            for name in {k for k, v in attrs.items() if saved.get(k, _DELETED) is not v} | (
                saved.keys() - attrs.keys()
            ):
                self.keep(module, name, attrs.get(name, _DELETED), saved.get(name, _DELETED))
        for name, module in baseline.entries.items():
            if sys.modules.get(name) is not module:
                self.entries[name] = sys.modules.get(name, _DELETED)
                sys.modules[name] = module

    def names(self) -> list[str]:
        """What the learner's code changed, for the page: numpy.exp, sys.modules['numpy'], ..."""
        found = [f"{_name(m)}.{name}" for m, name, _ in self.attributes.values()]
        found += [f"sys.modules[{name!r}]" for name in self.entries]
        if self.context.run(lambda: (_geterr(), _geterrcall())) != (_geterr(), _geterrcall()):
            found.append(catalogue.t("code.changed.seterr"))
        return sorted(found)


def _turn(changes: _Changes, fn: Callable, *args):
    """fn(*args), the learner's code, with its run's earlier changes in force; afterwards what
    it changed is recorded for its next turn and undone for the checks."""
    changes.apply()
    _TURN[0] = changes
    try:
        return changes.context.run(fn, *args)
    finally:
        _TURN[0] = None
        changes.end_turn(_BASELINE)
        _LANGUAGE.restore()


class _Language:
    """The page's texts (py/lab/catalogue.py) as the run found them, put back after each of the
    learner's turns: the checks' and the lab's texts stay in the language shown whatever the
    learner's code does to the catalogue (catalogue.use(...), catalogue._texts[key] = ..., an
    attribute set: the guard above undoes those only where it reaches, in its own folder and
    after the whole run, and never sees a dict changed in place)."""

    def __init__(self) -> None:
        self.module: dict = {}
        self.texts: dict = {}
        self.copy: dict = {}

    def take(self) -> None:
        catalogue.lang()  # English read from disk if nothing was given (CPython)
        self.module = dict(vars(catalogue))
        self.texts = self.module["_texts"]
        self.copy = dict(self.texts)

    def restore(self) -> None:
        if not self.module:
            return
        now = vars(catalogue)
        changed = {n: v for n, v in self.module.items() if now.get(n, _DELETED) is not v}
        changed.update(dict.fromkeys(now.keys() - self.module.keys(), _DELETED))
        _put(now, changed)
        if self.texts != self.copy:
            self.texts.clear()
            self.texts.update(self.copy)


_LANGUAGE = _Language()


def set_language(lang: str, catalogue_json: str) -> None:
    """The sandbox's first call: the catalogue of the language shown, as the page fetched it
    (assets/js/sandbox.js sends it; nothing is fetched twice)."""
    catalogue.use(str(lang), json.loads(str(catalogue_json)))


def _fresh_run() -> _Changes:
    """A run starts as the first one did: the same random state, recursion limit, context."""
    _BASELINE.take()
    _LANGUAGE.take()
    np.random.set_state(_START_RANDOM)
    sys.setrecursionlimit(_START_RECURSION)
    return _Changes()


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


_redirect_stdout, _catch_warnings = contextlib.redirect_stdout, warnings.catch_warnings


def _captured(loaded: Loaded, fn: Callable, args: tuple, action: str) -> tuple:
    """fn(*args) with print() kept and numpy's warnings either recorded or ignored (action)."""
    with _redirect_stdout(_Capped(loaded.stdout)), _catch_warnings(record=True) as caught:
        warnings.simplefilter(action)
        result = fn(*args)
    return result, caught


def load(code: str) -> Loaded:
    """Compile and run the learner's code in a fresh namespace and a fresh run (see "Each run
    from the same state"); print() output is kept."""
    # Tracebacks read source lines through linecache: give it the learner's text.
    linecache.cache[SOURCE] = (len(code), None, code.splitlines(True), SOURCE)
    loaded = Loaded(code, None, changes=_fresh_run())
    try:
        compiled = compile(code, SOURCE, "exec")
    except SyntaxError as err:
        loaded.error = learner_traceback(err)
        return loaded
    namespace: dict = {"__name__": "learner"}
    failure = None
    try:
        _turn(loaded.changes, _captured, loaded, exec, (compiled, namespace), "ignore")
    except BaseException as err:  # noqa: BLE001 - SystemExit too: report, never stop the sandbox
        failure = err
    loaded.changes.sweep(_BASELINE)
    if failure is not None:
        loaded.error = learner_traceback(failure)
    else:
        loaded.namespace = namespace
    return loaded


def call(loaded: Loaded, name: str, *args, shown: str | None = None):
    """Call the learner's function `name` on copies of `args` (their code may change its input
    in place), in a turn of its run. Returns (result, numpy warnings); raises LearnerError
    when it raises."""
    fn = loaded.function(name)
    if fn is None:
        raise LearnerError(catalogue.t("code.error.no_function", name=name))
    args = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)
    try:
        result, caught = _turn(loaded.changes, _captured, loaded, fn, args, "always")
    except BaseException as err:  # noqa: BLE001
        described = shown or f"{name}(…)"
        summary = catalogue.t(
            "code.error.raised", call=described, error=f"{type(err).__name__}: {err}"
        )
        raise LearnerError(summary, learner_traceback(err), type(err).__name__) from None
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    return result, messages


def as_floats(result, described: str) -> np.ndarray:
    try:
        array = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        shown = repr(result)[:80]
        raise LearnerError(
            catalogue.t("code.error.not_numbers", call=described, value=shown)
        ) from None
    return array


def _warned(messages: list[str]) -> str:
    return " " + catalogue.t("code.warned", warnings="; ".join(messages)) if messages else ""


def learner_softmax(loaded: Loaded, z: np.ndarray, label: str = "") -> tuple[np.ndarray, str]:
    """The learner's softmax(z) as float64, and a note of any numpy warnings. `label` names
    the argument in messages (default: its values)."""
    described = f"softmax({label or fmt(z)})"
    result, messages = call(loaded, "softmax", z, shown=described)
    return as_floats(result, described), _warned(messages)


# --- The checks -------------------------------------------------------------------------------


def _distribution_problem(p: np.ndarray, shape: tuple, tol: float = ATOL) -> str:
    if p.shape != shape:
        return catalogue.t("code.problem.shape", shape=p.shape, expected=shape)
    if not np.all(np.isfinite(p)):
        return catalogue.t("code.problem.not_finite")
    if np.any(p < 0):
        k = int(np.argmin(p))
        return catalogue.t("code.problem.negative", k=k, value=said(p[k]))
    total = float(p.sum(axis=-1).max() if p.ndim > 1 else p.sum())
    if abs(total - 1.0) > tol:
        return catalogue.t("code.problem.sum", total=said(total))
    return ""


def check_distribution(loaded: Loaded) -> str:
    for z in CASES:
        p, warned = learner_softmax(loaded, z)
        problem = _distribution_problem(p, z.shape)
        if problem:
            return catalogue.t(
                "code.check.distribution", z=fmt(z), p=fmt(p), problem=problem, warned=warned
            )
    return ""


def check_shift(loaded: Loaded) -> str:
    for z in CASES[:3]:
        p, _ = learner_softmax(loaded, z)
        for c in SHIFTS:
            q, warned = learner_softmax(loaded, z + c, label=f"z + {fmt_number(c)}")
            if q.shape != p.shape or not np.allclose(q, p, rtol=0, atol=ATOL, equal_nan=False):
                return catalogue.t(
                    "code.check.shift", z=fmt(z), c=said(c), q=fmt(q), p=fmt(p), warned=warned
                )
    return ""


def check_scale(loaded: Loaded) -> str:
    for z in CASES:
        for alpha in SCALES:
            p, warned = learner_softmax(loaded, alpha * z, label=f"{fmt_number(alpha)}·z")
            if p.shape != z.shape or not np.all(np.isfinite(p)):
                return catalogue.t(
                    "code.check.scale_finite",
                    alpha=fmt_number(alpha),
                    p=fmt(p),
                    z=fmt(z),
                    warned=warned,
                )
            if int(np.argmax(p)) != int(np.argmax(z)):
                return catalogue.t(
                    "code.check.scale_argmax",
                    z=fmt(z),
                    k=int(np.argmax(z)),
                    alpha=fmt_number(alpha),
                    p=fmt(p),
                    j=int(np.argmax(p)),
                )
    return ""


def check_uniform(loaded: Loaded) -> str:
    for k in (K, 3):
        z = np.zeros(k)
        p, warned = learner_softmax(loaded, z)
        if p.shape != z.shape or not np.allclose(p, 1.0 / k, rtol=0, atol=1e-12):
            hint = _hint("length") if k != K else ""
            return catalogue.t(
                "code.check.uniform", z=fmt(z), p=fmt(p), k=k, warned=warned, hint=hint
            )
    return ""


def check_large(loaded: Loaded) -> str:
    for z, expected in zip(LARGE, REFERENCE_LARGE, strict=True):
        p, warned = learner_softmax(loaded, z)
        finite = p.shape == z.shape and bool(np.all(np.isfinite(p)))
        if not finite or not np.allclose(p, expected, rtol=0, atol=ATOL):
            hint = _hint("overflow") if not finite else ""
            return catalogue.t(
                "code.check.large",
                z=fmt(z),
                p=fmt(p),
                expected=fmt(expected),
                warned=warned,
                hint=hint,
            )
    return ""


def check_batch(loaded: Loaded) -> str:
    batch = np.stack(CASES)
    described = catalogue.t("code.batch", shape=batch.shape)
    result, messages = call(loaded, "softmax", batch, shown=described)
    p = as_floats(result, described)
    if p.shape != batch.shape:
        return catalogue.t(
            "code.check.batch_shape",
            call=described,
            shape=p.shape,
            expected=batch.shape,
            warned=_warned(messages),
        )
    for i, z in enumerate(batch):
        row, warned = learner_softmax(loaded, z, label=f"Z[{i}]")
        if row.shape != z.shape or not np.allclose(p[i], row, rtol=0, atol=ATOL):
            return catalogue.t(
                "code.check.batch_row",
                i=i,
                row=fmt(p[i]),
                total=said(p[i].sum()),
                p=fmt(row),
                warned=warned,
                hint=_hint("batch"),
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


# What the checks compare with, computed now, before any learner code has run: no change the
# learner's code makes to numpy or to py/lab/softmax.py can reach them.
REFERENCE_LARGE = tuple(_frozen(softmax(z)) for z in LARGE)
REFERENCE_GRADS = tuple(_frozen(finite_difference_grad(z, label)) for z, label in GRAD_CASES)


def check_gradient(loaded: Loaded) -> str:
    if loaded.function("cross_entropy_grad") is None:
        return catalogue.t("code.check.no_gradient")
    for (z, label), fd in zip(GRAD_CASES, REFERENCE_GRADS, strict=True):
        described = f"cross_entropy_grad({fmt(z)}, {label})"
        try:
            result, warned = call(loaded, "cross_entropy_grad", z, label, shown=described)
        except LearnerError as err:
            if err.raised == "NotImplementedError":
                return catalogue.t("code.check.gradient_not_written")
            raise
        g = as_floats(result, described)
        if g.shape != z.shape or not np.allclose(g, fd, rtol=0, atol=FD_TOL):
            return catalogue.t(
                "code.check.gradient", call=described, g=fmt(g), fd=fmt(fd), warned=_warned(warned)
            )
    return ""


CHECKS = types.MappingProxyType(
    {
        "distribution": check_distribution,
        "shift": check_shift,
        "scale": check_scale,
        "uniform": check_uniform,
        "large": check_large,
        "batch": check_batch,
        "gradient": check_gradient,
    }
)


def check_all(loaded: Loaded) -> list[dict]:
    """One result per check: {id, title, passed, detail, traceback}; detail is the
    counter-example that broke it (or what was tested), traceback the learner's frames."""
    results = []
    for check_id, check in CHECKS.items():
        tb = ""
        if loaded.namespace is None:
            detail = catalogue.t("code.check.not_run")
        else:
            try:
                detail = check(loaded)
            except LearnerError as err:
                detail, tb = err.summary, err.traceback
        passed = loaded.namespace is not None and detail == ""
        if passed:
            detail = catalogue.t("code.check.passed")
        results.append(
            {
                "id": check_id,
                "title": title(check_id),
                "passed": passed,
                "detail": detail,
                "traceback": tb,
            }
        )
    return results


# --- The sandbox's state and its interface ----------------------------------------------------

# The code the lab uses ("Use my softmax"): the last code run. A list, so that the module's
# own attributes never change (the learner's changes to them are undone after each turn).
# None until a run (the catalogue arrives after this module is imported).
_CURRENT: list[Loaded | None] = [None]


def current() -> Loaded:
    return _CURRENT[0] or Loaded("", None, catalogue.t("code.no_run_yet"))


def _run(code: str) -> Loaded:
    _CURRENT[0] = None  # the last run's objects go first
    loaded = load(code)
    _CURRENT[0] = loaded
    return loaded


def run_checks(code: str) -> dict:
    """Run the learner's code and every check; it becomes the code the lab uses."""
    loaded = _run(code)
    checks = check_all(loaded)
    loaded.changes.sweep(_BASELINE)
    first_tb = next((c["traceback"] for c in checks if c["traceback"]), "")
    return {
        "ran": loaded.namespace is not None,
        "error": loaded.error or first_tb,
        "checks": checks,
        "passed": sum(c["passed"] for c in checks),
        "stdout": "".join(loaded.stdout),
        "changed": loaded.changes.names(),
    }


def use_code(code: str) -> dict:
    """Run the learner's code so the lab can use it; says what it defines."""
    loaded = _run(code)
    return {
        "ran": loaded.namespace is not None,
        "error": loaded.error,
        "has_softmax": loaded.function("softmax") is not None,
        "has_grad": loaded.function("cross_entropy_grad") is not None,
        "stdout": "".join(loaded.stdout),
        "changed": loaded.changes.names(),
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
                catalogue.t("code.lab.softmax", p=fmt(p), z=fmt(z), problem=problem, warned=warned)
            )
        return p

    def checked_grad(z, label):
        if loaded.function("cross_entropy_grad") is None:
            notes["gradient"] = catalogue.t("code.note.grad_missing")
            return None
        try:
            result, _ = call(loaded, "cross_entropy_grad", np.asarray(z, dtype=float), label)
            g = as_floats(result, "cross_entropy_grad(z′, label)")
            if g.shape != (K,) or not np.all(np.isfinite(g)):
                raise LearnerError(catalogue.t("code.lab.grad_returned", g=fmt(g)))
        except LearnerError as err:
            why = (
                catalogue.t("code.note.not_written")
                if err.raised == "NotImplementedError"
                else err.summary
            )
            notes["gradient"] = catalogue.t("code.note.grad_failed", why=why)
            return None
        notes["gradient"] = catalogue.t("code.note.grad")
        return g

    def checked_loss(z, label):
        if loaded.function("cross_entropy") is None:
            notes["loss"] = catalogue.t("code.note.loss_missing")
            return None
        try:
            result, _ = call(loaded, "cross_entropy", np.asarray(z, dtype=float), label)
            loss = float(result)
            if not math.isfinite(loss):
                raise LearnerError(catalogue.t("code.lab.loss_returned", loss=said(loss)))
        except (LearnerError, TypeError, ValueError) as err:
            why = getattr(err, "summary", err)
            notes["loss"] = catalogue.t("code.note.loss_failed", why=why)
            return None
        notes["loss"] = catalogue.t("code.note.loss")
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
        problem = catalogue.t("code.lab.not_run")
        return {"source": "builtin", "problem": problem, "traceback": loaded.error}
    if loaded.function("softmax") is None:
        return {"source": "builtin", "problem": catalogue.t("code.lab.no_softmax")}
    notes = {"softmax": catalogue.t("code.note.softmax")}
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
        learner_lab(current(), json.loads(network_logits_json), json.loads(controls_json))
    )
