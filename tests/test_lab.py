"""The lab view: what the page shows for logits under the learner's controls."""

import math

import numpy as np
import pytest

import lab
import learner_checks
import number_rule
from lab import Controls, apply_control_text, lab_view, parse_label, parse_scale, parse_shift

LOGITS = np.array([1.0, -2.0, 0.5, 7.0, 0.0, 2.0, -1.0, 3.0, 1.5, 0.2])


def test_empty_pad_shows_no_numbers():
    """No logits (empty pad) gives an empty view: no fake guess."""
    assert lab_view(None, Controls()) == {"empty": True, "zero_logits": False, "in_force": []}


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
        ("abc", "must be a plain decimal number"),
        ("nan", "plain decimal number"),
        ("1e999", "finite"),
        ("1e9", "between"),
        ("", "must be a plain decimal number"),
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


@pytest.mark.parametrize("text", ["0x10", "1_000", "٣", "inf", "1,5,0", "2 3", "+-1", "e5", "½"])
def test_one_number_rule_rejects_what_only_one_language_would_take(text):
    """Hex, underscores, non-ASCII digits, inf: refused, and the message states the rule."""
    for parse in (parse_shift, parse_scale):
        value, error = parse(text)
        assert value is None and number_rule.rule() in error


@pytest.mark.parametrize(
    ("text", "value"),
    [("-0", 0.0), ("+2.5", 2.5), (".5", 0.5), ("5.", 5.0), ("1e-2", 0.01), ("1E1", 10.0)],
)
def test_one_number_rule_accepts_plain_decimals(text, value):
    """Plain decimal notation is accepted; -0 becomes 0 (no "-0" shown as a value in force)."""
    parsed, error = parse_shift(text)
    assert error is None and parsed == value and math.copysign(1, parsed) == math.copysign(1, value)


@pytest.mark.parametrize("text", ["²", "٣", "10", "-1", "x", "3.0"])
def test_label_rejects_anything_but_one_ascii_digit(text):
    """A label is one digit 0-9: superscripts and other scripts' digits give a message, no crash."""
    value, error = parse_label(text)
    assert value is None and "digit 0-9" in error


def test_a_rejected_field_says_which_value_is_still_in_force():
    """Emptying alpha after 3 (abc into c after 5) says alpha = 3 (c = 5) still applies."""
    controls, _ = apply_control_text(Controls(), {"shift": "5", "scale": "3"})
    _, errors = apply_control_text(controls, {"shift": "abc", "scale": ""})
    assert "Still in force: α = 3." in errors["scale"]
    assert "Still in force: c = 5." in errors["shift"]


def test_in_force_lists_every_non_default_control():
    """The page can always say what is applied: nothing by default, alpha and c when changed."""
    assert lab.in_force(Controls()) == []
    assert lab.in_force(Controls(scale=3.0, shift=-0.5)) == ["c = -0.5", "α = 3"]
    assert lab.in_force(Controls(scale=2.0, zero_logits=True)) == ["all logits set to 0"]
    assert lab_view(LOGITS, Controls(scale=3.0))["in_force"] == ["α = 3"]


def test_format_number_round_trips_exactly():
    """The text shown for a value in force reads back as exactly that value."""
    for value in (3.0, 0.1, 2.718281828, 1e-5, -1000.0, 0.0):
        assert float(lab.format_number(value)) == value
    assert lab.format_number(3.0) == "3"


def test_all_zero_logits_are_a_tie_with_no_single_guess():
    """Uniform probabilities: no prediction (not "0" by index) and all ten classes tied."""
    view = lab_view(LOGITS, Controls(zero_logits=True))
    assert view["prediction"] is None and view["argmax_unscaled"] is None
    assert view["top"] == list(range(10))


def test_two_equal_top_logits_are_a_tie():
    """Two equal largest logits tie; a clear winner is the prediction with top = [winner]."""
    z = np.array([0.0, 4.0, 1.0, 4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    view = lab_view(z, Controls(shift=3.0, scale=2.0, label=1))
    assert view["prediction"] is None and view["top"] == [1, 3]
    assert view["cross_entropy"]["confidently_wrong"] is False
    assert lab_view(LOGITS, Controls())["top"] == [3]


# --- "Use my softmax": every number from the learner's p ----------------------------------------

# The common mistake: shift to non-negative and normalise, no exponential. On these logits of a
# clear 3 it gives p ∝ z − min z = [1, 0, 2, 16, 1, 3, 0, 2, 3, 2] / 30, where the built-in
# softmax gives the 3 all but 5e-6 of the mass and no class exactly 0.
CLEAR_THREE = np.array([0.0, -1.0, 1.0, 15.0, 0.0, 2.0, -1.0, 1.0, 2.0, 1.0])
MISTAKE_COUNTS = [1, 0, 2, 16, 1, 3, 0, 2, 3, 2]  # of 30
MISTAKE_CODE = "def softmax(z):\n    p = z - z.min()\n    return p / p.sum()\n"
THEIR_ZERO = "exactly 0 from your softmax"


def mistaken_softmax(z):
    p = z - z.min()
    return p / p.sum()


def test_a_learners_softmax_is_shown_with_its_own_numbers():
    """Texts, strip, log10 p and log bars come from the learner's p: 16/30 reads 53.3 %, not
    the built-in "100 % − …"; their exact 0 says so, no underflow; Σp is theirs."""
    view = lab_view(CLEAR_THREE, Controls(), lab.Maths(softmax=mistaken_softmax))
    assert view["prob_text"] == [
        "3.3 %", THEIR_ZERO, "6.7 %", "53.3 %", "3.3 %", "10.0 %", THEIR_ZERO, "6.7 %",
        "10.0 %", "6.7 %",
    ]  # fmt: skip
    assert view["strip_text"] == [
        "3.3", "0", "6.7", "53.3", "3.3", "10.0", "0", "6.7", "10.0", "6.7",
    ]  # fmt: skip
    expected_log10 = [math.log10(n / 30) if n else None for n in MISTAKE_COUNTS]
    assert view["log10_probs"] == [
        pytest.approx(v, abs=1e-12) if v else None for v in expected_log10
    ]
    bars = [max(0.0, 1 + math.log10(n / 30) / 20) if n else 0.0 for n in MISTAKE_COUNTS]
    assert view["log_bars"] == pytest.approx(bars, abs=1e-12)
    assert view["others_text"] == "46.7 %"  # 14 of 30
    assert view["sum"] == pytest.approx(1.0, abs=1e-15) and view["prediction"] == 3


def test_the_learners_lab_loss_and_p_minus_y_come_from_their_p():
    """Through the sandbox's own call, with no gradient or loss of theirs: p − y is their p
    minus y, and the loss at a label their p puts exactly 0 on is infinite (None in JSON)."""
    learner_checks.use_code(MISTAKE_CODE)
    controls = {"shift": 0.0, "scale": 1.0, "label": 1, "zero_logits": False}
    result = learner_checks.learner_lab(learner_checks.current(), list(CLEAR_THREE), controls)
    assert result["source"] == "mine"
    view = result["lab"]
    ce = view["cross_entropy"]
    assert ce["grad"] == pytest.approx(
        [(n - 30 * (k == 1)) / 30 for k, n in enumerate(MISTAKE_COUNTS)]
    )
    assert ce["loss"] is None  # −ln 0
    assert view["prob_text"][1] == THEIR_ZERO
    result = learner_checks.learner_lab(
        learner_checks.current(), list(CLEAR_THREE), {**controls, "label": 5}
    )
    assert result["lab"]["cross_entropy"]["loss"] == pytest.approx(math.log(10))  # −ln(3/30)
    assert "your p minus y" in result["notes"]["gradient"]


def test_a_learners_winner_is_read_from_their_own_vector():
    """Near 1 the winner's text is the learner's own distance below 1: the sum of their other
    p's (the built-in one would come from log_softmax); "100" only for their exact 1."""
    z = 50 * np.arange(10.0)  # the others: e^-50 = 2e-22 of the 9's mass and less

    def naive(z):  # a learner's correct softmax: p_9 rounds to exactly 1.0 in float64
        e = np.exp(z - z.max())
        return e / e.sum()

    view = lab_view(z, Controls(), lab.Maths(softmax=naive))
    assert view["probs"][9] == 1.0
    rest = math.fsum(math.exp(50 * (k - 9)) for k in range(9))  # independent of the texts
    stated = float(view["prob_text"][9].removeprefix("100 % − ").removesuffix(" %"))
    assert stated == pytest.approx(100 * rest, rel=0.05)
    assert view["strip_text"][9] == ">99.9"

    def one_hot_softmax(z):  # everything on the argmax: exactly 1 and exact zeros
        return np.eye(10)[int(np.argmax(z))]

    view = lab_view(z, Controls(), lab.Maths(softmax=one_hot_softmax))
    assert view["prob_text"][9] == "100 %" and view["strip_text"][9] == "100"
    assert view["prob_text"][0] == THEIR_ZERO and view["strip_text"][0] == "0"
    assert view["others_text"] == THEIR_ZERO


def test_pad_in_force_names_a_nudged_input():
    """The head panel's nudge puts another input than the drawing in the lab: the chip says so
    (Reset cannot undo it; Back to my drawing does)."""
    chip = lab.pad_in_force(Controls(), 0, mine=False, nudged=True)
    assert chip == {
        "text": "In force: the nudged input, not your drawing",
        "resettable": False,
        "taught": False,
    }


def test_pad_in_force_names_everything_but_the_plain_network():
    """Issue 32.1: the chip beside the guess. None for the plain network; otherwise each thing
    in force, compactly; Reset can undo the controls and the learner's softmax, not teaching."""
    assert lab.pad_in_force(Controls(), 0, mine=False) is None
    assert lab.pad_in_force(Controls(label=3), 0, mine=False) is None  # a label changes no p
    chip = lab.pad_in_force(Controls(scale=0.05), 0, mine=False)
    assert chip == {"text": "In force: α = 0.05", "resettable": True, "taught": False}
    assert lab.pad_in_force(Controls(shift=-50.0, scale=5.0), 0, mine=False)["text"] == (
        "In force: c = -50 · α = 5"
    )
    assert lab.pad_in_force(Controls(zero_logits=True), 0, mine=False)["text"] == (
        "In force: all logits set to 0"
    )
    assert lab.pad_in_force(Controls(), 0, mine=True) == {
        "text": "In force: your softmax",
        "resettable": True,
        "taught": False,
    }
    taught = lab.pad_in_force(Controls(), 1, mine=False)
    assert taught == {
        "text": "In force: taught weights (1 example)",
        "resettable": False,
        "taught": True,
    }
    both = lab.pad_in_force(Controls(scale=2.0), 4, mine=True)
    assert both["text"] == "In force: α = 2 · your softmax · taught weights (4 examples)"
    assert both["resettable"] and both["taught"]
