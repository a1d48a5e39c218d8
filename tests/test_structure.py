"""Project rules that keep the browser and CPython in step."""

import ast
import json
import re
import sys
from pathlib import Path

import number_rule

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / "py"
GLUE = "worker.py"  # the one module that talks to the browser
BROWSER_MODULES = {"js", "pyscript", "pyodide", "polyscript"}


def imported_top_levels(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def pyscript_config() -> dict:
    html = (ROOT / "index.html").read_text()
    match = re.search(r"<script type=\"py\" worker[^>]*config='([^']*)'", html)
    assert match, "index.html has no <script type=py worker config='...'>"
    return json.loads(match.group(1))


def test_py_modules_import_only_stdlib_numpy_and_each_other():
    """Every py/ module runs under CPython and Pyodide: stdlib + numpy + py/ only; only the
    glue module may import browser modules."""
    local = {p.stem for p in PY.glob("*.py")}
    allowed = set(sys.stdlib_module_names) | {"numpy"} | local
    for path in PY.glob("*.py"):
        extra = BROWSER_MODULES if path.name == GLUE else set()
        unexpected = imported_top_levels(path) - allowed - extra
        assert not unexpected, f"{path.name} imports {sorted(unexpected)}"


def test_every_py_module_is_shipped_to_the_browser():
    """Each py/ module (but the worker script itself) is listed in the PyScript config, each
    listed file exists, and the worker runs py/worker.py."""
    config = pyscript_config()
    listed = {Path(src).name for src in config["files"] if src.startswith("py/")}
    expected = {p.name for p in PY.glob("*.py")} - {GLUE}
    assert listed == expected
    for src, dest in config["files"].items():
        assert (ROOT / src).is_file(), src
        assert dest == "./" + Path(src).name
    assert f'src="py/{GLUE}"' in (ROOT / "index.html").read_text()


def test_runtime_config_loads_numpy_without_micropip():
    """packages_cache 'passthrough' hands numpy to loadPyodide: no micropip download offline."""
    config = pyscript_config()
    assert config["packages"] == ["numpy"]
    assert config["packages_cache"] == "passthrough"
    assert config["interpreter"] == "assets/vendor/pyodide/pyodide.mjs"


def test_page_uses_only_relative_urls():
    """Absolute /paths would break a GitHub Pages project site served under /<repo>/."""
    html = (ROOT / "index.html").read_text()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("/", "http:", "https:")), url


def local_imports(module: str) -> set[str]:
    """`module` and every py/ module it imports, directly or not."""
    local = {p.stem for p in PY.glob("*.py")}
    found, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(imported_top_levels(PY / f"{name}.py") & local)
    return found


def test_the_learners_python_gets_every_module_it_imports():
    """assets/js/sandbox-worker.js copies learner_checks.py and exactly the py/ modules it
    imports into the second Pyodide (a missing one would only fail in the browser)."""
    worker = (ROOT / "assets" / "js" / "sandbox-worker.js").read_text()
    match = re.search(r"const MODULES = \[([^\]]*)\]", worker)
    assert match, "sandbox-worker.js has no MODULES list"
    shipped = {Path(name).stem for name in re.findall(r'"([^"]+\.py)"', match.group(1))}
    assert shipped == local_imports("learner_checks")


def test_test_files_have_unique_names():
    """pytest collects tests/ and e2e/ in one run by basename: a name in both breaks collection."""
    unit = {p.name for p in (ROOT / "tests").glob("test_*.py")}
    browser = {p.name for p in (ROOT / "e2e").glob("test_*.py")}
    assert unit & browser == set()


def static_imports(module: Path) -> set[Path]:
    """`module` and every module it imports statically, directly or not (import() is dynamic:
    such a module loads later, on demand)."""
    found, todo = set(), [module.resolve()]
    while todo:
        path = todo.pop()
        if path not in found:
            found.add(path)
            text = path.read_text()
            todo.extend(
                (path.parent / m).resolve()
                for m in re.findall(r'^import [^;]*? from "([^"]+)";', text, re.M | re.S)
            )
    return found


def test_every_module_loaded_at_start_up_is_preloaded():
    """index.html preloads exactly the modules main.js imports statically: each is fetched at
    once in parallel rather than found one import at a time (and nothing loaded later is)."""
    html = (ROOT / "index.html").read_text()
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', html))
    main = ROOT / "assets" / "js" / "main.js"
    imported = {p.relative_to(ROOT).as_posix() for p in static_imports(main) - {main.resolve()}}
    assert preloaded == imported


def test_the_sliders_keep_to_the_number_rules_ranges():
    """main.js clamps a slider's value to the fields' ranges: the same as py/number_rule.py's."""
    main = (ROOT / "assets" / "js" / "main.js").read_text()
    match = re.search(r"const LIMITS = \{ shift: \[([^\]]+)\], scale: \[([^\]]+)\] \};", main)
    assert match, "main.js has no LIMITS for the sliders"
    shift, scale = ([float(v) for v in group.split(",")] for group in match.groups())
    assert shift == [-number_rule.SHIFT_LIMIT, number_rule.SHIFT_LIMIT]
    assert scale == [number_rule.SCALE_MIN, number_rule.SCALE_MAX]
