"""The code panel: the learner's own softmax, checked in a second Python, used by the lab."""

import re
from pathlib import Path

import pytest

from conftest import (
    ONE,
    READY_TIMEOUT_MS,
    SEVEN,
    act,
    draw,
    goto_ready,
    set_control,
    updates,
    values,
    wait_for_async,
    wait_idle,
)
from scripts.site.audit import axe_violations

EXERCISE = Path(__file__).resolve().parent.parent / "py" / "learner_code" / "exercise"
STARTER = (EXERCISE / "starter.py").read_text()
SOLUTION = (EXERCISE / "solution.py").read_text()
RETURNS_LOGITS = "def softmax(z):\n    return z\n"
ENDLESS = "import numpy as np\n\ndef softmax(z):\n    return z\n\nwhile True:\n    pass\n"
# Loops only on some inputs: fine for a drawing, endless once a large shift is applied.
LOOPS_ON_LARGE = SOLUTION.replace(
    "    z = np.asarray(z, dtype=float)\n",
    "    z = np.asarray(z, dtype=float)\n    while z.max() > 500:\n        pass\n",
)
CHECK_IDS = ["distribution", "shift", "scale", "uniform", "large", "batch", "gradient"]
COUNT_CSP_VIOLATIONS = """
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def open_panel(page) -> None:
    """Open the panel, wait for the editor and for the learner's Python."""
    page.click("#code-panel summary")
    page.wait_for_selector("#code-panel[data-editor=ready]", timeout=30_000)
    page.wait_for_selector("#code-panel[data-python=ready]", timeout=READY_TIMEOUT_MS)


def set_code(page, text: str) -> None:
    page.evaluate("t => window.softmaxDigits.setCode(t)", text)


def get_code(page) -> str:
    return page.evaluate("() => window.softmaxDigits.getCode()")


def run_checks(page, timeout: float = 30_000) -> dict[str, tuple[bool, str]]:
    """Click Run checks and wait for the run to finish: {check id: (passed, text)}."""
    runs = int(page.get_attribute("#checks", "data-runs"))
    page.click("#run-checks")
    page.wait_for_function(
        f"+document.getElementById('checks').dataset.runs > {runs}", timeout=timeout
    )
    return {
        item.get_attribute("data-check"): (
            item.get_attribute("data-pass") == "true",
            item.inner_text(),
        )
        for item in page.query_selector_all("#checks [data-check]")
    }


def all_pass(checks: dict[str, tuple[bool, str]]) -> bool:
    """All seven checks shown and passed (a stopped run can leave the list empty)."""
    return list(checks) == CHECK_IDS and all(ok for ok, _ in checks.values())


def draw_on_pad(page, strokes) -> None:
    """Draw with the mouse (the pad is scrolled into view first: the panel lies below it)."""
    page.locator("#pad").scroll_into_view_if_needed()
    draw(page, strokes)


def use_mine(page, on: bool = True) -> None:
    """Press #use-mine and wait until the lab has been recomputed with the choice."""
    assert page.get_attribute("#use-mine", "aria-pressed") == str(not on).lower()
    act(page, lambda: page.click("#use-mine"))
    assert page.get_attribute("#use-mine", "aria-pressed") == str(on).lower()


def source(page) -> str:
    return page.get_attribute("html", "data-softmax-source")


@pytest.fixture
def panel_page(ready_page):
    """The page, ready, with the code panel open and the learner's Python started."""
    open_panel(ready_page)
    return ready_page


def test_nothing_of_the_panel_loads_until_it_is_opened(page, base_url):
    """Start-up loads one Pyodide and no editor; opening the panel loads the editor and a
    second Pyodide, from this site, within the Content-Security-Policy. (After ready, the
    snapshot worker, assets/js/runtime-snapshot.js, boots one more of its own: it is let finish
    first, so the panel's is counted alone.)"""
    urls = []
    page.on("request", lambda r: urls.append(r.url) if r.method == "GET" else None)
    page.add_init_script(COUNT_CSP_VIOLATIONS)

    def wasm_loads() -> int:
        return sum(u.endswith("pyodide.asm.wasm") for u in urls)

    goto_ready(page, base_url)
    assert wasm_loads() == 1
    assert not [u for u in urls if "vendor-codemirror" in u or "sandbox-worker" in u]
    assert source(page) == "builtin"
    page.wait_for_selector("html[data-snapshot=saved]", timeout=60_000)
    assert wasm_loads() == 2  # the snapshot worker's interpreter
    open_panel(page)
    assert wasm_loads() == 3
    assert any(u.endswith("vendor-codemirror/codemirror-view.js") for u in urls)
    assert any(u.endswith("/softmax-digits/assets/js/sandbox-worker.js") for u in urls)
    run_checks(page)
    assert page.evaluate("window.__cspViolations") == []


def test_starter_softmax_fails_exactly_the_large_logits_check(panel_page):
    """The naive softmax passes every softmax check but large logits, shown with its nan."""
    page = panel_page
    assert "e = np.exp(z)" in get_code(page)
    checks = run_checks(page)
    assert list(checks) == CHECK_IDS
    failing = [k for k, (ok, _) in checks.items() if not ok]
    assert failing == ["large", "gradient"]
    assert "returned [nan, 0, 0" in checks["large"][1]
    assert "not written yet" in checks["gradient"][1]
    assert page.get_attribute("[data-check=large]", "data-pass") == "false"
    assert page.is_hidden("#code-error")


def test_max_subtracted_softmax_passes_every_check(panel_page):
    """The solution (softmax of z - max z, and p - y) passes all seven checks."""
    page = panel_page
    set_code(page, SOLUTION)
    checks = run_checks(page)
    assert all(ok for ok, _ in checks.values()) and len(checks) == 7
    assert "7 of 7 checks pass" in page.inner_text("#checks-summary")


def test_an_exception_shows_the_learners_line_numbers(panel_page):
    """A ZeroDivisionError on line 4 of their code: #code-error names line 4, no page file."""
    page = panel_page
    set_code(page, "import numpy as np\n\ndef softmax(z):\n    return z / 0.0 + 1 // 0\n")
    checks = run_checks(page)
    assert not any(ok for ok, _ in checks.values() if _ != checks["gradient"][1])
    error = page.inner_text("#code-error")
    assert "line 4, in softmax" in error and "ZeroDivisionError" in error
    assert "learner_checks" not in error and ".py" not in error


def test_a_wrong_softmax_in_the_lab_falls_back_to_the_builtin_one(panel_page):
    """softmax = z with "Use my softmax": the page says why, and shows built-in probabilities."""
    page = panel_page
    draw_on_pad(page, SEVEN)
    builtin = values(page, "data-prob")
    set_code(page, RETURNS_LOGITS)
    use_mine(page)
    assert source(page) == "builtin"
    note = page.inner_text("#mine-note")
    assert "could not be used for this drawing" in note and "built-in softmax" in note
    assert page.is_hidden("#softmax-source")
    assert values(page, "data-prob") == builtin


def test_a_correct_softmax_drives_the_lab_exactly(panel_page):
    """With the solution in use, the lab's probabilities equal the built-in ones to 1e-12,
    the badge says so, the gradient is theirs once a label is set; off again, built-in."""
    page = panel_page
    draw_on_pad(page, ONE)
    builtin = values(page, "data-prob")
    set_code(page, SOLUTION)
    use_mine(page)
    assert source(page) == "mine"
    assert page.is_visible("#softmax-source")
    assert "your softmax" in page.inner_text("#softmax-source")
    mine = values(page, "data-prob")
    assert max(abs(a - b) for a, b in zip(mine, builtin, strict=True)) <= 1e-12
    draw_on_pad(page, [[(120, 60), (160, 220)]])  # each new drawing goes through their code
    assert source(page) == "mine"
    set_control(page, "#true-label", "3")
    assert "p − y: your cross_entropy_grad" in page.inner_text("#softmax-source")
    use_mine(page, on=False)
    assert source(page) == "builtin" and page.is_hidden("#softmax-source")


def test_an_endless_loop_is_stopped_and_the_lab_keeps_working(panel_page):
    """while True: stopped within 5 s with a message; the lab updates meanwhile and after;
    the next run works."""
    page = panel_page
    set_code(page, ENDLESS)
    runs = int(page.get_attribute("#checks", "data-runs"))
    page.click("#run-checks")
    draw_on_pad(page, SEVEN)  # while the learner's Python spins
    assert page.inner_text("#prediction") != ""
    page.wait_for_function(
        f"+document.getElementById('checks').dataset.runs > {runs}", timeout=5_000
    )
    assert "Stopped after 3 s" in page.inner_text("#code-error")
    before = updates(page)
    act(page, lambda: page.click("#clear"))
    draw_on_pad(page, ONE)
    assert updates(page) >= before + 2 and page.inner_text("#prediction") != ""
    set_code(page, SOLUTION)
    checks = run_checks(page, timeout=READY_TIMEOUT_MS)  # waits for the restarted Python
    assert all(ok for ok, _ in checks.values())
    assert page.is_hidden("#code-error")


def test_a_softmax_that_loops_on_some_logits_never_stalls_the_lab(panel_page):
    """Use mine with a softmax that loops only for large logits: at c = 1000 it is stopped,
    the lab goes back to the built-in softmax and keeps updating."""
    page = panel_page
    draw_on_pad(page, SEVEN)
    set_code(page, LOOPS_ON_LARGE)
    use_mine(page)
    assert source(page) == "mine"
    set_control(page, "#shift", "1000")  # waits for the update: the 1 s limit, then built-in
    assert source(page) == "builtin"
    assert page.get_attribute("#use-mine", "aria-pressed") == "false"
    assert "was stopped" in page.inner_text("#mine-note")
    set_control(page, "#shift", "2")
    assert values(page, "data-logit")[0] is not None and source(page) == "builtin"


def test_code_is_kept_across_reloads_and_the_start_can_be_restored(panel_page, base_url):
    """Edited code survives a reload; "Restore the starting code" brings the starter back."""
    page = panel_page
    mine = "# my attempt\n" + SOLUTION
    set_code(page, mine)
    goto_ready(page, base_url)
    open_panel(page)
    assert get_code(page) == mine
    page.click("#restore-code")
    assert get_code(page) == STARTER
    assert "Ctrl+Z" in page.inner_text("#code-notice")


def test_corrupt_saved_code_shows_the_starter_and_a_notice(page, base_url):
    """Damaged or foreign saved data never raises: the starter is shown with a notice."""
    page.add_init_script("localStorage.setItem('softmax-digits.code', '{not json')")
    goto_ready(page, base_url)
    open_panel(page)
    assert get_code(page) == STARTER
    assert "could not be read" in page.inner_text("#code-notice")


def test_tab_indents_and_escape_then_tab_leaves_the_editor(panel_page):
    """Keyboard: Tab inside the editor indents; Esc then Tab moves on; the page says how."""
    page = panel_page
    assert "Esc" in page.inner_text("#code-keys") and "Tab" in page.inner_text("#code-keys")
    set_code(page, "x = 1\n")
    page.click("#code .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    assert get_code(page) == "x = 1\n    "
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "run-checks"
    label = page.get_attribute("#code .cm-content", "aria-label")
    assert "Escape" in label


def test_the_solution_is_behind_a_deliberate_click(panel_page):
    """The solution is hidden until asked for, and can then be put into the editor."""
    page = panel_page
    assert page.is_hidden("#solution-box")
    page.click("#show-solution")
    page.wait_for_selector("#solution-box", state="visible")
    assert "z.max(axis=-1, keepdims=True)" in page.inner_text("#solution")
    assert page.get_attribute("#show-solution", "aria-expanded") == "true"
    page.click("#use-solution")
    assert get_code(page) == SOLUTION


def test_the_code_panel_works_offline_after_one_visit(context, page, base_url):
    """The editor and the learner's Python come from the service worker's cache offline."""
    goto_ready(page, base_url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    wait_for_async(
        page,
        "async () => { const name = (await caches.keys())"
        ".find((key) => key.startsWith('softmax-digits '));"
        " return !!name && (await (await caches.open(name)).keys()).length > 50; }",
        timeout=60_000,
    )
    context.set_offline(True)
    goto_ready(page, base_url)
    open_panel(page)
    set_code(page, SOLUTION)
    assert all(ok for ok, _ in run_checks(page).values())
    wait_idle(page)
    context.set_offline(False)


PATCH_EXP = "import numpy as np\nnp.exp = lambda x: np.ones_like(np.asarray(x, dtype=float))\n"
UNIFORM = (
    "import numpy as np\n\ndef softmax(z):\n    z = np.asarray(z, dtype=float)\n"
    "    return np.full(z.shape, 1 / z.shape[-1])\n"
)
RECORD_PYTHON_STATES = """() => {
  window.__pythonStates = [];
  new MutationObserver(() => window.__pythonStates.push(
    document.getElementById('code-panel').dataset.python))
    .observe(document.getElementById('code-panel'), {attributes: true,
      attributeFilter: ['data-python']});
}"""
# Each way learner code could reach the worker's global scope, printed as name: result.
REACH = """import js, pyodide.code, pyodide_js

def attempt(name, reach):
    try:
        print(f"{name}: {reach()!r}")
    except Exception as err:
        print(f"{name}: {type(err).__name__}: {err}".splitlines()[0])

attempt("js.caches", lambda: js.caches)
attempt("js.fetch", lambda: js.fetch)
attempt("js.indexedDB", lambda: js.indexedDB)
attempt("js.self.caches", lambda: js.self.caches)
attempt("run_js", lambda: pyodide.code.run_js("caches.open('learner-was-here')"))
global_scope = pyodide_js.constructor.constructor("return this")()
for name in ["caches", "indexedDB", "fetch", "XMLHttpRequest", "importScripts", "WebSocket",
             "navigator", "postMessage"]:
    attempt(f"global {name}", lambda: getattr(global_scope, name))
attempt("Function", lambda: pyodide_js.constructor.constructor(
    "return caches.open('learner-was-here')")())
"""


def test_a_patched_numpy_does_not_outlive_its_run(panel_page):
    """np.exp replaced in one run: the page says so; in the next run the solution passes every
    check and a uniform "softmax" fails the large-logits check (the checks' references are not
    the learner's numpy)."""
    page = panel_page
    set_code(page, PATCH_EXP)
    run_checks(page)
    set_code(page, SOLUTION)
    assert all_pass(run_checks(page))
    assert page.is_hidden("#code-changes")
    set_code(page, PATCH_EXP)
    run_checks(page)
    assert "numpy.exp" in page.inner_text("#code-changes")
    set_code(page, UNIFORM)
    passing = [k for k, (ok, _) in run_checks(page).items() if ok]
    assert passing == ["distribution", "shift", "uniform", "batch"]


def test_restart_python_gives_a_fresh_python_and_keeps_the_code(panel_page):
    """The "Restart Python" button: data-python goes restarting, then ready; the editor keeps
    the code, and the checks run on the new Python."""
    page = panel_page
    mine = "# kept\n" + SOLUTION
    set_code(page, mine)
    page.evaluate(RECORD_PYTHON_STATES)
    page.click("#restart-python")
    page.wait_for_selector("#code-panel[data-python=ready]", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("window.__pythonStates") == ["restarting", "ready"]
    assert "restarted, as asked" in page.inner_text("#code-status")
    assert get_code(page) == mine
    assert all_pass(run_checks(page))


def test_learner_code_cannot_reach_storage_or_the_network(panel_page):
    """`import js` and every route to the worker's global scope find no caches, indexedDB,
    fetch, XMLHttpRequest, importScripts, WebSocket, navigator or postMessage; the page's
    cache storage is untouched."""
    page = panel_page
    set_code(page, REACH)
    run_checks(page)
    printed = dict(
        line.split(": ", 1) for line in page.inner_text("#code-output").splitlines() if line
    )
    for name in ("js.caches", "js.fetch", "js.indexedDB", "js.self.caches"):
        assert printed[name].endswith(
            f"{name.split('.')[1]} is not available: Python for your code is kept away from "
            "the page and its storage"
        ), printed[name]
    assert "eval is not available" in printed["run_js"]
    for name in (
        "caches",
        "indexedDB",
        "fetch",
        "XMLHttpRequest",
        "importScripts",
        "WebSocket",
        "navigator",
        "postMessage",
    ):
        assert printed[f"global {name}"].startswith("AttributeError"), printed[f"global {name}"]
    assert "ReferenceError: caches is not defined" in printed["Function"]
    assert page.evaluate("caches.has('learner-was-here')") is False


def test_a_run_that_keeps_1_8_gb_restarts_python_and_the_next_run_works(panel_page):
    """A real 1.8 GB array, still held when the run ends: the run succeeds and its checks are
    shown, then Python for the learner's code restarts (past the 512 MB limit), says why, keeps
    the code and gives the memory back; the next run works. np.empty((15000, 15000)) grows
    Python's memory to 1.8 GB as np.ones would; np.ones also writes every byte, which takes
    ~6 s on a busy 2-core machine, past the 3 s limit (then the time limit restarts Python)."""
    page = panel_page
    big = "import numpy as np\nbig = np.empty((15000, 15000))\n" + SOLUTION
    set_code(page, big)
    page.evaluate(RECORD_PYTHON_STATES)
    assert all_pass(run_checks(page))
    page.wait_for_selector("#code-panel[data-python=ready]", timeout=READY_TIMEOUT_MS)
    assert page.evaluate("window.__pythonStates") == ["restarting", "ready"]
    status = page.inner_text("#code-status")
    assert "holding 17" in status and "more than the 512 MB" in status, status
    assert "Your code is kept" in status and get_code(page) == big
    assert int(page.get_attribute("#code-panel", "data-memory-mb")) < 100
    set_code(page, SOLUTION)
    assert all_pass(run_checks(page))


def test_huge_allocations_never_hang_the_page(panel_page):
    """An impossible array is an error with the learner's line; memory grown without end is
    stopped by the time limit; the lab answers throughout."""
    page = panel_page
    set_code(page, "import numpy as np\nbig = np.ones((100000, 100000))\n")
    run_checks(page)
    assert "line 2, in <module>" in page.inner_text("#code-error")
    set_code(page, "chunks = []\nwhile True:\n    chunks.append(bytearray(50_000_000))\n")
    run_checks(page, timeout=10_000)
    assert "Stopped after 3 s" in page.inner_text("#code-error")
    draw_on_pad(page, SEVEN)
    assert page.inner_text("#prediction") != ""


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", {"width": 1280, "height": 800}), ("dark", {"width": 390, "height": 844})],
    ids=["light-desktop", "dark-phone"],
)
def test_axe_finds_nothing_in_the_code_panel(new_context, base_url, scheme, viewport):
    """axe reports no violation with the panel open: checks passed and failed, a traceback,
    printed output, the solution shown, the lab on the learner's softmax and falling back."""
    page = new_context(base_url, viewport=viewport, color_scheme=scheme).new_page()
    goto_ready(page, base_url)
    open_panel(page)
    found = {}

    def audit(state: str) -> None:
        violations = axe_violations(page)
        if violations:
            found[state] = violations

    run_checks(page)
    audit("starter checked")
    set_code(page, "print('hi')\ndef softmax(z):\n    return 1 / 0\n")
    run_checks(page)
    assert page.is_visible("#code-error") and page.is_visible("#code-output")
    audit("traceback and printed output")
    page.click("#show-solution")
    audit("solution shown")
    draw_on_pad(page, ONE)
    set_code(page, SOLUTION)
    use_mine(page)
    assert page.is_visible("#softmax-source")
    audit("lab on the learner's softmax")
    set_code(page, RETURNS_LOGITS)
    run_checks(page)
    wait_idle(page)
    assert page.is_visible("#mine-note")
    audit("lab falling back")
    assert found == {}


def test_the_checks_speak_the_language_shown(page, base_url):
    """?lang=de: the learner's Python (a second Pyodide) got the page's German catalogue, so
    the checks' names, counter-examples and the summary are German, a number in a sentence has
    the decimal comma and the arrays keep Python's point."""
    goto_ready(page, f"{base_url}?lang=de")
    open_panel(page)
    starter = get_code(page)  # the starter, its docstrings in German, its code unchanged
    assert "Vervollständige mich: Laut Lektion ist es p - y" in starter
    assert "    e = np.exp(z)\n    return e / e.sum(axis=-1, keepdims=True)\n" in starter
    large = run_checks(page)["large"][1]
    assert "Große Logits (±1000)" in large and "Die Verschiebungsinvarianz hilft" in large
    assert page.inner_text("#checks-summary") == "5 von 7 Prüfungen bestanden."
    assert re.fullmatch(
        r"Das Python für deinen Code ist bereit \(gestartet in \d+,\d s\)\.",
        page.inner_text("#code-status"),
    )
    set_code(page, "import numpy as np\ndef softmax(z):\n    return np.full(np.shape(z), 0.09)\n")
    checks = run_checks(page)
    ok, text = checks["distribution"]
    assert not ok
    assert "✗ nicht bestanden" in text
    assert "Die Wahrscheinlichkeiten sind nicht negativ und ergeben zusammen 1" in text
    assert "[0.09, 0.09, 0.09" in text
    assert text.endswith("zurück: Wahrscheinlichkeiten mit der Summe 0,9 statt 1")
    assert (
        "dein Code definiert keine Funktion cross_entropy_grad(z, label)" in checks["gradient"][1]
    )
    assert page.inner_text("#checks-summary") == "2 von 7 Prüfungen bestanden."
