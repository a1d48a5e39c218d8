"""Softmax by hand on the real page: one story, one page load. The expected probabilities are
computed here, in plain Python, from the logits the panel's bars hold."""

import math

from conftest import SEVEN, draw, goto_ready, values, wait_idle

OVERFLOW = math.log(1.7976931348623157e308)  # ~709.78: e^z above this is inf in float64


def expected_softmax(z: list[float]) -> list[float]:
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = math.fsum(e)
    return [v / total for v in e]


def settled(page) -> None:
    """Every change made so far has been computed by Python and rendered."""
    page.wait_for_selector("#by-hand[data-pending=false][data-state=ready]")


def panel_matches_softmax(page) -> list[float]:
    """The panel's p equals softmax of the logits its bars hold, to 1e-12; returns the logits."""
    z = values(page, "data-hand-logit")
    p = values(page, "data-hand-prob")
    for got, want in zip(p, expected_softmax(z), strict=True):
        assert abs(got - want) <= 1e-12, (z, p)
    assert abs(math.fsum(p) - 1) <= 1e-12
    return z


def drag(page, k: int, fraction: float) -> None:
    """Drag logit k's thumb with the real mouse from the bar's middle to `fraction` of its width."""
    box = page.locator(f"[data-hand-logit='{k}']").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + fraction * box["width"], y, steps=8)
    page.mouse.up()


def touch_drag(page, k: int, fraction: float) -> None:
    """Drag logit k's thumb with a finger (CDP touch events) from the middle to `fraction`."""
    box = page.locator(f"[data-hand-logit='{k}']").bounding_box()
    y = box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    for i in range(11):
        x = box["x"] + (0.5 + (fraction - 0.5) * i / 10) * box["width"]
        kind = "touchStart" if i == 0 else "touchMove"
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_drag_keys_naive_overflow_and_seeded_samples(new_context, base_url):
    page = new_context(base_url, has_touch=True).new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    goto_ready(page, base_url)
    draw(page, SEVEN)
    wait_idle(page)
    # Lazy: nothing of the panel's code is fetched before it opens.
    assert page.get_attribute("#by-hand", "data-state") == "idle"
    assert not page.locator("[data-hand-logit]").count()
    assert not [u for u in requested if u.endswith("by-hand-view.js")]

    # The lesson's link opens it, starting from the drawing's own logits.
    page.click("a.open-by-hand")
    settled(page)
    assert [u for u in requested if u.endswith("by-hand-view.js")]
    drawing = values(page, "data-logit")
    start = panel_matches_softmax(page)
    assert start == drawing
    assert page.get_attribute("[data-hand-logit='0']", "role") == "slider"

    # A real mouse drag moves logit 3 to the right of zero; p follows.
    drag(page, 3, 0.8)
    settled(page)
    z = panel_matches_softmax(page)
    assert z[3] != start[3] and z[3] > 0
    assert page.get_attribute("[data-hand-logit='3']", "aria-valuenow") == str(
        page.get_attribute("[data-hand-logit='3']", "data-value")
    )
    # A finger drags logit 1 to the left of zero.
    touch_drag(page, 1, 0.2)
    settled(page)
    z = panel_matches_softmax(page)
    assert z[1] < 0 and z[1] != start[1]
    entropy = float(page.get_attribute("#hand-entropy", "data-value"))
    p = expected_softmax(z)
    assert abs(entropy + math.fsum(q * math.log(q) for q in p if q > 0)) <= 1e-9

    # Keys: three arrows up and Page Up add 1.3; Home sends logit 0 to the panel's minimum.
    slider = page.locator("[data-hand-logit='5']")
    slider.focus()
    for key in ("ArrowUp", "ArrowUp", "ArrowRight", "PageUp"):
        page.keyboard.press(key)
    page.locator("[data-hand-logit='0']").focus()
    page.keyboard.press("Home")
    settled(page)
    z = panel_matches_softmax(page)
    assert abs(z[5] - (start[5] + 1.3)) <= 1e-9
    assert z[0] == -1000
    assert float(page.get_attribute("[data-hand-logit='0']", "aria-valuenow")) == -1000

    # Dragged past ~709.78 with the naive path on: exp overflows to inf and p reads nan.
    drag(page, 9, 0.99)
    page.click("#hand-naive")
    settled(page)
    assert page.get_attribute("#hand-naive", "aria-pressed") == "true"
    z = values(page, "data-hand-logit")
    assert OVERFLOW < z[9] <= 1000
    assert page.inner_text("#hand-stages tr[data-stage=exp] td:nth-of-type(10)") == "inf"
    assert page.get_attribute("[data-hand-prob='9']", "data-value") == "nan"
    assert page.inner_text("[data-hand-prob='9']") == "nan"
    assert page.is_visible("#hand-overflow-note")
    assert page.get_attribute("#hand-entropy", "data-value") == "nan"
    # Naive off: the same logits give finite probabilities summing to 1.
    page.click("#hand-naive")
    settled(page)
    assert values(page, "data-hand-logit") == z
    panel_matches_softmax(page)
    assert not page.is_visible("#hand-overflow-note")

    # 10,000 draws with one seed, twice: the same counts, n in all.
    page.select_option("#sample-n", "10000")
    page.fill("#sample-seed", "2026")
    counts = []
    for _ in range(2):
        page.click("#sample")
        page.wait_for_selector("#sample:not([disabled])")
        counts.append(values(page, "data-sample-count"))
    assert counts[0] == counts[1] and sum(counts[0]) == 10000
    assert "10,000 draws with seed 2026" in page.inner_text("#sample-status")
    # A bad seed is refused with a reason, and the histogram stays.
    page.fill("#sample-seed", "seven")
    page.click("#sample")
    page.wait_for_selector("#sample:not([disabled])")
    assert "seed" in page.inner_text("#sample-status")
    assert values(page, "data-sample-count") == counts[0]

    # Back to the drawing's logits.
    page.click("#hand-reset")
    page.wait_for_function(
        "() => document.querySelector(\"[data-hand-logit='0']\").dataset.value !== '-1000'"
    )
    settled(page)
    assert panel_matches_softmax(page) == drawing
