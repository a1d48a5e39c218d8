"""The lab view: what the page shows for logits under the learner's controls."""

import math

import numpy as np
import pytest

from lab import Controls, apply_control_text, lab_view, parse_scale, parse_shift

LOGITS = np.array([1.0, -2.0, 0.5, 7.0, 0.0, 2.0, -1.0, 3.0, 1.5, 0.2])


def test_empty_pad_shows_no_numbers():
    """No logits (empty pad) gives an empty view: no fake guess."""
    assert lab_view(None, Controls()) == {"empty": True, "zero_logits": False}


def test_shift_moves_logits_but_not_probabilities():
    """Adding c moves every shown logit by c; the probabilities move by ~1e-16 at most."""
    plain = lab_view(LOGITS, Controls())
    shifted = lab_view(LOGITS, Controls(shift=17.5))
    assert np.allclose(np.array(shifted["logits"]) - plain["logits"], 17.5)
    assert shifted["shift_max_change"] < 1e-12
    assert np.max(np.abs(np.array(shifted["probs"]) - plain["probs"])) < 1e-12


@pytest.mark.parametrize("alpha", [0.05, 0.5, 2.0, 20.0])
def test_scale_keeps_the_guess_and_changes_the_entropy(alpha):
    """Multiplying by alpha keeps the argmax; alpha > 1 sharpens, alpha < 1 flattens."""
    view = lab_view(LOGITS, Controls(scale=alpha))
    assert view["prediction"] == view["argmax_unscaled"] == 3
    if alpha > 1:
        assert view["entropy"] < view["entropy_unscaled"]
    else:
        assert view["entropy"] > view["entropy_unscaled"]


def test_zero_logits_give_exactly_one_tenth():
    """The all-zero button: 0.1 per class and the maximum entropy log 10."""
    view = lab_view(LOGITS, Controls(zero_logits=True, shift=3.0, scale=5.0))
    assert view["probs"] == [0.1] * 10
    assert view["entropy"] == pytest.approx(math.log(10))


def test_cross_entropy_flags_a_confidently_wrong_guess():
    """Label 1 while the model puts most mass on 3: flagged, gradient p - y, loss -log p_1."""
    view = lab_view(LOGITS, Controls(label=1))
    ce = view["cross_entropy"]
    assert ce["confidently_wrong"] is True
    assert ce["loss"] == pytest.approx(-math.log(view["probs"][1]))
    expected = np.array(view["probs"]) - np.eye(10)[1]
    assert np.allclose(ce["grad"], expected)
    assert lab_view(LOGITS, Controls(label=3))["cross_entropy"]["confidently_wrong"] is False


def test_extreme_logits_stay_finite():
    """Logits of +/-1e4 with alpha 20 and a large shift give finite numbers everywhere."""
    z = np.array([1e4, -1e4] + [0.0] * 8)
    view = lab_view(z, Controls(scale=20.0, shift=-1000.0, label=1))
    assert all(math.isfinite(v) for v in view["probs"] + view["cross_entropy"]["grad"])
    assert math.isfinite(view["cross_entropy"]["loss"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "greater than 0"),
        ("-2", "greater than 0"),
        ("abc", "must be a number"),
        ("nan", "finite"),
        ("1e9", "between"),
        ("", "must be a number"),
    ],
)
def test_scale_rejects_non_positive_and_nonsense(text, message):
    """alpha <= 0, out-of-range and non-numbers are refused with a message saying why."""
    value, error = parse_scale(text)
    assert value is None and message in error


@pytest.mark.parametrize(("text", "value"), [("0", 0.0), (" -3.5 ", -3.5), ("1000", 1000.0)])
def test_shift_accepts_numbers_in_range(text, value):
    """Any finite number within +/-1000 is a valid shift."""
    assert parse_shift(text) == (value, None)


def test_a_rejected_control_keeps_its_last_good_value():
    """Typing nonsense reports an error and loses nothing: the previous value stays."""
    controls, errors = apply_control_text(Controls(), {"shift": "2", "scale": "3"})
    assert (controls.shift, controls.scale, errors) == (2.0, 3.0, {})
    controls, errors = apply_control_text(controls, {"shift": "x", "scale": "-1", "label": "7"})
    assert (controls.shift, controls.scale, controls.label) == (2.0, 3.0, 7)
    assert set(errors) == {"shift", "scale"}
