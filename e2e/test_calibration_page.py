"""Calibration on held-out digits and the worst-mistakes gallery, on the real page."""

import json
import re

import numpy as np
import pytest

from calibration_panel import CalibrationPanel
from conftest import (
    ARTIFACTS,
    READY_TIMEOUT_MS,
    SEVEN,
    THREE,
    act,
    canvas_rgba,
    draw,
    draw_stroke,
    goto_ready,
    set_control,
    values,
)
from digit_sets import load_digit_set
from heldout import HeldOutRun
from lab_state import LabState
from learn_panel import LearnPanel
from network import load_network
from scripts.site.audit import axe_violations

DIGITS = "assets/digits/mnist-test.npz"
CALIBRATION_TIMEOUT_MS = 180_000  # 1,000 digits through the CNN in Pyodide, on a busy machine


def open_panel(page) -> None:
    page.click("#calibration summary")
    page.wait_for_selector("html[data-calibration=ready]", timeout=CALIBRATION_TIMEOUT_MS)


@pytest.fixture(scope="module")
def cpython_run(site_dir):
    """The same held-out run in CPython, on the files the page is served."""
    digits = load_digit_set((site_dir / DIGITS).read_bytes(), "mnist-test")
    run = HeldOutRun(digits, load_network(str(site_dir / "assets" / "model.npz")))
    while not run.done:
        run.step()
    return run


def test_held_out_digits_are_fetched_only_when_the_panel_opens(new_context, base_url):
    """Start-up and drawing never request the digit file; opening the panel fetches it once.
    (Service workers are blocked here: after start-up the real one precaches the whole site,
    this file included, for offline use.)"""
    context = new_context(base_url, service_workers="block")
    page = context.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    goto_ready(page, base_url)
    draw(page, SEVEN)
    assert page.get_attribute("html", "data-calibration") == "idle"
    assert not [u for u in requested if u.endswith(DIGITS)]
    open_panel(page)
    assert len([u for u in requested if u.endswith(DIGITS)]) == 1


def test_calibration_panel_numbers(ready_page, cpython_run):
    """Ready: T*, ECE and NLL before and after, and every reliability bin equal the CPython run
    of the same network on the same digits; T* lowers the NLL of the digits it was fitted on,
    and the note says so when the evaluation digits got worse."""
    page = ready_page
    open_panel(page)
    ece = {k: float(page.get_attribute("#ece", f"data-{k}")) for k in ("before", "after")}
    nll = {k: float(page.get_attribute("#nll", f"data-{k}")) for k in ("before", "after")}
    report = cpython_run.report()
    assert report["fit_nll_after"] <= report["fit_nll_before"]
    assert nll["after"] == pytest.approx(report["after"]["nll"], rel=1e-4)
    assert ece["after"] == pytest.approx(report["after"]["ece"], rel=1e-3, abs=1e-6)
    went_up = ece["after"] > ece["before"] or nll["after"] > nll["before"]
    assert ("went up, not down" in page.text_content("#temperature-note")) == went_up
    t = float(page.get_attribute("#temperature", "data-value"))
    assert t == pytest.approx(report["temperature"], rel=1e-3)
    assert nll["before"] == pytest.approx(report["before"]["nll"], rel=1e-4)
    assert ece["before"] == pytest.approx(report["before"]["ece"], rel=1e-3, abs=1e-6)
    for svg, key in (("#reliability", "before"), ("#reliability-after", "after")):
        bins = page.eval_on_selector_all(
            f"{svg} [data-count]",
            "els => els.map(e => [e.dataset.count, e.dataset.confidence, e.dataset.accuracy])",
        )
        assert len(bins) == 10
        assert sum(int(c) for c, _, _ in bins) == report["eval_count"]
        for (count, conf, acc), expected in zip(bins, report[key]["bins"], strict=True):
            assert int(count) == expected["count"]
            if expected["count"]:
                assert float(acc) == pytest.approx(expected["accuracy"])
                assert float(conf) == pytest.approx(expected["confidence"], rel=1e-4)
            else:
                assert conf == acc == ""


def test_apply_temperature_sets_alpha_and_keeps_the_prediction(ready_page):
    """#apply-temperature: α = 1/T* in #scale, logits scaled by it, the guess unchanged, and
    the page says why."""
    page = ready_page
    draw(page, SEVEN)
    guess, logits = page.inner_text("#prediction"), values(page, "data-logit")
    open_panel(page)
    t = float(page.get_attribute("#temperature", "data-value"))
    act(page, lambda: page.click("#apply-temperature"))
    alpha = float(page.input_value("#scale"))
    assert alpha == pytest.approx(1 / t, rel=1e-12)
    assert page.inner_text("#prediction") == guess
    assert values(page, "data-logit") == pytest.approx([alpha * z for z in logits], rel=1e-9)
    assert page.is_visible("#apply-note")
    assert "keeps their order" in page.inner_text("#apply-note")
    assert f"α = {alpha:.4g}"[:6] in page.inner_text("#in-force-text")


def test_a_gallery_digit_loads_into_the_lab(ready_page, cpython_run):
    """Clicking a mistake: the pad shows it, the lab shows the network's (wrong) guess for that
    digit and its logits, the true digit is selected, and p − y is large. Enter works too; a
    stroke over it runs the canvas pipeline and undo brings the digit's own logits back. The
    confusion matrix counts what CPython counts; a cell's digit loads with the head panel set
    to true versus read."""
    page = ready_page
    open_panel(page)
    buttons = page.locator("#mistakes button[data-index]")
    assert 0 < buttons.count() <= 12
    assert axe_violations(page) == []  # the open panel: report, diagrams, gallery
    for n in (0, buttons.count() - 1):
        button = buttons.nth(n)
        index = int(button.get_attribute("data-index"))
        label = button.get_attribute("data-label")
        predicted = button.get_attribute("data-predicted")
        assert label != predicted
        expected = cpython_run.network.logits(cpython_run.digits.inputs(slice(index, index + 1)))
        if n == 0:
            act(page, lambda button=button: button.click())
        else:
            button.focus()
            act(page, lambda: page.keyboard.press("Enter"))
        assert page.inner_text("#prediction") == predicted == str(int(expected[0].argmax()))
        assert page.input_value("#true-label") == label
        assert np.max(np.abs(np.array(values(page, "data-logit")) - expected[0])) < 1e-4
        grads, probs = values(page, "data-grad"), values(page, "data-prob")
        assert grads[int(label)] == pytest.approx(probs[int(label)] - 1)
        assert grads[int(predicted)] == pytest.approx(probs[int(predicted)])
        assert len(set(canvas_rgba(page))) > 1  # the pad shows the digit
    own = values(page, "data-logit")
    act(page, lambda: draw_stroke(page, [(20, 260), (60, 260)]))
    assert values(page, "data-logit") != own
    act(page, lambda: page.click("#undo"))
    assert values(page, "data-logit") == own
    act(page, lambda: page.click("#clear"))
    assert page.inner_text("#prediction") == ""
    # The confusion matrix (issue 28): the CPython run's counts, summing to the 1,000 digits; a
    # cell lists its digits, and loading one sets the head panel to (true versus read).
    cells = page.eval_on_selector_all(
        "#confusion [data-true][data-read]",
        "els => els.map(e => [+e.dataset.true, +e.dataset.read, +e.dataset.count])",
    )
    assert len(cells) == 100 and sum(n for _, _, n in cells) == 1000
    read = cpython_run.logits.argmax(axis=1)
    for i, j, n in cells:
        assert n == int(np.sum((cpython_run.digits.labels == i) & (read == j)))
    i, j, _ = next(c for c in cells if c[0] != c[1] and c[2] > 0)
    page.click(f"#confusion [data-true='{i}'][data-read='{j}'] button")
    act(page, lambda: page.locator("#confusion-digits button[data-index]").first.click())
    assert page.inner_text("#prediction") == str(j)
    page.click("#head summary")
    page.wait_for_selector("#head[data-state=ready]")
    page.wait_for_selector(f"#evidence-map[data-class='{i}'][data-versus='{j}']")
    assert page.input_value("#head-class") == str(i)


def test_a_missing_digit_file_is_reported_in_the_panel(page, base_url, hide_files, problems):
    """With the digit file gone (404) the panel says which file and why; the lab still works."""
    hide_files({DIGITS})
    problems.expected = ("404",)  # Chromium logs the failed fetch itself
    goto_ready(page, base_url)
    page.click("#calibration summary")
    page.wait_for_selector("html[data-calibration=error]", timeout=CALIBRATION_TIMEOUT_MS)
    status = page.inner_text("#calibration-status")
    assert DIGITS in status and "HTTP 404" in status
    page.locator("#pad").scroll_into_view_if_needed()
    draw(page, SEVEN)
    assert page.inner_text("#prediction") != ""


def test_the_digit_file_is_precached_for_offline_use(site_dir):
    """The built sw.js lists the digit file, so one visit makes the panel work offline."""
    sw = (site_dir / "sw.js").read_text()
    files = json.loads(re.search(r"const FILES = (\[.*?\]);", sw).group(1))
    assert DIGITS in files


def test_phone_layout_with_the_panel_open(new_context, base_url):
    """At 390 px the open panel, its diagrams and gallery fit without sideways scrolling."""
    context = new_context(base_url, viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    open_panel(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#calibration").screenshot(path=str(ARTIFACTS / "calibration-390x844.png"))


def shown_numbers(page) -> dict:
    """The panel's figures: NLL and ECE before and after, T*."""
    return {
        **{f"nll_{k}": float(page.get_attribute("#nll", f"data-{k}")) for k in ("before", "after")},
        **{f"ece_{k}": float(page.get_attribute("#ece", f"data-{k}")) for k in ("before", "after")},
        "t": float(page.get_attribute("#temperature", "data-value")),
    }


def expected_numbers(report: dict) -> dict:
    return {
        "nll_before": pytest.approx(report["before"]["nll"], rel=1e-4),
        "nll_after": pytest.approx(report["after"]["nll"], rel=1e-4),
        "ece_before": pytest.approx(report["before"]["ece"], rel=1e-3, abs=1e-6),
        "ece_after": pytest.approx(report["after"]["ece"], rel=1e-3, abs=1e-6),
        "t": pytest.approx(report["temperature"], rel=1e-3),
    }


def wait_learned(page, count: int) -> None:
    page.wait_for_function(
        f"+document.documentElement.dataset.learned === {count}"
        " && document.documentElement.dataset.idle === 'true'",
        timeout=CALIBRATION_TIMEOUT_MS,
    )


def test_learning_while_the_panel_runs_marks_it_stale_and_recompute_scores_the_new_weights(
    ready_page, cpython_run, site_dir
):
    """Learn pressed while the held-out digits are being scored: the run finishes on the
    weights it started with (no chunk scored with the taught ones), the panel says its numbers
    are for earlier weights, and Recompute gives the taught network's numbers (issue 26.6)."""
    page = ready_page
    draw(page, THREE)
    set_control(page, "#true-label", "8")
    page.fill("#learn-steps", "50")
    page.click("#calibration summary")
    page.wait_for_function(
        "document.getElementById('calibration-status').textContent.includes('100 of 1000')",
        timeout=CALIBRATION_TIMEOUT_MS,
    )
    page.click("#learn")
    wait_learned(page, 1)
    # The press landed between two chunks: nine were still to come.
    assert page.get_attribute("html", "data-calibration") == "loading"
    page.wait_for_selector("html[data-calibration=ready]", timeout=CALIBRATION_TIMEOUT_MS)
    assert shown_numbers(page) == expected_numbers(cpython_run.report())
    assert "With the shipped weights:" in page.inner_text("#calibration-accuracy")
    assert page.get_attribute("#calibration", "data-stale") == "true"
    assert page.is_visible("#calibration-stale") and page.is_disabled("#apply-temperature")
    assert page.get_attribute("#not-a-digit-taught", "hidden") is None

    # Recompute: the taught weights, as CPython scores them from the learning the page saved.
    page.click("#recompute-calibration")
    page.wait_for_selector("html[data-calibration=ready]", timeout=CALIBRATION_TIMEOUT_MS)
    assert page.get_attribute("#calibration", "data-stale") == "false"
    assert not page.is_visible("#calibration-stale") and page.is_enabled("#apply-temperature")
    saved = page.evaluate("localStorage.getItem('softmax-digits/learned')")
    taught = LabState(str(site_dir / "assets" / "model.npz"))
    assert LearnPanel(taught).restore(saved)["notice"] is None
    calibration = CalibrationPanel(taught)
    calibration.start((site_dir / DIGITS).read_bytes(), "mnist-test")
    progress = calibration.step()
    while "report" not in progress:
        progress = calibration.step()
    assert shown_numbers(page) == expected_numbers(progress["report"])
    assert shown_numbers(page) != expected_numbers(cpython_run.report())
    assert "taught in this browser (1 example since" in page.inner_text("#calibration-accuracy")

    # Forget: the shipped weights again, so this report is stale in turn.
    page.click("#forget")
    wait_learned(page, 0)
    assert page.get_attribute("#calibration", "data-stale") == "true"
    assert page.get_attribute("#not-a-digit-taught", "hidden") is not None
