"""The quiz engine: shuffling, grading, flow and view()."""

from __future__ import annotations

import json
from typing import Any

import pytest

import quiz
import quiz_schema
from quiz import Quiz
from quiz_helpers import (
    QUESTIONS,
    SEEDS,
    answer_current,
    go_to,
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


def test_wrong_answer_shows_option_feedback_explanation_and_lab_link() -> None:
    """A wrong answer shows that option's feedback, the explanation and the lab control."""
    game = Quiz(QUESTIONS, seed=5)
    display = wrong_display_index(game)
    option = game.orders[0][display]
    game.select(display)
    game.check()
    view = game.view()
    assert view["status"] == "wrong"
    assert view["feedback"] == f"Not quite. {QUESTIONS[0].feedback[option]}"
    assert view["explanation"] == QUESTIONS[0].explanation
    assert view["lab_control"] == "shift" and view["lab_element_id"] == "shift"
    assert view["options"][display]["tried_wrong"] is True
    assert view["can"]["retry"] is True and view["can"]["check"] is False


def test_unanswered_question_hides_explanation_and_lab_link() -> None:
    """Before grading, the view reveals neither the explanation nor the lab link."""
    view = Quiz(QUESTIONS, seed=5).view()
    assert view["explanation"] is None and view["lab_control"] is None
    assert view["feedback"] is None and view["hint"] is None


def test_wrong_then_retry_then_right() -> None:
    """After a wrong answer, retry clears it and a correct answer then counts, not first try."""
    game = Quiz(QUESTIONS, seed=8)
    answer_current(game, correctly=False)
    assert game.retry() is None
    view = game.view()
    assert view["status"] == "unanswered" and view["selected"] is None
    assert view["explanation"] is None
    answer_current(game, correctly=True)
    view = game.view()
    assert view["status"] == "correct" and view["attempts"] == 2
    assert view["feedback"].startswith("Correct!")
    assert view["score"] == {"correct": 1, "total": 4, "first_try": 0}


def test_selecting_after_a_wrong_answer_starts_a_retry() -> None:
    """Choosing another option after a wrong answer reopens the question without Retry."""
    game = Quiz(QUESTIONS, seed=8)
    answer_current(game, correctly=False)
    game.select(game.correct_display_index())
    assert game.view()["status"] == "unanswered"
    game.check()
    assert game.view()["status"] == "correct"


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
    """Four correct answers, each followed by Next, end the quiz at 4/4 on the first try."""
    game = Quiz(QUESTIONS, seed=seed)
    for index in range(len(QUESTIONS)):
        assert game.view()["index"] == index and not game.view()["finished"]
        answer_current(game, correctly=True)
        game.next()
    view = game.view()
    assert view["finished"] is True
    assert view["score"] == {"correct": 4, "total": 4, "first_try": 4}
    assert view["statuses"] == ["correct"] * 4
    assert view["summary"].startswith("You answered 4 of 4 questions correctly (4 on the first")
    assert view["can"]["retry_wrong"] is False
    assert game.retry_wrong() is not None


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


def test_wrong_answers_left_wrong_still_finish_the_quiz() -> None:
    """Moving on from a wrong answer counts it as done; the score shows it as not correct."""
    game = Quiz(QUESTIONS, seed=6)
    for index in range(len(QUESTIONS)):
        answer_current(game, correctly=index % 2 == 0)
        game.next()
    view = game.view()
    assert view["finished"] is True
    assert view["score"] == {"correct": 2, "total": 4, "first_try": 2}
    assert view["statuses"] == ["correct", "wrong", "correct", "wrong"]
    assert view["can"]["retry_wrong"] is True
    assert "Retry the questions you missed" in view["summary"]


def test_retry_wrong_revisits_missed_questions_and_keeps_first_try_score() -> None:
    """After the end, retry_wrong reopens questions missed first time or still wrong."""
    game = Quiz(QUESTIONS, seed=6)
    answer_current(game, correctly=True)  # q0 right first time
    game.next()
    answer_current(game, correctly=False)  # q1 wrong, then right after retry
    game.retry()
    answer_current(game, correctly=True)
    game.next()
    answer_current(game, correctly=False)  # q2 left wrong
    game.next()
    answer_current(game, correctly=True)  # q3 right first time
    game.next()
    assert game.view()["score"] == {"correct": 3, "total": 4, "first_try": 2}

    assert game.retry_wrong() is None
    view = game.view()
    assert view["finished"] is False and view["index"] == 1
    assert view["statuses"] == ["correct", "unanswered", "unanswered", "correct"]
    for _ in range(2):
        answer_current(game, correctly=True)
        game.next()
    view = game.view()
    assert view["finished"] is True
    assert view["score"] == {"correct": 4, "total": 4, "first_try": 2}


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


# --------------------------------------------------------------------------- view


def test_view_is_json_serialisable_plain_data() -> None:
    """view() survives json round-tripping unchanged, so the glue can pass it anywhere."""
    game = Quiz(QUESTIONS, seed=1)
    game.show_hint()
    answer_current(game, correctly=False)
    view = game.view()
    assert json.loads(json.dumps(view)) == view


def test_view_has_every_field_the_page_renders() -> None:
    """The view's keys are the documented contract with the DOM glue."""
    view = Quiz(QUESTIONS, seed=1).view()
    assert set(view) == {
        "index",
        "total",
        "question_id",
        "stem",
        "options",
        "selected",
        "status",
        "attempts",
        "feedback",
        "hint",
        "explanation",
        "lab_control",
        "lab_element_id",
        "statuses",
        "score",
        "hints_used",
        "finished",
        "summary",
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
