"""The lab never shows a learner something untrue: what is in force, ties, empty pads, rounding."""

import math
import re

import pytest

from conftest import ONE, SEVEN, ZERO, act, draw, goto_ready, set_control, values


def typed(page, selector: str, text: str) -> None:
    """Replace a field's text as a learner typing would, then Enter (fields are judged on
    Enter or leaving them, issue 32.4), and wait for the view."""
    page.fill(selector, text)
    act(page, lambda: page.press(selector, "Enter"))


def test_an_emptied_scale_field_never_applies_alpha_silently(ready_page):
    """alpha 3, field emptied, digit drawn again: the page says alpha = 3 applies, field shows 3."""
    page = ready_page
    draw(page, ONE)
    network = values(page, "data-logit")
    typed(page, "#scale", "3")
    typed(page, "#scale", "")
    assert "Still in force: α = 3." in page.inner_text("#scale-error")
    draw(page, [[(150, 60), (150, 230)]])  # pressing on the pad leaves the field: it commits
    assert page.input_value("#scale") == "3"
    assert float(page.input_value("#scale-slider")) == pytest.approx(math.log(3), abs=0.005)
    assert "Still in force: α = 3." in page.inner_text("#scale-error")
    assert page.is_visible("#in-force") and "α = 3" in page.inner_text("#in-force")
    shown = values(page, "data-logit")
    act(page, lambda: page.click("#reset-controls"))
    unscaled = values(page, "data-logit")
    assert shown == pytest.approx([3 * z for z in unscaled], abs=1e-9)
    assert network != unscaled  # the second stroke changed the drawing
    assert not page.is_visible("#in-force") and page.inner_text("#scale-error") == ""
    assert page.input_value("#scale") == "1" and float(page.input_value("#scale-slider")) == 0


def test_rejected_shift_text_says_which_shift_applies(ready_page):
    """c = 5, then "abc": a message names c = 5 as still in force and the field shows 5 again."""
    page = ready_page
    draw(page, SEVEN)
    set_control(page, "#shift", "5")
    set_control(page, "#shift", "abc")
    assert "Still in force: c = 5." in page.inner_text("#shift-error")
    assert page.input_value("#shift") == "5"
    assert page.is_visible("#in-force") and "c = 5" in page.inner_text("#in-force")


def test_all_zero_logits_are_a_tie_not_a_guess_of_0(ready_page):
    """Uniform probabilities: no guess, no starred row, the page names the ten-way tie."""
    page = ready_page
    draw(page, SEVEN)
    act(page, lambda: page.click("#zero-logits"))
    assert page.inner_text("#prediction") == ""
    assert page.get_attribute("#prediction", "data-tie") == "0 1 2 3 4 5 6 7 8 9"
    assert page.is_visible("#tie-note") and "all ten digits" in page.inner_text("#tie-note")
    assert page.locator("tr.guess").count() == 0
    assert page.inner_text("#scale-argmax") == "a tie between all ten digits"
    assert "all logits set to 0" in page.inner_text("#in-force")
    act(page, lambda: page.click("#zero-logits"))
    assert page.locator("tr.guess").count() == 1 and not page.is_visible("#tie-note")


def test_two_quick_clicks_on_all_zero_leave_it_off(ready_page):
    """Two clicks before Python answers the first toggle twice: back to the drawing's logits."""
    page = ready_page
    draw(page, SEVEN)
    own = values(page, "data-prob")
    act(page, lambda: page.eval_on_selector("#zero-logits", "el => { el.click(); el.click(); }"))
    assert page.get_attribute("#zero-logits", "aria-pressed") == "false"
    assert values(page, "data-prob") == own


def test_empty_pad_controls_say_draw_a_digit_first(ready_page):
    """No half sentences on an empty pad: each control asks for a digit; drawing swaps them."""
    page = ready_page
    first = page.locator(".draw-first")
    needs = page.locator(".needs-digit")
    assert first.count() == 3 and needs.count() == 3
    assert all(first.nth(i).is_visible() for i in range(3))
    assert not any(needs.nth(i).is_visible() for i in range(3))
    assert "probability: ." not in page.inner_text(".controls-card")
    draw(page, ZERO)
    assert not any(first.nth(i).is_visible() for i in range(3))
    assert all(needs.nth(i).is_visible() for i in range(2))  # the loss waits for a label


def test_a_tap_is_no_digit(ready_page):
    """A single click on the pad is too small to read: no guess, and the page says why."""
    page = ready_page
    box = page.locator("#pad").bounding_box()
    act(page, lambda: page.mouse.click(box["x"] + 140, box["y"] + 140))
    assert page.inner_text("#prediction") == ""
    assert values(page, "data-prob") == [None] * 10
    assert "too small to be a digit" in page.inner_text("#empty-note")


@pytest.mark.parametrize("shift", ["0.3", "7.5", "-20", "1000"])
def test_float_noise_in_the_shift_check_is_called_rounding(ready_page, shift):
    """A shift moves probabilities by 0 or by float64 rounding, and the text says which."""
    page = ready_page
    draw(page, SEVEN)
    set_control(page, "#shift", shift)
    change = float(page.get_attribute("#shift-change", "data-value"))
    text = page.inner_text("#shift-change")
    assert change < 1e-12
    assert text == "0 (exactly)" if change == 0 else "float64 rounding" in text


@pytest.mark.parametrize("text", ["0x10", "1_000", "٣", "Infinity"])
def test_field_and_slider_share_one_number_rule(ready_page, text):
    """What JavaScript or Python alone would read as a number is refused, naming the rule."""
    page = ready_page
    draw(page, ONE)
    set_control(page, "#shift", text)
    assert "plain decimal number such as 2.5" in page.inner_text("#shift-error")
    assert page.input_value("#shift") == "0"


def test_minus_zero_and_the_ends_of_each_range(ready_page):
    """-0 reads as 0; alpha 100 and 0.01 put the slider at its ends; c = 1000 at the shift max."""
    page = ready_page
    draw(page, ONE)
    set_control(page, "#shift", "-0")
    assert page.input_value("#shift") == "0" and page.inner_text("#shift-error") == ""
    for alpha, end in (("100", "max"), ("0.01", "min")):
        set_control(page, "#scale", alpha)
        assert page.input_value("#scale-slider") == page.get_attribute("#scale-slider", end)
    set_control(page, "#shift", "1000")
    assert page.input_value("#shift-slider") == page.get_attribute("#shift-slider", "max")


def test_gradient_text_says_descent_moves_against_p_minus_y(ready_page):
    """The card and the flag describe the sign right: descent moves logits against p - y."""
    page = ready_page
    draw(page, ONE)
    set_control(page, "#scale", "20")
    label = (int(page.inner_text("#prediction")) + 5) % 10
    set_control(page, "#true-label", str(label))
    card = page.inner_text("#ce-control")
    assert "pushes the true class up" not in card
    assert "Gradient descent steps against it" in card
    assert "against its p − y: the true class up" in page.inner_text("#ce-flag")


def _luminance(css: str) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(page, selector: str) -> float:
    fg, bg = page.eval_on_selector(
        selector, "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    )
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_buttons_keep_contrast_when_hovered_and_pressed(ready_page):
    """Every state of the all-zero button (rest, hover, pressed, pressed + hover) reads >= 4.5:1."""
    page = ready_page
    page.emulate_media(reduced_motion="reduce")
    draw(page, SEVEN)
    page.mouse.move(0, 0)
    assert _contrast(page, "#zero-logits") >= 4.5
    page.hover("#zero-logits")
    assert _contrast(page, "#zero-logits") >= 4.5
    act(page, lambda: page.click("#zero-logits"))
    page.hover("#zero-logits")
    assert page.get_attribute("#zero-logits", "aria-pressed") == "true"
    assert _contrast(page, "#zero-logits") >= 4.5
    page.mouse.move(0, 0)
    assert _contrast(page, "#zero-logits") >= 4.5


def test_a_second_finger_does_not_join_the_stroke(new_context, base_url):
    """Two fingers on the pad: only the first draws; the second leaves no ink and no line."""
    context = new_context(base_url, viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page = context.new_page()
        goto_ready(page, base_url)
        page.locator("#pad").scroll_into_view_if_needed()
        box = page.locator("#pad").bounding_box()
        scale = box["width"] / 280
        cdp = context.new_cdp_session(page)

        def point(touch_id, x, y):
            return {"x": box["x"] + x * scale, "y": box["y"] + y * scale, "id": touch_id}

        def two_fingers():
            send = lambda kind, pts: cdp.send(  # noqa: E731
                "Input.dispatchTouchEvent", {"type": kind, "touchPoints": pts}
            )
            send("touchStart", [point(0, 60, 40)])
            send("touchStart", [point(0, 60, 50), point(1, 240, 200)])  # a second finger lands
            for i in range(1, 15):
                send("touchMove", [point(0, 60, 50 + 12 * i), point(1, 240, 200 + i)])
            send("touchEnd", [])

        act(page, two_fingers)
        ink_right = page.evaluate(
            """() => { const d = document.getElementById('pad').getContext('2d')
                .getImageData(200, 0, 80, 280).data;
              let n = 0; for (let i = 3; i < d.length; i += 4) n += d[i] > 0; return n; }"""
        )
        assert ink_right == 0
        assert page.inner_text("#prediction") != ""
    finally:
        context.close()
