"""The "doesn't look like a digit" score (py/model/novelty.py) on hand-made logits."""

from __future__ import annotations

import numpy as np
import pytest

import novelty


def test_equal_logits_are_flagged():
    """Ten equal logits (a uniform softmax) score 1/10 and are not a digit."""
    z = np.full(10, 3.7)
    assert novelty.score(z) == pytest.approx(0.1)
    assert novelty.is_not_a_digit(z) is True


def test_one_dominant_logit_is_a_digit():
    """One logit far above the others scores near 1 and is not flagged."""
    z = np.zeros(10)
    z[7] = 12.0
    assert novelty.score(z) > 0.99
    assert novelty.is_not_a_digit(z) is False


def test_two_way_tie_scores_one_half():
    """Two equal top logits, the rest far below: the score is 1/2."""
    z = np.full(10, -20.0)
    z[[3, 5]] = 4.0
    assert novelty.score(z) == pytest.approx(0.5, abs=1e-6)


def test_score_ignores_a_shift_of_all_logits():
    """Adding the same number to every logit changes nothing (softmax is shift-invariant)."""
    z = np.linspace(-2, 3, 10)
    assert novelty.score(z + 1000.0) == pytest.approx(novelty.score(z))


def test_batch_of_logits_gives_one_score_and_flag_each():
    """(N, 10) logits give (N,) scores and flags; the threshold argument is respected."""
    z = np.stack([np.zeros(10), np.eye(10)[2] * 10])
    s = novelty.score(z)
    assert s.shape == (2,) and s[0] == pytest.approx(0.1) and s[1] > 0.99
    np.testing.assert_array_equal(novelty.is_not_a_digit(z), [True, False])
    np.testing.assert_array_equal(novelty.is_not_a_digit(z, threshold=0.05), [False, False])


def test_threshold_lies_between_uniform_and_certain():
    """THRESHOLD is a probability strictly between 1/10 and 1."""
    assert 0.1 < novelty.THRESHOLD < 1.0
