"""The offline runtime: Python + numpy start in the page from the site alone, or fail visibly."""

import json
import math
import re

import softmax
from conftest import (
    ONE,
    READY_TIMEOUT_MS,
    SEVEN,
    act,
    canvas_rgba,
    draw,
    draw_stroke,
    goto_ready,
    values,
    wait_idle,
)

# Chromium's console line for any request answered 404 (it does not name the URL).
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"
# A runtime without its standard library: the worker's failed fetch, then CPython's fatal
# start-up report on stderr, one console line each (its path-configuration lines are indented).
STDLIB_MISSING = (
    NOT_FOUND,
    "python_stdlib.zip': request failed.",
    "Error occurred while installing the standard library:",
    re.compile(
        r"Python path configuration:|  .*|Python runtime state: core initialized"
        r"|Fatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem"
        r" encoding|ModuleNotFoundError: No module named 'encodings'"
        r"|Current thread 0x[0-9a-f]+ \(most recent call first\):|"
    ),
)
# engine.js checks the runtime's files itself only when the worker reports a failure, or when
# Python is not up this long after the start.
LATE_AFTER_MS = 40_000
# A py/ module answered with the 404 page: importing it fails, and the worker prints why.
MODULE_MISSING = (
    NOT_FOUND,
    re.compile(r"Traceback \(most recent call last\):|  .*|SyntaxError: invalid syntax"),
)
QUIZ_BUTTONS = ("#quiz-check", "#quiz-hint", "#quiz-retry", "#quiz-next", "#quiz-reset")
# Logs every value <html data-py-state> takes, in order, from before the page's scripts run.
RECORD_STATES = """
  window.__pyStates = ['loading'];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.target !== document.documentElement) continue;
      const value = r.target.getAttribute('data-py-state');
      if (window.__pyStates.at(-1) !== value) window.__pyStates.push(value);
    }
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-py-state']});
"""


def test_page_reaches_ready_and_numpy_computes_softmax(ready_page):
    """numpy runs in Pyodide: the all-zero logits give exactly 1/10 per class, summing to 1."""
    page = ready_page
    assert page.get_attribute("html", "data-py-state") == "ready"
    assert "ready" in page.inner_text("#py-status").lower()
    act(page, lambda: page.click("#zero-logits"))
    assert values(page, "data-logit") == [0.0] * 10
    assert values(page, "data-prob") == [0.1] * 10
    assert page.inner_text("#prob-sum") == "1.000"


def test_page_softmax_matches_cpython(ready_page):
    """The probabilities Pyodide shows equal CPython's softmax of the logits it shows."""
    page = ready_page
    draw(page, ONE)
    logits = values(page, "data-logit")
    probs = values(page, "data-prob")
    expected = softmax.softmax(logits)
    assert max(abs(p - e) for p, e in zip(probs, expected, strict=True)) < 1e-12
    assert math.isclose(sum(probs), 1.0, abs_tol=1e-9)


def test_a_healthy_start_checks_no_file(context, page, base_url):
    """Checking each runtime file is a diagnosis: a healthy cold load sends no HEAD request."""
    checks = []
    context.on("request", lambda request: request.method == "HEAD" and checks.append(request.url))
    goto_ready(page, base_url)
    assert checks == []


def assert_failure_explained(page, reason: str) -> None:
    """The status line says what still works and what cannot; the quiz shows its own failure,
    with the reason, and none of its buttons can be pressed."""
    status = page.inner_text("#py-status")
    assert "You can still draw on the pad, but no scores, probabilities or quiz" in status
    quiz = page.inner_text("#quiz-body")
    assert quiz.startswith("The quiz needs Python, which could not start:"), quiz
    assert reason in quiz
    for button in QUIZ_BUTTONS:
        assert page.is_disabled(button), button


def test_missing_runtime_file_shows_a_specific_error(page, base_url, hide_files, problems):
    """With pyodide.asm.wasm missing, the page names the file and says data-py-state=error."""
    hide_files({"assets/vendor/pyodide/pyodide.asm.wasm"})
    problems.expected = (NOT_FOUND,)
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    status = page.inner_text("#py-status")
    assert "pyodide.asm.wasm" in status
    assert "404" in status
    assert page.is_visible("#py-status")
    assert_failure_explained(page, "pyodide.asm.wasm is missing (HTTP 404)")


def test_missing_python_module_shows_a_specific_error(page, base_url, hide_files, problems):
    """A missing py/ module is named on the page, not left as an endless spinner."""
    hide_files({"py/lab/lab.py"})
    problems.expected = MODULE_MISSING
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    assert "py/lab/lab.py" in page.inner_text("#py-status")
    assert_failure_explained(page, "py/lab/lab.py is missing (HTTP 404)")


def test_drawing_works_while_python_is_broken(page, base_url, hide_files, problems):
    """The pad is plain JavaScript: with the runtime failing (named as soon as the worker
    reports it), strokes still appear."""
    hide_files({"assets/vendor/pyodide/python_stdlib.zip"})
    problems.expected = STDLIB_MISSING
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    assert_failure_explained(page, "python_stdlib.zip is missing (HTTP 404)")
    # Named as soon as the worker reported its failure, not by the late check.
    shown = page.evaluate("performance.getEntriesByName('py-error')[0].startTime")
    assert shown < LATE_AFTER_MS, f"error shown after {shown:.0f} ms"
    box = page.locator("#pad").bounding_box()
    page.mouse.move(box["x"] + 50, box["y"] + 50)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 200, steps=5)
    page.mouse.up()
    ink = sum(alpha > 0 for alpha in canvas_rgba(page)[3::4])
    assert ink > 500


def test_ink_drawn_before_the_page_glue_runs_reaches_python(page, base_url):
    """pad-start.js takes strokes before main.js has run (held back here until a 7 is drawn):
    once main.js runs and Python is up, that ink is what the lab scores, with no new stroke."""
    held = []
    page.route("**/assets/js/main.js", lambda route: held.append(route))
    page.goto(base_url, wait_until="commit")
    page.wait_for_function("performance.getEntriesByName('pad-ready').length > 0")
    for stroke in SEVEN:
        draw_stroke(page, stroke)
    assert sum(alpha > 0 for alpha in canvas_rgba(page)[3::4]) > 500
    assert held and page.get_attribute("html", "data-updates") == "0"
    for route in held:
        route.continue_()
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_function(
        "+document.documentElement.dataset.updates > 0"
        " && document.documentElement.dataset.idle === 'true'",
        timeout=30_000,
    )
    assert page.inner_text("#prediction") != ""
    assert page.get_attribute("section.lab", "data-empty") == "false"


def start_with_a_failing_file_check(context, page, base_url) -> None:
    """Answer the page's HEAD probe of pyodide.asm.wasm with 404 while the worker's GET of the
    same file succeeds, held back until the page has shown the error: Python then comes up late."""
    held = []
    released = False

    def wasm(route):
        if route.request.method == "HEAD":
            route.fulfill(status=404, body="")
        elif released:
            route.continue_()
        else:
            held.append(route)

    context.route("**/pyodide.asm.wasm", wasm)
    page.add_init_script(RECORD_STATES)
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    status = page.inner_text("#py-status")
    assert "pyodide.asm.wasm" in status and "404" in status
    released = True
    for route in held:
        route.continue_()


def test_a_failed_file_check_only_diagnoses_and_python_coming_up_wins(
    context, page, base_url, problems
):
    """A HEAD probe answered 404 shows the error, yet when Python comes up the page is ready
    and works: the lab predicts, the quiz starts."""
    problems.expected = (NOT_FOUND,)
    start_with_a_failing_file_check(context, page, base_url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    assert "ready" in page.inner_text("#py-status").lower()
    page.wait_for_function("+document.documentElement.dataset.updates >= 1")
    wait_idle(page)
    draw(page, SEVEN)
    assert page.inner_text("#prediction") != ""
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    assert page.is_enabled("#quiz-reset")


def test_progress_after_an_error_never_shows_loading_again(context, page, base_url, problems):
    """Once data-py-state is error only Python coming up moves it: loading, error, ready."""
    problems.expected = (NOT_FOUND,)
    start_with_a_failing_file_check(context, page, base_url)
    page.wait_for_function(
        "window.__pyStates.at(-1) === 'ready' || window.__pyStates.at(-1) === 'loading'",
        timeout=READY_TIMEOUT_MS,
    )
    assert page.evaluate("window.__pyStates") == ["loading", "error", "ready"]


def test_an_error_in_the_ready_handler_is_logged_and_shown(page, base_url, problems):
    """A failure in the page's own start-up once Python is ready is a console error and is
    shown in #py-status, never swallowed."""
    logged = []
    page.on("console", lambda msg: msg.type == "error" and logged.append(msg.text))
    page.add_init_script(
        "ServiceWorkerContainer.prototype.register = () => { throw new Error('register broke'); };"
    )
    problems.expected = ("register broke",)
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_function(
        "document.getElementById('py-status').textContent.includes('register broke')",
        timeout=10_000,
    )
    assert any("register broke" in text for text in logged)


# assets/js/runtime.js: a later visit starts Pyodide from the memory snapshot the page saved
# after the first (runtime-snapshot.js); a snapshot Pyodide refuses is deleted with a warning.
RESTORED = "Pyodide started from its memory snapshot"
NOT_USED = "Pyodide memory snapshot not used"
# Flips one byte of the saved snapshot: 20 is inside the build id Pyodide checks first.
TAMPER_SNAPSHOT_JS = """async (offset) => {
  const name = (await caches.keys()).find((key) => key.startsWith('pyodide-snapshot '));
  const cache = await caches.open(name);
  const [request] = await cache.keys();
  const saved = await cache.match(request);
  const bytes = new Uint8Array(await saved.arrayBuffer());
  bytes[offset] ^= 0xff;
  await cache.put(request, new Response(bytes, { headers: saved.headers }));
}"""


def visit_and_save_snapshot(page, base_url) -> None:
    goto_ready(page, base_url)
    page.wait_for_selector("html[data-snapshot=saved]", state="attached", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)


def test_a_second_visit_offline_starts_from_the_snapshot(context, page, base_url):
    """Offline, the second visit restores the snapshot (numpy still loads from the wheel) and
    the lab computes as on a cold start; engine.js sees the snapshot saved and starts no
    snapshot worker."""
    visit_and_save_snapshot(page, base_url)
    context.set_offline(True)
    logged, workers = [], []
    page.on("console", lambda msg: logged.append(msg.text))
    page.on("worker", lambda worker: workers.append(worker.url))
    goto_ready(page, base_url)
    page.wait_for_selector("html[data-snapshot=present]", state="attached")
    assert RESTORED in logged
    assert not any(NOT_USED in text for text in logged)
    assert workers and not [url for url in workers if "runtime-snapshot" in url]
    draw(page, ONE)
    probs = values(page, "data-prob")
    expected = softmax.softmax(values(page, "data-logit"))
    assert max(abs(p - e) for p, e in zip(probs, expected, strict=True)) < 1e-12
    context.set_offline(False)


def test_a_snapshot_pyodide_refuses_is_replaced_and_the_page_starts(context, page, base_url):
    """A snapshot of another build ("Snapshot build id mismatch"): the worker warns, starts
    without it, and the page saves a new one."""
    visit_and_save_snapshot(page, base_url)
    page.evaluate(TAMPER_SNAPSHOT_JS, 20)
    logged = []
    page.on("console", lambda msg: logged.append(msg.text))
    goto_ready(page, base_url)
    assert any(NOT_USED in text and "build id mismatch" in text for text in logged), logged
    assert RESTORED not in logged
    page.wait_for_selector("html[data-snapshot=saved]", state="attached", timeout=READY_TIMEOUT_MS)


def test_missing_numpy_wheel_shows_a_specific_error(page, base_url, site_dir, hide_files, problems):
    """runtime.js fetches the numpy wheel itself: a 404 names the wheel, data-py-state=error."""
    lock = json.loads((site_dir / "assets/vendor/pyodide/pyodide-lock.json").read_text())
    wheel = lock["packages"]["numpy"]["file_name"]
    hide_files({f"assets/vendor/pyodide/{wheel}"})
    # PyScript logs the worker's error event as such, and rethrows its message in the page.
    problems.expected = (NOT_FOUND, wheel, "MessageEvent")
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    assert wheel in page.inner_text("#py-status")
    assert_failure_explained(page, f"{wheel} is missing (HTTP 404)")
