"""Probability texts and log bars: no positive p shown as 0, no exact 0 shown as positive."""

import math
import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lab
from prob_text import LOG_BAR_DECADES, Shown, log10_probs, log_bars, scientific
from softmax import softmax

logits = arrays(np.float64, 10, elements=st.floats(-40, 40))
alphas = st.floats(0.01, 100)


def texts_for(z):
    return Shown.from_logits(z).texts()


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
        if pk < np.finfo(np.float64).tiny:  # 0 or subnormal: p keeps too few bits to compare;
            continue  # the text comes from log p (test_extreme_scale_underflows_and_says_so)
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


@given(logits, alphas, st.floats(-1000, 1000))
def test_the_strip_never_reads_0_or_100_for_the_builtin_softmax(z, alpha, c):
    """Every built-in p is positive and below 1 (e^z > 0 for each class): even where float64
    stores 0.0 or 1.0, the strip reads "<0.1" or ">99.9", never "0" nor "100"."""
    shown = Shown.from_logits(alpha * z + c)
    for pk, short, text in zip(shown.p, shown.strip_texts(), shown.texts(), strict=True):
        assert short not in ("0", "100", "0.0", "100.0"), (pk, short)
        if short == "<0.1":
            assert pk < 1e-3
        elif short == ">99.9":
            assert text.startswith("100 % − "), text
        else:
            assert float(short) == float(text.removesuffix(" %")), (short, text)


def test_a_winner_stored_as_exactly_1_reads_below_100_in_the_strip():
    """α = 100 on a clear digit: float64 p is 1.0 and 0.0, the strip says >99.9 and <0.1."""
    shown = Shown.from_logits(100 * np.array([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 30]))
    assert shown.p[9] == 1.0 and shown.p[0] == 0.0
    assert shown.strip_texts() == ["<0.1"] * 9 + [">99.9"]
    # The others hold e^-2200 = 10^-955.44 (the 8's share; the rest are e^-100 times smaller).
    assert shown.others_text(9) == "3.6e-954 %"


def test_a_learners_vector_is_read_as_it_is():
    """Their exact 0 and 1 are theirs; a winner that disagrees with their other p's (the lab
    accepts a sum within 1e-6 of 1) is read from its own value, above 1 too."""
    zero_text = "exactly 0 from your softmax"
    exact = Shown.from_learner(np.eye(10)[4])
    assert exact.texts() == [zero_text] * 4 + ["100 %"] + [zero_text] * 5
    assert exact.strip_texts() == ["0"] * 4 + ["100"] + ["0"] * 5
    short_of_one = Shown.from_learner([1 - 1e-7, 1e-12] + [0.0] * 8)
    assert short_of_one.text(0) == "100 % − 1.0e-5 %"  # 1 - p, not the others' 1e-12
    over = Shown.from_learner([1 + 5e-7] + [0.0] * 9)
    assert over.text(0) == "100 % + 5.0e-5 %" and over.strip_text(0) == ">100"
    consistent = Shown.from_learner([1.0, 3e-20] + [0.0] * 8)
    assert consistent.text(0) == "100 % − 3.0e-18 %" and consistent.strip_text(0) == ">99.9"
    assert consistent.text(1) == "3.0e-18 %" and consistent.strip_text(1) == "<0.1"


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
    assert view["strip_text"] == Shown.from_logits(100 * z).strip_texts()
    assert view["log10_probs"] == list(log10_probs(100 * z))
    assert view["log_bars"][9] == 1.0 and view["log_bars"][0] == 0.0
