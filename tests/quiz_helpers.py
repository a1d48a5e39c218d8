"""Shared helpers for the quiz tests: load questions, drive the engine as a learner would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import quiz_schema
from quiz import Quiz
from quiz_schema import Question

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [0, 1, 2, 7, 42, 2024, 987654321]


def load_shipped() -> list[Question]:
    questions, errors = quiz_schema.parse_questions((ROOT / "questions.json").read_text("utf-8"))
    assert errors == []
    return questions


QUESTIONS = load_shipped()


def go_to(game: Quiz, index: int) -> None:
    """Navigate with next() only, as the learner would."""
    for _ in range(len(game.questions)):
        if game.current == index:
            return
        game.next()
    assert game.current == index


def wrong_display_index(game: Quiz) -> int:
    return (game.correct_display_index() + 1) % len(game.question.options)


def answer_current(game: Quiz, correctly: bool) -> None:
    game.select(game.correct_display_index() if correctly else wrong_display_index(game))
    game.check()


def view_without_notice(game: Quiz) -> dict[str, Any]:
    view = game.view()
    del view["notice"]  # transient: belongs to the last action, not to saved state
    return view
