"""The softmax lab, driven with the mouse on the real page: every claim of the lesson."""

import pytest

import softmax
from conftest import (
    ARTIFACTS,
    ONE,
    SEVEN,
    ZERO,
    act,
    canvas_rgba,
    draw,
    goto_ready,
    set_control,
    updates,
    values,
    wait_idle,
)


def probs_and_logits(page):
    return values(page, "data-prob"), values(page, "data-logit")


def test_empty_pad_shows_no_guess(ready_page):
    """Before any ink: no prediction, no numbers, and the page says why."""
    page = ready_page
    assert page.inner_text("#prediction") == ""
    assert values(page, "data-prob") == [None] * 10
    assert page.is_visible("#empty-note")


def test_probabilities_sum_to_one_and_are_softmax_of_the_shown_logits(ready_page):
    """Σp = 1 (1e-9), p = softmax(shown logits), the argmax is the prediction and is announced."""
    page = ready_page
    draw(page, SEVEN)
    probs, logits = probs_and_logits(page)
    assert abs(sum(probs) - 1) < 1e-9
    assert max(abs(a - b) for a, b in zip(probs, softmax.softmax(logits), strict=True)) < 1e-9
    guess = max(range(10), key=lambda k: probs[k])
    assert page.inner_text("#prediction") == str(guess)
    assert page.inner_text("#prob-sum") == "1.000"
    assert f"Top guess {guess}" in page.inner_text("#announce")


@pytest.mark.parametrize("shift", ["-20", "7.5", "20", "1000"])
def test_shift_moves_logits_and_no_probability(ready_page, shift):
    """Adding c to every logit: logits move by c, no probability moves by more than 1e-9."""
    page = ready_page
    draw(page, ZERO)
    probs0, logits0 = probs_and_logits(page)
    set_control(page, "#shift", shift)
    probs1, logits1 = probs_and_logits(page)
    c = float(shift)
    assert all(abs((b - a) - c) < 1e-9 for a, b in zip(logits0, logits1, strict=True))
    assert max(abs(a - b) for a, b in zip(probs0, probs1, strict=True)) <= 1e-9
    assert float(page.get_attribute("#shift-change", "data-value")) < 1e-12


SET_SLIDER = "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }"


def test_shift_slider_updates_the_number(ready_page):
    """Moving the (asinh) slider writes c = sinh(position) into the box and moves the logits."""
    page = ready_page
    draw(page, ONE)
    _, logits0 = probs_and_logits(page)
    act(page, lambda: page.eval_on_selector("#shift-slider", SET_SLIDER, "-2.53"))
    assert page.input_value("#shift") == "-6.2"  # sinh(-2.53) = -6.24, two significant digits
    _, logits1 = probs_and_logits(page)
    assert abs(logits1[0] - logits0[0] + 6.2) < 1e-9


def test_scale_never_changes_the_prediction(ready_page):
    """alpha from 0.05 to 20 keeps #prediction; >1 sharpens (max p up), <1 flattens."""
    page = ready_page
    draw(page, SEVEN)
    guess = page.inner_text("#prediction")
    top = max(values(page, "data-prob"))
    for alpha in ["0.05", "0.5", "2", "20"]:
        set_control(page, "#scale", alpha)
        assert page.inner_text("#prediction") == guess
        new_top = max(values(page, "data-prob"))
        assert new_top > top if float(alpha) > 1 else new_top < top
        assert page.inner_text("#scale-argmax") == page.inner_text("#scale-argmax-1") == guess


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "greater than 0"),
        ("-3", "greater than 0"),
        ("banana", "plain decimal number"),
    ],
)
def test_scale_rejects_non_positive_and_nonsense(ready_page, typed, message):
    """alpha <= 0 or text is refused with a visible message; the last good alpha stays."""
    page = ready_page
    draw(page, ONE)
    set_control(page, "#scale", "2")
    before = values(page, "data-prob")
    set_control(page, "#scale", typed)
    assert message in page.inner_text("#scale-error")
    assert page.get_attribute("#scale", "aria-invalid") == "true"
    assert values(page, "data-prob") == before
    set_control(page, "#scale", "3")
    assert page.inner_text("#scale-error") == ""


def test_a_value_typed_right_after_reset_applies(ready_page):
    """Reset, then α = 3 committed before the update left: one update carries both, and the
    reset comes first, then α = 3 (issue 26.7: the typed value was lost)."""
    page = ready_page
    draw(page, ONE)
    _, own = probs_and_logits(page)
    set_control(page, "#shift", "5")
    set_control(page, "#scale", "2")
    act(
        page,
        lambda: page.evaluate(
            """() => {
              document.getElementById('reset-controls').click();
              const scale = document.getElementById('scale');
              scale.value = '3';
              scale.dispatchEvent(new Event('change'));
            }"""
        ),
    )
    assert page.input_value("#scale") == "3" and page.input_value("#shift") == "0"
    _, logits = probs_and_logits(page)
    assert logits == pytest.approx([3 * z for z in own], rel=1e-12)
    assert page.inner_text("#in-force-text") == "α = 3"


# Two frames after the last update (so the next starts at once, not at the next frame): commit
# `first` (an update starts and is in flight), then type and commit `committed` (Enter or
# leaving the field) before Python has answered. Fields are checked on commit only (issue 32.4:
# no update, no verdict, while typing).
COMMIT_WHILE_IN_FLIGHT = """async ([first, committed]) => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const field = document.getElementById('scale');
  field.focus();
  field.value = first;
  field.dispatchEvent(new Event('change'));
  await Promise.resolve();
  field.value = committed;
  field.dispatchEvent(new Event('input'));
  field.dispatchEvent(new Event('change'));
}"""


@pytest.mark.parametrize(("committed", "shown"), [("3.50", "3.5"), ("banana", "2")])
def test_a_field_committed_while_an_update_is_in_flight_shows_the_value_in_force(
    ready_page, committed, shown
):
    """The commit goes in a second update; once it answers, the field (still focused) shows
    the value in force, not the text typed (issue 26.7: it kept "3.50" or "banana")."""
    page = ready_page
    draw(page, SEVEN)
    before = updates(page)
    page.evaluate(COMMIT_WHILE_IN_FLIGHT, ["2", committed])
    wait_idle(page)
    assert updates(page) == before + 2  # the first update was in flight when the commit came
    assert page.evaluate("document.activeElement.id") == "scale"
    assert page.input_value("#scale") == shown
    assert page.inner_text("#in-force-text") == f"α = {shown}"


def test_all_zero_logits_give_one_tenth_each(ready_page):
    """The all-zero button shows exactly 0.1 per class; pressing again restores the drawing."""
    page = ready_page
    draw(page, SEVEN)
    own = values(page, "data-prob")
    act(page, lambda: page.click("#zero-logits"))
    assert values(page, "data-logit") == [0.0] * 10
    assert values(page, "data-prob") == [0.1] * 10
    assert page.get_attribute("#zero-logits", "aria-pressed") == "true"
    act(page, lambda: page.click("#zero-logits"))
    assert values(page, "data-prob") == own


def test_confidently_wrong_label_flags_and_shows_p_minus_y(ready_page):
    """A wrong label against a confident guess: the flag, loss -log p_y, gradient p - y."""
    page = ready_page
    draw(page, ONE)
    set_control(page, "#scale", "20")  # make the guess confident, whatever the network said
    guess = int(page.inner_text("#prediction"))
    label = (guess + 5) % 10
    set_control(page, "#true-label", str(label))
    probs, logits = probs_and_logits(page)
    grads = values(page, "data-grad")
    assert page.is_visible("#ce-flag")
    assert "Confidently wrong" in page.inner_text("#ce-flag")
    for k in range(10):
        assert abs(grads[k] - (probs[k] - (k == label))) < 1e-12
    loss = float(page.get_attribute("#ce-loss", "data-value"))
    assert loss == pytest.approx(-softmax.log_softmax(logits)[label], rel=1e-9)
    set_control(page, "#true-label", str(guess))
    assert not page.is_visible("#ce-flag")
    right = values(page, "data-grad")
    assert max(map(abs, right)) < max(map(abs, grads))


def test_clear_empties_everything(ready_page):
    """Clear wipes the pad and every number: no prediction, empty data-values."""
    page = ready_page
    draw(page, SEVEN)
    set_control(page, "#true-label", "3")
    act(page, lambda: page.click("#clear"))
    assert page.inner_text("#prediction") == ""
    for attr in ("data-logit", "data-prob", "data-grad"):
        assert values(page, attr) == [None] * 10
    assert page.get_attribute("#ce-loss", "data-value") == ""
    assert set(canvas_rgba(page)) == {0}


def test_undo_removes_exactly_the_last_stroke(ready_page):
    """Undo restores the very pixels and logits from before the last stroke."""
    page = ready_page
    draw(page, [SEVEN[0]])
    pixels, logits = canvas_rgba(page), values(page, "data-logit")
    draw(page, [[(90, 150), (190, 150)]])  # a crossbar
    assert canvas_rgba(page) != pixels
    act(page, lambda: page.click("#undo"))
    assert canvas_rgba(page) == pixels
    assert values(page, "data-logit") == logits


def test_controls_are_keyboard_reachable(ready_page):
    """Clear, Undo and the all-zero button work from the keyboard."""
    page = ready_page
    draw(page, ONE)
    one = values(page, "data-prob")
    draw(page, [[(90, 150), (190, 150)]])
    page.focus("#undo")
    act(page, lambda: page.keyboard.press("Enter"))
    assert values(page, "data-prob") == one
    page.focus("#zero-logits")
    act(page, lambda: page.keyboard.press("Space"))
    assert values(page, "data-prob") == [0.1] * 10
    act(page, lambda: page.keyboard.press("Enter"))
    assert values(page, "data-prob") == one
    page.focus("#clear")
    act(page, lambda: page.keyboard.press("Enter"))
    assert page.inner_text("#prediction") == ""


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_screenshots_and_no_sideways_scroll(new_context, base_url, width, height):
    """Laptop and phone layouts render the lab without horizontal scrolling (screenshots kept)."""
    context = new_context(
        base_url, viewport={"width": width, "height": height}, has_touch=width < 500
    )
    page = context.new_page()
    goto_ready(page, base_url)
    draw(page, SEVEN)
    set_control(page, "#true-label", "1")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"lab-{width}x{height}.png"), full_page=True)


def test_touch_drawing_draws_and_does_not_scroll(new_context, base_url):
    """On a phone a finger stroke on the pad draws a digit and the page does not scroll."""
    context = new_context(
        base_url, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    goto_ready(page, base_url)
    page.locator("#pad").scroll_into_view_if_needed()
    scroll_before = page.evaluate("window.scrollY")
    box = page.locator("#pad").bounding_box()
    cdp = context.new_cdp_session(page)

    def touch(kind, x, y):
        points = [] if kind == "touchEnd" else [{"x": box["x"] + x, "y": box["y"] + y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def stroke():
        touch("touchStart", 120, 30)
        for i in range(1, 20):
            touch("touchMove", 120 + i, 30 + i * 10)
        touch("touchEnd", 0, 0)

    act(page, stroke)
    assert page.evaluate("window.scrollY") == scroll_before
    assert page.inner_text("#prediction") != ""
    assert len(set(canvas_rgba(page))) > 1
