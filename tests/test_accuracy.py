"""The shipped weights: MNIST test digits, drawn digits, non-digits, and the recorded figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import network
import novelty
from digit_sets import load_digit_set
from scripts.model import eval_drawn, nondigits

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@pytest.fixture(scope="module")
def net() -> network.Network:
    return network.load_network(ASSETS / "model.npz")


@pytest.fixture(scope="module")
def meta() -> dict:
    return json.loads((ASSETS / "model.json").read_text())


@pytest.fixture(scope="module")
def test_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,000 official MNIST test digits shipped with the page (never trained on)."""
    digits = load_digit_set((ASSETS / "digits" / "mnist-test.npz").read_bytes(), "mnist-test")
    return digits.inputs(), digits.labels


def test_shipped_test_digits_are_read_right(net, test_digits):
    """At least 99 % of the shipped MNIST test digits, and at least 97 % of every class."""
    x, y = test_digits
    right = net.logits(x).argmax(1) == y
    assert right.mean() >= 0.99, right.mean()
    assert min(right[y == d].mean() for d in range(10)) >= 0.97


def test_recorded_figures_belong_to_these_weights(net, meta):
    """model.json's evaluation (scripts/model/evaluate.py --record) is of this very file."""
    figures = meta["evaluation"]
    assert figures["bytes"] == (ASSETS / "model.npz").stat().st_size
    assert figures["parameters"] == net.parameter_count
    assert figures["mnist_test"]["count"] == 10_000
    assert figures["bytes"] <= 400 * 1024


def test_page_threshold_is_the_one_chosen_on_validation(meta):
    """py/novelty.THRESHOLD is the validation-chosen threshold, rounded down to 0.01."""
    chosen = meta["evaluation"]["threshold"]["chosen_on_validation"]
    assert novelty.THRESHOLD == math.floor(chosen * 100) / 100


def test_few_real_digits_are_flagged(net, test_digits):
    """At most 1 % of the shipped MNIST test digits are called "not a digit"."""
    x, _ = test_digits
    assert novelty.is_not_a_digit(net.logits(x)).mean() <= 0.01


def test_held_out_non_digits_are_flagged(net):
    """At least 90 % of the held-out non-digit drawings (scripts/model/nondigits.py) are flagged."""
    x, _ = nondigits.nondigit_inputs()
    assert len(x) >= 300
    assert novelty.is_not_a_digit(net.logits(x)).mean() >= 0.90


def test_drawn_digits_score_at_least_95_percent_and_90_per_class(net):
    """Digits drawn as canvas strokes score >= 95% overall and >= 90% for every digit."""
    result = eval_drawn.evaluate(net)
    assert result["count"] >= 300
    assert result["overall"] >= 0.95, result["overall"]
    assert min(result["per_class"]) >= 0.90, result["per_class"]
    assert eval_drawn.passes(result)
