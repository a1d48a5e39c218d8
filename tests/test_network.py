"""network.py: the forward pass and the checked weight loader."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

import network
from network import WeightsError, load_network

MODEL = Path(__file__).resolve().parent.parent / "assets" / "model.npz"


@pytest.fixture(scope="module")
def net() -> network.Network:
    return load_network(MODEL)


@pytest.fixture(scope="module")
def arrays() -> dict[str, np.ndarray]:
    with np.load(MODEL) as npz:
        return {k: npz[k] for k in npz.files}


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def test_shipped_weights_load_and_fit_the_budget(net):
    """assets/model.npz passes every check and is at most 400 KB."""
    assert set(net.params) == set(network.SHAPES)
    assert MODEL.stat().st_size <= 400 * 1024


def test_loads_from_bytes_too(net):
    """The browser hands over the file's bytes: loading from bytes gives the same weights."""
    from_bytes = load_network(MODEL.read_bytes())
    for name, a in net.params.items():
        np.testing.assert_array_equal(from_bytes.params[name], a)


def test_single_input_gives_ten_float64_logits(net):
    """One (784,) input gives (10,) float64 logits, finite, not all equal."""
    x = np.random.default_rng(0).random(784).astype(np.float32)
    logits = net.logits(x)
    assert logits.shape == (10,)
    assert logits.dtype == np.float64
    assert np.isfinite(logits).all()
    assert np.ptp(logits) > 0


def test_batch_matches_single_inputs(net):
    """A batch (N, 784) gives (N, 10), row i equal to the logits of input i alone."""
    xs = np.random.default_rng(1).random((5, 784)).astype(np.float32)
    batch = net.logits(xs)
    assert batch.shape == (5, 10)
    for i in range(5):
        np.testing.assert_allclose(batch[i], net.logits(xs[i]), rtol=1e-5, atol=1e-5)


def einsum_on(monkeypatch) -> list[int]:
    """Turn on the page's einsum products (as in Pyodide); returns each call's row count."""
    calls: list[int] = []
    real_einsum = np.einsum

    def counted(spec, a, b):
        calls.append(len(a))
        return real_einsum(spec, a, b)

    monkeypatch.setattr(network, "EINSUM", True)
    monkeypatch.setattr(np, "einsum", counted)
    return calls


def test_einsum_products_give_the_matmul_logits(net, monkeypatch):
    """The page's einsum products (Pyodide, no BLAS) give the logits matmul gives, to float32."""
    xs = np.random.default_rng(2).random((3, 784)).astype(np.float32)
    by_matmul = net.logits(xs)
    calls = einsum_on(monkeypatch)
    np.testing.assert_allclose(net.logits(xs), by_matmul, rtol=1e-4, atol=1e-4)
    assert len(calls) == 3  # conv2, dense1, dense2; conv1 (25 terms per product) stays matmul


def test_einsum_products_too_large_for_one_call_go_in_row_blocks(net, monkeypatch):
    """A batch whose product exceeds einsum's element limit (wasm32: 2**31 - 1) is done in row
    blocks, with the same logits: the page computes 1,000 check digits' features at once."""
    xs = np.random.default_rng(3).random((7, 784)).astype(np.float32)
    by_matmul = net.logits(xs)
    calls = einsum_on(monkeypatch)
    monkeypatch.setattr(network, "EINSUM_MAX_ELEMENTS", 192 * 800 * 64)  # conv2: 192 rows a call
    np.testing.assert_allclose(net.logits(xs), by_matmul, rtol=1e-4, atol=1e-4)
    assert calls == [192, 192, 64, 7, 7]  # conv2's 7 x 64 rows in blocks; dense1, dense2 whole


def test_wrong_input_shape_is_rejected(net):
    """An input that is not 784 pixels is an error, not a silent reshape."""
    with pytest.raises(ValueError, match="784"):
        net.logits(np.zeros(783, np.float32))


def test_random_bytes_raise_weights_error():
    """Bytes that are not an .npz archive raise WeightsError saying so."""
    junk = np.random.default_rng(2).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    with pytest.raises(WeightsError, match="not a readable .npz"):
        load_network(junk)


def test_truncated_file_raises_weights_error(tmp_path):
    """A file cut short (interrupted download) raises WeightsError, not a zipfile error."""
    data = MODEL.read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(WeightsError, match="not a readable .npz"):
        load_network(path)


def test_missing_file_raises_weights_error(tmp_path):
    """A path that does not exist raises WeightsError naming it."""
    with pytest.raises(WeightsError, match="not found"):
        load_network(tmp_path / "nope.npz")


def test_missing_array_is_named(arrays):
    """An archive without one of the arrays raises WeightsError naming the missing array."""
    broken = {k: v for k, v in arrays.items() if k != "conv2_w"}
    with pytest.raises(WeightsError, match="missing array 'conv2_w'"):
        load_network(npz_bytes(broken))


def test_wrong_shape_is_named(arrays):
    """An array of the wrong shape raises WeightsError naming it and the expected shape."""
    broken = dict(arrays, dense2_w=np.zeros((10, 10), np.float32))
    with pytest.raises(WeightsError, match=r"'dense2_w' has shape \(10, 10\), expected"):
        load_network(npz_bytes(broken))


def test_wrong_dtype_is_named(arrays):
    """An array stored as float64 (neither float16 nor float32) raises WeightsError naming it."""
    broken = dict(arrays, conv1_b=arrays["conv1_b"].astype(np.float64))
    with pytest.raises(WeightsError, match="'conv1_b' has dtype float64, expected float16 or"):
        load_network(npz_bytes(broken))


def test_shipped_weights_are_stored_as_float16_and_computed_in_float32(net, arrays):
    """The file holds float16 (half the bytes); the loaded weights are exactly those, as float32."""
    for name, stored in arrays.items():
        assert stored.dtype == np.float16
        assert net.params[name].dtype == np.float32
        np.testing.assert_array_equal(net.params[name], stored.astype(np.float32))


def test_float32_weights_load_too(arrays):
    """A float32 file (e.g. written by another tool) loads to the same float32 weights."""
    widened = {k: v.astype(np.float32) for k, v in arrays.items()}
    loaded = load_network(npz_bytes(widened))
    for name, a in widened.items():
        np.testing.assert_array_equal(loaded.params[name], a)


def test_float16_overflow_is_refused(arrays):
    """A float16 value that overflowed to infinity is refused like a NaN, naming the array."""
    bad = arrays["conv2_w"].copy()
    bad[0, 0, 0, 0] = np.inf
    with pytest.raises(WeightsError, match="'conv2_w' contains NaN or infinite"):
        load_network(npz_bytes(dict(arrays, conv2_w=bad)))


def test_nan_is_named(arrays):
    """A NaN anywhere in the weights raises WeightsError naming the array."""
    bad = arrays["dense1_w"].copy()
    bad[3, 4] = np.nan
    with pytest.raises(WeightsError, match="'dense1_w' contains NaN"):
        load_network(npz_bytes(dict(arrays, dense1_w=bad)))


def test_weights_error_is_a_value_error():
    """WeightsError is a ValueError, so generic callers can catch it as bad input."""
    assert issubclass(WeightsError, ValueError)
