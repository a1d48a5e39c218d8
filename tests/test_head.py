"""The opened head: input gradient (finite differences), the logit as a sum of terms, the nudge."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import head_terms
import network
import nudge
from digit_sets import load_digit_set, to_inputs
from drawings import DIGITS
from softmax import softmax
from test_backward import random_params, shipped_params

EPS = 1e-6  # central-difference step, float64


@pytest.fixture(scope="module")
def noisy_digits() -> np.ndarray:
    """Ten held-out digits (one per class) plus faint noise, float64 (10, 784): no two cells of
    a max-pool window tie, so the input gradient is defined everywhere (a blank window's tie
    breaks differently for +EPS and -EPS)."""
    digit_set = load_digit_set((DIGITS / "mnist-test.npz").read_bytes(), "mnist-test")
    idx = [int(np.flatnonzero(digit_set.labels == d)[0]) for d in range(10)]
    x = to_inputs(digit_set.images[idx].reshape(-1, 784)).astype(np.float64)
    rng = np.random.default_rng(3)
    return np.clip(x + rng.uniform(0.01, 0.05, x.shape), 0, 1)


def linear_readout(params, x, weights) -> float:
    """sum_n sum_k weights[n, k] * z_k(x_n): its input gradient is input_gradient(weights)."""
    return float((network.forward(params, x) * weights).sum())


@pytest.mark.parametrize("net", ["random", "shipped"])
def test_input_gradient_matches_finite_differences(noisy_digits, net):
    """d (sum of weighted logits) / d pixel equals a central difference, at the largest
    gradients and at random pixels of every digit."""
    params = random_params() if net == "random" else shipped_params()
    x = noisy_digits
    rng = np.random.default_rng(4)
    weights = rng.standard_normal((len(x), 10))
    cache: dict = {}
    network.forward(params, x, cache)
    analytic = network.input_gradient(params, cache, weights)
    assert analytic.shape == x.shape
    for n in range(len(x)):
        largest = np.argsort(-np.abs(analytic[n]))[:6]
        pixels = np.unique(np.concatenate([largest, rng.choice(784, 6, replace=False)]))
        for j in pixels:
            # Only digit n moves: the other digits' terms cancel, so only n is run.
            up, down = x[n : n + 1].copy(), x[n : n + 1].copy()
            up[0, j] += EPS
            down[0, j] -= EPS
            w = weights[n : n + 1]
            numeric = (linear_readout(params, up, w) - linear_readout(params, down, w)) / (2 * EPS)
            assert analytic[n, j] == pytest.approx(numeric, rel=1e-4, abs=1e-8), (net, n, j)


def test_terms_plus_bias_equal_the_logit_for_every_class_and_pair(noisy_digits):
    """float64 throughout: the shown terms and bias sum to z_k, and to z_k - z_k' (1e-9)."""
    params = shipped_params()
    for x in noisy_digits[:4]:
        h, logits, _ = head_terms.hidden_and_logits(params, x)
        for k in range(10):
            shown = head_terms.head_terms(params, h, k)
            assert shown["terms"].shape == (network.HIDDEN,)
            assert shown["bias"] + shown["terms"].sum() == pytest.approx(logits[k], abs=1e-9)
            assert shown["total"] == pytest.approx(logits[k], abs=1e-9)
        for k, other in itertools.permutations(range(10), 2):
            shown = head_terms.head_terms(params, h, k, other)
            assert shown["total"] == pytest.approx(logits[k] - logits[other], abs=1e-9)


def test_head_terms_refuse_bad_classes():
    params = shipped_params()
    h = np.ones(network.HIDDEN)
    for k, versus in [(10, None), (-1, None), (3, 3), (3, 10), (2.0, None)]:
        with pytest.raises(ValueError):
            head_terms.head_terms(params, h, k, versus)


def test_evidence_is_gradient_times_input(noisy_digits):
    """The map is the input gradient of z_k - z_k' times the pixel: blank pixels give 0, and its
    sum over a digit has the sign of the logit's change from a blank input, mostly."""
    params = shipped_params()
    x = noisy_digits[3]
    _, _, cache = head_terms.hidden_and_logits(params, x)
    dout = np.zeros((1, 10))
    dout[0, 3], dout[0, 5] = 1, -1
    expected = network.input_gradient(params, cache, dout)[0] * x
    np.testing.assert_allclose(head_terms.evidence(params, x, cache, 3, 5), expected)
    blank = np.zeros(784)
    _, _, cache = head_terms.hidden_and_logits(params, blank)
    assert not head_terms.evidence(params, blank, cache, 3).any()


@pytest.mark.parametrize("eps", [0.05, 0.3, 0.5])
def test_nudge_never_leaves_the_eps_box_or_the_ink_range(noisy_digits, eps):
    params = {k: v for k, v in network.load_network(network_path()).params.items()}
    for n, x0 in enumerate(noisy_digits[:5]):
        x0 = x0.astype(np.float32)
        target = (n + 3) % 10
        out = nudge.nudge(params, x0, target, eps)
        x = out["image"]
        assert x.shape == (784,)
        assert x.min() >= 0 and x.max() <= 1
        assert np.abs(x - x0).max() <= eps + 1e-6
        assert 0 <= out["steps"] <= nudge.STEPS
        np.testing.assert_allclose(out["logits"], network.forward(params, x[None])[0], rtol=1e-6)


def test_nudge_at_0_3_raises_the_runner_up_and_often_makes_it_the_answer(noisy_digits):
    """eps = 0.3 towards the runner-up on real digits: its probability never falls, and it becomes
    the argmax on some of them (the shipped network often escapes to "not a digit" instead)."""
    params = network.load_network(network_path()).params
    reached = 0
    for x0 in noisy_digits.astype(np.float32):
        before = network.forward(params, x0[None])[0].astype(np.float64)
        target = int(np.argsort(-before)[1])
        out = nudge.nudge(params, x0, target, 0.3)
        assert softmax(out["logits"])[target] > softmax(before)[target]
        reached += int(np.argmax(out["logits"]) == target)
    assert reached >= 3


def test_nudge_on_the_target_already_takes_no_step():
    params = network.load_network(network_path()).params
    digit_set = load_digit_set((DIGITS / "mnist-test.npz").read_bytes(), "mnist-test")
    x0 = to_inputs(digit_set.images[:1].reshape(-1, 784))[0]
    logits = network.forward(params, x0[None].astype(np.float32))[0]
    p = np.exp(logits - logits.max())
    assert p.max() / p.sum() >= nudge.STOP_PROB  # a confidently read held-out digit
    out = nudge.nudge(params, x0, int(np.argmax(logits)), 0.2)
    assert out["steps"] == 0
    np.testing.assert_array_equal(out["image"], x0.astype(np.float32))


@pytest.mark.parametrize(
    ("text", "value", "message"),
    [
        ("0.3", 0.3, None),
        ("0.05", 0.05, None),
        ("0.5", 0.5, None),
        ("0.6", None, "between 0.05 and 0.5"),
        ("0.01", None, "between 0.05 and 0.5"),
        ("abc", None, "Epsilon must be"),
        ("", None, "Epsilon must be"),
    ],
)
def test_parse_eps(text, value, message):
    got, error = nudge.parse_eps(text)
    assert got == value
    assert (error is None) if message is None else (message in error)


def network_path():
    from drawings import MODEL

    return MODEL
