"""The offline runtime: Python + numpy start in the page from the site alone, or fail visibly."""

import math

import softmax
from conftest import READY_TIMEOUT_MS, act, canvas_rgba, draw, values


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
    draw(page, [[(140, 40), (140, 240)]])
    logits = values(page, "data-logit")
    probs = values(page, "data-prob")
    expected = softmax.softmax(logits)
    assert max(abs(p - e) for p, e in zip(probs, expected, strict=True)) < 1e-12
    assert math.isclose(sum(probs), 1.0, abs_tol=1e-9)


def test_missing_runtime_file_shows_a_specific_error(page, base_url, hide_files, problems):
    """With pyodide.asm.wasm missing, the page names the file and says data-py-state=error."""
    hide_files({"assets/vendor/pyodide/pyodide.asm.wasm"})
    problems.expected = ("",)  # the failing runtime logs its own errors
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    status = page.inner_text("#py-status")
    assert "pyodide.asm.wasm" in status
    assert "404" in status
    assert page.is_visible("#py-status")


def test_missing_python_module_shows_a_specific_error(page, base_url, hide_files, problems):
    """A missing py/ module is named on the page, not left as an endless spinner."""
    hide_files({"py/lab.py"})
    problems.expected = ("",)  # the failing runtime logs its own errors
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    assert "py/lab.py" in page.inner_text("#py-status")


def test_drawing_works_while_python_is_broken(page, base_url, hide_files, problems):
    """The pad is plain JavaScript: with the runtime failing, strokes still appear."""
    hide_files({"assets/vendor/pyodide/python_stdlib.zip"})
    problems.expected = ("",)  # a runtime without its standard library logs many errors
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    box = page.locator("#pad").bounding_box()
    page.mouse.move(box["x"] + 50, box["y"] + 50)
    page.mouse.down()
    page.mouse.move(box["x"] + 200, box["y"] + 200, steps=5)
    page.mouse.up()
    ink = sum(alpha > 0 for alpha in canvas_rgba(page)[3::4])
    assert ink > 500
