"""Choosing the "not a digit" threshold on validation scores (scripts/model/evaluate.py)."""

from __future__ import annotations

import numpy as np
import pytest

from scripts.model import evaluate


def test_threshold_flags_at_most_the_allowed_share():
    """The chosen threshold flags no more than max_flagged of the validation scores."""
    scores = np.random.default_rng(0).uniform(0.1, 1.0, 2000)
    for share in (0.0, 0.005, 0.01, 0.1):
        t = evaluate.choose_threshold(scores, share)
        assert evaluate.flagged(scores, t) <= share


def test_threshold_is_the_largest_such_value():
    """Any higher threshold would flag more than allowed: it sits on the next score up."""
    scores = np.arange(1, 201) / 200  # 0.005 ... 1.0
    t = evaluate.choose_threshold(scores, 0.01)  # 2 of 200 may be flagged
    assert t == pytest.approx(scores[2])
    assert evaluate.flagged(scores, t) == pytest.approx(0.01)
    assert evaluate.flagged(scores, np.nextafter(t, 1)) > 0.01


def test_flagged_counts_scores_strictly_below():
    """A score equal to the threshold is not flagged (novelty: score < threshold)."""
    assert evaluate.flagged(np.array([0.2, 0.5, 0.9]), 0.5) == pytest.approx(1 / 3)


def test_threshold_rule_takes_the_stricter_of_mnist_and_drawn():
    """choose_threshold_for flags <= 0.5 % of MNIST validation and <= 1 % of drawn digits."""
    rng = np.random.default_rng(1)
    mnist, drawn = rng.uniform(0.3, 1.0, 4000), rng.uniform(0.1, 1.0, 1000)
    t = evaluate.choose_threshold_for(mnist, drawn)
    assert evaluate.flagged(mnist, t) <= 0.005 and evaluate.flagged(drawn, t) <= 0.01
    assert t == min(evaluate.choose_threshold(mnist, 0.005), evaluate.choose_threshold(drawn, 0.01))
