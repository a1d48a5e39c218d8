"""The shipped weights meet the accuracy bars on held-out MNIST digits and on drawn digits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import network
from scripts import eval_drawn, train

ASSETS = Path(__file__).resolve().parent.parent / "assets"


@pytest.fixture(scope="module")
def net() -> network.Network:
    return network.load_network(ASSETS / "model.npz")


def test_held_out_split_is_fixed_balanced_and_disjoint():
    """The split holds out 100 digits per class, never overlaps training, and never changes."""
    _, labels = train.load_mnist()
    train_idx, test_idx = train.held_out_split(labels)
    assert np.bincount(labels[test_idx], minlength=10).tolist() == [100] * 10
    assert len(np.intersect1d(train_idx, test_idx)) == 0
    assert len(train_idx) + len(test_idx) == len(labels)
    again_train, again_test = train.held_out_split(labels)
    np.testing.assert_array_equal(again_test, test_idx)
    np.testing.assert_array_equal(again_train, train_idx)


def test_held_out_accuracy_at_least_97_5_percent(net):
    """On the 1,000 held-out digits (preprocessed like drawings) accuracy is >= 97.5%."""
    x, y = train.held_out_set()
    accuracy = (net.logits(x).argmax(1) == y).mean()
    assert accuracy >= 0.975, accuracy
    # ...and it is the figure recorded in assets/model.json.
    meta = json.loads((ASSETS / "model.json").read_text())
    assert meta["held_out"]["accuracy"] == pytest.approx(accuracy, abs=5e-4)


def test_drawn_digits_score_at_least_95_percent_and_90_per_class(net):
    """Digits drawn as canvas strokes score >= 95% overall and >= 90% for every digit."""
    result = eval_drawn.evaluate(net)
    assert result["count"] >= 300
    assert result["overall"] >= 0.95, result["overall"]
    assert min(result["per_class"]) >= 0.90, result["per_class"]
    assert eval_drawn.passes(result)
