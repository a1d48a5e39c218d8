"""Softmax by hand: the stages, the naive path's overflow, entropy and seeded sampling."""

import json
import math
import sys

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from by_hand import (
    LIMIT,
    SAMPLE_SIZES,
    STAGES,
    HandInputError,
    hand_sample,
    hand_view,
)
from prob_text import number_text
from softmax import softmax

panel_logits = arrays(np.float64, 10, elements=st.floats(-LIMIT, LIMIT))
small_logits = arrays(np.float64, 10, elements=st.floats(-50, 50))


def values(view, stage):
    return np.array([float(v) for v in view["stages"][stage]["values"]])


def exact_softmax(z):
    """Softmax in plain Python floats, independently of numpy: math.exp after the shift and
    math.fsum (correctly rounded) for the sum."""
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = math.fsum(e)
    return [v / total for v in e]


def math_overflows(z) -> bool:
    """Whether float64 overflows computing e^z_k or their sum: math.exp raises OverflowError
    exactly when the result exceeds the largest float64, and so does a sum past it."""
    try:
        return math.fsum(math.exp(v) for v in z) > sys.float_info.max
    except OverflowError:
        return True


@given(panel_logits)
def test_stable_stages_are_softmax_one_step_at_a_time(z):
    view = hand_view(list(z), naive=False)
    assert [*view["stages"]] == list(STAGES)
    assert np.array_equal(values(view, "z"), z)
    shifted = values(view, "shifted")
    assert shifted.max() == 0.0 and np.all(shifted <= 0)
    np.testing.assert_array_equal(shifted, z - z.max())
    e = values(view, "exp")
    assert e.max() == 1.0 and np.all(e >= 0)
    (total,) = values(view, "sum")
    assert 1.0 <= total <= 10.0
    p = values(view, "p")
    assert np.array_equal(p, softmax(z))  # the lab's softmax, bit for bit
    np.testing.assert_allclose(p, exact_softmax(list(z)), rtol=1e-12, atol=1e-300)
    assert math.isclose(math.fsum(p), 1.0, abs_tol=1e-12)
    assert np.array_equal(np.array([float(v) for v in view["p"]]), p)
    assert view["overflowed"] is False
    assert view["underflowed"] == [k for k in range(10) if e[k] == 0.0]


@given(panel_logits)
@example(np.array([0.0] * 9 + [800.0]))  # one exp overflows
@example(np.array([709.0] * 10))  # no exp overflows, their sum does
@example(np.array([709.0, 709.0] + [0.0] * 8))  # 2 e^709 ~ 1.6e308 still fits
@example(np.array([-746.0] * 10))  # every exp underflows: 0/0
@example(np.array([-700.0] + [-740.0] * 9))  # subnormal exps beside a normal one
def test_naive_path_overflows_exactly_where_float64_does(z):
    view = hand_view(list(z), naive=True)
    json.dumps(view, allow_nan=False)  # the page's JSON.parse has no NaN or Infinity
    e = values(view, "exp")
    p = values(view, "p")
    overflow = math_overflows(list(z))
    assert view["overflowed"] is overflow
    for k, v in enumerate(z):
        try:
            math.exp(v)
            assert math.isfinite(e[k])
        except OverflowError:
            assert e[k] == math.inf and math.isnan(p[k])
            assert view["stages"]["exp"]["texts"][k] == "inf"
            assert view["stages"]["p"]["texts"][k] == "nan"
    if overflow:
        assert values(view, "sum")[0] == math.inf
        assert math.isnan(float(view["entropy_nats"]))
        assert not np.all(np.isfinite(p)) or np.all(p == 0)
        assert view["p_texts"] == view["stages"]["p"]["texts"]  # the raw values, not softmax's
    elif math.fsum(math.exp(v) for v in z) == 0.0:
        # The other end: every exp underflowed to 0, so naive p = 0/0 (the stable path is fine).
        assert all(math.isnan(v) for v in p) and view["underflowed"] == list(range(10))
    else:
        # A subnormal exp (z < -708) keeps only a few bits: each of the ten exps and the sum
        # lands on the subnormal grid (step 4.9e-324), so p = e / sum is off by up to about
        # eleven steps over the sum.
        total = values(view, "sum")[0]
        np.testing.assert_allclose(p, exact_softmax(list(z)), rtol=1e-12, atol=1e-322 / total)


def test_the_overflow_threshold_is_ln_of_the_largest_float64():
    """Just below ln(1.8e308) the naive path still works; just above it gives inf and nan; the
    stable path is finite and sums to 1 at the panel's limit."""
    edge = math.log(sys.float_info.max)  # 709.78...
    below = [0.0] * 9 + [math.nextafter(edge, 0)]
    above = [0.0] * 9 + [800.0]
    assert hand_view(below, naive=True)["overflowed"] is False
    view = hand_view(above, naive=True)
    assert view["stages"]["exp"]["values"][9] == "inf"
    assert view["p"][9] == "nan"
    assert view["p"][:9] == ["0.0"] * 9  # finite / inf
    assert view["stages"]["sum"]["values"] == ["inf"]
    stable = hand_view([0.0] * 9 + [LIMIT], naive=False)
    p = [float(v) for v in stable["p"]]
    assert all(math.isfinite(v) for v in p) and math.isclose(math.fsum(p), 1.0)
    assert stable["underflowed"] == list(range(9))  # e^-1000 is below the smallest float64


@given(small_logits)
def test_entropy_in_nats_and_bits(z):
    view = hand_view(list(z), naive=False)
    p = exact_softmax(list(z))
    h = -math.fsum(v * math.log(v) for v in p if v > 0)
    nats, bits = float(view["entropy_nats"]), float(view["entropy_bits"])
    assert math.isclose(nats, h, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(bits, h / math.log(2), rel_tol=1e-9, abs_tol=1e-12)
    assert -1e-12 <= nats <= math.log(10) + 1e-12
    assert view["argmax"] == [k for k in range(10) if z[k] == max(z)]


def test_uniform_and_certain_entropy():
    assert math.isclose(float(hand_view([0.0] * 10, naive=False)["entropy_nats"]), math.log(10))
    assert hand_view([0.0] * 10, naive=False)["argmax"] == list(range(10))
    assert float(hand_view([0.0] * 9 + [LIMIT], naive=False)["entropy_nats"]) == 0.0


@pytest.mark.parametrize(
    ("logits", "why"),
    [
        ([0.0] * 9, "ten numbers"),
        ([0.0] * 9 + [math.nan], "finite"),
        ([0.0] * 9 + [1000.5], "within"),
        ([0.0] * 9 + ["x"], "ten numbers"),
    ],
)
def test_bad_logits_are_refused_with_a_reason(logits, why):
    with pytest.raises(HandInputError, match=why):
        hand_view(logits, naive=False)


def test_same_seed_same_counts_and_other_seeds_differ():
    z = [2.0, 1.0, 0.5, 0, 0, 0, 0, 0, 0, -1]
    first = hand_sample(z, 10000, "42")
    again = hand_sample(z, 10000, 42)
    assert first["counts"] == again["counts"]
    assert first["first_draws"] == again["first_draws"]
    assert hand_sample(z, 10000, 43)["counts"] != first["counts"]
    assert sum(first["counts"]) == 10000


@pytest.mark.parametrize("seed", [0, 29, 2026])
@pytest.mark.parametrize(
    "z",
    [
        [0.0] * 10,  # uniform
        [2.0, 1.0, 0.5, 0, 0, 0, 0, 0, 0, -1],
        [0, 0, 0, 0, 0, 0, 0, 6.0, 0, 3.5],  # a clear digit with a runner-up
        [k / 2 for k in range(10)],
    ],
)
def test_counts_lie_within_five_sigma_of_n_p(z, seed):
    """For n = 10,000 each count is binomial(n, p_k): within 5 standard deviations of n p_k
    for these fixed seeds (a false alarm has probability below 6e-7 per digit)."""
    n = 10000
    p = np.array(exact_softmax(z))
    counts = np.array(hand_sample(z, n, seed)["counts"])
    again = np.array(hand_sample(z, n, seed)["counts"])
    assert np.array_equal(counts, again) and counts.sum() == n
    sigma = np.sqrt(n * p * (1 - p))
    assert np.all(np.abs(counts - n * p) <= 5 * sigma), (counts, n * p)


def test_every_sample_size_and_bad_requests():
    z = [0.0] * 10
    for n in SAMPLE_SIZES:
        assert sum(hand_sample(z, n, 0)["counts"]) == n
    with pytest.raises(HandInputError, match="one of"):
        hand_sample(z, 5, 0)
    for seed in ("-1", "1.5", "", "abc", str(2**32)):
        with pytest.raises(HandInputError, match="whole number"):
            hand_sample(z, 10, seed)


def test_number_texts():
    assert number_text(math.inf) == "inf"
    assert number_text(math.nan) == "nan"
    assert number_text(-2.5) == "\u22122.5"
    assert number_text(1000.0) == "1e+03"
    assert number_text(0.0) == "0"
