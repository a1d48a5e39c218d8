"""The runtime the site ships, booted in Node: its standard library and numpy as bytecode.

scripts/site/vendor_runtime.py compiles every standard-library and numpy module that the
modules in COMPILED_IMPORTS load (compile_runtime.mjs). Here the assembled
assets/vendor/pyodide/ starts in Node, the page's own Python (every module of py/ but the
worker glue) is imported, and the test fails on any library module still compiled from source:
an import added to py/ without adding it to COMPILED_IMPORTS would cost every visit its compile.
"""

import base64
import hashlib
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from scripts.site import vendor_runtime as vr

ROOT = Path(__file__).resolve().parents[1]
PYODIDE = vr.VENDOR / "pyodide"
NOT_IMPORTABLE_HERE = {"worker"}  # PyScript's glue: needs the browser's polyscript module

PROBE = r"""
import importlib, json, sys, traceback
sys.path.insert(0, "/home/pyodide")  # where PyScript puts the page's files
for name in NAMES:
    importlib.import_module(name)
import numpy as np
library = ("/lib/python312.zip/", "/lib/python3.12/site-packages/")
origins = {n: getattr(getattr(m, "__spec__", None), "origin", None) or ""
           for n, m in list(sys.modules.items())}
ours = {n: o for n, o in origins.items() if o.startswith(library)}
from_source = sorted(n for n, o in ours.items() if o.endswith(".py"))
from_bytecode = sorted(n for n, o in ours.items() if o.endswith(".pyc"))
try:
    np.reshape(np.arange(6), (4, 4))
except ValueError:
    frame = traceback.extract_tb(sys.exc_info()[2])[-1]
import statistics  # not in the compiled set: still there, from its source
json.dumps({
    "from_source": from_source,
    "from_bytecode": from_bytecode,
    "softmax_sum": float((np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()).sum()),
    "sum_doc": np.sum.__doc__ or "",
    "frame": [frame.filename, frame.lineno],
    "statistics": statistics.__spec__.origin,
})
"""

NODE = r"""
import { readFileSync, readdirSync, statSync } from "node:fs";
const { PROBE_DIR: dir, PROBE_APP: app, PROBE_NAMES: names, PROBE_CODE: probe } = process.env;
const { loadPyodide } = await import(dir + "/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: dir + "/" });
await pyodide.loadPackage("numpy", { messageCallback: () => {} });

const walk = (d) => readdirSync(d).forEach((f) => {
  const p = d + "/" + f;
  if (statSync(p).isDirectory()) walk(p);
  else if (p.endsWith(".py")) pyodide.FS.writeFile("/home/pyodide/" + f, readFileSync(p));
});
walk(app);
pyodide.globals.set("NAMES", pyodide.toPy(JSON.parse(names)));
console.log("RESULT " + pyodide.runPython(probe));
"""


def py_modules() -> list[str]:
    return sorted(
        p.stem
        for p in (ROOT / "py").rglob("*.py")
        if p.stem not in NOT_IMPORTABLE_HERE and "exercise" not in p.parts
    )


@pytest.fixture(scope="module")
def booted():
    """The probe's findings, from one boot of the shipped runtime (a few seconds)."""
    given = {
        "PROBE_DIR": str(PYODIDE),
        "PROBE_APP": str(ROOT / "py"),
        "PROBE_NAMES": json.dumps(py_modules()),
        "PROBE_CODE": PROBE,
    }
    out = subprocess.run(
        ["node", "--input-type=module", "-e", NODE],
        env={**os.environ, **given},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("RESULT ")]
    # Pyodide prints its minified source around an error: keep the short lines, the message
    short = [line for line in out.stderr.splitlines() if len(line) < 500]
    assert lines, "the runtime did not start in Node:\n" + "\n".join(short[-30:])
    return json.loads(lines[-1].removeprefix("RESULT "))


def test_the_pages_python_loads_no_library_module_from_source(booted):
    """Every standard-library and numpy module the page's Python imports was compiled at setup."""
    assert booted["from_source"] == [], (
        f"compiled on every visit: {booted['from_source']}; add what py/ imports to "
        "COMPILED_IMPORTS in scripts/site/vendor_runtime.py"
    )
    assert "numpy._core.multiarray" in booted["from_bytecode"]
    assert "json.decoder" in booted["from_bytecode"]


def test_compiled_numpy_computes_and_keeps_its_docstrings_and_line_numbers(booted):
    assert booted["softmax_sum"] == pytest.approx(1.0, abs=1e-12)
    assert "Sum of array elements" in booted["sum_doc"]  # no -OO: help() still has its text
    filename, line = booted["frame"]
    assert filename.startswith("/lib/python3.12/site-packages/numpy/") and line > 0


def test_modules_outside_the_compiled_set_still_import_from_their_source(booted):
    assert booted["statistics"] == "/lib/python312.zip/statistics.py"


def test_the_compiled_wheel_is_the_one_the_lock_names_and_its_record_is_true():
    """Pyodide checks the wheel against the lock's sha256; pip-style tools trust RECORD."""
    numpy = json.loads((PYODIDE / "pyodide-lock.json").read_text())["packages"]["numpy"]
    wheel = PYODIDE / numpy["file_name"]
    assert numpy["file_name"] == vr.compiled_wheel_name(
        json.loads((vr.VENDOR / vr.STOCK / "pyodide-lock.json").read_text())["packages"]["numpy"][
            "file_name"
        ]
    )
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == numpy["sha256"]
    with zipfile.ZipFile(wheel) as zf:
        record_name = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        rows = [line.split(",") for line in zf.read(record_name).decode().splitlines()]
        listed = {name for name, _, _ in rows}
        assert listed == {n for n in zf.namelist() if not n.endswith("/")}
        for name, digest, size in rows:
            if name == record_name:
                continue
            data = zf.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert (digest, int(size)) == (f"sha256={expected.decode()}", len(data)), name
        assert not [n for n in zf.namelist() if n.endswith((".pyi", ".h", ".a"))]
