"""The quiz engine: shuffling, grading, flow and the view the page renders.

Standard library only, so the same module runs in Pyodide (in the page) and CPython (tests).
The DOM glue calls the engine's actions and renders `Quiz.view()`; it holds no quiz logic itself.
Question files are read and validated by quiz_schema.py; saved progress is quiz_saved.py.

Teaching rules (docs/quiz.md): a wrong try gets that option's feedback only; the explanation
and the lab link come with a correct answer or once the tries are used up (two, or one for a
prediction). Questions still missed at the end of the round come back once, options reshuffled.
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
    max_tries,
)
from quiz_schema import (
    LAB_CONTROLS,
    NUMERIC,
    PREDICT,
    Question,
    is_json_int,
    parse_answer,
    questions_fingerprint,
    within_tolerance,
)

# What the page says a predict question set in the lab, by control.
OBSERVE_LABELS = {
    "shift": "c = {}",
    "scale": "α = {}",
    "cross-entropy": "true digit {}",
    "zero-logits": "all logits set to 0",
}
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


def format_number(value: float) -> str:
    """Short text for a number from the question file: 0.665 -> "0.665", 2.0 -> "2"."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


class Quiz:
    """Quiz state and the learner's actions.

    Actions return None, or a short notice for the learner when the action could not be done
    (for example "Choose an option first."). The notice also appears in `view()["notice"]`
    until the next action. Only programming errors (a display index out of range, selecting
    on a numeric question) raise.

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
            return self.set_notice("You already tried that option: choose another one.")
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
            return self.set_notice("Choose another option to try again.")
        if progress.selected is None:
            return self.set_notice("Choose an option first.")
        is_correct = progress.selected == self.question.answer
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
            return self.set_notice("That is the answer you tried: change it to try again.")
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
            return self.set_notice("The quiz is finished.")
        if self.revealed():
            return self.set_notice("The answer is already shown: no hint needed.")
        self.current_progress.hint_used = True
        return None

    def retry(self) -> str | None:
        """Clear a wrong try so the learner can answer again."""
        self.notice = None
        if self.finished:
            return self.set_notice("The quiz is finished.")
        progress = self.current_progress
        if self.revealed() and progress.status == WRONG:
            return self.set_notice("No tries left here: this question comes back at the end.")
        if progress.status != WRONG:
            return self.set_notice("There is no wrong answer to retry.")
        progress.status = UNANSWERED
        progress.selected = None
        progress.entered = None
        return None

    def next(self) -> str | None:
        """Go to the next open (unanswered) question, wrapping round. When none is left, the
        missed questions come back once (reshuffled); after that the quiz is finished."""
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
        missed = self.missed()
        if not self.review and missed:
            self.reopen(missed)
            return None
        self.finished = True
        return None

    def retry_wrong(self) -> str | None:
        """After the end, reopen the questions missed on the first try or not yet correct,
        with their options in a new order and no strikes."""
        self.notice = None
        if not self.finished:
            return self.set_notice("Finish the quiz first.")
        targets = self.questions_to_retry()
        if not targets:
            return self.set_notice("Every question was right on the first try: nothing to retry.")
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
            return "The quiz is finished."
        if self.current_progress.status == CORRECT:
            return "You already answered this question correctly."
        if self.revealed():
            return "No tries left here: the answer is shown. Go on with Next."
        return None

    def set_notice(self, notice: str) -> str:
        self.notice = notice
        return notice

    # ---- rendering

    def answer_text(self, index: int) -> str:
        """The correct answer in words: the option's text, or the number and its tolerance."""
        question = self.questions[index]
        if question.kind == NUMERIC:
            units = f" {question.units}" if question.units else ""
            return (
                f"{format_number(question.answer_value)}{units} "
                f"(answers within ±{format_number(question.tolerance)} count)"
            )
        return question.options[question.answer]

    def given_text(self, index: int, answer: int | str | None) -> str | None:
        """What the learner answered, in words."""
        if answer is None:
            return None
        question = self.questions[index]
        if question.kind == NUMERIC:
            return f"{answer} {question.units}" if question.units else str(answer)
        return question.options[answer]

    def feedback_text(self) -> str | None:
        """What to say about the graded answer of the current question."""
        progress = self.current_progress
        question = self.question
        if progress.status == UNANSWERED:
            return None
        revealed = self.revealed()
        if question.kind == NUMERIC:
            parts = self.number_feedback(progress.entered)
        else:
            extra = "" if question.feedback is None else question.feedback[progress.selected]
            verdict = "Correct!" if progress.status == CORRECT else "Not quite."
            if question.kind == PREDICT:
                verdict = "Well predicted!" if progress.status == CORRECT else "Not what happens."
            parts = [verdict, extra]
        if progress.status == WRONG:
            if revealed:
                answer = self.answer_text(self.current)
                # An option is often a sentence already: no second full stop ("shrink..").
                parts.append(f"The answer: {answer}" + ("" if answer[-1:] in ".!?" else "."))
            else:
                parts.append("Try once more, or use the hint.")
        return " ".join(part.strip() for part in parts if part and part.strip())

    def number_feedback(self, entered: str | None) -> list[str]:
        question = self.question
        value, _ = parse_answer(entered or "")
        if value is None:
            return []
        if within_tolerance(value, question):
            return ["Correct!", f"The answer is {self.answer_text(self.current)}."]
        if value < question.answer_value:
            return [f"Not quite: {entered} is too low.", question.too_low or ""]
        return [f"Not quite: {entered} is too high.", question.too_high or ""]

    def summary_text(self) -> str:
        score = self.score()
        text = (
            f"You answered {score['correct']} of {score['total']} questions correctly "
            f"({score['first_try']} on the first try)."
        )
        hints = self.hints_used()
        if hints:
            text += f" Hints used: {hints}."
        if self.missed():
            text += " Retry the questions you missed to practise them."
        elif self.questions_to_retry():
            text += " Practise again the ones you did not get on the first try."
        return text

    def report(self) -> dict[str, Any]:
        """The learner's round, for the printable summary."""
        return {
            "score": self.score(),
            "hints_used": self.hints_used(),
            "rows": [
                {
                    "number": index + 1,
                    "question_id": question.id,
                    "stem": question.stem,
                    "first_answer": self.given_text(index, progress.first_answer),
                    "first_try": progress.first_try,
                    "status": progress.status,
                    "hint_used": progress.hint_used,
                }
                for index, (question, progress) in enumerate(
                    zip(self.questions, self.progress, strict=True)
                )
            ],
        }

    def observe_view(self) -> dict[str, str] | None:
        question = self.question
        if question.observe is None:
            return None
        control, value = question.observe
        return {
            "control": control,
            "value": value,
            "element_id": LAB_CONTROLS[control],
            "label": OBSERVE_LABELS[control].format(value),
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
            "answer": self.answer_text(self.current) if revealed else None,
            "feedback": self.feedback_text(),
            "hint": question.hint if progress.hint_used else None,
            "explanation": question.explanation if revealed else None,
            "lab_control": question.lab_control if revealed else None,
            "lab_element_id": LAB_CONTROLS[question.lab_control] if revealed else None,
            "observe": self.observe_view(),
            "second_look": self.review and not self.finished,
            "statuses": [p.status for p in self.progress],
            "score": self.score(),
            "hints_used": self.hints_used(),
            "finished": self.finished,
            "summary": self.summary_text() if self.finished else None,
            "report": self.report() if self.finished else None,
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
        self.review = state.review
