"""Probability texts and log bars: no positive p shown as 0, no exact 0 shown as positive."""

import math
import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lab
from prob_text import LOG_BAR_DECADES, log10_probs, log_bars, probability_texts, scientific
from softmax import softmax

logits = arrays(np.float64, 10, elements=st.floats(-40, 40))
alphas = st.floats(0.01, 100)


def texts_for(z):
    return probability_texts(softmax(z), log10_probs(z))


def shown_percent(text: str) -> float:
    """The percentage a text states, read as a person would: "100 % − 2.0e-5 %" -> 100 - 2e-5."""
    numbers = [float(n) for n in re.findall(r"[0-9.]+(?:e-?[0-9]+)?", text.split("(")[0])]
    return numbers[0] - numbers[1] if "−" in text else numbers[0]


@given(logits, alphas, st.floats(-1000, 1000))
def test_no_positive_probability_reads_as_zero(z, alpha, c):
    """For any logits and controls: a positive p never reads 0, an exact 0.0 says underflow."""
    zz = alpha * z + c
    p = softmax(zz)
    for pk, text in zip(p, texts_for(zz), strict=True):
        if pk > 0:
            assert shown_percent(text) > 0, text
            assert "underflow" not in text
        else:
            assert text.startswith("0 (underflow"), text


@given(logits, alphas)
def test_texts_state_the_probability_to_two_significant_digits(z, alpha):
    """Each text is within 5 % (relative) of 100 p, or 0.05 points for the one-decimal form."""
    zz = alpha * z
    p = softmax(zz)
    for k, (pk, text) in enumerate(zip(p, texts_for(zz), strict=True)):
        if pk == 0:
            continue
        if "−" in text:  # the winner: the text states 1 - p, the other classes' total
            rest = 100 * math.fsum(np.delete(p, k))
            stated = float(re.findall(r"[0-9.]+(?:e-?[0-9]+)?", text)[1])
            assert rest < 1e-300 or abs(stated - rest) <= 0.05 * rest, (text, rest)
        elif "e" in text:
            assert abs(shown_percent(text) - 100 * pk) <= 0.05 * 100 * pk, (text, pk)
        else:
            assert abs(shown_percent(text) - 100 * pk) <= 0.05 + 1e-9, (text, pk)


def test_a_clear_digit_shows_every_class_and_no_round_hundred():
    """Nine classes at 1e-9..1e-15 get scientific texts; the winner says how far below 100 %."""
    z = np.array([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 30])
    texts = texts_for(z)
    assert texts[0] == "9.4e-12 %"
    assert texts[9] == "100 % − 4.4e-8 %"
    assert not any(t in ("0.0 %", "100.0 %") for t in texts)


def test_extreme_scale_underflows_and_says_so():
    """At alpha = 100 exp(-2000) underflows: the text gives log10 p from log_softmax instead."""
    z = 100 * np.array([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 30])
    p, texts = softmax(z), texts_for(z)
    assert p[0] == 0.0
    assert texts[0] == "0 (underflow: log₁₀ p = -1302.9)"
    assert math.isfinite(log10_probs(z)[0])


def test_uniform_and_ordinary_values():
    """All-zero logits read 10.0 % each; mid-range values get one decimal."""
    assert texts_for(np.zeros(10)) == ["10.0 %"] * 10
    z = np.log(np.array([0.5, 0.3, 0.15, 0.05] + [1e-12] * 6))
    assert texts_for(z)[:4] == ["50.0 %", "30.0 %", "15.0 %", "5.0 %"]


def test_scientific_carries_and_works_far_below_float64():
    """Mantissa 9.96 carries into the exponent; 10^-5000 formats without underflow."""
    assert scientific(math.log10(9.96e-7)) == "1.0e-6"
    assert scientific(-5000 + math.log10(3.7)) == "3.7e-5000"
    assert scientific(math.log10(2.5e-3)) == "2.5e-3"


@given(logits, alphas)
def test_log_bars_follow_the_probability_order(z, alpha):
    """Log bars lie in [0, 1], grow with p, are 1 - d/20 at p = 10^-d and 0 below 10^-20."""
    zz = alpha * z
    p, bars = softmax(zz), log_bars(log10_probs(zz))
    assert np.all((bars >= 0) & (bars <= 1))
    order = np.argsort(p, kind="stable")
    assert np.all(np.diff(bars[order]) >= -1e-12)
    lp = log10_probs(zz)
    inside = lp > -LOG_BAR_DECADES
    assert np.allclose(bars[inside], 1 + lp[inside] / LOG_BAR_DECADES)
    assert np.all(bars[~inside] == 0)


def test_lab_view_carries_texts_and_both_bar_scales():
    """lab_view gives the texts, log10 p and log bars for the logits shown (after the controls)."""
    z = np.array([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 30])
    view = lab.lab_view(z, lab.Controls(scale=100.0))
    assert view["prob_text"] == texts_for(100 * z)
    assert view["log10_probs"] == list(log10_probs(100 * z))
    assert view["log_bars"][9] == 1.0 and view["log_bars"][0] == 0.0
