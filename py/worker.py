"""PyScript glue, run in a web worker: the page's JavaScript calls the functions in __export__.

The only module that knows about the browser. It turns JS values into numpy/str, calls the part
of the page's Python that does the job, and returns JSON strings (cheap to post back to the
page, no proxies to leak). Where each call goes:

    set_language                          py/lab/catalogue.py       the language shown
    update, update_digit, time_pipeline   py/lab_state.py           LabState: the lab, its view
    start_quiz, quiz_action               py/quiz_flow.py           QuizFlow: predict, observe
    learn, learn_undo, learn_forget,      py/learn_panel.py         LearnPanel: teach the head
      learn_start, learn_restore
    calibration_start, calibration_step   py/calibration_panel.py   CalibrationPanel
    presets_load, link_read               py/lab/presets.py         examples and links
    lab_lock                              py/lab_state.py           a teacher link's locks
    ink_encode                            py/lab/ink_code.py        a drawing for a link
    network_file, network_load            py/learn_panel.py         a taught network's file
    head_view, head_nudge, head_back      py/head_panel.py          HeadPanel: the head, nudge
    hand_start, hand_view, hand_sample    py/lab/by_hand.py         softmax by hand
"""

import functools
import json
import traceback

try:
    from polyscript import xworker

    xworker.postMessage("importing")  # progress for the page: the runtime and numpy are in
except Exception:  # noqa: BLE001 - progress is a nicety, never a reason to fail
    pass

try:
    import numpy as np

    from lab_state import LabState
    from quiz_flow import QuizFlow

    LAB = LabState("model.npz")
    QUIZ = QuizFlow(LAB)
    STARTUP_ERROR = None
except Exception as err:  # reported on the page by startup_status(), not lost in the console
    LAB = QUIZ = None
    STARTUP_ERROR = f"{type(err).__name__}: {err}"
    traceback.print_exc()


def set_language(lang: str, catalogue_json: str) -> None:
    """The page's language and its catalogue (assets/i18n/<lang>.json): every text Python makes
    from now on is in that language. The page calls this before any other call."""
    import catalogue

    catalogue.use(str(lang), json.loads(str(catalogue_json)))


def startup_status() -> str:
    """'' when the page's Python is usable, else the reason it is not."""
    return STARTUP_ERROR or ""


@functools.cache
def _learn_panel():
    """Made on the first Learn call: start-up does not import the head trainer."""
    import learn_panel

    return learn_panel.LearnPanel(LAB)


@functools.cache
def _calibration_panel():
    """Made when the calibration panel first opens: start-up does not import the held-out run."""
    import calibration_panel

    return calibration_panel.CalibrationPanel(LAB)


@functools.cache
def _head_panel():
    """Made when the head panel first opens (or a nudge runs): start-up does not import it."""
    import head_panel

    return head_panel.HeadPanel(LAB)


def head_view(k: str, versus: str) -> str:
    """k, versus: the head panel's selects ("" for the guess / for none)."""
    return json.dumps(_head_panel().view(k, versus))


def head_nudge(target: str, eps: str) -> str:
    return json.dumps(_head_panel().nudge(target, eps))


def head_back() -> str:
    return json.dumps(_head_panel().back())


def _rgba(pixels, width: int):
    """The canvas's RGBA Uint8ClampedArray (row-major, `width` pixels a row), copied once into a
    (height, width, 4) uint8 array."""
    return np.frombuffer(pixels.to_py(), dtype=np.uint8).reshape(-1, width, 4)


def update(pixels, width: int, raw_controls: str) -> str:
    """New canvas pixels (or None) and/or control texts (JSON, or ''), applied in that order;
    returns the lab view as JSON."""
    rgba = None if pixels is None else _rgba(pixels, width)
    return json.dumps(LAB.update(rgba, json.loads(raw_controls) if raw_controls else None))


def update_digit(grey, raw_controls: str) -> str:
    """A ready-made digit (784 grey levels 0..255, a Uint8Array) instead of the canvas, and/or
    control texts; returns the lab view as JSON."""
    digit = np.frombuffer(grey.to_py(), dtype=np.uint8)
    return json.dumps(LAB.update_digit(digit, json.loads(raw_controls) if raw_controls else None))


def calibration_start(data, name: str) -> str:
    """data: the digit set file's bytes (a Uint8Array the page fetched)."""
    return json.dumps(_calibration_panel().start(bytes(data.to_py()), name))


def calibration_step() -> str:
    return json.dumps(_calibration_panel().step())


def learn_restore(saved) -> str:
    """saved: the text from the browser's storage, or None (JS null) when there is none."""
    return json.dumps(_learn_panel().restore(saved))


def learn_start(replay, check) -> str:
    """replay, check: the digit set files' bytes (Uint8Arrays the page fetched)."""
    return json.dumps(_learn_panel().start(bytes(replay.to_py()), bytes(check.to_py())))


def learn(steps) -> str:
    """steps: a JS number (a whole one arrives as int; anything else is refused with a message)."""
    return json.dumps(_learn_panel().learn(steps))


def learn_undo() -> str:
    return json.dumps(_learn_panel().undo())


def learn_forget() -> str:
    return json.dumps(_learn_panel().forget())


def presets_load(text, load_error: str) -> str:
    """text: the presets file's text, or None (JS null) when it could not be fetched."""
    import presets  # imported on first use: start-up does not pay for it

    return json.dumps(presets.load_presets(text, load_error))


def link_read(query: str, names_json: str) -> str:
    """query: the page's location.search; names_json: the loaded preset names, or null."""
    import presets

    return json.dumps(presets.read_link(query, json.loads(names_json)))


def lab_lock(names_json: str) -> str:
    """names_json: the link's lock names (py/lab/teacher_link.py's LOCKS); the lab view back."""
    import teacher_link

    fields = [teacher_link.LOCKS[name] for name in json.loads(names_json)]
    return json.dumps({"view": LAB.lock([field for field in fields if field is not None])})


def ink_encode(strokes_json: str) -> str:
    """The pad's strokes (JSON) -> {"ink": the link's text} or {"ink": None, "why": ...}."""
    import ink_code

    try:
        return json.dumps({"ink": ink_code.encode(json.loads(strokes_json))})
    except ValueError as err:
        return json.dumps({"ink": None, "why": str(err)})


def network_file() -> str:
    return json.dumps(_learn_panel().network_file())


def network_load(data, size) -> str:
    """data: the file's first bytes (a Uint8Array); size: its full size in bytes."""
    return json.dumps(_learn_panel().load_network(bytes(data.to_py()), int(size)))


def memory_mb() -> float:
    """This worker's WebAssembly memory in MB, for scripts/bench/bench_memory.py (it never
    shrinks: the most the page's Python has ever needed at once); 0 outside Pyodide."""
    try:
        import pyodide_js  # Pyodide's own JS module: only in the browser
    except ImportError:
        return 0.0
    return pyodide_js._module.HEAP8.buffer.byteLength / 2**20


def hand_start() -> str:
    """The by-hand panel's starting logits: the drawing's own (the network's), or all zero when
    there is no digit."""
    logits = [0.0] * 10 if LAB.logits is None else [float(v) for v in LAB.logits]
    return json.dumps({"logits": logits})


def _by_hand(job):
    """A by-hand call: its answer as JSON, or {"error": why} for input the panel cannot use."""
    import by_hand  # imported on first use: start-up does not pay for it

    try:
        return json.dumps(job(by_hand))
    except by_hand.HandInputError as err:
        return json.dumps({"error": str(err)})


def hand_view(logits_json: str, naive: bool) -> str:
    """logits_json: the panel's ten logits; naive: exp(z) without subtracting the max."""
    return _by_hand(lambda m: m.hand_view(json.loads(logits_json), bool(naive)))


def hand_sample(logits_json: str, n, seed: str) -> str:
    """n draws from softmax of the panel's logits, with the seed the page shows."""
    return _by_hand(lambda m: m.hand_sample(json.loads(logits_json), n, seed))


def time_pipeline(pixels, width: int, repeats: int) -> str:
    return json.dumps(LAB.time_pipeline(_rgba(pixels, width), int(repeats)))


def start_quiz(questions_text, load_error: str, saved, seed: int, name="questions.json") -> str:
    """questions_text/saved: str or None (JS null) when the file or saved progress is absent;
    name: the question file read (questions.<lang>.json, or questions.json)."""
    return json.dumps(QUIZ.start(questions_text, load_error, saved, int(seed), str(name)))


def quiz_action(action: str, argument) -> str:
    """argument: None, a JS number (an option's display index, a seed) or a string (typed text)."""
    if argument is not None and not isinstance(argument, str):
        argument = int(argument)
    return json.dumps(QUIZ.action(action, argument))


__export__ = [
    "set_language",
    "startup_status",
    "update",
    "update_digit",
    "start_quiz",
    "quiz_action",
    "time_pipeline",
    "memory_mb",
    "calibration_start",
    "calibration_step",
    "learn_restore",
    "learn_start",
    "learn",
    "learn_undo",
    "learn_forget",
    "presets_load",
    "link_read",
    "lab_lock",
    "ink_encode",
    "network_file",
    "network_load",
    "head_view",
    "head_nudge",
    "head_back",
    "hand_start",
    "hand_view",
    "hand_sample",
]
