"""Issue 30: the page in Spanish and German has no English left in it, passes axe and fits a
320 px phone, in every state the other tests reach; and one state link reads as the same numbers
in all three languages.

The same story runs on the English, Spanish and German pages: Python failing to start, ready,
drawn with controls in force and the cross-entropy flag, a rejected value, a tie, "not a
digit?", quiz feedback, a Learn press, the head and by-hand panels, the calibration panel. In
each state every text a person can see or hear (text nodes, aria-label, title, alt, placeholder,
aria-valuetext) is collected; a text that reads the same as in English in that state and holds a
word is English left untranslated, unless every word in it is a name or symbol the languages
share (softmax, logit, Python...).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from conftest import (
    READY_TIMEOUT_MS,
    SEVEN,
    THREE,
    ZIGZAG,
    PageProblems,
    act,
    copy_link,
    draw,
    goto_ready,
    open_by_hand_overflowed,
    open_context,
    open_link,
    press_and_wait,
    set_control,
    values,
)
from scripts.site.audit import axe_violations

# Words every language here writes the same (names, symbols, units, code).
SHARED = set(
    "softmax logit logits python pyodide pyscript numpy mnist exp max log argmax sum digits ece"
    " nll quiz fgsm deutsch english español json def return np float64 inf nan nats bits".split()
)
# English words that are also words of one language, with the same meaning there.
SAME_WORD = {"es": {"total"}, "de": set()}
WASM = "assets/vendor/pyodide/pyodide.asm.wasm"
CALIBRATION_TIMEOUT_MS = 180_000  # 1,000 digits through the CNN in Pyodide, on a busy machine
DESKTOP = {"width": 1280, "height": 800}
PHONE_WIDTHS = (320, 360)

# The innermost elements reaching past the right edge of the screen, each as its tag, id and
# first class (not those inside a box that scrolls or clips them: they do not widen the page).
TOO_WIDE = """() => {
  const past = (el) => el.getBoundingClientRect().right > innerWidth + 0.5;
  const clipped = (el) => {
    for (let box = el.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return box !== document.documentElement
        && box !== document.body;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
  .filter((el) => past(el) && !clipped(el) && ![...el.children].some(past))
  .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''));
}"""

TEXTS = """() => {
  const out = new Set();
  const norm = (s) => s.replace(/\\s+/g, ' ').trim();
  const shown = (el) => el.closest('[hidden]') === null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent.closest('script, style, code, pre, kbd, .cm-editor, select#lang')) continue;
    if (!shown(parent)) continue;
    const text = norm(walker.currentNode.textContent);
    if (text) out.add(text);
  }
  const names = ['aria-label', 'title', 'alt', 'placeholder', 'aria-valuetext'];
  for (const el of document.querySelectorAll(names.map((n) => `[${n}]`).join(', '))) {
    if (!shown(el)) continue;
    for (const name of names) {
      const value = el.getAttribute(name);
      if (value) out.add(norm(value));
    }
  }
  return [...out];
}"""


class Story:
    """Walks the page through its states in one language, keeping each state's texts (and, when
    asked, axe's violations)."""

    def __init__(self, browser, base_url: str, server, lang: str, audit: bool) -> None:
        self.browser, self.base_url, self.server = browser, base_url, server
        self.lang, self.audit = lang, audit
        self.texts: dict[str, set[str]] = {}
        self.violations: dict[str, list[str]] = {}
        self.wide: dict[int, list[str]] = {}  # phone width -> what reaches past the screen
        self.problems = PageProblems()
        self.problems.expected = (
            "Failed to load resource: the server responded with a status of 404",
        )

    def keep(self, page, state: str) -> None:
        self.texts[state] = set(page.evaluate(TEXTS))
        if self.audit and (found := axe_violations(page)):
            self.violations[state] = found

    def new_page(self):
        context = open_context(self.browser, self.base_url, self.problems, viewport=DESKTOP)
        return context, context.new_page()

    def run(self) -> Story:
        self.python_fails()
        context, page = self.new_page()
        try:
            self.lab(page)
        finally:
            context.close()
        self.problems.assert_clean()
        return self

    def python_fails(self) -> None:
        self.server.hidden.add(WASM)
        context, page = self.new_page()
        try:
            page.goto(f"{self.base_url}?lang={self.lang}")
            page.wait_for_selector("html[data-py-state=error]", timeout=READY_TIMEOUT_MS)
            page.wait_for_selector("#quiz-body .quiz-unavailable")
            self.keep(page, "Python could not start")
        finally:
            context.close()
            self.server.hidden.discard(WASM)

    def lab(self, page) -> None:
        goto_ready(page, f"{self.base_url}?lang={self.lang}")
        page.wait_for_selector("#quiz fieldset[data-question-id]")
        self.keep(page, "ready, empty pad, first question")
        draw(page, SEVEN)
        guess = int(page.inner_text("#prediction"))
        set_control(page, "#true-label", str((guess + 5) % 10))
        set_control(page, "#shift", "5")
        set_control(page, "#scale", "20")
        assert page.is_visible("#ce-flag") and page.is_visible("#in-force")
        self.keep(page, "drawn, controls in force, confidently wrong")
        set_control(page, "#scale", "-1")
        assert page.is_visible("#scale-error")
        self.keep(page, "a rejected value")
        act(page, lambda: page.click("#zero-logits"))
        assert page.is_visible("#tie-note")
        self.keep(page, "a tie (all-zero logits)")
        act(page, lambda: page.click("#zero-logits"))
        act(page, lambda: page.click("#clear"))
        draw(page, ZIGZAG)
        assert page.is_visible("#guess-doubt")
        self.keep(page, "not a digit?")
        page.locator("#quiz fieldset label").nth(1).click()
        page.click("#quiz-hint")
        page.click("#quiz-check")
        page.wait_for_selector("#quiz-feedback p")
        page.wait_for_function(
            "() => (document.getElementById('quiz').dataset.pending || '0') === '0'"
        )
        self.keep(page, "quiz feedback")
        press_and_wait(page, "#learn", 1, timeout=60_000)
        self.keep(page, "after a Learn press")
        page.click("#head summary")
        page.wait_for_selector("#head[data-state=ready]")
        act(page, lambda: page.click("#nudge"))
        page.wait_for_selector("#nudge-result:not([hidden])")
        open_by_hand_overflowed(page)
        self.keep(page, "head panel nudged, by-hand panel overflowed")
        page.click("#calibration summary")
        page.wait_for_selector("html[data-calibration=ready]", timeout=CALIBRATION_TIMEOUT_MS)
        self.keep(page, "calibration")
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if page.evaluate("document.documentElement.scrollWidth") > width:
                self.wide[width] = page.evaluate(TOO_WIDE)


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def english_left(english: Story, other: Story) -> dict[str, list[str]]:
    """Per state: the texts `other` shows exactly as English does that are not all shared names."""
    shared = SHARED | SAME_WORD.get(other.lang, set())
    left = {}
    for state, texts in english.texts.items():
        same = sorted(t for t in texts & other.texts[state] if words(t) - shared)
        if same:
            left[state] = same
    return left


@pytest.fixture(scope="module")
def english(browser, base_url, server) -> Story:
    return Story(browser, base_url, server, "en", audit=False).run()


@pytest.mark.parametrize("lang", ["es", "de"])
def test_no_english_left_axe_clean_and_no_sideways_scroll_in_every_state(
    english, browser, base_url, server, lang
):
    story = Story(browser, base_url, server, lang, audit=True).run()
    assert story.texts.keys() == english.texts.keys()
    assert english_left(english, story) == {}
    assert story.violations == {}
    assert story.wide == {}, "page wider than a phone (width: elements too wide)"


def test_the_check_finds_english_left_in_a_page(english):
    """The comparison is not vacuous: an English sentence of the page, put into a German-like
    story, is found (and shared names alone are not)."""
    other = Story(None, "", None, "xx", audit=False)
    other.texts = {state: {"Sprache", "softmax"} for state in english.texts}
    state = "a tie (all-zero logits)"
    sentence = next(t for t in sorted(english.texts[state]) if len(words(t) - SHARED) >= 3)
    other.texts[state].add(sentence)
    assert english_left(english, other) == {state: [sentence]}


def lab_numbers(page) -> dict:
    return {kind: values(page, f"data-{kind}") for kind in ("logit", "prob", "grad")} | {
        "loss": page.get_attribute("#ce-loss", "data-value")
    }


def test_one_state_link_gives_equal_values_in_three_languages(new_context, base_url):
    """A drawing with α, c and a label, copied as a link in English, opened in es and de: every
    data-value the lab shows is the same number."""
    page = new_context(base_url, viewport=DESKTOP).new_page()
    goto_ready(page, f"{base_url}?lang=en")
    draw(page, THREE)
    set_control(page, "#shift", "2.5")
    set_control(page, "#scale", "3")
    set_control(page, "#true-label", "8")
    link = copy_link(page)
    english_numbers = lab_numbers(page)
    assert None not in english_numbers["prob"] and english_numbers["loss"]
    parts = urlsplit(link)
    query = parse_qs(parts.query)
    assert "ink" in query
    for lang in ("en", "es", "de"):
        query["lang"] = [lang]
        url = parts._replace(query=urlencode(query, doseq=True)).geturl()
        linked = new_context(base_url, viewport=DESKTOP).new_page()
        open_link(linked, url)
        assert linked.get_attribute("html", "lang") == lang
        assert lab_numbers(linked) == english_numbers, lang
        assert linked.is_hidden("#link-note")
