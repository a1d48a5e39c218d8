"""Saved quiz progress: the per-question Progress record and its versioned JSON text.

The page keeps this text in localStorage. Decoding never trusts it: anything the engine could
not have produced is rejected with a reason (quiz_text.py words it for the learner).
Standard library only (runs in Pyodide and CPython).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from quiz_grade import MAX_ANSWER_CHARS, grade_number, grade_option
from quiz_schema import NUMERIC, PREDICT, Question, is_json_int

# The "version" written by encode_saved(). 2: two tries a pass, per-pass strikes, reshuffles,
# the second look at missed questions, first answers, numeric answers. Older saves are discarded
# (reason OLDER_VERSION).
SAVE_VERSION = 2

UNANSWERED = "unanswered"
CORRECT = "correct"
WRONG = "wrong"
STATUSES = (UNANSWERED, CORRECT, WRONG)

# Why a save cannot be used (SavedProgressRejected.reason).
UNREADABLE = "unreadable"
OLDER_VERSION = "older-version"
OTHER_VERSION = "other-version"
OTHER_QUESTIONS = "other-questions"


# Graded checks a question allows in one pass: a second try after per-option feedback, except
# for predict questions, where seeing the lab answer the prediction ends the question.
MAX_TRIES = {"choice": 2, NUMERIC: 2, PREDICT: 1}


def max_tries(question: Question) -> int:
    return MAX_TRIES[question.kind]


@dataclass
class Progress:
    """What the learner has done on one question. Option indexes are file indexes.

    A pass is one go at the question: the first, the second look at the end of the round, or
    a retry of the missed questions. `status`, `selected`, `entered`, `tries` and `wrong_tried`
    belong to the current pass; the rest is the question's history.
    """

    status: str = UNANSWERED
    selected: int | None = None  # choice/predict: the option chosen in this pass
    entered: str | None = None  # numeric: the text of the last graded answer in this pass
    tries: int = 0  # graded checks in this pass
    wrong_tried: list[int] = field(default_factory=list)  # options struck in this pass
    attempts: int = 0  # graded checks, every pass
    hint_used: bool = False
    first_try: bool | None = None  # result of the very first check; None until checked
    first_answer: int | str | None = None  # option index or typed text of the first check
    shuffle: int = 0  # reshuffle round: the option order comes from (seed, id, shuffle)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "selected": self.selected,
            "entered": self.entered,
            "tries": self.tries,
            "wrong_tried": list(self.wrong_tried),
            "attempts": self.attempts,
            "hint_used": self.hint_used,
            "first_try": self.first_try,
            "first_answer": self.first_answer,
            "shuffle": self.shuffle,
        }

    def new_pass(self) -> None:
        """Open the question again: nothing chosen, no strikes, every try available."""
        self.status = UNANSWERED
        self.selected = None
        self.entered = None
        self.tries = 0
        self.wrong_tried = []


@dataclass
class SavedState:
    """A decoded, checked save: everything the engine needs to resume."""

    seed: int
    current: int
    finished: bool
    review: bool
    progress: list[Progress]


class SavedProgressRejected(Exception):
    """Saved progress cannot be used; `reason` says why (UNREADABLE, OLDER_VERSION, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


SAVED_KEYS = {"version", "fingerprint", "seed", "current", "finished", "review", "progress"}
SAVED_PROGRESS_KEYS = set(Progress().to_dict())


def encode_saved(
    fingerprint: str,
    seed: int,
    current: int,
    finished: bool,
    review: bool,
    progress: list[Progress],
) -> str:
    """The state as compact JSON text, for localStorage; read it back with `decode_saved`."""
    return json.dumps(
        {
            "version": SAVE_VERSION,
            "fingerprint": fingerprint,
            "seed": seed,
            "current": current,
            "finished": finished,
            "review": review,
            "progress": [p.to_dict() for p in progress],
        },
        separators=(",", ":"),
    )


def decode_saved(saved: str, questions: tuple[Question, ...], fingerprint: str) -> SavedState:
    """The state saved in `saved` for these questions, or raise SavedProgressRejected."""
    state = parse_saved(saved)
    check_saved_header(state, fingerprint)
    progress = [
        progress_from_saved(entry, question)
        for entry, question in zip(
            saved_list(state["progress"], len(questions)), questions, strict=True
        )
    ]
    current, finished, review = state["current"], state["finished"], state["review"]
    if not is_json_int(current) or not 0 <= current < len(questions):
        raise SavedProgressRejected(UNREADABLE)
    if not isinstance(finished, bool) or not isinstance(review, bool):
        raise SavedProgressRejected(UNREADABLE)
    if finished and any(p.status == UNANSWERED for p in progress):
        raise SavedProgressRejected(UNREADABLE)
    return SavedState(
        seed=state["seed"], current=current, finished=finished, review=review, progress=progress
    )


def parse_saved(saved: str) -> dict[str, Any]:
    try:
        state = json.loads(saved)
    except (ValueError, RecursionError) as error:
        raise SavedProgressRejected(UNREADABLE) from error
    if not isinstance(state, dict):
        raise SavedProgressRejected(UNREADABLE)
    return state


def check_saved_header(state: dict[str, Any], fingerprint: str) -> None:
    """Version first (its layout may differ), then the question set, then the key set."""
    version = state.get("version")
    if not is_json_int(version):
        raise SavedProgressRejected(UNREADABLE)
    if version != SAVE_VERSION:
        older = version < SAVE_VERSION
        raise SavedProgressRejected(OLDER_VERSION if older else OTHER_VERSION)
    if state.get("fingerprint") != fingerprint:
        raise SavedProgressRejected(OTHER_QUESTIONS)
    if set(state) != SAVED_KEYS or not is_json_int(state["seed"]):
        raise SavedProgressRejected(UNREADABLE)


def saved_list(value: Any, length: int) -> list[Any]:
    if not isinstance(value, list) or len(value) != length:
        raise SavedProgressRejected(UNREADABLE)
    return value


def progress_from_saved(entry: Any, question: Question) -> Progress:
    """Rebuild one question's progress, rejecting anything the engine could not produce."""
    if not isinstance(entry, dict) or set(entry) != SAVED_PROGRESS_KEYS:
        raise SavedProgressRejected(UNREADABLE)
    progress = Progress(**entry)
    if not progress_types_ok(progress, question):
        raise SavedProgressRejected(UNREADABLE)
    if not progress_consistent(progress, question):
        raise SavedProgressRejected(UNREADABLE)
    progress.wrong_tried = list(progress.wrong_tried)
    return progress


def progress_types_ok(progress: Progress, question: Question) -> bool:
    def is_option_index(value: Any) -> bool:
        return is_json_int(value) and 0 <= value < len(question.options)

    def is_count(value: Any) -> bool:
        return is_json_int(value) and value >= 0

    def is_entry(value: Any) -> bool:
        return isinstance(value, str) and 0 < len(value) <= MAX_ANSWER_CHARS

    numeric = question.kind == NUMERIC
    first = progress.first_answer
    return (
        isinstance(progress.status, str)
        and progress.status in STATUSES
        and (progress.selected is None or (not numeric and is_option_index(progress.selected)))
        and (progress.entered is None or (numeric and is_entry(progress.entered)))
        and is_count(progress.tries)
        and isinstance(progress.wrong_tried, list)
        and all(is_option_index(option) for option in progress.wrong_tried)
        and is_count(progress.attempts)
        and isinstance(progress.hint_used, bool)
        and (progress.first_try is None or isinstance(progress.first_try, bool))
        and (first is None or (is_entry(first) if numeric else is_option_index(first)))
        and is_count(progress.shuffle)
    )


def progress_consistent(progress: Progress, question: Question) -> bool:
    """The invariants Quiz's actions keep; anything else was edited or corrupted."""
    wrong_tried = progress.wrong_tried
    if len(set(wrong_tried)) != len(wrong_tried) or question.answer in wrong_tried:
        return False
    if not progress.tries <= min(progress.attempts, max_tries(question)):
        return False
    if (progress.first_try is None) != (progress.attempts == 0):
        return False
    if (progress.first_answer is None) != (progress.attempts == 0):
        return False
    if progress.first_try is True and progress.status != CORRECT:
        return False  # right first time is never reopened
    if question.kind != NUMERIC:
        if progress.first_try is not None and progress.first_try != grade_option(
            progress.first_answer, question
        ):
            return False
        wrong_checks = progress.tries - (progress.status == CORRECT)
        if len(wrong_tried) != wrong_checks:
            return False  # every wrong check in this pass struck a new option
    elif wrong_tried or not numeric_history_ok(progress, question):
        return False
    if progress.status == UNANSWERED:
        return progress.tries < max_tries(question) and progress.entered is None
    if progress.tries == 0:
        return False
    if question.kind == NUMERIC:
        return (
            progress.entered is not None
            and progress.selected is None
            and (progress.status == CORRECT) == grade_number(progress.entered, question)
        )
    if progress.status == CORRECT:
        return grade_option(progress.selected, question)
    return progress.selected is not None and progress.selected in wrong_tried


def numeric_history_ok(progress: Progress, question: Question) -> bool:
    if progress.first_answer is None:
        return True
    return grade_number(progress.first_answer, question) == progress.first_try
