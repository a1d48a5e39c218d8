"""Quiz core for Softmax Digits: question-file validation, the quiz engine and saved progress.

Standard library only, so the same module runs in Pyodide (in the page) and CPython (tests, CLI).
The DOM glue calls the engine's actions and renders `Quiz.view()`; it holds no quiz logic itself.

Validate a question file from the command line:

    python py/quiz.py questions.json
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

QUESTIONS_VERSION = 1  # the "version" a questions.json must declare
SAVE_VERSION = 1  # the "version" written by Quiz.to_saved()

# lab_control value -> id of the page element it links to
LAB_CONTROLS: dict[str, str] = {
    "shift": "shift",
    "scale": "scale",
    "cross-entropy": "true-label",
    "zero-logits": "zero-logits",
}

REQUIRED_FIELDS = ("id", "stem", "options", "answer", "hint", "explanation", "lab_control")
OPTIONAL_FIELDS = ("feedback",)
TEXT_FIELDS = ("stem", "hint", "explanation")
TOP_LEVEL_FIELDS = ("version", "questions")
MIN_OPTIONS = 2
# ids end up in saved progress and the shuffle seed, so keep them to simple slugs
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

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


# --------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class Question:
    """One validated multiple-choice question; `answer` indexes `options` in file order."""

    id: str
    stem: str
    options: tuple[str, ...]
    answer: int
    hint: str
    explanation: str
    lab_control: str
    feedback: tuple[str, ...] | None = None

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> Question:
        """Build from a question object that `validate` has accepted."""
        feedback = entry.get("feedback")
        return cls(
            id=entry["id"],
            stem=entry["stem"],
            options=tuple(entry["options"]),
            answer=entry["answer"],
            hint=entry["hint"],
            explanation=entry["explanation"],
            lab_control=entry["lab_control"],
            feedback=None if feedback is None else tuple(feedback),
        )

    def to_dict(self) -> dict[str, Any]:
        """The question as it appears in questions.json."""
        entry: dict[str, Any] = {
            "id": self.id,
            "stem": self.stem,
            "options": list(self.options),
            "answer": self.answer,
            "hint": self.hint,
            "explanation": self.explanation,
            "lab_control": self.lab_control,
        }
        if self.feedback is not None:
            entry["feedback"] = list(self.feedback)
        return entry


def json_type_name(value: Any) -> str:
    """The JSON name of a value's type, for error messages aimed at people editing JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def is_json_int(value: Any) -> bool:
    """True for integers; bool is a subclass of int in Python but never an index."""
    return isinstance(value, int) and not isinstance(value, bool)


def normalise_option(text: str) -> str:
    """Compare options ignoring case and runs of whitespace."""
    return " ".join(text.split()).casefold()


def question_label(entry: Any, position: int) -> str:
    """Name a question by its 1-based position, plus its id when it has a usable one."""
    if isinstance(entry, dict):
        qid = entry.get("id")
        if isinstance(qid, str) and qid.strip():
            return f'Question {position} ("{qid}")'
    return f"Question {position}"


def text_error(value: Any, what: str) -> str | None:
    """Why `value` is not a usable piece of text, or None if it is."""
    if not isinstance(value, str):
        return f"{what} must be a string, got {json_type_name(value)}."
    if not value.strip():
        return f"{what} must not be empty."
    return None


def validate(data: Any) -> list[str]:
    """Every problem with parsed questions.json data, as messages; an empty list means valid."""
    if not isinstance(data, dict):
        return [
            'The file must hold a JSON object with "version" and "questions", '
            f"got {json_type_name(data)}."
        ]
    errors = top_level_field_errors(data) + version_errors(data)
    if "questions" not in data:
        return errors + ['Missing field "questions" (a list of question objects).']
    questions = data["questions"]
    if not isinstance(questions, list):
        return errors + [f'Field "questions" must be a list, got {json_type_name(questions)}.']
    if not questions:
        return errors + ['Field "questions" must contain at least one question.']
    for position, entry in enumerate(questions, start=1):
        errors += question_errors(entry, position)
    return errors + duplicate_id_errors(questions)


def top_level_field_errors(data: dict[str, Any]) -> list[str]:
    """Unknown top-level fields are usually typos, so report them."""
    return [f'Unknown top-level field "{name}".' for name in data if name not in TOP_LEVEL_FIELDS]


def version_errors(data: dict[str, Any]) -> list[str]:
    if "version" not in data:
        return [f'Missing field "version" (expected {QUESTIONS_VERSION}).']
    version = data["version"]
    if not is_json_int(version):
        return [
            f'Field "version" must be the integer {QUESTIONS_VERSION}, '
            f"got {json_type_name(version)}."
        ]
    if version != QUESTIONS_VERSION:
        return [f"Unsupported version {version}: this quiz reads version {QUESTIONS_VERSION}."]
    return []


def question_errors(entry: Any, position: int) -> list[str]:
    """Every problem with one question object, each message naming the question."""
    label = question_label(entry, position)
    if not isinstance(entry, dict):
        return [f"{label}: must be an object, got {json_type_name(entry)}."]
    errors = [f'missing field "{name}".' for name in REQUIRED_FIELDS if name not in entry]
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    errors += [f'unknown field "{name}".' for name in entry if name not in known]
    errors += id_errors(entry)
    for name in TEXT_FIELDS:
        if name in entry:
            problem = text_error(entry[name], f'field "{name}"')
            errors += [problem] if problem else []
    errors += options_errors(entry)
    errors += answer_errors(entry)
    errors += feedback_errors(entry)
    errors += lab_control_errors(entry)
    return [f"{label}: {message}" for message in errors]


def id_errors(entry: dict[str, Any]) -> list[str]:
    if "id" not in entry:
        return []
    problem = text_error(entry["id"], 'field "id"')
    if problem:
        return [problem]
    if not ID_PATTERN.fullmatch(entry["id"]):
        return [
            'field "id" must be lowercase letters, digits and single hyphens, e.g. "zero-logits".'
        ]
    return []


def options_errors(entry: dict[str, Any]) -> list[str]:
    if "options" not in entry:
        return []
    options = entry["options"]
    if not isinstance(options, list):
        return [f'field "options" must be a list of strings, got {json_type_name(options)}.']
    errors = []
    if len(options) < MIN_OPTIONS:
        errors.append(
            f'field "options" must have at least {MIN_OPTIONS} options, got {len(options)}.'
        )
    for index, option in enumerate(options):
        problem = text_error(option, f"option {index}")
        errors += [problem] if problem else []
    return errors + duplicate_option_errors(options)


def duplicate_option_errors(options: list[Any]) -> list[str]:
    first_index: dict[str, int] = {}
    errors = []
    for index, option in enumerate(options):
        if not isinstance(option, str) or not option.strip():
            continue
        key = normalise_option(option)
        if key in first_index:
            errors.append(
                f"options {first_index[key]} and {index} are the same "
                "(ignoring case and spaces); each option must differ."
            )
        else:
            first_index[key] = index
    return errors


def answer_errors(entry: dict[str, Any]) -> list[str]:
    if "answer" not in entry:
        return []
    answer = entry["answer"]
    if not is_json_int(answer):
        return [
            'field "answer" must be an integer (the 0-based index of the correct option), '
            f"got {json_type_name(answer)}."
        ]
    options = entry.get("options")
    if isinstance(options, list) and options and not 0 <= answer < len(options):
        return [
            f'field "answer" is {answer}, out of range: with {len(options)} options '
            f"it must be 0 to {len(options) - 1}."
        ]
    return []


def feedback_errors(entry: dict[str, Any]) -> list[str]:
    """Feedback is optional; when present, one entry per option, the correct one may be ""."""
    if "feedback" not in entry:
        return []
    feedback = entry["feedback"]
    if not isinstance(feedback, list):
        return [f'field "feedback" must be a list of strings, got {json_type_name(feedback)}.']
    options = entry.get("options")
    if isinstance(options, list) and len(feedback) != len(options):
        return [
            f'field "feedback" has {len(feedback)} entries but there are {len(options)} options; '
            "give one entry per option."
        ]
    answer = entry.get("answer")
    # without a usable answer we cannot tell which entry may be empty; answer_errors says why
    answer_known = is_json_int(answer) and 0 <= answer < len(feedback)
    errors = []
    for index, text in enumerate(feedback):
        if not isinstance(text, str):
            errors.append(f"feedback {index} must be a string, got {json_type_name(text)}.")
        elif not text.strip() and answer_known and index != answer:
            errors.append(f"feedback {index} must not be empty (only the correct option's may be).")
    return errors


def lab_control_errors(entry: dict[str, Any]) -> list[str]:
    if "lab_control" not in entry:
        return []
    control = entry["lab_control"]
    if isinstance(control, str) and control in LAB_CONTROLS:
        return []
    shown = json.dumps(control) if isinstance(control, str) else json_type_name(control)
    expected = ", ".join(f'"{name}"' for name in LAB_CONTROLS)
    return [f'field "lab_control" is {shown}; expected one of {expected}.']


def duplicate_id_errors(questions: list[Any]) -> list[str]:
    first_position: dict[str, int] = {}
    errors = []
    for position, entry in enumerate(questions, start=1):
        qid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(qid, str) or not qid.strip():
            continue
        if qid in first_position:
            errors.append(
                f'{question_label(entry, position)}: duplicate id "{qid}" '
                f"(already used by question {first_position[qid]})."
            )
        else:
            first_position[qid] = position
    return errors


def parse_questions(text: str) -> tuple[list[Question], list[str]]:
    """Parse and validate questions.json text: (questions, []) if valid, else ([], messages)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [f"Invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}."]
    except (ValueError, RecursionError) as error:
        # e.g. integers too long to convert, or nesting too deep for the parser
        return [], [f"Invalid JSON: {error}."]
    errors = validate(data)
    if errors:
        return [], errors
    return [Question.from_dict(entry) for entry in data["questions"]], []


def questions_fingerprint(questions: Sequence[Question]) -> str:
    """sha256 of the canonical JSON of the questions; saved progress is tied to it."""
    canonical = json.dumps(
        [question.to_dict() for question in questions],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def shuffled_order(seed: int, question: Question) -> list[int]:
    """Display order of the options: entry d is the file index of the option shown at d.

    Seeding with a string of seed and id makes each question's order reproducible on its own
    (string seeds are hashed with sha512, so they do not depend on PYTHONHASHSEED).
    """
    order = list(range(len(question.options)))
    random.Random(f"{seed}:{question.id}").shuffle(order)
    return order


# --------------------------------------------------------------------------- engine


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


class SavedProgressRejected(Exception):
    """Saved progress cannot be used; `notice` tells the learner why."""

    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


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
        return json.dumps(
            {
                "version": SAVE_VERSION,
                "fingerprint": self.fingerprint,
                "seed": self.seed,
                "current": self.current,
                "finished": self.finished,
                "progress": [p.to_dict() for p in self.progress],
            },
            separators=(",", ":"),
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
        state = decode_saved(saved)
        check_saved_header(state, self.fingerprint)
        seed = state["seed"]
        progress = [
            progress_from_saved(entry, question)
            for entry, question in zip(
                saved_list(state["progress"], len(self.questions)), self.questions, strict=True
            )
        ]
        current = state["current"]
        finished = state["finished"]
        if not is_json_int(current) or not 0 <= current < len(self.questions):
            raise SavedProgressRejected(NOTICE_UNREADABLE)
        if not isinstance(finished, bool):
            raise SavedProgressRejected(NOTICE_UNREADABLE)
        if finished and any(p.status == UNANSWERED for p in progress):
            raise SavedProgressRejected(NOTICE_UNREADABLE)
        self.start(seed)
        self.progress = progress
        self.current = current
        self.finished = finished


SAVED_KEYS = {"version", "fingerprint", "seed", "current", "finished", "progress"}
SAVED_PROGRESS_KEYS = {"selected", "status", "attempts", "hint_used", "first_try", "wrong_tried"}


def decode_saved(saved: str) -> dict[str, Any]:
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


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str]) -> int:
    """`python py/quiz.py questions.json`: print "OK: N questions" (exit 0) or the problems."""
    if len(argv) != 1:
        print("usage: python py/quiz.py QUESTIONS_JSON", file=sys.stderr)
        return 2
    path = argv[0]
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read {path}: {error}")
        return 1
    questions, errors = parse_questions(text)
    if errors:
        for message in errors:
            print(message)
        return 1
    print(f"OK: {len(questions)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
