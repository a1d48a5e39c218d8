"""Saved quiz progress: the per-question Progress record and its versioned JSON text.

The page keeps this text in localStorage. Decoding never trusts it: anything the engine could
not have produced is rejected with a notice for the learner, never an exception.
Standard library only (runs in Pyodide and CPython).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from quiz_schema import Question, is_json_int

SAVE_VERSION = 1  # the "version" written by encode_saved()

UNANSWERED = "unanswered"
CORRECT = "correct"
WRONG = "wrong"
STATUSES = (UNANSWERED, CORRECT, WRONG)

NOTICE_UNREADABLE = "Saved quiz progress was unreadable and has been reset."
NOTICE_OLDER_VERSION = (
    "Saved quiz progress was from an older version of the quiz and has been reset."
)
NOTICE_OTHER_VERSION = (
    "Saved quiz progress was from a different version of the quiz and has been reset."
)
NOTICE_OTHER_QUESTIONS = (
    "Saved quiz progress was for a different set of questions and has been reset."
)


@dataclass
class Progress:
    """What the learner has done on one question. Option indexes are file indexes."""

    selected: int | None = None
    status: str = UNANSWERED
    attempts: int = 0  # number of graded checks
    hint_used: bool = False
    first_try: bool | None = None  # result of the first check; None until checked
    wrong_tried: list[int] = field(default_factory=list)  # distinct, in the order tried

    def to_dict(self) -> dict[str, Any]:
        return {
            "selected": self.selected,
            "status": self.status,
            "attempts": self.attempts,
            "hint_used": self.hint_used,
            "first_try": self.first_try,
            "wrong_tried": list(self.wrong_tried),
        }


@dataclass
class SavedState:
    """A decoded, checked save: everything the engine needs to resume."""

    seed: int
    current: int
    finished: bool
    progress: list[Progress]


class SavedProgressRejected(Exception):
    """Saved progress cannot be used; `notice` tells the learner why."""

    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


SAVED_KEYS = {"version", "fingerprint", "seed", "current", "finished", "progress"}
SAVED_PROGRESS_KEYS = {"selected", "status", "attempts", "hint_used", "first_try", "wrong_tried"}


def encode_saved(
    fingerprint: str, seed: int, current: int, finished: bool, progress: list[Progress]
) -> str:
    """The state as compact JSON text, for localStorage; read it back with `decode_saved`."""
    return json.dumps(
        {
            "version": SAVE_VERSION,
            "fingerprint": fingerprint,
            "seed": seed,
            "current": current,
            "finished": finished,
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
    current = state["current"]
    finished = state["finished"]
    if not is_json_int(current) or not 0 <= current < len(questions):
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    if not isinstance(finished, bool):
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    if finished and any(p.status == UNANSWERED for p in progress):
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    return SavedState(seed=state["seed"], current=current, finished=finished, progress=progress)


def parse_saved(saved: str) -> dict[str, Any]:
    try:
        state = json.loads(saved)
    except (ValueError, RecursionError) as error:
        raise SavedProgressRejected(NOTICE_UNREADABLE) from error
    if not isinstance(state, dict):
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    return state


def check_saved_header(state: dict[str, Any], fingerprint: str) -> None:
    """Version first (its layout may differ), then the question set, then the key set."""
    version = state.get("version")
    if not is_json_int(version):
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    if version != SAVE_VERSION:
        older = version < SAVE_VERSION
        raise SavedProgressRejected(NOTICE_OLDER_VERSION if older else NOTICE_OTHER_VERSION)
    if state.get("fingerprint") != fingerprint:
        raise SavedProgressRejected(NOTICE_OTHER_QUESTIONS)
    if set(state) != SAVED_KEYS or not is_json_int(state["seed"]):
        raise SavedProgressRejected(NOTICE_UNREADABLE)


def saved_list(value: Any, length: int) -> list[Any]:
    if not isinstance(value, list) or len(value) != length:
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    return value


def progress_from_saved(entry: Any, question: Question) -> Progress:
    """Rebuild one question's progress, rejecting anything the engine could not produce."""
    if not isinstance(entry, dict) or set(entry) != SAVED_PROGRESS_KEYS:
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    progress = Progress(
        selected=entry["selected"],
        status=entry["status"],
        attempts=entry["attempts"],
        hint_used=entry["hint_used"],
        first_try=entry["first_try"],
        wrong_tried=entry["wrong_tried"],
    )
    if not progress_types_ok(progress, len(question.options)):
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    if not progress_consistent(progress, question.answer):
        raise SavedProgressRejected(NOTICE_UNREADABLE)
    progress.wrong_tried = list(progress.wrong_tried)
    return progress


def progress_types_ok(progress: Progress, option_count: int) -> bool:
    def is_option_index(value: Any) -> bool:
        return is_json_int(value) and 0 <= value < option_count

    wrong_tried = progress.wrong_tried
    return (
        (progress.selected is None or is_option_index(progress.selected))
        and isinstance(progress.status, str)
        and progress.status in STATUSES
        and is_json_int(progress.attempts)
        and progress.attempts >= 0
        and isinstance(progress.hint_used, bool)
        and (progress.first_try is None or isinstance(progress.first_try, bool))
        and isinstance(wrong_tried, list)
        and all(is_option_index(option) for option in wrong_tried)
    )


def progress_consistent(progress: Progress, answer: int) -> bool:
    """The invariants Quiz's actions keep; anything else was edited or corrupted."""
    wrong_tried = progress.wrong_tried
    if len(set(wrong_tried)) != len(wrong_tried) or answer in wrong_tried:
        return False
    if len(wrong_tried) > progress.attempts:
        return False
    if (progress.first_try is None) != (progress.attempts == 0):
        return False
    if progress.first_try is False and not wrong_tried:
        return False
    if progress.first_try is True and progress.status != CORRECT:
        return False
    if progress.status == CORRECT:
        return progress.selected == answer
    if progress.status == WRONG:
        return progress.selected is not None and progress.selected in wrong_tried
    return True
