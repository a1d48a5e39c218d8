"""Issue 32: following the lab without help, as a keyboard and screen-reader user would.

One story on one page load (each e2e page load costs seconds): the keyboard pen draws a digit,
the one live region (#announce) speaks after each change of outcome and nothing else in the lab
is live, the sliders say their value, a typed value is judged on Enter, the chip beside the
guess names what is in force and resets it, a scribble reads "Not a digit?", and Learn keeps
the focus and says what it did. Everything through the real page: the accessibility tree
(aria snapshots), a MutationObserver installed here, document.activeElement, real keys.
"""

from __future__ import annotations

import re

from conftest import ARTIFACTS, ZIGZAG, act, draw, set_control, updates, wait_idle
from scripts.site.audit import axe_violations

# Counts every change inside a live region of the lab (aria-live, role status/alert/log, or
# <output>, which is a status region by default), by the region's id.
WATCH_LIVE = """() => {
  const LIVE = '[aria-live]:not([aria-live="off"]), [role=status], [role=alert], [role=log],'
    + ' output';
  window.liveChanges = {};
  const lab = document.querySelector('.lab');
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target.nodeType === Node.ELEMENT_NODE ? r.target : r.target.parentElement;
      const region = el && el.closest(LIVE);
      if (!region || !lab.contains(region)) continue;
      const id = region.id || region.tagName;
      window.liveChanges[id] = (window.liveChanges[id] || 0) + 1;
    }
  }).observe(lab, { subtree: true, childList: true, characterData: true });
}"""


def live_changes(page) -> dict:
    """The live-region changes counted since the last call, by region (then reset)."""
    return page.evaluate("() => { const c = liveChanges; window.liveChanges = {}; return c; }")


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def announced(page) -> str:
    return page.text_content("#announce")


def keys(page, *presses: str) -> None:
    for key in presses:
        page.keyboard.press(key)


def test_follow_the_lab_from_the_keyboard_and_a_screen_reader(ready_page):
    page = ready_page
    page.evaluate(WATCH_LIVE)
    # 4. #announce is the lab's only live region: no <output>, aria-live or status role besides
    # it in the drawing, outputs, controls and Learn cards (the examples' own notes aside).
    live = page.eval_on_selector_all(
        ".lab :is(output, [aria-live], [role=status], [role=alert])",
        "els => els.filter((e) => !e.closest('#presets')).map((e) => e.id)",
    )
    assert live == ["announce"]

    # 3. The keyboard pen: Tab reaches the pad, whose name says how; arrows move a visible
    # cursor, Space puts the pen down and lifts it. Draw a 7 and a guess comes.
    page.focus("#undo")
    keys(page, "Shift+Tab")
    assert focused(page) == "pad"
    name = page.get_attribute("#pad", "aria-label")
    assert "keyboard" in name and "Space" in name and "arrow" in name
    assert page.locator("#pad-cursor").is_visible()
    start = page.locator("#pad-cursor").bounding_box()
    keys(page, *["Shift+ArrowUp"] * 3, *["Shift+ArrowLeft"] * 2)
    moved = page.locator("#pad-cursor").bounding_box()
    assert moved["y"] < start["y"] and moved["x"] < start["x"]
    before = updates(page)
    keys(page, "Space", *["Shift+ArrowRight"] * 4)
    assert "down" in page.get_attribute("#pad-cursor", "class")
    for _ in range(6):
        keys(page, "Shift+ArrowDown", "ArrowLeft", "ArrowLeft", "ArrowLeft")
    act(page, lambda: keys(page, "Space"))
    wait_idle(page)
    assert updates(page) > before
    assert "down" not in page.get_attribute("#pad-cursor", "class")
    guess = page.text_content("#prediction")
    assert re.fullmatch(r"[0-9]", guess), guess
    assert page.evaluate("document.documentElement.dataset.idle") == "true"
    assert announced(page).startswith(f"Top guess {guess}, probability")
    # While the pen was down the lab updated; #announce spoke once, when the stroke ended, and
    # no other region of the lab changed at all.
    assert live_changes(page) == {"announce": 1}
    page.locator(".pad-card").screenshot(path=str(ARTIFACTS / "follow-alone-keyboard-pen.png"))

    # 4. The α slider says α, not its log position; one step is one announcement.
    page.focus("#scale-slider")
    assert page.get_attribute("#scale-slider", "aria-valuetext") == "α = 1"
    act(page, lambda: keys(page, "ArrowLeft"))
    alpha = page.input_value("#scale")
    assert alpha != "1"
    assert page.get_attribute("#scale-slider", "aria-valuetext") == f"α = {alpha}"
    assert page.get_attribute("#shift-slider", "aria-valuetext") == "c = 0"
    assert f"In force: α = {alpha}" in announced(page)
    assert live_changes(page) == {"announce": 1}

    # 1. The chip beside the guess names what is in force, in the accessibility tree too.
    chip = page.locator("#pad-in-force")
    assert chip.is_visible()
    assert page.text_content("#pad-in-force-text") == f"In force: α = {alpha}"
    snapshot = chip.aria_snapshot()
    assert f"In force: α = {alpha}" in snapshot and 'button "Reset"' in snapshot

    # 4. A typed value is judged on Enter, not while typing: "0." is no error yet.
    page.focus("#scale")
    keys(page, "Control+a")
    before = updates(page)
    page.keyboard.type("0.")
    assert page.text_content("#scale-error") == "" and updates(page) == before
    page.keyboard.type("05")
    act(page, lambda: keys(page, "Enter"))
    assert page.input_value("#scale") == "0.05" and page.text_content("#scale-error") == ""
    assert page.text_content("#pad-in-force-text") == "In force: α = 0.05"
    assert "In force: α = 0.05" in announced(page)
    # A rejected value is said in #announce too, naming the value still in force.
    set_control(page, "#scale", "-1")
    assert "Still in force: α = 0.05" in announced(page)
    set_control(page, "#shift", "5")
    assert page.text_content("#pad-in-force-text") == "In force: c = 5 · α = 0.05"
    page.locator(".pad-card").screenshot(path=str(ARTIFACTS / "follow-alone-in-force.png"))
    assert axe_violations(page) == []  # the chip shown

    # 1. Reset from the keyboard: the plain network again, focus back on the pad.
    page.focus("#pad-reset")
    act(page, lambda: keys(page, "Enter"))
    assert chip.is_hidden(), page.text_content("#pad-in-force")
    assert page.input_value("#scale") == "1" and page.input_value("#shift") == "0"
    assert focused(page) == "pad"
    p_text = page.text_content(f'tr[data-digit="{guess}"] .p-text')
    assert announced(page) == f"Top guess {guess}, probability {p_text}."
    act(page, lambda: page.click("#zero-logits"))
    assert page.text_content("#pad-in-force-text") == "In force: all logits set to 0"
    assert announced(page).startswith("No single guess: a tie between all ten digits.")
    act(page, lambda: page.click("#pad-reset"))
    assert chip.is_hidden(), page.text_content("#pad-in-force")
    live_changes(page)

    # 10. Learn from the keyboard: focus stays on Learn, the status says what happened (never
    # the stale "Loading the digits…"), and the same drawing taught again is said so.
    set_control(page, "#true-label", guess)
    page.fill("#learn-steps", "2")
    page.focus("#learn")
    for times in (1, 2):
        keys(page, "Enter")
        page.wait_for_function(
            f"document.documentElement.dataset.learned === '{times}'"
            " && document.getElementById('learn').getAttribute('aria-disabled') === 'false'",
            timeout=60_000,
        )
        wait_idle(page)
        assert focused(page) == "learn"
        status = page.text_content("#learn-reason")
        assert status.startswith(f"Taught this drawing as a {guess} (2 steps).")
        assert "Loading" not in status
        assert status in announced(page)
    assert "taught 2 times" in status
    # Every slider says its value in words: the step slider of the press's playback too.
    page.wait_for_function(
        "document.getElementById('learn-step-view').getAttribute('aria-valuetext')"
        " === 'After step 2 of 2'"
    )
    changes = live_changes(page)
    assert set(changes) == {"announce"}
    # 1. Taught weights are named, and pointed at Forget, which Reset does not undo.
    assert page.text_content("#pad-in-force-text") == "In force: taught weights (2 examples)"
    assert page.locator("#pad-reset").is_hidden()
    page.click("#pad-forget-link")
    assert focused(page) == "forget"
    act(page, lambda: keys(page, "Enter"))
    page.wait_for_function("document.documentElement.dataset.learned === '0'")
    wait_idle(page)
    assert chip.is_hidden(), page.text_content("#pad-in-force")
    assert focused(page) == "forget"

    # 2. A scribble: "Not a digit?" on the guess line, the argmax only as the closest digit.
    act(page, lambda: page.click("#clear"))
    draw(page, ZIGZAG)
    assert page.locator("#not-a-digit").is_visible()
    line = page.locator(".guess-line")
    assert page.locator("#guess-doubt").is_visible()
    closest = page.text_content("#prediction")
    assert re.fullmatch(r"[0-9]", closest)
    assert line.inner_text().split("\n")[0].strip() == "Not a digit?"
    assert "closest digit:" in line.inner_text()
    assert announced(page).startswith(f"Not a digit? Closest digit: {closest}, probability")
    doubt = page.locator("#guess-doubt").bounding_box()
    digit = page.locator("#prediction").bounding_box()
    assert digit["y"] >= doubt["y"] + doubt["height"] - 1  # the argmax on a second line
    page.locator(".pad-card").screenshot(path=str(ARTIFACTS / "follow-alone-not-a-digit.png"))
    assert axe_violations(page) == []  # "Not a digit?" shown
