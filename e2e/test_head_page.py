"""The opened head (issue 28): real mouse, real Pyodide. One story on one page load."""

import math

import pytest

from conftest import SEVEN, act, draw, values

FLOAT32 = 1e-5  # the page's forward runs in float32; the panel sums its terms in float64


def head_total(page) -> float:
    return float(page.get_attribute("#head-total", "data-value"))


def wait_total(page, expected: float) -> None:
    """The panel may lag one update behind the lab: wait until it shows `expected`."""
    page.wait_for_function(
        f"Math.abs(+document.getElementById('head-total').dataset.value - ({expected!r}))"
        f" <= {FLOAT32} * Math.max(1, Math.abs({expected!r}))",
        timeout=30_000,
    )


def test_head_panel_sums_the_logit_and_the_nudge_goes_there_and_back(ready_page):
    page = ready_page
    draw(page, SEVEN)
    # Lazy: nothing of the panel's loads before it is opened.
    loaded = (
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('head-view'))"
    )
    assert page.evaluate(loaded) is False
    assert page.get_attribute("#head", "data-state") == "idle"
    page.click("a.open-head")  # the lesson's link opens the panel
    page.wait_for_selector("#head[data-state=ready]", timeout=30_000)
    assert page.evaluate(loaded) is True

    # The total is the table's network logit for the guess (alpha = 1, c = 0).
    logits = values(page, "data-logit")
    guess = max(range(10), key=lambda k: logits[k])
    runner_up = sorted(range(10), key=lambda k: -logits[k])[1]
    wait_total(page, logits[guess])
    assert page.input_value("#head-class") == str(guess)
    terms = page.eval_on_selector_all(
        "#head-terms [data-feature]", "els => els.map(e => [+e.dataset.feature, +e.dataset.value])"
    )
    assert sorted(j for j, _ in terms) == list(range(128))
    bias = float(page.get_attribute("#head-bias", "data-value"))
    assert math.fsum(v for _, v in terms) + bias == pytest.approx(head_total(page), abs=1e-9)
    assert page.get_attribute("#evidence-map", "data-class") == str(guess)

    # Versus the runner-up: z_k - z_k'.
    page.select_option("#head-versus", str(runner_up))
    wait_total(page, logits[guess] - logits[runner_up])
    assert page.get_attribute("#evidence-map", "data-versus") == str(runner_up)

    # A bad epsilon: a clear message, nothing changes.
    page.select_option("#nudge-target", str(runner_up))
    page.fill("#nudge-eps", "0.9")
    page.click("#nudge")
    page.wait_for_selector("#nudge-error:has-text('between 0.05 and 0.5')")
    assert page.get_attribute("html", "data-input") == "drawing"
    assert values(page, "data-logit") == logits

    # The nudge: within eps = 0.3 of the drawing, and the lab shows the nudged input.
    page.fill("#nudge-eps", "0.3")
    act(page, lambda: page.click("#nudge"))
    page.wait_for_selector("html[data-input=nudged]")
    result = page.locator("#nudge-result")
    page.wait_for_selector("#nudge-result[data-steps]:not([hidden])")
    assert float(result.get_attribute("data-max-change")) <= 0.3 + 1e-6
    assert 1 <= int(result.get_attribute("data-steps")) <= 10
    probs = values(page, "data-prob")
    assert float(result.get_attribute("data-target-prob")) == pytest.approx(
        probs[runner_up], rel=1e-9
    )
    assert max(range(10), key=lambda k: probs[k]) == runner_up

    # "Teach it the true digit": no true digit was chosen, so the drawing's guess; the lab
    # keeps the nudged input for the learning card.
    act(page, lambda: page.click("#nudge-teach"))
    assert page.input_value("#true-label") == str(guess)
    assert page.get_attribute("html", "data-input") == "nudged"

    # Back to the drawing: its logits exactly.
    act(page, lambda: page.click("#nudge-back"))
    page.wait_for_selector("html[data-input=drawing]")
    assert values(page, "data-logit") == logits
