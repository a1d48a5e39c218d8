"""Real people's digits and drawings that are no digit, drawn with the real mouse."""

import pytest

from conftest import ONE, SEVEN, THREE, ZERO, ZIGZAG, draw, values
from scripts.site.audit import axe_violations

# A European 1: a long upstroke from a third of the way down, then the stem.
LONG_FLAG_ONE = [[(95, 110), (165, 35), (165, 245)]]
# A 7 with a crossbar through its stem, drawn as two strokes.
CROSSBAR_SEVEN = [[(70, 55), (210, 55), (125, 245)], [(105, 150), (200, 150)]]


def note_shown(page) -> bool:
    return page.locator("#not-a-digit").is_visible()


@pytest.mark.parametrize(
    ("strokes", "digit"), [(LONG_FLAG_ONE, "1"), (CROSSBAR_SEVEN, "7")], ids=["long-flag-1", "7"]
)
def test_european_digits_are_read_right(ready_page, strokes, digit):
    """A long-flag 1 and a crossbar 7, drawn with the mouse, are read as 1 and 7, as digits."""
    draw(ready_page, strokes)
    assert ready_page.text_content("#prediction") == digit
    assert not note_shown(ready_page)


def test_a_zigzag_gets_the_not_a_digit_note(ready_page):
    """A scribble: the note says it doesn't look like a digit, with the score behind it."""
    page = ready_page
    draw(page, ZIGZAG)
    assert note_shown(page)
    score = float(page.get_attribute("#not-a-digit", "data-score"))
    assert score == pytest.approx(max(values(page, "data-prob")), rel=1e-12)
    assert "softmax still has to share 100 %" in page.text_content("#not-a-digit")
    assert axe_violations(page) == []
    page.click("#clear")
    page.wait_for_selector("#not-a-digit", state="hidden")
    assert page.get_attribute("#not-a-digit", "data-score") == ""


@pytest.mark.parametrize("strokes", [SEVEN, ONE, ZERO, THREE], ids=["7", "1", "0", "3"])
def test_a_clear_digit_never_shows_the_note(ready_page, strokes):
    """Clear digits: the note stays hidden while the drawing is scored."""
    draw(ready_page, strokes)
    assert not note_shown(ready_page)
    assert float(ready_page.get_attribute("#not-a-digit", "data-score")) > 0.5
