"""Quiz question files: the Question record, the validator, parsing and the fingerprint.

Standard library only, so the same module runs in Pyodide (in the page), in CPython (tests) and
under a bare `python3` (scripts/check_questions.py, the Pages workflow). The engine is quiz.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

QUESTIONS_VERSION = 1  # the "version" a questions.json must declare

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
