"""The project's tooling, grouped by job: `model/` (training, evaluation, the shipped digit and
example files), `site/` (runtime assembly, build, serving, setup, audits, the browser harness) and
`bench/` (benchmarks). Run a script as `python scripts/<job>/<name>.py` from the repository root."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# py/'s modules import each other flat, as in Pyodide's working directory, so each of its
# folders goes on sys.path (pyproject.toml's pytest pythonpath lists the same folders).
PY_FOLDERS = tuple(ROOT / "py" / part for part in ("lab", "model", "quiz", "learner_code", "."))


def use_page_modules() -> None:
    """Make py/'s modules importable by name (`import network`), as the page and tests do."""
    for folder in reversed(PY_FOLDERS):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
