"""The quiz's state machine: the learner's actions, the moves between questions, the state saved.

Standard library only, so the same module runs in Pyodide (in the page) and CPython (tests).
The DOM glue calls the engine's actions and renders `Quiz.view()`; it holds no quiz logic itself.
Neighbours: question files are read and validated by quiz_schema.py, answers graded by
quiz_grade.py, put into words by quiz_text.py; saved progress is encoded by quiz_saved.py.

Teaching rules (docs/quiz.md): a wrong try gets that option's feedback only; the explanation
and the lab link come with a correct answer or once the tries are used up (two, or one for a
prediction). Questions still missed at the end of the round come back once, options reshuffled.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import quiz_text
from quiz_grade import grade_option, parse_answer, within_tolerance
from quiz_saved import (
    CORRECT,
    OTHER_QUESTIONS,
    UNANSWERED,
    WRONG,
    Progress,
    SavedProgressRejected,
    decode_saved,
    encode_saved,
    max_tries,
)
from quiz_schema import (
    LAB_CONTROLS,
    NUMERIC,
    Question,
    is_json_int,
    questions_fingerprint,
    text_fingerprint,
)

RESHUFFLE_LIMIT = 100  # rounds tried for an order that differs from the last (2 options: ~1)


def shuffled_order(seed: int, question: Question, shuffle: int = 0) -> list[int]:
    """Display order of the options: entry d is the file index of the option shown at d.

    Seeding with a string of seed and id makes each question's order reproducible on its own
    (string seeds are hashed with sha512, so they do not depend on PYTHONHASHSEED). `shuffle`
    counts the reshuffles of that question (a retry shows the options in a new order).
    """
    order = list(range(len(question.options)))
    key = f"{seed}:{question.id}" if shuffle == 0 else f"{seed}:{question.id}:{shuffle}"
    random.Random(key).shuffle(order)
    return order


class Quiz:
    """Quiz state and the learner's actions.

    Actions return None, or a short notice for the learner when the action could not be done
    (for example "Choose an option first."; quiz_text.py words them all). The notice also
    appears in `view()["notice"]` until the next action. Only programming errors (a display
    index out of range, selecting on a numeric question) raise.

    Scoring: `correct` counts questions currently answered correctly, including those got
    right on a second try or a second look; `first_try` counts questions whose very first
    check was correct.
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
        self.progress: list[Progress] = [Progress() for _ in self.questions]
        self.current = 0
        self.finished = False
        self.review = False  # True once the missed questions have come back (or retry_wrong)
        self.notice: str | None = None

    # ---- queries

    @property
    def question(self) -> Question:
        return self.questions[self.current]

    @property
    def current_progress(self) -> Progress:
        return self.progress[self.current]

    @property
    def orders(self) -> list[list[int]]:
        """The display order of every question's options (empty for numeric questions)."""
        return [
            shuffled_order(self.seed, question, progress.shuffle)
            for question, progress in zip(self.questions, self.progress, strict=True)
        ]

    def order(self, index: int) -> list[int]:
        return shuffled_order(self.seed, self.questions[index], self.progress[index].shuffle)

    def display_index(self, question_index: int, option_index: int) -> int:
        """Where the option with file index `option_index` is shown."""
        return self.order(question_index).index(option_index)

    def correct_display_index(self, question_index: int | None = None) -> int:
        """Display position of the correct option (for tests and debugging, not the UI)."""
        index = self.current if question_index is None else question_index
        return self.display_index(index, self.questions[index].answer)

    def revealed(self, index: int | None = None) -> bool:
        """The answer is shown: answered correctly, or every try of this pass used."""
        index = self.current if index is None else index
        progress = self.progress[index]
        if progress.status == CORRECT:
            return True
        return progress.status == WRONG and progress.tries >= max_tries(self.questions[index])

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

    def missed(self) -> list[int]:
        """Questions not answered correctly in the round so far."""
        return [index for index, p in enumerate(self.progress) if p.status != CORRECT]

    # ---- actions

    def select(self, display_index: int) -> str | None:
        """Choose the option shown at `display_index`; choosing anew after a wrong try starts
        the next try."""
        self.notice = None
        if self.question.kind == NUMERIC:
            raise ValueError("a numeric question has no options: check() takes the typed text")
        options = self.question.options
        if not is_json_int(display_index) or not 0 <= display_index < len(options):
            raise ValueError(f"display_index must be an int from 0 to {len(options) - 1}")
        refused = self.closed_notice()
        if refused:
            return self.set_notice(refused)
        progress = self.current_progress
        option = self.order(self.current)[display_index]
        if option in progress.wrong_tried:
            return self.set_notice(quiz_text.NOTICE_OPTION_TRIED)
        progress.status = UNANSWERED
        progress.selected = option
        return None

    def check(self, text: str | None = None) -> str | None:
        """Grade the selected option, or for a numeric question the typed `text`."""
        self.notice = None
        refused = self.closed_notice()
        if refused:
            return self.set_notice(refused)
        if self.question.kind == NUMERIC:
            return self.check_number(text)
        progress = self.current_progress
        if progress.status == WRONG:
            return self.set_notice(quiz_text.NOTICE_CHOOSE_ANOTHER)
        if progress.selected is None:
            return self.set_notice(quiz_text.NOTICE_CHOOSE_FIRST)
        is_correct = grade_option(progress.selected, self.question)
        self.record_check(progress.selected, is_correct)
        if not is_correct:
            progress.wrong_tried.append(progress.selected)
        return None

    def check_number(self, text: str | None) -> str | None:
        progress = self.current_progress
        value, problem = parse_answer(text if isinstance(text, str) else "")
        if problem:
            return self.set_notice(problem)
        if progress.status == WRONG and parse_answer(progress.entered or "")[0] == value:
            return self.set_notice(quiz_text.NOTICE_SAME_NUMBER)
        progress.entered = text.strip()
        self.record_check(progress.entered, within_tolerance(value, self.question))
        return None

    def record_check(self, answer: int | str, is_correct: bool) -> None:
        progress = self.current_progress
        progress.tries += 1
        progress.attempts += 1
        if progress.first_try is None:
            progress.first_try = is_correct
            progress.first_answer = answer
        progress.status = CORRECT if is_correct else WRONG

    def show_hint(self) -> str | None:
        self.notice = None
        if self.finished:
            return self.set_notice(quiz_text.NOTICE_FINISHED)
        if self.revealed():
            return self.set_notice(quiz_text.NOTICE_NO_HINT_NEEDED)
        self.current_progress.hint_used = True
        return None

    def retry(self) -> str | None:
        """Clear a wrong try so the learner can answer again."""
        self.notice = None
        if self.finished:
            return self.set_notice(quiz_text.NOTICE_FINISHED)
        progress = self.current_progress
        if self.revealed() and progress.status == WRONG:
            return self.set_notice(quiz_text.NOTICE_COMES_BACK)
        if progress.status != WRONG:
            return self.set_notice(quiz_text.NOTICE_NOTHING_WRONG)
        progress.status = UNANSWERED
        progress.selected = None
        progress.entered = None
        return None

    def next(self) -> str | None:
        """Go to the next open (unanswered) question, wrapping round. When none is left, the
        missed questions come back once (reshuffled); after that the quiz is finished."""
        self.notice = None
        if self.finished:
            return self.set_notice(quiz_text.NOTICE_FINISHED)
        total = len(self.questions)
        for step in range(1, total + 1):
            candidate = (self.current + step) % total
            if self.progress[candidate].status == UNANSWERED:
                if candidate == self.current:
                    return self.set_notice(quiz_text.NOTICE_ANSWER_TO_FINISH)
                self.current = candidate
                return None
        missed = self.missed()
        if not self.review and missed:
            self.reopen(missed)
            return None
        self.finished = True
        return None

    def next_finishes(self) -> bool:
        """Next would end the round now: no open question left and no second look to come."""
        if self.finished or any(p.status == UNANSWERED for p in self.progress):
            return False
        return self.review or not self.missed()

    def retry_wrong(self) -> str | None:
        """After the end, reopen the questions missed on the first try or not yet correct,
        with their options in a new order and no strikes."""
        self.notice = None
        if not self.finished:
            return self.set_notice(quiz_text.NOTICE_FINISH_FIRST)
        targets = self.questions_to_retry()
        if not targets:
            return self.set_notice(quiz_text.NOTICE_ALL_FIRST_TRY)
        self.reopen(targets)
        self.finished = False
        return None

    def reopen(self, targets: list[int]) -> None:
        """Give these questions a new pass: cleared, reshuffled; no further second look."""
        for index in targets:
            self.progress[index].new_pass()
            self.reshuffle(index)
        self.current = targets[0]
        self.review = True

    def reshuffle(self, index: int) -> None:
        """Move to the next shuffle round whose option order differs from the current one."""
        progress = self.progress[index]
        if len(self.questions[index].options) < 2:
            return
        before = self.order(index)
        start = progress.shuffle
        for shuffle in range(start + 1, start + 1 + RESHUFFLE_LIMIT):
            progress.shuffle = shuffle
            if self.order(index) != before:
                return

    def reset(self, seed: int | None = None) -> None:
        """Start afresh; keeps the current seed unless a new one is given."""
        self.start(self.seed if seed is None else seed)

    def closed_notice(self) -> str | None:
        """Why the current question takes no answer now, or None when it does."""
        if self.finished:
            return quiz_text.NOTICE_FINISHED
        if self.current_progress.status == CORRECT:
            return quiz_text.NOTICE_ALREADY_CORRECT
        if self.revealed():
            return quiz_text.NOTICE_ANSWER_SHOWN
        return None

    def set_notice(self, notice: str) -> str:
        self.notice = notice
        return notice

    # ---- the page's view

    def observe_view(self) -> dict[str, str] | None:
        question = self.question
        if question.observe is None:
            return None
        control, value = question.observe
        return {
            "control": control,
            "value": value,
            "element_id": LAB_CONTROLS[control],
            "label": quiz_text.observe_label(control, value),
        }

    def end_of_round(self) -> dict[str, Any]:
        """The summary and the report once the quiz is finished (both None before)."""
        if not self.finished:
            return {"summary": None, "report": None}
        score, hints, missed = self.score(), self.hints_used(), self.missed()
        return {
            "summary": quiz_text.summary_text(score, hints, missed, self.questions_to_retry()),
            "report": quiz_text.report(self.questions, self.progress, score, hints),
        }

    def view(self) -> dict[str, Any]:
        """Everything the page renders, as JSON-serialisable plain data (text, never HTML)."""
        question = self.question
        progress = self.current_progress
        order = self.order(self.current)
        revealed = self.revealed()
        open_ = not self.finished and not revealed
        selected = None if progress.selected is None else order.index(progress.selected)
        return {
            "index": self.current,
            "total": len(self.questions),
            "question_id": question.id,
            "kind": question.kind,
            "stem": question.stem,
            "options": [
                {
                    "index": display,
                    "text": question.options[option],
                    "tried_wrong": option in progress.wrong_tried,
                }
                for display, option in enumerate(order)
            ],
            "units": question.units,
            "selected": selected,
            "entered": progress.entered,
            "status": progress.status,
            "attempts": progress.attempts,
            "tries_left": max_tries(question) - progress.tries,
            "revealed": revealed,
            "correct_option": (
                order.index(question.answer) if revealed and question.kind != NUMERIC else None
            ),
            "answer": quiz_text.answer_text(question) if revealed else None,
            "feedback": quiz_text.feedback_text(question, progress, revealed),
            "hint": question.hint if progress.hint_used else None,
            "explanation": question.explanation if revealed else None,
            "lab_control": question.lab_control if revealed else None,
            "lab_element_id": LAB_CONTROLS[question.lab_control] if revealed else None,
            "observe": self.observe_view(),
            "second_look": self.review and not self.finished,
            "progress": quiz_text.progress_text(
                self.current, len(self.questions), self.review, self.finished
            ),
            "next_label": (
                quiz_text.NEXT_TO_SUMMARY if self.next_finishes() else quiz_text.NEXT_LABEL
            ),
            "statuses": [p.status for p in self.progress],
            "score": self.score(),
            "hints_used": self.hints_used(),
            "finished": self.finished,
            **self.end_of_round(),
            "notice": self.notice,
            "can": {
                "select": open_ and question.kind != NUMERIC,
                "check": open_ and (progress.status == UNANSWERED or question.kind == NUMERIC),
                "hint": open_ and not progress.hint_used,
                "retry": open_ and progress.status == WRONG,
                "next": not self.finished,
                "retry_wrong": self.finished and bool(self.questions_to_retry()),
            },
        }

    # ---- saved progress

    def to_saved(self) -> str:
        """Progress as JSON text, for localStorage; read it back with `Quiz.restore`."""
        return encode_saved(
            self.fingerprint, self.seed, self.current, self.finished, self.review, self.progress
        )

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
            return cls(questions, seed), quiz_text.save_notice(rejection.reason)
        except Exception:  # noqa: BLE001 - a bad save must never break page load
            return cls(questions, seed), quiz_text.NOTICE_UNREADABLE
        return quiz, None

    def load_saved(self, saved: str) -> None:
        """Replace this quiz's state with the saved state, or raise SavedProgressRejected.

        A save written before question files had languages is tied to the English words
        (text_fingerprint): it is still read, and saved anew with the language-free fingerprint."""
        try:
            state = decode_saved(saved, self.questions, self.fingerprint)
        except SavedProgressRejected as rejection:
            if rejection.reason != OTHER_QUESTIONS:
                raise
            state = decode_saved(saved, self.questions, text_fingerprint(self.questions))
        self.start(state.seed)
        self.progress = state.progress
        self.current = state.current
        self.finished = state.finished
        self.review = state.review
