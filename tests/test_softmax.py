"""Softmax, log-softmax and cross-entropy: the properties the lesson states, for any logits."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from softmax import cross_entropy, cross_entropy_grad, entropy, log_softmax, softmax

logit_vectors = arrays(np.float64, st.integers(1, 12), elements=st.floats(-1e4, 1e4))
moderate_logits = arrays(np.float64, 10, elements=st.floats(-30, 30))


@given(logit_vectors)
def test_softmax_is_a_categorical_distribution(z):
    """Non-negative, finite, summing to 1 even for logits of +/-1e4."""
    p = softmax(z)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    assert abs(p.sum() - 1) < 1e-12


@given(moderate_logits, st.floats(-1000, 1000))
def test_adding_a_constant_changes_nothing(z, c):
    """softmax(z + c) == softmax(z) to 1e-12: only differences between logits matter."""
    assert np.max(np.abs(softmax(z + c) - softmax(z))) < 1e-12


@given(logit_vectors, st.floats(0.05, 20))
def test_positive_scaling_keeps_the_argmax(z, alpha):
    """Multiplying by alpha > 0 keeps the order, so the top class stays.

    Logits closer than float64 can tell apart after exponentiation are a tie, not an order.
    """
    ranked = np.sort(z)
    assume(z.size == 1 or ranked[-1] - ranked[-2] > 1e-6)
    assert np.argmax(softmax(alpha * z)) == np.argmax(z)


def test_scaling_sharpens_or_flattens():
    """alpha > 1 lowers the entropy, alpha < 1 raises it (for non-constant logits)."""
    z = np.array([2.0, 1.0, 0.5, -1.0])
    h = entropy(softmax(z))
    assert entropy(softmax(3 * z)) < h < entropy(softmax(0.3 * z))


@pytest.mark.parametrize("k", [1, 2, 10, 1000])
def test_all_zero_logits_give_the_uniform_distribution(k):
    """softmax(0) = 1/K each, with entropy log K: maximum uncertainty."""
    p = softmax(np.zeros(k))
    assert np.all(p == 1 / k)
    assert entropy(p) == pytest.approx(np.log(k))


@given(logit_vectors)
def test_log_softmax_is_the_log_of_softmax(z):
    """log_softmax stays finite where softmax underflows, and agrees where both are usable."""
    log_p = log_softmax(z)
    assert np.all(np.isfinite(log_p))
    p = softmax(z)
    usable = p > 1e-300
    assert np.allclose(np.log(p[usable]), log_p[usable], atol=1e-9)


def test_cross_entropy_of_an_extremely_wrong_model_is_large_but_finite():
    """p_label = e^-20000 underflows to 0, yet the loss is its exact log, not inf."""
    z = np.array([1e4, -1e4, 0.0])
    assert cross_entropy(z, 1) == pytest.approx(2e4)


@given(moderate_logits, st.integers(0, 9))
def test_gradient_is_p_minus_y_and_matches_finite_differences(z, label):
    """d CE / dz = p - y, checked against central differences."""
    grad = cross_entropy_grad(z, label)
    eps = 1e-6
    numeric = np.array(
        [
            (cross_entropy(z + eps * e, label) - cross_entropy(z - eps * e, label)) / (2 * eps)
            for e in np.eye(z.size)
        ]
    )
    assert np.allclose(grad, numeric, atol=1e-6)
    assert abs(grad.sum()) < 1e-12  # the pushes down balance the pull up


def test_gradient_is_largest_when_confidently_wrong():
    """A confident wrong guess gives a larger gradient than a confident right one."""
    z = np.array([8.0, 0.0, 0.0])
    assert np.linalg.norm(cross_entropy_grad(z, 1)) > 1.0
    assert np.linalg.norm(cross_entropy_grad(z, 0)) < 0.01


def test_a_batch_is_normalised_row_by_row_in_its_own_dtype():
    """(N, K) logits give N distributions; float32 stays float32 (training's precision)."""
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]], dtype=np.float32)
    p = softmax(z)
    assert p.dtype == np.float32
    assert np.allclose(p.sum(axis=1), 1, atol=1e-6)
    assert np.allclose(p[0], softmax(z[0].astype(np.float64)), atol=1e-6)


@pytest.mark.parametrize("bad", [[], 3.0, [[[1.0]]], [np.nan, 1.0], [np.inf]])
def test_rejects_what_is_not_a_finite_logit_vector(bad):
    """Empty, scalar, 3-D or non-finite input raises ValueError instead of returning NaN."""
    with pytest.raises(ValueError):
        softmax(bad)
