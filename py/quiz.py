"""The quiz engine: shuffling, grading, flow and the view the page renders.

Standard library only, so the same module runs in Pyodide (in the page) and CPython (tests).
The DOM glue calls the engine's actions and renders `Quiz.view()`; it holds no quiz logic itself.
Question files are read and validated by quiz_schema.py; saved progress is quiz_saved.py.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from quiz_saved import (
    CORRECT,
    NOTICE_UNREADABLE,
    UNANSWERED,
    WRONG,
    Progress,
    SavedProgressRejected,
    decode_saved,
    encode_saved,
)
from quiz_schema import LAB_CONTROLS, Question, is_json_int, questions_fingerprint


def shuffled_order(seed: int, question: Question) -> list[int]:
    """Display order of the options: entry d is the file index of the option shown at d.

    Seeding with a string of seed and id makes each question's order reproducible on its own
    (string seeds are hashed with sha512, so they do not depend on PYTHONHASHSEED).
    """
    order = list(range(len(question.options)))
    random.Random(f"{seed}:{question.id}").shuffle(order)
    return order


class Quiz:
    """Quiz state and the learner's actions.

    Actions return None, or a short notice for the learner when the action could not be done
    (for example "Choose an option first."). The notice also appears in `view()["notice"]`
    until the next action. Only programming errors (a display index out of range) raise.

    Scoring: `correct` counts questions currently answered correctly, including those got
    right after a retry; `first_try` counts questions whose first check was correct.
    """

    def __init__(self, questions: Sequence[Question], seed: int | None = None) -> None:
        if not questions:
            raise ValueError("A quiz needs at least one question.")
        self.questions: tuple[Question, ...] = tuple(questions)
        self.fingerprint = questions_fingerprint(self.questions)
        self.start(seed)

    def start(self, seed: int | None) -> None:
        """Begin from the first question with nothing answered; a None seed picks a new one."""
        if seed is None:
            seed = random.randrange(2**31)
        if not is_json_int(seed):
            raise TypeError(f"seed must be an int, got {type(seed).__name__}")
        self.seed: int = seed
        self.orders: list[list[int]] = [shuffled_order(seed, q) for q in self.questions]
        self.progress: list[Progress] = [Progress() for _ in self.questions]
        self.current = 0
        self.finished = False
        self.notice: str | None = None

    # ---- queries

    @property
    def question(self) -> Question:
        return self.questions[self.current]

    @property
    def current_progress(self) -> Progress:
        return self.progress[self.current]

    def display_index(self, question_index: int, option_index: int) -> int:
        """Where the option with file index `option_index` is shown."""
        return self.orders[question_index].index(option_index)

    def correct_display_index(self, question_index: int | None = None) -> int:
        """Display position of the correct option (for tests and debugging, not the UI)."""
        index = self.current if question_index is None else question_index
        return self.display_index(index, self.questions[index].answer)

    def score(self) -> dict[str, int]:
        return {
            "correct": sum(p.status == CORRECT for p in self.progress),
            "total": len(self.questions),
            "first_try": sum(p.first_try is True for p in self.progress),
        }

    def hints_used(self) -> int:
        return sum(p.hint_used for p in self.progress)

    def questions_to_retry(self) -> list[int]:
        """Questions wrong on the first check, or not (yet) answered correctly."""
        return [
            index
            for index, p in enumerate(self.progress)
            if p.first_try is False or p.status != CORRECT
        ]

    # ---- actions

    def select(self, display_index: int) -> str | None:
        """Choose the option shown at `display_index`; choosing anew after a wrong answer
        starts a retry."""
        self.notice = None
        options = self.question.options
        if not is_json_int(display_index) or not 0 <= display_index < len(options):
            raise ValueError(f"display_index must be an int from 0 to {len(options) - 1}")
        if self.finished:
            return self.set_notice("The quiz is finished.")
        progress = self.current_progress
        if progress.status == CORRECT:
            return self.set_notice("You already answered this question correctly.")
        progress.status = UNANSWERED
        progress.selected = self.orders[self.current][display_index]
        return None

    def check(self) -> str | None:
        """Grade the selected option."""
        self.notice = None
        if self.finished:
            return self.set_notice("The quiz is finished.")
        progress = self.current_progress
        if progress.status == CORRECT:
            return self.set_notice("You already answered this question correctly.")
        if progress.status == WRONG:
            return self.set_notice("Choose another option to try again.")
        if progress.selected is None:
            return self.set_notice("Choose an option first.")
        is_correct = progress.selected == self.question.answer
        progress.attempts += 1
        if progress.first_try is None:
            progress.first_try = is_correct
        if is_correct:
            progress.status = CORRECT
        else:
            progress.status = WRONG
            if progress.selected not in progress.wrong_tried:
                progress.wrong_tried.append(progress.selected)
        return None

    def show_hint(self) -> str | None:
        self.notice = None
        if self.finished:
            return self.set_notice("The quiz is finished.")
        self.current_progress.hint_used = True
        return None

    def retry(self) -> str | None:
        """Clear a wrong answer so the learner can choose again."""
        self.notice = None
        if self.finished:
            return self.set_notice("The quiz is finished.")
        progress = self.current_progress
        if progress.status != WRONG:
            return self.set_notice("There is no wrong answer to retry.")
        progress.status = UNANSWERED
        progress.selected = None
        return None

    def next(self) -> str | None:
        """Go to the next open (unanswered) question, wrapping round; finish when none is left."""
        self.notice = None
        if self.finished:
            return self.set_notice("The quiz is finished.")
        total = len(self.questions)
        for step in range(1, total + 1):
            candidate = (self.current + step) % total
            if self.progress[candidate].status == UNANSWERED:
                if candidate == self.current:
                    return self.set_notice("Answer this question to finish the quiz.")
                self.current = candidate
                return None
        self.finished = True
        return None

    def retry_wrong(self) -> str | None:
        """After the end, reopen the questions missed on the first try or not yet correct."""
        self.notice = None
        if not self.finished:
            return self.set_notice("Finish the quiz first.")
        targets = self.questions_to_retry()
        if not targets:
            return self.set_notice("Every question was right on the first try: nothing to retry.")
        for index in targets:
            self.progress[index].status = UNANSWERED
            self.progress[index].selected = None
        self.current = targets[0]
        self.finished = False
        return None

    def reset(self, seed: int | None = None) -> None:
        """Start afresh; keeps the current seed unless a new one is given."""
        self.start(self.seed if seed is None else seed)

    def set_notice(self, notice: str) -> str:
        self.notice = notice
        return notice

    # ---- rendering

    def feedback_text(self) -> str | None:
        """What to say about the graded answer of the current question."""
        progress = self.current_progress
        question = self.question
        if progress.status == UNANSWERED or progress.selected is None:
            return None
        option_feedback = "" if question.feedback is None else question.feedback[progress.selected]
        if progress.status == CORRECT:
            return f"Correct! {option_feedback}".strip()
        return f"Not quite. {option_feedback}".strip()

    def summary_text(self) -> str:
        score = self.score()
        text = (
            f"You answered {score['correct']} of {score['total']} questions correctly "
            f"({score['first_try']} on the first try)."
        )
        hints = self.hints_used()
        if hints:
            text += f" Hints used: {hints}."
        if self.questions_to_retry():
            text += " Retry the questions you missed to practise them."
        return text

    def view(self) -> dict[str, Any]:
        """Everything the page renders, as JSON-serialisable plain data (text, never HTML)."""
        question = self.question
        progress = self.current_progress
        order = self.orders[self.current]
        graded = progress.status != UNANSWERED
        selected = (
            None
            if progress.selected is None
            else self.display_index(self.current, progress.selected)
        )
        return {
            "index": self.current,
            "total": len(self.questions),
            "question_id": question.id,
            "stem": question.stem,
            "options": [
                {
                    "index": display,
                    "text": question.options[option],
                    "tried_wrong": option in progress.wrong_tried,
                }
                for display, option in enumerate(order)
            ],
            "selected": selected,
            "status": progress.status,
            "attempts": progress.attempts,
            "feedback": self.feedback_text(),
            "hint": question.hint if progress.hint_used else None,
            "explanation": question.explanation if graded else None,
            "lab_control": question.lab_control if graded else None,
            "lab_element_id": LAB_CONTROLS[question.lab_control] if graded else None,
            "statuses": [p.status for p in self.progress],
            "score": self.score(),
            "hints_used": self.hints_used(),
            "finished": self.finished,
            "summary": self.summary_text() if self.finished else None,
            "notice": self.notice,
            "can": {
                "select": not self.finished and progress.status != CORRECT,
                "check": not self.finished and progress.status == UNANSWERED,
                "hint": not self.finished and not progress.hint_used,
                "retry": not self.finished and progress.status == WRONG,
                "next": not self.finished,
                "retry_wrong": self.finished and bool(self.questions_to_retry()),
            },
        }

    # ---- saved progress

    def to_saved(self) -> str:
        """Progress as JSON text, for localStorage; read it back with `Quiz.restore`."""
        return encode_saved(self.fingerprint, self.seed, self.current, self.finished, self.progress)

    @classmethod
    def restore(
        cls, saved: str | None, questions: Sequence[Question], seed: int | None = None
    ) -> tuple[Quiz, str | None]:
        """Resume saved progress; never raises on bad saved text.

        Returns (quiz, None) when the progress was restored or nothing was saved, and
        (fresh quiz with `seed`, notice) when the saved text cannot be used.
        """
        if saved is None or not isinstance(saved, str) or not saved.strip():
            return cls(questions, seed), None
        quiz = cls(questions, seed)
        try:
            quiz.load_saved(saved)
        except SavedProgressRejected as rejection:
            return cls(questions, seed), rejection.notice
        except Exception:  # noqa: BLE001 - a bad save must never break page load
            return cls(questions, seed), NOTICE_UNREADABLE
        return quiz, None

    def load_saved(self, saved: str) -> None:
        """Replace this quiz's state with the saved state, or raise SavedProgressRejected."""
        state = decode_saved(saved, self.questions, self.fingerprint)
        self.start(state.seed)
        self.progress = state.progress
        self.current = state.current
        self.finished = state.finished
