"""The PyScript glue (py/worker.py) under CPython, with stand-ins for the browser's objects."""

import importlib
import json
import math
import shutil
import sys
import types
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


class FakeTypedArray:
    """What a JS Uint8ClampedArray looks like from Pyodide: .to_py() gives a memoryview."""

    def __init__(self, data: np.ndarray):
        self.data = data

    def to_py(self):
        return memoryview(self.data.tobytes())


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """worker.py imported as PyScript runs it: cwd holds model.npz, polyscript is importable."""
    shutil.copy(ROOT / "assets" / "model.npz", tmp_path / "model.npz")
    monkeypatch.chdir(tmp_path)
    messages = []
    fake = types.ModuleType("polyscript")
    fake.xworker = types.SimpleNamespace(postMessage=messages.append)
    monkeypatch.setitem(sys.modules, "polyscript", fake)
    sys.modules.pop("worker", None)
    module = importlib.import_module("worker")
    module.messages = messages
    yield module
    sys.modules.pop("worker", None)


def test_worker_starts_and_reports_progress(worker):
    """Import succeeds, startup_status() is empty, and the page was told Python is importing."""
    assert worker.startup_status() == ""
    assert worker.messages == ["importing"]
    assert set(worker.__export__) <= set(dir(worker))


def test_update_turns_canvas_pixels_into_the_lab_view(worker):
    """RGBA pixels in, JSON out: ten logits and probabilities summing to 1."""
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[40:240, 130:150] = (17, 17, 17, 255)
    view = json.loads(worker.update(FakeTypedArray(rgba), 280, ""))
    assert len(view["lab"]["logits"]) == 10
    assert abs(sum(view["lab"]["probs"]) - 1) < 1e-12
    shifted = json.loads(worker.update(None, 280, json.dumps({"shift": "3"})))
    assert np.allclose(np.array(shifted["lab"]["logits"]) - view["lab"]["logits"], 3)


def test_a_missing_weights_file_is_reported_not_raised(tmp_path, monkeypatch):
    """Without model.npz the module still imports and startup_status() names the problem."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "polyscript", None)  # also: no polyscript at all
    sys.modules.pop("worker", None)
    module = importlib.import_module("worker")
    assert "model.npz" in module.startup_status()
    sys.modules.pop("worker", None)


def test_a_wide_canvas_is_read_row_by_row(worker):
    """A non-square canvas (width 280, height 140) is reshaped (H, W, 4), not read transposed."""
    wide = np.zeros((140, 280, 4), np.uint8)
    wide[20:120, 130:140] = (17, 17, 17, 255)  # a vertical bar, tall in the image
    via_glue = worker._rgba(FakeTypedArray(wide), 280)
    np.testing.assert_array_equal(via_glue, wide)
    view = json.loads(worker.update(FakeTypedArray(wide), 280, ""))
    assert view["lab"]["empty"] is False


def test_update_digit_scores_grey_levels_without_the_canvas(worker):
    """A Uint8Array of 784 grey levels in: the lab view of exactly that input, label applied."""
    from digit_sets import to_inputs
    from network import load_network

    grey = np.zeros(784, np.uint8)
    grey.reshape(28, 28)[4:24, 12:16] = 255  # a plain "1"
    view = json.loads(worker.update_digit(FakeTypedArray(grey), json.dumps({"label": "1"})))
    expected = load_network("model.npz").logits(to_inputs(grey))
    np.testing.assert_allclose(view["lab"]["network_logits"], expected, rtol=1e-12)
    assert view["controls"]["label"] == 1


def test_calibration_glue_takes_the_fetched_bytes(worker):
    """calibration_start takes the file's bytes (a Uint8Array) and steps return JSON progress."""
    data = (ROOT / "assets" / "digits" / "mnist-test.npz").read_bytes()
    start = json.loads(worker.calibration_start(FakeTypedArray(np.frombuffer(data, np.uint8)), "s"))
    assert start == {"scored": 0, "total": 1000}
    assert json.loads(worker.calibration_step())["scored"] == 100
    bad = json.loads(worker.calibration_start(FakeTypedArray(np.zeros(9, np.uint8)), "s"))
    assert "not a readable .npz" in bad["error"]


def test_learning_glue_takes_the_fetched_bytes_and_steps(worker):
    """learn_start takes both files' bytes; learn, undo, forget and restore answer JSON."""
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[40:240, 130:150] = (17, 17, 17, 255)
    worker.update(FakeTypedArray(rgba), 280, json.dumps({"label": "1"}))
    files = [
        (ROOT / "assets" / "digits" / n).read_bytes()
        for n in ("mnist-replay.npz", "mnist-test.npz")
    ]
    arrays = [FakeTypedArray(np.frombuffer(f, np.uint8)) for f in files]
    assert json.loads(worker.learn_start(*arrays)) == {"error": None}
    taught = json.loads(worker.learn(3))
    assert len(taught["result"]["steps"]) == 4 and taught["view"]["learned"] == 1
    assert json.loads(worker.learn_undo())["view"]["learned"] == 0
    assert json.loads(worker.learn_restore(taught["saved"]))["view"]["learned"] == 1
    assert json.loads(worker.learn_forget())["saved"] is None
    assert json.loads(worker.learn_restore(None))["notice"] is None


def test_presets_and_link_glue_return_json(worker):
    """presets_load takes the file's text (or None when the fetch failed) and link_read the
    query and the loaded names as JSON (null: no presets); both answer JSON, never raise."""
    text = (ROOT / "assets" / "presets.json").read_text()
    loaded = json.loads(worker.presets_load(text, ""))
    assert loaded["errors"] == [] and loaded["presets"]
    missing = json.loads(worker.presets_load(None, "HTTP 404"))
    assert missing == {"presets": [], "errors": [missing["errors"][0]]}
    assert "HTTP 404" in missing["errors"][0]
    link = json.loads(worker.link_read("?sample=dot&alpha=2", json.dumps(["dot"])))
    assert link["sample"] == "dot" and link["controls"] == {"scale": "2"}
    assert json.loads(worker.link_read("?sample=dot", "null"))["sample"] is None


def test_memory_mb_is_zero_outside_pyodide(worker):
    """The benchmark's memory hook needs Pyodide's own module; under CPython it answers 0."""
    assert "memory_mb" in worker.__export__
    assert worker.memory_mb() == 0.0


def test_head_panel_sums_the_logit_nudges_and_goes_back_exactly(worker):
    """Through the glue: the head view's total is the lab's logit (k = the guess by default), a
    bad epsilon is refused and changes nothing, a nudge shows the nudged input, and back
    restores the drawing's logits bit for bit."""
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[40:240, 130:150] = (17, 17, 17, 255)
    drawn = json.loads(worker.update(FakeTypedArray(rgba), 280, ""))
    logits = drawn["lab"]["logits"]
    assert drawn["input"] == "drawing"
    head = json.loads(worker.head_view("", ""))
    assert head["k"] == int(np.argmax(logits)) and head["versus"] is None
    assert head["total"] == pytest.approx(logits[head["k"]], abs=1e-5)  # float32 forward
    assert sum(head["terms"]) + head["bias"] == pytest.approx(head["total"], abs=1e-12)
    assert len(head["terms"]) == len(head["h"]) == 128 and len(head["map"]) == 784
    pair = json.loads(worker.head_view("3", "7"))
    assert pair["total"] == pytest.approx(logits[3] - logits[7], abs=1e-5)
    assert json.loads(worker.head_view("x", ""))["error"]
    refused = json.loads(worker.head_nudge("3", "0.9"))
    assert "between 0.05 and 0.5" in refused["error"]
    assert json.loads(worker.update(None, 280, ""))["lab"]["logits"] == logits
    target = int(np.argsort(logits)[-2])
    nudged = json.loads(worker.head_nudge(str(target), "0.3"))
    assert nudged["view"]["input"] == "nudged"
    assert nudged["result"]["max_change"] <= 0.3 + 1e-6
    assert nudged["view"]["lab"]["logits"] != logits
    # The nudge's summary reads its probabilities as the lab table beside it does (at α = 1,
    # c = 0), never a JS rounding such as "100.0 %" for p < 1; its loss is the table's.
    result, table = nudged["result"], nudged["view"]["lab"]
    assert result["target_text"] == table["prob_text"][target]
    assert result["true_text"] == table["prob_text"][result["true"]]
    assert result["loss"] == pytest.approx(-math.log(table["probs"][result["true"]]), rel=1e-9)
    back = json.loads(worker.head_back())
    assert back["view"]["input"] == "drawing"
    assert back["view"]["lab"]["logits"] == logits


def test_by_hand_calls_start_from_the_drawing_and_refuse_bad_input(worker):
    """hand_start gives zeros before any digit; hand_view/hand_sample answer JSON, a bad seed an
    error message rather than an exception."""
    assert json.loads(worker.hand_start()) == {"logits": [0.0] * 10}
    view = json.loads(worker.hand_view(json.dumps([0.0] * 9 + [800.0]), True))
    assert view["stages"]["exp"]["values"][9] == "inf" and view["p"][9] == "nan"
    counts = json.loads(worker.hand_sample(json.dumps([0.0] * 10), 100, "7"))["counts"]
    assert sum(counts) == 100
    assert "seed" in json.loads(worker.hand_sample(json.dumps([0.0] * 10), 100, "x"))["error"]


def test_start_up_does_not_import_the_by_hand_module():
    """by_hand is imported inside the by-hand calls only: not among worker.py's top-level
    imports, so Python's start-up does not grow."""
    import ast

    tree = ast.parse((ROOT / "py" / "worker.py").read_text())
    top_level = set()
    for node in tree.body:
        for inner in ast.walk(node):
            if isinstance(inner, ast.FunctionDef):
                break
            if isinstance(inner, ast.Import):
                top_level |= {a.name for a in inner.names}
            elif isinstance(inner, ast.ImportFrom):
                top_level.add(inner.module)
    assert "lab_state" in top_level  # the walk sees the try: block's imports
    assert "by_hand" not in top_level
