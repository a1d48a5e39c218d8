"""py/quiz_flow.py: the quiz and predict-then-observe, driven as the worker glue drives it."""

import math
import re

import pytest

from drawings import MODEL, ROOT, bar
from lab_state import LabState
from quiz_flow import QuizFlow


@pytest.fixture
def lab() -> LabState:
    return LabState(str(MODEL))


@pytest.fixture
def flow(lab) -> QuizFlow:
    return QuizFlow(lab)


def test_quiz_reports_a_broken_file_and_a_missing_one(flow):
    """Broken JSON and an unreachable file both come back as messages, never an exception."""
    assert flow.start("{not json", "", None, 1)["errors"]
    missing = flow.start(None, "HTTP 404", None, 1)["errors"]
    assert missing == ["questions.json could not be loaded: HTTP 404."]


def test_quiz_round_trips_through_saved_progress(flow):
    """Progress saved after an answer restores to the same view in a new session."""
    text = (ROOT / "tests" / "fixtures" / "quiz_choice.json").read_text()
    state = flow.start(text, "", None, 42)
    answer = flow.quiz.correct_display_index()
    flow.action("select", answer)
    state = flow.action("check")
    assert state["view"]["status"] == "correct"
    restored = QuizFlow.__new__(QuizFlow)
    restored.quiz = restored.pending = restored.observation = None
    again = QuizFlow.start(restored, text, "", state["saved"], 7)
    assert again["notice"] is None and again["view"] == state["view"]


def test_corrupt_saved_progress_gives_a_fresh_quiz_and_a_notice(flow):
    """Corrupt localStorage content is discarded with a short notice."""
    text = (ROOT / "tests" / "fixtures" / "quiz_choice.json").read_text()
    state = flow.start(text, "", "{corrupt", 3)
    assert state["notice"] and state["view"]["score"]["correct"] == 0


MIXED_TEXT = (ROOT / "tests" / "fixtures" / "quiz_mixed.json").read_text()


def go_to_question(flow, question_id: str) -> None:
    """Answer correctly and move on until the question with this id is on screen."""
    while flow.quiz.question.id != question_id:
        game = flow.quiz
        if game.question.kind == "numeric":
            flow.action("check", repr(game.question.answer_value))
        else:
            flow.action("select", game.correct_display_index())
            flow.action("check")
        flow.action("next")


def test_numeric_answers_travel_as_text(flow):
    """A typed answer reaches the engine as text: right within tolerance, else a clear notice."""
    flow.start(MIXED_TEXT, "", None, 4)
    go_to_question(flow, "type-p0")
    state = flow.action("check", "zero point six")
    assert "is not a number" in state["notice"] and state["view"]["attempts"] == 0
    state = flow.action("check", "0,664")
    assert state["view"]["status"] == "correct"


def others_percent(logits: list[float]) -> float:
    """100 × the probability of every class but the top one, straight from the logits: with
    S = Σ e^(z_k − z_top) over the nine others (math.fsum), that mass is S / (1 + S), exact to
    float64's relative precision however small (no 1 − p, which float64 rounds to 0)."""
    top = max(logits)
    rest = math.fsum(math.exp(z - top) for z in sorted(logits)[:-1])
    return 100 * rest / (1 + rest)


def test_a_committed_prediction_asks_the_page_to_set_the_control_then_describes_it(lab, flow):
    """check on a predict item returns the control to set; "observed" compares before/after."""
    lab.draw(bar())
    flow.start(MIXED_TEXT, "", None, 4)
    go_to_question(flow, "predict-sharpen")
    state = flow.action("select", flow.quiz.correct_display_index())
    assert state["observe"] is None
    state = flow.action("check")
    assert state["observe"]["control"] == "scale" and state["observe"]["value"] == "5"
    assert state["observation"] is None
    before = lab.view()["lab"]
    lab.set_controls({"scale": "5"})  # what the page does through the real #scale field
    state = flow.action("observed")
    text = state["observation"]
    assert text.startswith("What happened: the lab now applies α = 5 to your digit's logits")
    after = lab.view()["lab"]
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
    assert flow.action("show_hint")["observation"] == text  # stays with the answer
    assert flow.action("next")["observation"] is None


def test_observation_on_an_empty_pad_asks_for_a_drawing(lab, flow):
    """With nothing drawn, the observation says what is applied and asks for a digit."""
    flow.start(MIXED_TEXT, "", None, 4)
    go_to_question(flow, "predict-sharpen")
    flow.action("select", 0)
    assert flow.action("check")["observe"] is not None
    lab.set_controls({"scale": "5"})
    text = flow.action("observed")["observation"]
    assert text.startswith("The lab now applies α = 5. Draw a digit")


def test_all_zero_prediction_works_without_a_drawing(lab, flow):
    """The all-zero control gives ten equal probabilities even on an empty pad."""
    flow.start(MIXED_TEXT, "", None, 4)
    go_to_question(flow, "predict-zero")
    flow.action("select", flow.quiz.correct_display_index())
    assert flow.action("check")["observe"]["control"] == "zero-logits"
    lab.set_controls({"zero_logits": True})
    text = flow.action("observed")["observation"]
    assert "guess none (a tie between all ten digits)" in text
    assert "top probability 10.0 %; the other nine together 90.0 %;" in text


def test_reset_takes_a_new_seed_for_a_new_learner(flow):
    """reset with a seed starts afresh with that seed; without one it keeps the old seed."""
    text = (ROOT / "tests" / "fixtures" / "quiz_choice.json").read_text()
    flow.start(text, "", None, 4)
    flow.action("select", 0)
    flow.action("check")
    state = flow.action("reset", 99)
    assert flow.quiz.seed == 99 and state["view"]["attempts"] == 0
    flow.action("reset")
    assert flow.quiz.seed == 99
