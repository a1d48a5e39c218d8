"""Every probability visible on the real page: no positive p reads 0, and log-scale bars."""

import math
import re

import pytest

from conftest import SEVEN, act, draw, set_control, updates, values

CALIBRATION_TIMEOUT_MS = 180_000  # 1,000 digits through the CNN in Pyodide, on a busy machine


def prob_texts(page) -> list[str]:
    """The table's full probability texts, digit 0 to 9 (Python's text)."""
    return page.eval_on_selector_all("tr[data-digit] .p-text", "els => els.map(e => e.textContent)")


def strip_texts(page) -> list[str]:
    """The short texts of the [data-prob] strip beside the pad, digit 0 to 9."""
    return page.eval_on_selector_all(
        "[data-prob]",
        "els => els.sort((a, b) => a.dataset.prob - b.dataset.prob).map(e => e.textContent)",
    )


def bar_widths(page) -> list[str]:
    return page.eval_on_selector_all("tr[data-digit] .fill", "els => els.map(e => e.style.width)")


def reads_as_zero(text: str) -> bool:
    """What a reader takes the text's leading number to be: "0.0 %", "0 (...)" read as zero."""
    number = re.match(r"[0-9.]+(?:e-?[0-9]+)?", text)
    return number is not None and float(number.group()) == 0


def test_no_probability_text_reads_zero_for_a_positive_value(ready_page):
    """On a drawn 7, at α = 1, 5 and 100: no text reads 0 or 100 % (softmax gives every class
    more than 0 and less than 1), even where float64 stores 0.0 or 1.0; an exact 0 says
    underflow, and the strip says <0.1 and >99.9 there."""
    page = ready_page
    draw(page, SEVEN)
    for alpha in ("1", "5", "100"):
        set_control(page, "#scale", alpha)
        probs, texts = values(page, "data-prob"), prob_texts(page)
        for p, short, text in zip(probs, strip_texts(page), texts, strict=True):
            assert not reads_as_zero(short) and short != "100", (alpha, p, short)
            if p == 1 or text.startswith("100 % − "):  # the winner, below 1 by the others' mass
                assert short == ">99.9", (alpha, p, short, text)
            if p == 0:
                assert short == "<0.1", (alpha, p, short, text)
        for p, text in zip(probs, texts, strict=True):
            if p > 0:
                assert not reads_as_zero(text), (alpha, p, text)
                assert "underflow" not in text
            else:
                assert "underflow" in text and "log₁₀ p" in text, (alpha, text)
        assert "100.0 %" not in texts and "0.0 %" not in texts
    assert any("underflow" in t for t in texts), "α = 100 should underflow some class"
    assert 1.0 in probs, "α = 100 should round the winner to exactly 1.0"


def assert_log_bars(page, probs) -> None:
    """Each bar is 1 + log10(p) / 20 of its full length (0 below 10^-20)."""
    for p, width in zip(probs, bar_widths(page), strict=True):
        expected = min(max(1 + math.log10(p) / 20, 0), 1) if p > 0 else 0
        assert float(width.rstrip("%")) == pytest.approx(100 * expected, abs=0.01)


def test_log_toggle_changes_the_bars_and_not_the_numbers(ready_page):
    """#prob-scale: aria-pressed, log bar lengths 1 + log10(p)/20; texts and values unchanged."""
    page = ready_page
    draw(page, SEVEN)
    before = (values(page, "data-prob"), prob_texts(page), values(page, "data-logit"))
    linear = bar_widths(page)
    count = updates(page)
    page.click("#prob-scale")
    assert page.get_attribute("#prob-scale", "aria-pressed") == "true"
    log = bar_widths(page)
    assert log != linear
    assert (values(page, "data-prob"), prob_texts(page), values(page, "data-logit")) == before
    assert updates(page) == count  # a view change only: Python was not asked again
    assert_log_bars(page, before[0])
    # A new lab update keeps the chosen scale; pressing again restores the linear bars.
    set_control(page, "#scale", "2")
    assert_log_bars(page, values(page, "data-prob"))
    page.click("#prob-scale")
    assert page.get_attribute("#prob-scale", "aria-pressed") == "false"
    set_control(page, "#scale", "1")
    assert bar_widths(page) == linear


def test_the_mistakes_gallery_says_confidence_as_the_lab_table_does(ready_page):
    """The worst mistake of the shipped digits holds 99.97 %: its caption gives the lab's own
    text for it (loaded into the lab, the table row says the same), not "100.0 %"."""
    page = ready_page
    page.click("#calibration summary")
    page.wait_for_selector("html[data-calibration=ready]", timeout=CALIBRATION_TIMEOUT_MS)
    button = page.locator("#mistakes button[data-index]").first
    caption = button.locator("span").inner_text()
    said = re.fullmatch(r"\d read as (\d) \((.+)\)", caption)
    assert said, caption
    predicted, confidence = said.groups()
    act(page, lambda: button.click())
    assert page.inner_text(f'tr[data-digit="{predicted}"] .p-text') == confidence
    assert confidence.startswith("100 % − ") and "100.0 %" not in caption
