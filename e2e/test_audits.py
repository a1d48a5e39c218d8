"""The standard audits as tests: axe-core in every state of the page, light and dark, and
Lighthouse's accessibility, best-practices and SEO scores (100 each)."""

import pytest

from conftest import (
    ONE,
    READY_TIMEOUT_MS,
    act,
    draw,
    open_by_hand_overflowed,
    set_control,
    wait_idle,
)
from scripts.site.audit import ARTIFACTS, ENFORCED, axe_violations, failures, run_lighthouse, scores

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def audit_states(page, found: dict, state: str) -> None:
    """Record axe's violations for the page in `state` (kept only when there are some)."""
    violations = axe_violations(page)
    if violations:
        found[state] = violations


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", PHONE)],
    ids=["light-desktop", "dark-phone"],
)
def test_axe_finds_nothing_in_any_lab_or_quiz_state(new_context, base_url, scheme, viewport):
    """axe (all default rules + target-size) reports no violation while loading, ready, drawn,
    with controls changed and in force, a rejected value, a tie, offline-ready, quiz feedback."""
    context = new_context(base_url, viewport=viewport, color_scheme=scheme)
    held = []  # the wasm download, held so the loading state lasts as long as the audit
    context.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page = context.new_page()
    found: dict[str, list[str]] = {}
    page.goto(base_url)
    page.wait_for_selector("#prob-strip li")
    audit_states(page, found, "loading")
    assert page.get_attribute("html", "data-py-state") == "loading"
    context.unroute("**/pyodide.asm.wasm")  # the service worker fetches it again later
    for route in held:
        route.fallback()
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_function("+document.documentElement.dataset.updates >= 1")
    wait_idle(page)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    audit_states(page, found, "ready, empty pad, quiz question")
    draw(page, ONE)
    audit_states(page, found, "drawn")
    set_control(page, "#shift", "5")
    set_control(page, "#scale", "3")
    set_control(page, "#true-label", "4")
    assert page.is_visible("#in-force")
    audit_states(page, found, "controls changed, in-force note, cross-entropy")
    set_control(page, "#scale", "-1")
    assert page.inner_text("#scale-error") != ""
    audit_states(page, found, "rejected control value")
    act(page, lambda: page.click("#zero-logits"))
    assert page.is_visible("#tie-note")
    audit_states(page, found, "tie (all-zero logits)")
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    audit_states(page, found, "works offline")
    page.locator("#quiz fieldset label").nth(1).click()
    page.click("#quiz-hint")
    page.click("#quiz-check")
    page.wait_for_selector("#quiz-feedback p")
    page.wait_for_function("() => (document.getElementById('quiz').dataset.pending || '0') === '0'")
    audit_states(page, found, "quiz feedback")
    open_by_hand_overflowed(page)
    audit_states(page, found, "by-hand panel open: naive overflow, samples drawn")
    assert found == {}
    # The harness sees real problems: a pad without its accessible name is reported.
    page.eval_on_selector("#pad", "el => el.removeAttribute('aria-label')")
    assert any(v.startswith("role-img-alt") for v in axe_violations(page))


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", PHONE), ("dark", DESKTOP)],
    ids=["light-phone", "dark-desktop"],
)
def test_axe_finds_nothing_when_python_fails(
    new_context, base_url, problems, hide_files, scheme, viewport
):
    """With a runtime file missing, the error state (message in #py-status) has no violation."""
    hide_files({"assets/vendor/pyodide/pyodide.asm.wasm"})
    problems.expected = ("Failed to load resource: the server responded with a status of 404",)
    context = new_context(base_url, viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
    assert axe_violations(page) == []


def test_lighthouse_accessibility_best_practices_and_seo_are_100(base_url):
    """One Lighthouse run (mobile) in Debian Chromium: accessibility, best practices, SEO 100."""
    report = run_lighthouse(base_url, "mobile", ARTIFACTS / "lighthouse-test-mobile")
    got = scores(report)
    lost = {c: failures(report, c) for c in ENFORCED if got[c] < 100}
    assert lost == {}, got
