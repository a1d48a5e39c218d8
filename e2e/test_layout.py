"""Phone-first layout: the pad, the guess and the ten probabilities on one screen while drawing.

Also: no sideways scroll from 320 px up, dark mode, reduced motion, and screenshots of each
layout in light and dark (e2e-artifacts/).
"""

import pytest

from conftest import (
    ARTIFACTS,
    SEVEN,
    act,
    draw,
    goto_ready,
    open_by_hand_overflowed,
    set_control,
    updates,
    values,
)

# Every element that must be on screen, fully, while drawing.
ON_SCREEN = ("#pad", "#prediction", *(f'[data-prob="{k}"]' for k in range(10)))

OFF_SCREEN_JS = """(selectors) => selectors.filter((selector) => {
  const el = document.querySelector(selector);
  const box = el.getBoundingClientRect();
  return !(el.getClientRects().length > 0 && box.left >= 0 && box.top >= 0 &&
           box.right <= innerWidth && box.bottom <= innerHeight);
})"""


def off_screen(page, also: tuple[str, ...] = ()) -> list[str]:
    """The ON_SCREEN elements (and `also`) not entirely inside the viewport: [] when all are."""
    return page.evaluate(OFF_SCREEN_JS, [*ON_SCREEN, *also])


def shoot(page, name: str) -> None:
    """Screenshots of what the screen shows, in light and in dark mode."""
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(ARTIFACTS / f"layout-{name}-{scheme}.png"))
    page.emulate_media(color_scheme="light")


class Finger:
    """A finger on the pad through CDP touch events, at pad-relative positions (0..1)."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.box = page.locator("#pad").bounding_box()

    def send(self, kind: str, fx: float = 0, fy: float = 0) -> None:
        box = self.box
        point = {"x": box["x"] + fx * box["width"], "y": box["y"] + fy * box["height"]}
        points = [] if kind == "touchEnd" else [point]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def wait_update_after(page, before: int) -> None:
    page.wait_for_function(
        f"+document.documentElement.dataset.updates > {before}"
        " && document.documentElement.dataset.idle === 'true'",
        timeout=30_000,
    )


@pytest.mark.parametrize(("width", "height"), [(390, 844), (360, 740)], ids=["390x844", "360x740"])
def test_phone_shows_pad_guess_and_ten_probabilities_while_drawing(
    new_context, base_url, width, height
):
    """A finger draws a 1: mid-stroke and after, the pad, the guess, all ten [data-prob] (with
    numbers) and the status line are on screen together, and the page has not scrolled."""
    context = new_context(
        base_url,
        viewport={"width": width, "height": height},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    goto_ready(page, base_url)
    assert off_screen(page, also=("#py-status",)) == []
    finger = Finger(page)
    before = updates(page)
    finger.send("touchStart", 0.5, 0.12)
    for i in range(1, 13):  # the finger is still down after these: the lab updates mid-stroke
        finger.send("touchMove", 0.5 + 0.004 * i, 0.12 + 0.05 * i)
    wait_update_after(page, before)
    assert off_screen(page, also=("#py-status",)) == []
    assert None not in values(page, "data-prob"), "no probabilities shown while drawing"
    assert page.evaluate("window.scrollY") == 0
    act(page, lambda: finger.send("touchEnd"))
    assert off_screen(page, also=("#py-status",)) == []
    assert page.evaluate("window.scrollY") == 0
    assert page.inner_text("#prediction") != ""
    shoot(page, f"phone-{width}x{height}")


@pytest.mark.parametrize(
    ("width", "height", "scroll"),
    [(844, 390, True), (768, 1024, False), (1024, 768, False)],
    ids=["phone-landscape-844x390", "tablet-768x1024", "tablet-1024x768"],
)
def test_landscape_phone_and_tablets_show_pad_and_probabilities_together(
    new_context, base_url, width, height, scroll
):
    """Held sideways (after scrolling the pad card to the top) or on a tablet (as loaded), the
    pad, the guess and all ten probabilities fit on one screen after drawing."""
    context = new_context(base_url, viewport={"width": width, "height": height})
    page = context.new_page()
    goto_ready(page, base_url)
    if scroll:
        page.eval_on_selector(".pad-card", "el => el.scrollIntoView({ block: 'start' })")
    draw(page, SEVEN)
    assert off_screen(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    name = "phone-landscape" if scroll else "tablet"
    shoot(page, f"{name}-{width}x{height}")


WIDTHS = (320, 360, 375, 390, 414, 480, 568, 600, 667, 720, 768, 844, 1024, 1280, 1600)


def test_no_sideways_scroll_at_any_width_from_320(new_context, base_url):
    """With every optional element showing (flag, error, in-force note, quiz feedback, the head
    panel with a nudge), no width
    from 320 to 1600 px scrolls sideways; desktop screenshots, light and dark."""
    context = new_context(base_url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    goto_ready(page, base_url)
    shoot(page, "desktop-1280x800-empty")
    draw(page, SEVEN)
    set_control(page, "#scale", "20")
    guess = int(page.inner_text("#prediction"))
    set_control(page, "#true-label", str((guess + 5) % 10))
    set_control(page, "#shift", "banana")
    page.locator("#quiz fieldset label").first.click()
    page.click("#quiz-check")
    page.wait_for_function("() => document.getElementById('quiz-feedback').textContent !== ''")
    page.click("#head summary")
    page.wait_for_selector("#head[data-state=ready]")
    page.select_option("#nudge-target", str(guess))  # more sure of the guess: still wrong
    act(page, lambda: page.click("#nudge"))
    open_by_hand_overflowed(page)
    shown = ("#ce-flag", "#shift-error", "#in-force", "#quiz-feedback", "#nudge-result", "#by-hand")
    for selector in shown:
        assert page.is_visible(selector), selector
    page.evaluate("scrollTo(0, 0)")
    shoot(page, "desktop-1280x800")
    wide = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide[width] = scroll_width
    assert wide == {}, "page wider than the screen (width: scrollWidth)"


def test_dark_mode_follows_the_system_setting(page, base_url):
    """prefers-color-scheme: dark gives a dark page and light text; light gives the reverse."""
    goto_ready(page, base_url)
    luminance_js = """(selector) => {
      const el = document.querySelector(selector);
      const [r, g, b] = getComputedStyle(el).%s.match(/\\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }"""
    background = luminance_js % "backgroundColor"
    text = luminance_js % "color"
    page.emulate_media(color_scheme="light")
    assert page.evaluate(background, "html") > 0.9
    assert page.evaluate(text, "h1") < 0.2
    page.emulate_media(color_scheme="dark")
    assert page.evaluate(background, "html") < 0.1
    assert page.evaluate(background, ".lab .card") < 0.15
    assert page.evaluate(text, "h1") > 0.8


RUNNING_ANIMATIONS_JS = "() => document.getAnimations().map((a) => a.constructor.name)"
MOVING_STYLES_JS = """() => [...document.querySelectorAll('*')].filter((el) => {
  const style = getComputedStyle(el);
  return style.animationName !== 'none' ||
    style.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
}).map((el) => el.className || el.tagName)"""


def test_reduced_motion_runs_no_animation_or_transition(new_context, base_url):
    """With prefers-reduced-motion: reduce nothing moves: the loading spinner stops and no
    element has a transition or animation; without it the spinner does spin."""
    context = new_context(base_url, viewport={"width": 1280, "height": 800})
    held = []  # the wasm download, held so the page stays in its loading state
    context.route("**/pyodide.asm.wasm", lambda route: held.append(route))
    page = context.new_page()
    page.goto(base_url)
    page.wait_for_selector(".spinner")
    assert page.get_attribute("html", "data-py-state") == "loading"
    assert "CSSAnimation" in page.evaluate(RUNNING_ANIMATIONS_JS)  # the spinner spins
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(RUNNING_ANIMATIONS_JS) == []
    assert page.evaluate(MOVING_STYLES_JS) == []
    assert page.get_attribute("html", "data-py-state") == "loading"
    context.unroute("**/pyodide.asm.wasm")  # the service worker fetches it again later
    for route in held:
        route.fallback()
    page.wait_for_selector("html[data-py-state=ready]", timeout=90_000)
    page.wait_for_function("+document.documentElement.dataset.updates >= 1")
    draw(page, SEVEN)  # bars grow: with motion they would transition for 120 ms
    assert page.evaluate(RUNNING_ANIMATIONS_JS) == []
    assert page.evaluate(MOVING_STYLES_JS) == []


LINES_JS = """(els) => els.map((el) => Math.round(
  el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)))"""


def test_long_numbers_and_the_finished_quiz_fit_a_320_px_phone(new_context, base_url):
    """Issue 32 on phones from 320 px: the longest probability texts (underflow at α = 100,
    "100 % − 2.1e-671 %") take at most two lines of a row; the finished quiz says "Quiz
    finished" and its summary table fits: no sideways scroll, every row inside the screen."""
    from test_quiz_page import check, choose, correct_text, fixture, open_quiz, settle

    context = new_context(base_url, viewport={"width": 320, "height": 740}, is_mobile=True)
    page = context.new_page()
    data = open_quiz(page, base_url, fixture("quiz_choice.json", ["argmax-scaling"]))
    draw(page, SEVEN)
    set_control(page, "#scale", "100")
    texts = page.eval_on_selector_all(".p-text", "els => els.map((el) => el.textContent)")
    assert any(t.startswith("0 (underflow: log₁₀ p = ") for t in texts), texts
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 740})
        lines = page.eval_on_selector_all(".p-text", LINES_JS)
        assert max(lines) <= 2, (width, dict(zip(texts, lines, strict=True)))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.eval_on_selector("table.outputs", "el => el.scrollIntoView()")
    shoot(page, "phone-320-long-numbers")
    page.set_viewport_size({"width": 320, "height": 740})
    choose(page, correct_text(data, "argmax-scaling"))
    check(page)
    page.click("#quiz-next")
    settle(page)
    page.wait_for_selector("#quiz-report:not([hidden])")
    assert page.inner_text("#quiz .quiz-progress") == "Quiz finished"
    for width in (320, 360, 390):
        page.set_viewport_size({"width": width, "height": 740})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        outside = page.eval_on_selector_all(
            "#quiz-report tr, #quiz-report-score, #quiz-feedback .summary",
            "(els) => els.filter((el) => { const b = el.getBoundingClientRect();"
            " return b.left < 0 || b.right > innerWidth; }).length",
        )
        assert outside == 0, width
    page.set_viewport_size({"width": 320, "height": 740})
    page.locator("#quiz-report").scroll_into_view_if_needed()
    shoot(page, "phone-320-quiz-finished")
