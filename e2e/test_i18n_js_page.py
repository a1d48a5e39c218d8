"""Texts made in JavaScript follow the language shown (assets/i18n/de.json's js.* keys)."""

import json
from pathlib import Path

from conftest import SEVEN, draw, goto_ready, set_control

GERMAN = json.loads(
    (Path(__file__).resolve().parent.parent / "assets" / "i18n" / "de.json").read_text("utf-8")
)


def test_german_page_says_the_guess_in_german_with_decimal_commas(page, base_url):
    """?lang=de: #announce, the entropy, Σp, the α slider's aria-valuetext and an example's title
    and prompt are German, with a decimal comma; a logit's data-value stays a plain number."""
    goto_ready(page, f"{base_url}?lang=de")
    draw(page, SEVEN)
    guess = page.inner_text("#prediction")
    said = page.inner_text("#announce")
    # The words are de.json's (js.lab.say_guess up to the probability, which is Python's text).
    assert said.startswith(GERMAN["js.lab.say_guess"].split("{p}")[0].format(digit=guess)), said
    assert page.inner_text("#prob-sum") == "1,000"
    assert page.inner_text("#entropy").endswith(" nats") and "," in page.inner_text("#entropy")
    set_control(page, "#scale", "2.5")
    assert page.get_attribute("#scale-slider", "aria-valuetext") == "α = 2,5"
    logit = page.locator(f"[data-logit='{guess}']")
    assert "," in logit.inner_text() and "," not in logit.get_attribute("data-value")
    float(logit.get_attribute("data-value"))  # a plain number a machine reads
    # The examples (built after ready from assets/presets.json) read German: a button's title
    # and, once clicked, its prompt (presets.<name>.* in de.json, not presets.json's English).
    page.wait_for_selector("#presets[data-state=ready]", timeout=30_000)
    example = page.locator('#presets button[data-preset="ambiguous-1-7"]')
    assert example.inner_text() == GERMAN["presets.ambiguous-1-7.title"] == "1 oder 7?"
    example.click()
    assert page.inner_text("#preset-prompt") == (
        f"1 oder 7?: {GERMAN['presets.ambiguous-1-7.prompt']}"
    )
