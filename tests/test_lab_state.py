"""py/lab_state.py: the lab's state (drawing, controls, view), driven as the worker glue does."""

import numpy as np
import pytest

from drawings import MODEL, bar, blank
from lab_state import LabState


@pytest.fixture
def lab() -> LabState:
    return LabState(str(MODEL))


def test_empty_canvas_gives_no_guess(lab):
    """An empty pad is reported as empty: no logits, no image, no prediction."""
    view = lab.draw(blank())
    assert view["lab"]["empty"] is True and view["image"] is None


def test_drawing_gives_ten_logits_and_their_softmax(lab):
    """A drawing produces ten logits, probabilities summing to 1, and the 28x28 image."""
    view = lab.draw(bar())
    assert len(view["lab"]["logits"]) == 10
    assert abs(sum(view["lab"]["probs"]) - 1) < 1e-12
    assert len(view["image"]) == 784


def test_controls_apply_to_the_last_drawing(lab):
    """Changing the shift reuses the cached logits; a bad scale keeps the old one."""
    first = lab.draw(bar())["lab"]
    view = lab.set_controls({"shift": "5", "scale": "0"})
    assert np.allclose(np.array(view["lab"]["logits"]) - first["logits"], 5)
    assert view["controls"]["scale"] == 1.0 and "scale" in view["errors"]


def test_drawing_again_leaves_zero_logit_mode(lab):
    """After the all-zero button, a new stroke shows the drawing's own logits again."""
    lab.draw(bar())
    assert lab.set_controls({"zero_logits": True})["lab"]["probs"] == [0.1] * 10
    assert lab.draw(bar())["lab"]["zero_logits"] is False


def test_a_rejected_value_stays_reported_after_drawing_again(lab):
    """alpha 3, then an emptied field, then a new stroke: alpha = 3 applies and the page says so."""
    lab.draw(bar())
    lab.set_controls({"scale": "3"})
    lab.set_controls({"scale": ""})
    view = lab.draw(bar())
    assert view["controls"]["scale"] == 3.0 and view["controls_text"]["scale"] == "3"
    assert "Still in force: α = 3." in view["errors"]["scale"]
    assert view["lab"]["in_force"] == ["α = 3"]
    assert "scale" not in lab.set_controls({"scale": "2"})["errors"]


def test_reset_restores_every_default_and_clears_messages(lab):
    """{"reset": true} brings alpha, c, the label and all-zero back to their defaults."""
    lab.draw(bar())
    lab.set_controls({"scale": "3", "shift": "oops", "label": "4", "zero_logits": True})
    view = lab.set_controls({"reset": True})
    assert view["controls"] == {"shift": 0.0, "scale": 1.0, "label": None, "zero_logits": False}
    assert view["errors"] == {} and view["lab"]["in_force"] == []


def test_fields_sent_with_reset_apply_after_it(lab):
    """Reset pressed, then α typed before the update left: the reset, then α = 3 (issue 26.7)."""
    lab.draw(bar())
    lab.set_controls({"scale": "2", "shift": "5", "label": "4"})
    view = lab.set_controls({"reset": True, "scale": "3"})
    assert view["controls"] == {"shift": 0.0, "scale": 3.0, "label": None, "zero_logits": False}
    assert view["controls_text"]["scale"] == "3" and view["lab"]["in_force"] == ["α = 3"]
    # A bad value sent with a reset is refused against the defaults, and its message stays.
    view = lab.set_controls({"reset": True, "shift": "oops"})
    assert view["controls"]["scale"] == 1.0 and "Still in force: c = 0." in view["errors"]["shift"]


def test_a_dot_is_reported_as_too_small_not_read_as_a_digit(lab):
    """A single tap gives no guess, and the view says why (too small, not empty)."""
    rgba = blank()
    rgba[100:118, 100:118] = (17, 17, 17, 255)  # one tap of an 18 px pen
    view = lab.draw(rgba)["lab"]
    assert view["empty"] is True and view["no_digit"] == "too_small"
    assert lab.draw(blank())["lab"]["no_digit"] == "empty"


def test_the_view_judges_whether_a_drawing_looks_like_a_digit(lab):
    """novelty: the max-probability score of the network's own logits, and the verdict."""
    assert lab.view()["novelty"] is None
    view = lab.draw(bar())
    logits = lab.logits
    p = np.exp(logits - logits.max())
    assert view["novelty"]["score"] == pytest.approx((p / p.sum()).max(), rel=1e-12)
    expected = view["novelty"]["score"] < view["novelty"]["threshold"]
    assert view["novelty"]["not_a_digit"] == expected
    # The controls change what the lab shows, not the judgement.
    assert lab.set_controls({"scale": "0.01"})["novelty"] == view["novelty"]


def test_the_view_carries_the_chip_beside_the_guess(lab):
    """pad_in_force for both softmaxes: the page picks the one the lab actually shows."""
    lab.draw(bar())
    assert lab.view()["pad_in_force"] == {
        "builtin": None,
        "mine": {"text": "In force: your softmax", "resettable": True, "taught": False},
    }
    chip = lab.set_controls({"scale": "0.05"})["pad_in_force"]["builtin"]
    assert chip["text"] == "In force: α = 0.05"
    assert lab.set_controls({"reset": True})["pad_in_force"]["builtin"] is None
