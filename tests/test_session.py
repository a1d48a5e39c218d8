"""The page's Python session, driven as the worker glue drives it, under CPython."""

import math
import re
from pathlib import Path

import numpy as np
import pytest

from session import Session

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def session() -> Session:
    return Session(str(ROOT / "assets" / "model.npz"))


def blank(size: int = 280) -> np.ndarray:
    return np.zeros((size, size, 4), np.uint8)


def bar(size: int = 280) -> np.ndarray:
    rgba = blank(size)
    rgba[40:240, 130:150] = (17, 17, 17, 255)  # a vertical stroke
    return rgba


def test_empty_canvas_gives_no_guess(session):
    """An empty pad is reported as empty: no logits, no image, no prediction."""
    view = session.draw(blank())
    assert view["lab"]["empty"] is True and view["image"] is None


def test_drawing_gives_ten_logits_and_their_softmax(session):
    """A drawing produces ten logits, probabilities summing to 1, and the 28x28 image."""
    view = session.draw(bar())
    assert len(view["lab"]["logits"]) == 10
    assert abs(sum(view["lab"]["probs"]) - 1) < 1e-12
    assert len(view["image"]) == 784


def test_controls_apply_to_the_last_drawing(session):
    """Changing the shift reuses the cached logits; a bad scale keeps the old one."""
    first = session.draw(bar())["lab"]
    view = session.set_controls({"shift": "5", "scale": "0"})
    assert np.allclose(np.array(view["lab"]["logits"]) - first["logits"], 5)
    assert view["controls"]["scale"] == 1.0 and "scale" in view["errors"]


def test_drawing_again_leaves_zero_logit_mode(session):
    """After the all-zero button, a new stroke shows the drawing's own logits again."""
    session.draw(bar())
    assert session.set_controls({"zero_logits": True})["lab"]["probs"] == [0.1] * 10
    assert session.draw(bar())["lab"]["zero_logits"] is False


def test_quiz_reports_a_broken_file_and_a_missing_one(session):
    """Broken JSON and an unreachable file both come back as messages, never an exception."""
    assert session.start_quiz("{not json", "", None, 1)["errors"]
    missing = session.start_quiz(None, "HTTP 404", None, 1)["errors"]
    assert missing == ["questions.json could not be loaded: HTTP 404."]


def test_quiz_round_trips_through_saved_progress(session):
    """Progress saved after an answer restores to the same view in a new session."""
    text = (ROOT / "tests" / "fixtures" / "quiz_choice.json").read_text()
    state = session.start_quiz(text, "", None, 42)
    answer = session.quiz.correct_display_index()
    session.quiz_action("select", answer)
    state = session.quiz_action("check")
    assert state["view"]["status"] == "correct"
    restored = Session.__new__(Session)
    restored.quiz = restored.observing = restored.observation = None
    again = Session.start_quiz(restored, text, "", state["saved"], 7)
    assert again["notice"] is None and again["view"] == state["view"]


def test_corrupt_saved_progress_gives_a_fresh_quiz_and_a_notice(session):
    """Corrupt localStorage content is discarded with a short notice."""
    text = (ROOT / "tests" / "fixtures" / "quiz_choice.json").read_text()
    state = session.start_quiz(text, "", "{corrupt", 3)
    assert state["notice"] and state["view"]["score"]["correct"] == 0


def test_a_rejected_value_stays_reported_after_drawing_again(session):
    """alpha 3, then an emptied field, then a new stroke: alpha = 3 applies and the page says so."""
    session.draw(bar())
    session.set_controls({"scale": "3"})
    session.set_controls({"scale": ""})
    view = session.draw(bar())
    assert view["controls"]["scale"] == 3.0 and view["controls_text"]["scale"] == "3"
    assert "Still in force: α = 3." in view["errors"]["scale"]
    assert view["lab"]["in_force"] == ["α = 3"]
    assert "scale" not in session.set_controls({"scale": "2"})["errors"]


def test_reset_restores_every_default_and_clears_messages(session):
    """{"reset": true} brings alpha, c, the label and all-zero back to their defaults."""
    session.draw(bar())
    session.set_controls({"scale": "3", "shift": "oops", "label": "4", "zero_logits": True})
    view = session.set_controls({"reset": True})
    assert view["controls"] == {"shift": 0.0, "scale": 1.0, "label": None, "zero_logits": False}
    assert view["errors"] == {} and view["lab"]["in_force"] == []


def test_fields_sent_with_reset_apply_after_it(session):
    """Reset pressed, then α typed before the update left: the reset, then α = 3 (issue 26.7)."""
    session.draw(bar())
    session.set_controls({"scale": "2", "shift": "5", "label": "4"})
    view = session.set_controls({"reset": True, "scale": "3"})
    assert view["controls"] == {"shift": 0.0, "scale": 3.0, "label": None, "zero_logits": False}
    assert view["controls_text"]["scale"] == "3" and view["lab"]["in_force"] == ["α = 3"]
    # A bad value sent with a reset is refused against the defaults, and its message stays.
    view = session.set_controls({"reset": True, "shift": "oops"})
    assert view["controls"]["scale"] == 1.0 and "Still in force: c = 0." in view["errors"]["shift"]


def test_a_dot_is_reported_as_too_small_not_read_as_a_digit(session):
    """A single tap gives no guess, and the view says why (too small, not empty)."""
    rgba = blank()
    rgba[100:118, 100:118] = (17, 17, 17, 255)  # one tap of an 18 px pen
    view = session.draw(rgba)["lab"]
    assert view["empty"] is True and view["no_digit"] == "too_small"
    assert session.draw(blank())["lab"]["no_digit"] == "empty"


MIXED_TEXT = (ROOT / "tests" / "fixtures" / "quiz_mixed.json").read_text()


def go_to_question(session, question_id: str) -> None:
    """Answer correctly and move on until the question with this id is on screen."""
    while session.quiz.question.id != question_id:
        game = session.quiz
        if game.question.kind == "numeric":
            session.quiz_action("check", repr(game.question.answer_value))
        else:
            session.quiz_action("select", game.correct_display_index())
            session.quiz_action("check")
        session.quiz_action("next")


def test_numeric_answers_travel_as_text(session):
    """A typed answer reaches the engine as text: right within tolerance, else a clear notice."""
    session.start_quiz(MIXED_TEXT, "", None, 4)
    go_to_question(session, "type-p0")
    state = session.quiz_action("check", "zero point six")
    assert "is not a number" in state["notice"] and state["view"]["attempts"] == 0
    state = session.quiz_action("check", "0,664")
    assert state["view"]["status"] == "correct"


def others_percent(logits: list[float]) -> float:
    """100 × the probability of every class but the top one, straight from the logits: with
    S = Σ e^(z_k − z_top) over the nine others (math.fsum), that mass is S / (1 + S), exact to
    float64's relative precision however small (no 1 − p, which float64 rounds to 0)."""
    top = max(logits)
    rest = math.fsum(math.exp(z - top) for z in sorted(logits)[:-1])
    return 100 * rest / (1 + rest)


def test_a_committed_prediction_asks_the_page_to_set_the_control_then_describes_it(session):
    """check on a predict item returns the control to set; "observed" compares before/after."""
    session.draw(bar())
    session.start_quiz(MIXED_TEXT, "", None, 4)
    go_to_question(session, "predict-sharpen")
    state = session.quiz_action("select", session.quiz.correct_display_index())
    assert state["observe"] is None
    state = session.quiz_action("check")
    assert state["observe"]["control"] == "scale" and state["observe"]["value"] == "5"
    assert state["observation"] is None
    before = session.view()["lab"]
    session.set_controls({"scale": "5"})  # what the page does through the real #scale field
    state = session.quiz_action("observed")
    text = state["observation"]
    assert text.startswith("What happened: the lab now applies α = 5 to your digit's logits")
    after = session.view()["lab"]
    # The lab's own texts: the winner as its distance below 100 % (the table's row), never
    # "100.00 %", and each distance within its one-decimal rounding of the true mass.
    sci = r"([0-9.]+e-[0-9]+)"
    found = re.search(
        rf"top probability (100 % − {sci} %) → (100 % − {sci} %); "
        rf"the other nine together {sci} % → {sci} %;",
        text,
    )
    assert found, text
    top_before, below_before, top_after, below_after, rest_before, rest_after = found.groups()
    assert top_before == before["prob_text"][before["prediction"]]
    assert top_after == after["prob_text"][after["prediction"]]
    for view, below, rest in (
        (before, below_before, rest_before),
        (after, below_after, rest_after),
    ):
        truth = others_percent(view["logits"])
        assert float(below) == pytest.approx(truth, rel=0.05) == float(rest)
    assert others_percent(after["logits"]) < others_percent(before["logits"])
    assert "100.00 %" not in text
    assert session.quiz_action("show_hint")["observation"] == text  # stays with the answer
    assert session.quiz_action("next")["observation"] is None


def test_observation_on_an_empty_pad_asks_for_a_drawing(session):
    """With nothing drawn, the observation says what is applied and asks for a digit."""
    session.start_quiz(MIXED_TEXT, "", None, 4)
    go_to_question(session, "predict-sharpen")
    session.quiz_action("select", 0)
    assert session.quiz_action("check")["observe"] is not None
    session.set_controls({"scale": "5"})
    text = session.quiz_action("observed")["observation"]
    assert text.startswith("The lab now applies α = 5. Draw a digit")


def test_all_zero_prediction_works_without_a_drawing(session):
    """The all-zero control gives ten equal probabilities even on an empty pad."""
    session.start_quiz(MIXED_TEXT, "", None, 4)
    go_to_question(session, "predict-zero")
    session.quiz_action("select", session.quiz.correct_display_index())
    assert session.quiz_action("check")["observe"]["control"] == "zero-logits"
    session.set_controls({"zero_logits": True})
    text = session.quiz_action("observed")["observation"]
    assert "guess none (a tie between all ten digits)" in text
    assert "top probability 10.0 %; the other nine together 90.0 %;" in text


def test_reset_takes_a_new_seed_for_a_new_learner(session):
    """reset with a seed starts afresh with that seed; without one it keeps the old seed."""
    text = (ROOT / "tests" / "fixtures" / "quiz_choice.json").read_text()
    session.start_quiz(text, "", None, 4)
    session.quiz_action("select", 0)
    session.quiz_action("check")
    state = session.quiz_action("reset", 99)
    assert session.quiz.seed == 99 and state["view"]["attempts"] == 0
    session.quiz_action("reset")
    assert session.quiz.seed == 99


def digit_file(name: str) -> bytes:
    return (ROOT / "assets" / "digits" / name).read_bytes()


def test_learning_needs_a_drawing_a_label_and_the_digits(session):
    """learn() explains what is missing instead of raising: drawing, label, then the digit sets."""
    assert "Draw a digit first" in session.learn(5)["error"]
    session.draw(bar())
    assert "true digit" in session.learn(5)["error"]
    session.set_controls({"label": "7"})
    assert "not loaded" in session.learn(5)["error"]
    assert session.learn_start(b"junk", digit_file("mnist-test.npz"))["error"]
    assert session.learn_start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz")) == {
        "error": None
    }
    for bad in (0, 51, 2.5, "3"):
        assert "whole number from 1 to 50" in session.learn(bad)["error"]


def test_learning_rescores_the_drawing_and_forget_restores_it(session):
    """A press changes the drawing's logits in the lab view; forget gives the shipped ones back."""
    session.draw(bar())
    session.set_controls({"label": "7"})
    shipped = session.view()["lab"]["network_logits"]
    session.learn_start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    taught = session.learn(10)
    assert taught["error"] is None and taught["view"]["learned"] == 1
    assert taught["result"]["loss_after"] < taught["result"]["loss_before"]
    assert taught["view"]["lab"]["network_logits"] != shipped
    assert taught["saved"] is not None
    forgot = session.learn_forget()
    assert forgot["view"]["lab"]["network_logits"] == shipped
    assert forgot["view"]["learned"] == 0 and forgot["saved"] is None


def test_saved_learning_survives_a_new_session(session):
    """The saved text restores the taught weights in a fresh session; junk gives a notice."""
    session.draw(bar())
    session.set_controls({"label": "7"})
    session.learn_start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    saved = session.learn(5)["saved"]
    again = Session(str(ROOT / "assets" / "model.npz"))
    again.draw(bar())
    again.set_controls({"label": "7"})
    restored = again.learn_restore(saved)
    assert restored["notice"] is None and restored["view"]["learned"] == 1
    assert restored["view"]["lab"]["network_logits"] == session.view()["lab"]["network_logits"]
    junk = Session(str(ROOT / "assets" / "model.npz")).learn_restore('{"format": 1')
    assert "could not be used" in junk["notice"] and junk["view"]["learned"] == 0


def test_the_view_judges_whether_a_drawing_looks_like_a_digit(session):
    """novelty: the max-probability score of the network's own logits, and the verdict."""
    assert session.view()["novelty"] is None
    view = session.draw(bar())
    logits = session.logits
    p = np.exp(logits - logits.max())
    assert view["novelty"]["score"] == pytest.approx((p / p.sum()).max(), rel=1e-12)
    expected = view["novelty"]["score"] < view["novelty"]["threshold"]
    assert view["novelty"]["not_a_digit"] == expected
    # The controls change what the lab shows, not the judgement.
    assert session.set_controls({"scale": "0.01"})["novelty"] == view["novelty"]


def test_the_view_names_the_weights_in_force(session):
    """weights_id: "shipped", a fingerprint once taught, the same one again after an undo back
    to it, and "shipped" after Forget or an undo of the first press."""
    assert session.view()["weights_id"] == "shipped"
    session.draw(bar())
    session.set_controls({"label": "7"})
    session.learn_start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    once = session.learn(5)["view"]["weights_id"]
    assert once != "shipped"
    twice = session.learn(5)["view"]["weights_id"]
    assert twice not in ("shipped", once)
    assert session.learn_undo()["view"]["weights_id"] == once
    assert session.learn_forget()["view"]["weights_id"] == "shipped"
    session.learn(5)
    assert session.learn_undo()["view"]["weights_id"] == "shipped"
    # Refused presses and unusable saved learning change nothing.
    session.learn(5)
    taught = session.view()["weights_id"]
    assert session.learn(0)["error"] and session.view()["weights_id"] == taught
    assert session.learn_restore("junk")["view"]["weights_id"] == taught
