"""The quiz engine: shuffling, grading, flow and view()."""

from __future__ import annotations

import json
from typing import Any

import pytest

import quiz
import quiz_schema
from quiz import Quiz
from quiz_helpers import (
    MIXED,
    QUESTIONS,
    SEEDS,
    answer_current,
    go_to,
    miss_current,
    wrong_display_index,
)

# --------------------------------------------------------------------------- shuffling


@pytest.mark.parametrize("seed", SEEDS)
def test_shuffle_is_a_permutation_of_the_options(seed: int) -> None:
    """The display order shows every option exactly once."""
    game = Quiz(QUESTIONS, seed=seed)
    for index, question in enumerate(QUESTIONS):
        assert sorted(game.orders[index]) == list(range(len(question.options)))


@pytest.mark.parametrize("seed", SEEDS)
def test_shuffle_is_reproducible_for_a_seed(seed: int) -> None:
    """Two quizzes with the same seed show the options in the same order."""
    first, second = Quiz(QUESTIONS, seed=seed), Quiz(QUESTIONS, seed=seed)
    assert first.orders == second.orders
    assert first.view()["options"] == second.view()["options"]


def test_shuffle_depends_only_on_seed_and_question_id() -> None:
    """A question's order does not change when other questions are added or removed."""
    alone = Quiz(QUESTIONS[2:3], seed=11)
    together = Quiz(QUESTIONS, seed=11)
    assert alone.orders[0] == together.orders[2]
    assert quiz.shuffled_order(11, QUESTIONS[2]) == together.orders[2]


def test_shuffle_differs_across_seeds() -> None:
    """Different seeds give different orders for every question (over 20 seeds)."""
    for index in range(len(QUESTIONS)):
        orders = {tuple(Quiz(QUESTIONS, seed=seed).orders[index]) for seed in range(20)}
        assert len(orders) > 1


def test_correct_answer_is_not_always_at_the_same_display_position() -> None:
    """Across seeds the correct option moves, so its position gives nothing away."""
    positions = {Quiz(QUESTIONS, seed=seed).correct_display_index(0) for seed in range(20)}
    assert len(positions) > 1


# --------------------------------------------------------------------------- grading


@pytest.mark.parametrize("seed", SEEDS)
def test_grading_follows_the_shuffle(seed: int) -> None:
    """Only the option whose text is the correct answer is graded correct, wherever it is shown."""
    for index, question in enumerate(QUESTIONS):
        for display in range(len(question.options)):
            game = Quiz(QUESTIONS, seed=seed)
            go_to(game, index)
            shown_text = game.view()["options"][display]["text"]
            game.select(display)
            game.check()
            expected = "correct" if shown_text == question.options[question.answer] else "wrong"
            assert game.view()["status"] == expected


def test_check_without_a_selection_asks_for_a_choice() -> None:
    """Checking with nothing selected gives a notice and does not count as an attempt."""
    game = Quiz(QUESTIONS, seed=3)
    assert game.check() == "Choose an option first."
    view = game.view()
    assert view["notice"] == "Choose an option first."
    assert view["status"] == "unanswered" and view["attempts"] == 0


def test_first_wrong_try_gives_option_feedback_only() -> None:
    """A first wrong try shows that option's feedback, never the explanation or the lab link."""
    game = Quiz(QUESTIONS, seed=5)
    display = wrong_display_index(game)
    option = game.orders[0][display]
    game.select(display)
    game.check()
    view = game.view()
    assert view["status"] == "wrong" and view["tries_left"] == 1 and not view["revealed"]
    assert view["feedback"].startswith(f"Not quite. {QUESTIONS[0].feedback[option]}")
    assert QUESTIONS[0].explanation not in view["feedback"]
    assert view["explanation"] is None and view["lab_control"] is None
    assert view["lab_element_id"] is None and view["answer"] is None
    assert view["correct_option"] is None
    assert view["options"][display]["tried_wrong"] is True
    assert view["can"]["retry"] is True and view["can"]["check"] is False
    assert view["can"]["hint"] is True


def test_second_wrong_try_reveals_answer_explanation_and_lab_link() -> None:
    """After the second wrong try the answer, the explanation and the lab link are shown."""
    game = Quiz(QUESTIONS, seed=5)
    answer_current(game, correctly=False)
    answer_current(game, correctly=False)
    view = game.view()
    question = QUESTIONS[0]
    assert view["status"] == "wrong" and view["revealed"] and view["tries_left"] == 0
    assert view["explanation"] == question.explanation
    assert view["lab_control"] == "shift" and view["lab_element_id"] == "shift"
    assert view["answer"] == question.options[question.answer]
    answer = question.options[question.answer]
    assert answer.endswith(".") and view["feedback"].endswith(f"The answer: {answer}")
    assert not view["feedback"].endswith("..")  # the option's own full stop ends the sentence
    assert view["options"][view["correct_option"]]["text"] == question.options[question.answer]
    assert sum(option["tried_wrong"] for option in view["options"]) == 2
    assert view["can"] == {
        "select": False,
        "check": False,
        "hint": False,
        "retry": False,
        "next": True,
        "retry_wrong": False,
    }
    assert game.select(game.correct_display_index()) is not None
    assert game.retry() is not None and game.view()["status"] == "wrong"


def test_correct_answer_reveals_explanation_and_disables_the_hint() -> None:
    """A correct answer shows the explanation and lab link; the hint button is then off."""
    game = Quiz(QUESTIONS, seed=5)
    answer_current(game, correctly=True)
    view = game.view()
    assert view["revealed"] and view["explanation"] == QUESTIONS[0].explanation
    assert view["lab_element_id"] == "shift" and view["can"]["hint"] is False
    assert game.show_hint() == "The answer is already shown: no hint needed."
    assert game.view()["hints_used"] == 0


def test_unanswered_question_hides_explanation_and_lab_link() -> None:
    """Before grading, the view reveals neither the explanation nor the lab link."""
    view = Quiz(QUESTIONS, seed=5).view()
    assert view["explanation"] is None and view["lab_control"] is None
    assert view["feedback"] is None and view["hint"] is None and view["answer"] is None


def test_wrong_then_retry_then_right() -> None:
    """After a wrong try, Retry clears it and a correct answer then counts, not first try."""
    game = Quiz(QUESTIONS, seed=8)
    answer_current(game, correctly=False)
    assert game.retry() is None
    view = game.view()
    assert view["status"] == "unanswered" and view["selected"] is None
    assert view["explanation"] is None and view["tries_left"] == 1
    answer_current(game, correctly=True)
    view = game.view()
    assert view["status"] == "correct" and view["attempts"] == 2
    assert view["feedback"].startswith("Correct!")
    assert view["score"] == {"correct": 1, "total": 4, "first_try": 0}


def test_selecting_after_a_wrong_answer_starts_the_second_try() -> None:
    """Choosing another option after a wrong try reopens the question without Retry."""
    game = Quiz(QUESTIONS, seed=8)
    answer_current(game, correctly=False)
    game.select(game.correct_display_index())
    assert game.view()["status"] == "unanswered"
    game.check()
    assert game.view()["status"] == "correct"


def test_a_struck_option_cannot_be_chosen_again_in_the_same_pass() -> None:
    """An option already tried wrongly is refused, so no try is wasted on it."""
    game = Quiz(QUESTIONS, seed=8)
    display = wrong_display_index(game)
    game.select(display)
    game.check()
    assert game.select(display) == "You already tried that option: choose another one."
    assert game.view()["status"] == "wrong" and game.view()["tries_left"] == 1


def test_rechecking_a_wrong_answer_does_not_count_another_attempt() -> None:
    """Pressing Check again on the same wrong answer is a notice, not a second attempt."""
    game = Quiz(QUESTIONS, seed=8)
    answer_current(game, correctly=False)
    assert game.check() == "Choose another option to try again."
    assert game.view()["attempts"] == 1


def test_correct_question_is_locked() -> None:
    """Once correct, selecting or checking again changes nothing."""
    game = Quiz(QUESTIONS, seed=8)
    answer_current(game, correctly=True)
    assert game.select(wrong_display_index(game)) is not None
    assert game.check() is not None
    assert game.view()["status"] == "correct" and game.view()["attempts"] == 1


def test_retry_without_a_wrong_answer_is_a_notice() -> None:
    """Retry on an unanswered question explains there is nothing to retry."""
    game = Quiz(QUESTIONS, seed=8)
    assert game.retry() == "There is no wrong answer to retry."


@pytest.mark.parametrize("bad_index", [-1, 4, True, 1.0, "0", None])
def test_select_rejects_impossible_display_index(bad_index: Any) -> None:
    """A display index that the view never offers is a programming error: ValueError."""
    with pytest.raises(ValueError):
        Quiz(QUESTIONS, seed=1).select(bad_index)


def test_hint_appears_only_when_requested_and_is_counted() -> None:
    """The hint is None until asked for; then it is shown and counted in the summary."""
    game = Quiz(QUESTIONS, seed=2)
    assert game.view()["hint"] is None and game.view()["can"]["hint"] is True
    game.show_hint()
    view = game.view()
    assert view["hint"] == QUESTIONS[0].hint and view["hints_used"] == 1
    assert view["can"]["hint"] is False
    for _ in QUESTIONS:
        answer_current(game, correctly=True)
        game.next()
    assert "Hints used: 1." in game.view()["summary"]


# --------------------------------------------------------------------------- flow


@pytest.mark.parametrize("seed", SEEDS)
def test_answering_everything_correctly_finishes_with_full_marks(seed: int) -> None:
    """Four first-try answers end at 4/4; the summary invites no retry, nothing comes back."""
    game = Quiz(QUESTIONS, seed=seed)
    for index in range(len(QUESTIONS)):
        assert game.view()["index"] == index and not game.view()["finished"]
        answer_current(game, correctly=True)
        game.next()
    view = game.view()
    assert view["finished"] is True
    assert view["score"] == {"correct": 4, "total": 4, "first_try": 4}
    assert view["statuses"] == ["correct"] * 4
    assert view["summary"] == "You answered 4 of 4 questions correctly (4 on the first try)."
    assert "retry" not in view["summary"].lower()
    assert view["can"]["retry_wrong"] is False
    assert game.retry_wrong() is not None


def test_all_correct_but_not_all_first_try_offers_practice_not_a_retry_of_misses() -> None:
    """4/4 with one second-try answer: the summary suggests practice, not "you missed"."""
    game = Quiz(QUESTIONS, seed=3)
    answer_current(game, correctly=False)
    answer_current(game, correctly=True)
    for _ in range(3):
        game.next()
        answer_current(game, correctly=True)
    game.next()
    view = game.view()
    assert view["finished"] and view["score"] == {"correct": 4, "total": 4, "first_try": 3}
    assert "missed" not in view["summary"]
    assert "Practise again the ones you did not get on the first try." in view["summary"]
    assert view["can"]["retry_wrong"] is True


def test_next_wraps_to_the_first_skipped_question() -> None:
    """Skipping a question brings it back after the last one; the quiz ends once all are done."""
    game = Quiz(QUESTIONS, seed=4)
    game.next()  # skip question 0
    for _ in range(1, len(QUESTIONS)):
        answer_current(game, correctly=True)
        game.next()
    assert game.view()["index"] == 0 and not game.view()["finished"]
    answer_current(game, correctly=True)
    game.next()
    assert game.view()["finished"] is True


def test_next_on_the_last_open_question_asks_for_an_answer() -> None:
    """With only the current question open, Next stays and says why."""
    game = Quiz(QUESTIONS, seed=4)
    for _ in range(len(QUESTIONS) - 1):
        answer_current(game, correctly=True)
        game.next()
    assert game.next() == "Answer this question to finish the quiz."
    assert game.view()["finished"] is False


def finish_round_missing(game: Quiz, missed: set[int]) -> None:
    """Answer every question of the first pass: the `missed` ones wrong twice, others right."""
    for index in range(len(game.questions)):
        assert game.current == index
        if index in missed:
            miss_current(game)
        else:
            answer_current(game, correctly=True)
        game.next()


def test_missed_questions_come_back_once_reshuffled_and_unstruck() -> None:
    """At the end of the round the missed questions return once, in a new order, no strikes."""
    game = Quiz(QUESTIONS, seed=6)
    orders = [list(order) for order in game.orders]
    finish_round_missing(game, {1, 3})
    view = game.view()
    assert not view["finished"] and view["second_look"] and view["index"] == 1
    assert view["statuses"] == ["correct", "unanswered", "correct", "unanswered"]
    assert view["tries_left"] == 2 and view["explanation"] is None
    assert not any(option["tried_wrong"] for option in view["options"])
    assert game.orders[1] != orders[1] and game.orders[3] != orders[3]
    assert game.orders[0] == orders[0]
    answer_current(game, correctly=True)
    game.next()
    assert game.view()["index"] == 3
    miss_current(game)
    game.next()  # missed twice: no third pass
    view = game.view()
    assert view["finished"] and view["score"] == {"correct": 3, "total": 4, "first_try": 2}
    assert view["statuses"] == ["correct", "correct", "correct", "wrong"]
    assert "Retry the questions you missed" in view["summary"]


def test_moving_on_after_one_wrong_try_counts_as_missed() -> None:
    """Next after a single wrong try leaves the question missed; it comes back at the end."""
    game = Quiz(QUESTIONS, seed=6)
    answer_current(game, correctly=False)
    game.next()
    for _ in range(3):
        answer_current(game, correctly=True)
        game.next()
    view = game.view()
    assert view["index"] == 0 and view["second_look"] and view["status"] == "unanswered"


def test_retry_wrong_reshuffles_clears_strikes_and_keeps_first_try_score() -> None:
    """After the end, retry_wrong reopens the misses in a new order with no struck options."""
    game = Quiz(QUESTIONS, seed=6)
    finish_round_missing(game, {2})
    miss_current(game)  # the second look at question 2 fails too
    game.next()
    assert game.view()["finished"]
    before = game.orders[2]
    assert game.retry_wrong() is None
    view = game.view()
    assert view["finished"] is False and view["index"] == 2 and view["second_look"]
    assert game.orders[2] != before
    assert not any(option["tried_wrong"] for option in view["options"])
    assert view["can"]["select"] is True and view["selected"] is None
    answer_current(game, correctly=True)
    game.next()
    view = game.view()
    assert view["finished"] is True
    assert view["score"] == {"correct": 4, "total": 4, "first_try": 3}


@pytest.mark.parametrize("seed", range(30))
def test_a_reshuffle_always_gives_a_new_order_even_with_two_options(seed: int) -> None:
    """Every retry shows a different order from the one before, for 2 and 4 options."""
    game = Quiz(MIXED, seed=seed)
    for index, question in enumerate(MIXED):
        if question.kind == "numeric":
            continue
        before = game.order(index)
        game.reshuffle(index)
        assert game.order(index) != before
        assert sorted(game.order(index)) == sorted(before)


def test_retry_wrong_before_the_end_is_a_notice() -> None:
    """retry_wrong only applies to a finished quiz."""
    game = Quiz(QUESTIONS, seed=6)
    assert game.retry_wrong() == "Finish the quiz first."


def test_actions_after_the_end_are_notices() -> None:
    """Once finished, select/check/hint/next/retry change nothing and say so."""
    game = Quiz(QUESTIONS, seed=6)
    for _ in QUESTIONS:
        answer_current(game, correctly=True)
        game.next()
    before = game.to_saved()
    for action in (game.check, game.show_hint, game.next, game.retry):
        assert action() == "The quiz is finished."
    assert game.select(0) == "The quiz is finished."
    assert game.to_saved() == before


def test_reset_keeps_the_seed_or_takes_a_new_one() -> None:
    """reset() clears progress and keeps the seed; reset(seed) reshuffles with the new seed."""
    game = Quiz(QUESTIONS, seed=13)
    orders = [list(order) for order in game.orders]
    answer_current(game, correctly=False)
    game.show_hint()
    game.reset()
    assert game.seed == 13 and game.orders == orders
    assert game.to_saved() == Quiz(QUESTIONS, seed=13).to_saved()
    game.reset(seed=14)
    assert game.seed == 14 and game.orders == Quiz(QUESTIONS, seed=14).orders


def test_quiz_without_a_seed_picks_one() -> None:
    """Omitting the seed picks an int seed, which is then kept for saving."""
    game = Quiz(QUESTIONS)
    assert quiz_schema.is_json_int(game.seed)


def test_quiz_needs_questions() -> None:
    """An empty question list is refused up front."""
    with pytest.raises(ValueError):
        Quiz([], seed=1)


# --------------------------------------------------------------------------- numeric questions


def numeric_game(question_id: str = "type-p0") -> Quiz:
    game = Quiz(MIXED, seed=1)
    go_to(game, next(i for i, q in enumerate(MIXED) if q.id == question_id))
    return game


@pytest.mark.parametrize("text", ["0.665", "0.66", "0.67", " 0.6649 ", "0,665", ".668", "6.65e-1"])
def test_numeric_answer_within_tolerance_is_correct(text: str) -> None:
    """A typed value within ±tolerance (edges included, comma or dot) is graded correct."""
    game = numeric_game()
    assert game.check(text) is None
    view = game.view()
    assert view["status"] == "correct" and view["revealed"]
    assert view["feedback"] == "Correct! The answer is 0.665 (answers within ±0.005 count)."
    assert view["entered"] == text.strip()


@pytest.mark.parametrize(
    ("text", "direction"), [("0.659", "too low"), ("0.6711", "too high"), ("-0.5", "too low")]
)
def test_numeric_answer_outside_tolerance_is_wrong_with_direction(
    text: str, direction: str
) -> None:
    """A value outside the tolerance is wrong; the feedback says too low or too high, no answer."""
    game = numeric_game()
    game.check(text)
    view = game.view()
    assert view["status"] == "wrong" and not view["revealed"] and view["tries_left"] == 1
    assert view["feedback"].startswith(f"Not quite: {text} is {direction}. Fixture {direction}.")
    assert "0.665" not in view["feedback"] and view["explanation"] is None
    assert view["can"]["check"] is True and view["can"]["select"] is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a number first."),
        ("   ", "Type a number first."),
        (None, "Type a number first."),
        ("abc", "“abc” is not a number: type a decimal number such as 0.665 or -2.5."),
        ("2/3", "“2/3” is not a number"),
        ("66.5%", "“66.5%” is not a number"),
        ("nan", "is not a number"),
        ("1e999", "is too large"),
        ("1" * 41, "too long"),
    ],
)
def test_numeric_non_numbers_get_a_clear_message_and_cost_no_try(text: Any, message: str) -> None:
    """Text that is not a number is a notice naming the problem, never a graded try."""
    game = numeric_game()
    notice = game.check(text)
    assert notice is not None and message in notice
    view = game.view()
    assert view["status"] == "unanswered" and view["attempts"] == 0 and view["notice"] == notice


def test_numeric_second_wrong_try_reveals_the_value_and_explanation() -> None:
    """Two wrong numbers: the answer with its tolerance and units, and the explanation."""
    game = numeric_game("type-loss")
    game.check("2")
    assert game.check("2.0") == "That is the answer you tried: change it to try again."
    game.check("1")
    view = game.view()
    assert view["revealed"] and view["status"] == "wrong"
    assert view["answer"] == "1.386 nats (answers within ±0.005 count)"
    assert view["feedback"] == (
        "Not quite: 1 is too low. The answer: 1.386 nats (answers within ±0.005 count)."
    )
    assert view["explanation"] == "Fixture explanation: ln 4."
    assert game.check("1.386") is not None


def test_numeric_retry_clears_the_typed_answer() -> None:
    """Retry after a wrong number empties the field for the second try."""
    game = numeric_game()
    game.check("3")
    game.retry()
    view = game.view()
    assert view["entered"] is None and view["status"] == "unanswered" and view["tries_left"] == 1


def test_selecting_on_a_numeric_question_is_a_programming_error() -> None:
    """A numeric question has no options: select() raises, the glue must send the text."""
    with pytest.raises(ValueError):
        numeric_game().select(0)


# --------------------------------------------------------------------------- predict questions


def predict_game(question_id: str = "predict-sharpen") -> Quiz:
    game = Quiz(MIXED, seed=1)
    go_to(game, next(i for i, q in enumerate(MIXED) if q.id == question_id))
    return game


def test_predict_question_names_the_control_it_will_set() -> None:
    """The view of a predict question says which lab control it sets and to what."""
    view = predict_game().view()
    assert view["kind"] == "predict"
    assert view["observe"] == {
        "control": "scale",
        "value": "5",
        "element_id": "scale",
        "label": "α = 5",
    }
    zero = predict_game("predict-zero").view()["observe"]
    assert zero["element_id"] == "zero-logits" and zero["value"] == "on"


@pytest.mark.parametrize("correctly", [True, False])
def test_a_prediction_is_committed_once_then_explained(correctly: bool) -> None:
    """A predict question takes one try: right or wrong, the explanation follows at once."""
    game = predict_game()
    answer_current(game, correctly=correctly)
    view = game.view()
    assert view["revealed"] and view["tries_left"] == 0
    assert view["explanation"] == "Fixture explanation: sharper."
    assert view["feedback"].startswith("Well predicted!" if correctly else "Not what happens.")
    assert view["can"]["select"] is False and view["can"]["retry"] is False


def test_choice_and_numeric_views_have_no_observe() -> None:
    """Only predict questions carry an observe instruction."""
    game = Quiz(MIXED, seed=1)
    assert game.view()["observe"] is None
    game.next()
    assert game.view()["kind"] == "numeric" and game.view()["observe"] is None


# --------------------------------------------------------------------------- report


def test_report_lists_first_answers_results_and_hints() -> None:
    """The printable report has one row per question: first answer, first try, result, hint."""
    game = Quiz(MIXED, seed=9)
    game.show_hint()
    miss_current(game)  # q0 choice, two wrong tries
    game.next()
    game.check("0.7")  # q1 numeric, wrong then right
    game.check("0.665")
    game.next()
    for _ in range(len(MIXED) - 2):
        answer_current(game, correctly=True)
        game.next()
    assert game.view()["second_look"] and game.current == 0
    answer_current(game, correctly=True)
    game.next()
    view = game.view()
    assert view["finished"]
    report = view["report"]
    assert report["score"] == {"correct": 6, "total": 6, "first_try": 4}
    assert report["hints_used"] == 1
    first, second, *_ = report["rows"]
    assert first["number"] == 1 and first["stem"] == MIXED[0].stem
    assert first["first_try"] is False and first["hint_used"] is True
    assert first["first_answer"] in MIXED[0].options[1:]
    assert second["first_answer"] == "0.7" and second["status"] == "correct"
    assert report["rows"][3]["first_answer"] == "1.386 nats"


def test_no_report_before_the_end() -> None:
    """The report and summary appear only once the quiz is finished."""
    view = Quiz(MIXED, seed=9).view()
    assert view["report"] is None and view["summary"] is None


# --------------------------------------------------------------------------- view


def test_view_is_json_serialisable_plain_data() -> None:
    """view() survives json round-tripping unchanged, so the glue can pass it anywhere."""
    game = Quiz(MIXED, seed=1)
    game.show_hint()
    answer_current(game, correctly=False)
    for _ in MIXED:
        view = game.view()
        assert json.loads(json.dumps(view)) == view
        answer_current(game, correctly=True)
        game.next()


def test_view_has_every_field_the_page_renders() -> None:
    """The view's keys are the documented contract with the DOM glue."""
    view = Quiz(QUESTIONS, seed=1).view()
    assert set(view) == {
        "index",
        "total",
        "question_id",
        "kind",
        "stem",
        "options",
        "units",
        "selected",
        "entered",
        "status",
        "attempts",
        "tries_left",
        "revealed",
        "correct_option",
        "answer",
        "feedback",
        "hint",
        "explanation",
        "lab_control",
        "lab_element_id",
        "observe",
        "second_look",
        "progress",
        "next_label",
        "statuses",
        "score",
        "hints_used",
        "finished",
        "summary",
        "report",
        "notice",
        "can",
    }
    assert set(view["can"]) == {"select", "check", "hint", "retry", "next", "retry_wrong"}
    assert [option["index"] for option in view["options"]] == [0, 1, 2, 3]
    assert view["question_id"] == "shift-invariance" and view["total"] == 4


def test_selected_is_reported_as_a_display_index() -> None:
    """The view's selected value is the position the learner clicked."""
    game = Quiz(QUESTIONS, seed=21)
    game.select(2)
    assert game.view()["selected"] == 2


def test_notice_lasts_until_the_next_action() -> None:
    """A notice is shown once, then cleared by the next action."""
    game = Quiz(QUESTIONS, seed=1)
    game.check()
    assert game.view()["notice"] == "Choose an option first."
    game.select(0)
    assert game.view()["notice"] is None


@pytest.mark.parametrize(
    ("index", "element_id"),
    [(0, "shift"), (1, "scale"), (2, "true-label"), (3, "zero-logits")],
)
def test_lab_link_points_to_the_page_element(index: int, element_id: str) -> None:
    """Each question's lab link resolves to the id of its control on the page."""
    game = Quiz(QUESTIONS, seed=1)
    go_to(game, index)
    answer_current(game, correctly=True)
    assert game.view()["lab_element_id"] == element_id
