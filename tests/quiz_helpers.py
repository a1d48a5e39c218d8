"""Shared helpers for the quiz tests: fixture question files, driving the engine as a learner.

Engine tests use the files in tests/fixtures/, never the shipped questions.json: editing the
shipped quiz only needs the validator to pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import quiz_schema
from quiz import Quiz
from quiz_schema import NUMERIC, Question

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEEDS = [0, 1, 2, 7, 42, 2024, 987654321]


def load_questions(path: Path) -> list[Question]:
    questions, errors = quiz_schema.parse_questions(path.read_text("utf-8"))
    assert errors == []
    return questions


# Four multiple-choice questions (ids shift-invariance, argmax-scaling, cross-entropy-gradient,
# zero-logits), each with four options and per-option feedback.
QUESTIONS = load_questions(FIXTURES / "quiz_choice.json")
# Every kind: choice, numeric (with and without units), predict (scale and zero-logits).
MIXED = load_questions(FIXTURES / "quiz_mixed.json")


def go_to(game: Quiz, index: int) -> None:
    """Navigate with next() only, as the learner would."""
    for _ in range(len(game.questions)):
        if game.current == index:
            return
        game.next()
    assert game.current == index


def wrong_display_index(game: Quiz) -> int:
    """A wrong option not tried yet in this pass."""
    view = game.view()
    correct = game.correct_display_index()
    return next(
        option["index"]
        for option in view["options"]
        if option["index"] != correct and not option["tried_wrong"]
    )


def right_number(question: Question) -> str:
    return repr(question.answer_value)


def wrong_number(question: Question, tries: int = 0) -> str:
    """A number well outside the tolerance (a different one for each try)."""
    return repr(question.answer_value + (10 + tries) * question.tolerance + 1)


def answer_current(game: Quiz, correctly: bool) -> None:
    """One graded try at the current question."""
    question = game.question
    if question.kind == NUMERIC:
        tries = game.current_progress.tries
        game.check(right_number(question) if correctly else wrong_number(question, tries))
        return
    game.select(game.correct_display_index() if correctly else wrong_display_index(game))
    game.check()


def miss_current(game: Quiz) -> None:
    """Use every try of the current question wrongly, so the answer is revealed."""
    while not game.revealed():
        if game.current_progress.status == "wrong" and game.question.kind != NUMERIC:
            game.retry()
        answer_current(game, correctly=False)


def view_without_notice(game: Quiz) -> dict[str, Any]:
    view = game.view()
    del view["notice"]  # transient: belongs to the last action, not to saved state
    return view
