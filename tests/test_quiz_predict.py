"""Predictions on a drawing too sure to show a change, and the texts' punctuation (issue 32,
point 8): a sharpening prediction then runs on an ambiguous example, and the observation says so."""

import numpy as np
import pytest
from test_quiz_flow import MIXED_TEXT, go_to_question

import observe
import presets
from drawings import MODEL, ROOT, bar
from lab_state import LabState
from quiz import Quiz
from quiz_flow import QuizFlow
from quiz_helpers import answer_current, load_questions
from scripts.model import strokes

SHIPPED_PRESETS = (ROOT / "assets" / "presets.json").read_text()


def view(empty: bool = False, max_prob: float = 0.5) -> dict:
    return {"empty": empty, "max_prob": max_prob}


@pytest.mark.parametrize(
    ("control", "value", "lab", "expected"),
    [
        ("scale", "5", view(max_prob=0.999), True),
        ("scale", "5", view(max_prob=0.99), True),
        ("scale", "5", view(max_prob=0.9), False),
        ("scale", "5", view(empty=True), True),  # nothing drawn: nothing to sharpen
        ("scale", "0.5", view(max_prob=0.999), False),  # flattening shows on any digit
        ("scale", "1", view(max_prob=0.999), False),
        ("shift", "-50", view(max_prob=0.999), False),  # "nothing changes" is the lesson
        ("zero-logits", "on", view(max_prob=0.999), False),
        ("cross-entropy", "3", view(max_prob=0.999), False),
    ],
)
def test_only_a_sharpening_on_a_sure_or_empty_lab_asks_for_an_example(
    control, value, lab, expected
):
    assert observe.too_sure_to_show(control, value, lab) is expected


def ambiguous_drawing() -> np.ndarray:
    """The shipped 1-or-7 example as the pad draws it (its pen strokes, 18 px pen)."""
    preset = next(
        p for p in presets.load_presets(SHIPPED_PRESETS)["presets"] if p["name"] == "ambiguous-1-7"
    )
    return strokes.render([np.array(s) for s in preset["strokes"]], width=18)


def test_a_sure_drawing_runs_the_prediction_on_the_example_and_says_so():
    """The page's sequence: check (Python asks for an example), the example loaded at α = 1,
    "prepared", α = 5 set, "observed": the observation compares the example before and after,
    and first says why the drawing was set aside."""
    lab = LabState(str(MODEL))
    flow = QuizFlow(lab)
    lab.draw(bar())
    lab.set_controls({"scale": "100"})  # sure of its guess, whatever the digit
    sure = lab.lab_view()
    assert sure["max_prob"] >= observe.TOO_SURE, "the drawing should be a sure one here"
    flow.start(MIXED_TEXT, "", None, 4)
    go_to_question(flow, "predict-sharpen")
    flow.action("select", flow.quiz.correct_display_index())
    state = flow.action("check")
    assert state["observe"]["example"] is True
    lab.draw(ambiguous_drawing())  # what the example's button does
    lab.set_controls({"scale": "1"})
    example = lab.lab_view()
    assert example["max_prob"] < observe.TOO_SURE, "the example should leave room to sharpen"
    flow.action("prepared", "1 or 7?")
    lab.set_controls({"scale": "5"})
    after = lab.lab_view()
    text = flow.action("observed")["observation"]
    sure_top = sure["prob_text"][sure["top"][0]]
    assert text.startswith(
        f"Your drawing was too sure to show a change (top probability {sure_top}), so the lab "
        "loaded the ambiguous example “1 or 7?” at α = 1 first. What happened: the lab now "
        "applies α = 5 to the example's logits"
    )
    top_before = example["prob_text"][example["top"][0]]
    top_after = after["prob_text"][after["top"][0]]
    assert top_before != top_after
    assert f"top probability {top_before} → {top_after};" in text
    assert after["max_prob"] > example["max_prob"]


def test_a_drawing_with_room_to_sharpen_keeps_the_learners_digit():
    lab = LabState(str(MODEL))
    flow = QuizFlow(lab)
    lab.draw(bar())
    lab.set_controls({"scale": "0.1"})
    assert lab.lab_view()["max_prob"] < observe.TOO_SURE
    flow.start(MIXED_TEXT, "", None, 4)
    go_to_question(flow, "predict-sharpen")
    flow.action("select", flow.quiz.correct_display_index())
    assert flow.action("check")["observe"]["example"] is False
    lab.set_controls({"scale": "5"})
    assert flow.action("observed")["observation"].startswith("What happened:")


def test_prepared_without_a_pending_prediction_changes_nothing():
    flow = QuizFlow(LabState(str(MODEL)))
    flow.start(MIXED_TEXT, "", None, 4)
    before = flow.action("show_hint")
    assert flow.action("prepared", "1 or 7?")["view"] == before["view"]


def test_no_shipped_text_ends_a_sentence_twice():
    """Every feedback a learner can get on the shipped quiz, right or wrong: no "..", as in
    "while the others shrink..", where the option's own full stop met the sentence's."""
    questions = load_questions(ROOT / "questions.json")
    for question in questions:
        for correctly in (True, False):
            game = Quiz([question], seed=1)
            while not game.revealed():
                if game.current_progress.status == "wrong" and question.kind != "numeric":
                    game.retry()
                answer_current(game, correctly=correctly)
                texts = [game.view()[k] for k in ("feedback", "explanation", "answer")]
                for text in filter(None, texts):
                    assert ".." not in text.replace("...", ""), (question.id, text)
