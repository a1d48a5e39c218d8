"""The end of a round as the page shows it (issue 32, point 6): the line above the question
says "Quiz finished", and Next reads "Show the summary" when pressing it ends the round."""

from quiz import Quiz
from quiz_helpers import MIXED, QUESTIONS, answer_current, miss_current


def test_the_progress_line_counts_questions_then_says_finished() -> None:
    game = Quiz(QUESTIONS, seed=3)
    assert game.view()["progress"] == "Question 1 of 4"
    for n in range(len(QUESTIONS)):
        assert game.view()["progress"] == f"Question {n + 1} of 4"
        answer_current(game, correctly=True)
        game.next()
    view = game.view()
    assert view["finished"] and view["progress"] == "Quiz finished"
    assert "Question" not in view["progress"]


def test_next_reads_show_the_summary_only_when_it_ends_the_round() -> None:
    game = Quiz(MIXED, seed=5)
    labels = []
    for _ in MIXED:
        labels.append(game.view()["next_label"])  # before answering: more to do
        answer_current(game, correctly=True)
        labels.append(game.view()["next_label"])
        game.next()
    assert labels[:-1] == ["Next"] * (2 * len(MIXED) - 1)
    assert labels[-1] == "Show the summary"
    assert game.finished and game.view()["summary"] is not None


def test_a_missed_question_comes_back_before_the_summary() -> None:
    """With a miss, the last question's Next leads to the second look ("Next"); the missed
    question's own Next then ends the round ("Show the summary", "Quiz finished")."""
    game = Quiz(QUESTIONS, seed=11)
    miss_current(game)
    missed_id = game.question.id
    for _ in QUESTIONS[1:]:
        assert game.view()["next_label"] == "Next"
        game.next()
        answer_current(game, correctly=True)
    assert game.current == len(QUESTIONS) - 1
    assert game.view()["next_label"] == "Next"  # a second look is still to come
    game.next()
    view = game.view()
    assert game.question.id == missed_id and view["second_look"]
    assert view["progress"].startswith(f"Question {game.current + 1} of 4 · second look")
    answer_current(game, correctly=True)
    assert game.view()["next_label"] == "Show the summary"
    game.next()
    assert game.view()["progress"] == "Quiz finished"
