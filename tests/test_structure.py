"""Project rules that keep the browser and CPython in step."""

import ast
import json
import re
import sys
import tomllib
from pathlib import Path

import number_rule

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / "py"
GLUE = "worker.py"  # the one module that talks to the browser
BROWSER_MODULES = {"js", "pyscript", "pyodide", "pyodide_js", "polyscript"}
# py/ by the lesson's parts. Each folder may import the standard library, numpy, itself and the
# folders listed for it; the modules at the top of py/ (the page's state and the glue) use them all.
MAY_IMPORT = {
    "lab": set(),  # the softmax maths, the lab's view and texts, the number rule, the examples
    "model": {"lab"},  # the network, its input and data, teaching its head, held-out runs
    "quiz": {"lab"},  # the quiz: questions, grading, wording, saved progress, observations
    "learner_code": {"lab"},  # the learner's own softmax: checks and the exercise
}


def modules() -> dict[str, Path]:
    """Every py/ module by its import name (they import flat, as in Pyodide's working
    directory), but the exercise's files (the learner's code, not the page's)."""
    found: dict[str, Path] = {}
    for path in PY.rglob("*.py"):
        if "exercise" not in path.parts:
            assert path.stem not in found, f"two py/ modules named {path.stem}"
            found[path.stem] = path
    return found


def folder(path: Path) -> str:
    return "." if path.parent == PY else path.parent.name


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
    local = modules()
    allowed = set(sys.stdlib_module_names) | {"numpy"} | set(local)
    for path in local.values():
        extra = BROWSER_MODULES if path.name == GLUE else set()
        unexpected = imported_top_levels(path) - allowed - extra
        assert not unexpected, f"{path.name} imports {sorted(unexpected)}"


def test_py_lives_in_its_folders_and_each_folder_imports_only_what_it_may():
    """The folders show the architecture: lab/ needs nothing else of py/; model/, quiz/ and
    learner_code/ build on lab/ only; only the top of py/ puts the parts together."""
    local = modules()
    for name, path in local.items():
        here = folder(path)
        assert here in {*MAY_IMPORT, "."}, f"{path.relative_to(ROOT)} is outside py/'s folders"
        if here != ".":
            for imported in imported_top_levels(path) & set(local):
                there = folder(local[imported])
                allowed = MAY_IMPORT[here] | {here}
                assert there in allowed, f"{here}/{name} imports {there}/{imported}"


def sandbox_modules() -> set[str]:
    """The py/ files the code panel's own Python fetches (assets/js/sandbox-worker.js MODULES)."""
    worker = (ROOT / "assets" / "js" / "sandbox-worker.js").read_text()
    match = re.search(r"const MODULES = \[([^\]]*)\]", worker)
    assert match, "sandbox-worker.js has no MODULES list"
    return {f"py/{src}" for src in re.findall(r'"([^"]+\.py)"', match.group(1))}


def test_each_python_gets_exactly_the_modules_it_imports():
    """The lab worker's PyScript config lists exactly the py/ modules py/worker.py imports
    (directly or not, lazily or not): none it never imports, which start-up would download for
    nothing. Every py/ module goes to it or to the code panel's Python (whose list
    test_the_learners_python_gets_every_module_it_imports checks), each listed file exists, and
    the worker runs py/worker.py."""
    local = modules()

    def path_of(name: str) -> str:
        return str(local[name].relative_to(ROOT))

    config = pyscript_config()
    listed = {src for src in config["files"] if src.startswith("py/")}
    assert listed == {path_of(n) for n in local_imports(GLUE.removesuffix(".py")) - {"worker"}}
    assert listed | sandbox_modules() == {path_of(n) for n in local} - {f"py/{GLUE}"}
    for src, dest in config["files"].items():
        assert (ROOT / src).is_file(), src
        assert dest == "./" + Path(src).name
    assert f'src="py/{GLUE}"' in (ROOT / "index.html").read_text()


def test_runtime_config_loads_numpy_without_micropip():
    """packages_cache 'passthrough' hands numpy to loadPyodide (our runtime.js, which starts the
    vendored Pyodide): no micropip download offline."""
    config = pyscript_config()
    assert config["packages"] == ["numpy"]
    assert config["packages_cache"] == "passthrough"
    assert config["interpreter"] == "assets/js/runtime.js"
    runtime = (ROOT / "assets" / "js" / "runtime.js").read_text()
    assert 'from "../vendor/pyodide/pyodide.mjs"' in runtime


def test_page_uses_only_relative_urls():
    """Absolute /paths would break a GitHub Pages project site served under /<repo>/."""
    html = (ROOT / "index.html").read_text()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("/", "http:", "https:")), url


def local_imports(module: str) -> set[str]:
    """`module` and every py/ module it imports, directly or not."""
    local = modules()
    found, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(imported_top_levels(local[name]) & set(local))
    return found


def test_the_learners_python_gets_every_module_it_imports():
    """assets/js/sandbox-worker.js copies learner_checks.py and exactly the py/ modules it
    imports into the second Pyodide (a missing one would only fail in the browser)."""
    local = modules()
    expected = {str(local[n].relative_to(ROOT)) for n in local_imports("learner_checks")}
    assert sandbox_modules() == expected


def test_every_folder_of_py_is_on_the_import_path():
    """py/'s modules import flat: pytest (pyproject.toml) and the scripts (scripts.PY_FOLDERS)
    put exactly py/ and its folders on sys.path."""
    from scripts import PY_FOLDERS

    folders = {PY / name for name in MAY_IMPORT} | {PY}
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]
    assert {ROOT / d for d in pytest_options["ini_options"]["pythonpath"]} - {ROOT} == folders
    assert {d.resolve() for d in PY_FOLDERS} == folders


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
    """main.js clamps a slider's value to the fields' ranges: the same as
    py/lab/number_rule.py's."""
    main = (ROOT / "assets" / "js" / "main.js").read_text()
    match = re.search(r"const LIMITS = \{ shift: \[([^\]]+)\], scale: \[([^\]]+)\] \};", main)
    assert match, "main.js has no LIMITS for the sliders"
    shift, scale = ([float(v) for v in group.split(",")] for group in match.groups())
    assert shift == [-number_rule.SHIFT_LIMIT, number_rule.SHIFT_LIMIT]
    assert scale == [number_rule.SCALE_MIN, number_rule.SCALE_MAX]
