""" "Use my softmax" on the real page: every number under the learner's badge is their p's."""

import math

import pytest
from test_code_panel import draw_on_pad, panel_page, set_code, source, use_mine  # noqa: F401
from test_prob_view_page import assert_log_bars, prob_texts, strip_texts

from conftest import THREE, set_control, values

# The common mistake: shift the logits to non-negative and normalise, with no exponential.
# The smallest logit gets exactly 0, the largest far less than softmax would give it.
MISTAKE = "def softmax(z):\n    p = z - z.min()\n    return p / p.sum()\n"


def their_p(logits: list[float]) -> list[float]:
    """The mistake's p, recomputed here from the logits the page shows."""
    low = min(logits)
    total = math.fsum(z - low for z in logits)
    return [(z - low) / total for z in logits]


def test_a_mistaken_softmax_shows_its_own_numbers(panel_page):  # noqa: F811
    """A drawn 3 through p = z − min z, normalised: texts, strip, log bars, loss and p − y all
    state the learner's p, and their exact 0 reads as theirs, not as an underflow."""
    page = panel_page
    set_code(page, MISTAKE)
    use_mine(page)
    draw_on_pad(page, THREE)
    assert source(page) == "mine"
    probs = values(page, "data-prob")
    expected = their_p(values(page, "data-logit"))
    assert probs == pytest.approx(expected, abs=1e-12)
    zero = probs.index(0.0)  # the smallest logit's class
    for p, text, short in zip(probs, prob_texts(page), strip_texts(page), strict=True):
        if p == 0:
            assert text == "exactly 0 from your softmax" and short == "0"
        elif p < 1e-3:
            assert float(text.removesuffix(" %")) == pytest.approx(100 * p, rel=0.05), text
            assert short == "<0.1"
        else:  # the mistake spreads the mass: no class comes near 1
            assert float(text.removesuffix(" %")) == pytest.approx(100 * p, abs=0.05 + 1e-9)
            assert short == text.removesuffix(" %")
    assert page.inner_text("#prob-sum") == "1.000"
    page.click("#prob-scale")
    assert_log_bars(page, probs)
    set_control(page, "#true-label", str(zero))  # a label their p puts exactly 0 on
    assert source(page) == "mine"
    assert page.get_attribute("#ce-loss", "data-value") == "Infinity"
    assert page.inner_text("#ce-loss").startswith("∞")
    grads = values(page, "data-grad")
    assert grads == pytest.approx([p - (k == zero) for k, p in enumerate(probs)], abs=1e-12)
    badge = page.inner_text("#softmax-source")
    assert "p − y: your p minus y" in badge and "loss: −log p_y of your p" in badge
