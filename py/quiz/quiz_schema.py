"""Quiz question files: the Question record, the validator, parsing and the fingerprint.

Standard library only, so the same module runs in Pyodide (in the page), in CPython (tests) and
under a bare `python3` (scripts/site/check_questions.py, the Pages workflow). The engine is quiz.py;
answers are graded in quiz_grade.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from number_rule import SCALE_MAX, SCALE_MIN, SHIFT_LIMIT, format_number, plain_value

QUESTIONS_VERSION = 1  # the "version" a questions.json must declare

# lab_control value -> id of the page element it links to
LAB_CONTROLS: dict[str, str] = {
    "shift": "shift",
    "scale": "scale",
    "cross-entropy": "true-label",
    "zero-logits": "zero-logits",
}

# Question kinds ("type" in the file; "choice" when absent) and the fields each one takes.
CHOICE = "choice"  # pick one option
NUMERIC = "numeric"  # type a number, graded within a tolerance
PREDICT = "predict"  # pick what will happen, then the page sets a lab control to show it
KINDS = (CHOICE, NUMERIC, PREDICT)
COMMON_FIELDS = ("id", "stem", "hint", "explanation", "lab_control")
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    CHOICE: ("options", "answer"),
    NUMERIC: ("answer_value", "tolerance"),
    PREDICT: ("options", "answer", "observe"),
}
KIND_OPTIONAL: dict[str, tuple[str, ...]] = {
    CHOICE: ("feedback",),
    NUMERIC: ("units", "too_low", "too_high"),
    PREDICT: ("feedback",),
}
KIND_FIELDS = {kind: KIND_REQUIRED[kind] + KIND_OPTIONAL[kind] for kind in KINDS}
ALL_FIELDS = ("type", *COMMON_FIELDS, *dict.fromkeys(f for k in KINDS for f in KIND_FIELDS[k]))
TEXT_FIELDS = ("stem", "hint", "explanation")
OPTIONAL_TEXT_FIELDS = ("units", "too_low", "too_high")
TOP_LEVEL_FIELDS = ("version", "questions")
MIN_OPTIONS = 2
# ids end up in saved progress and the shuffle seed, so keep them to simple slugs
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# What a predict question may set in the lab ("observe": {"control": ..., "value": ...}): the
# values the lab's own controls accept (py/lab/number_rule.py; tests/test_questions_file.py checks).
OBSERVE_KEYS = ("control", "value")
OBSERVE_RULES = {
    "shift": f"a decimal number from -{SHIFT_LIMIT:g} to {SHIFT_LIMIT:g} (the shift c)",
    "scale": f"a decimal number from {SCALE_MIN:g} to {SCALE_MAX:g} (the scale α)",
    "cross-entropy": 'a digit "0" to "9" (the true label)',
    "zero-logits": '"on" (press the all-zero button)',
}


@dataclass(frozen=True)
class Question:
    """One validated question. For choice and predict questions `answer` indexes `options` in
    file order; numeric questions have no options and are graded by `answer_value` ±
    `tolerance`. `observe` is the (control, value) a predict question sets in the lab."""

    id: str
    stem: str
    hint: str
    explanation: str
    lab_control: str
    kind: str = CHOICE
    options: tuple[str, ...] = ()
    answer: int | None = None
    feedback: tuple[str, ...] | None = None
    answer_value: float | None = None
    tolerance: float | None = None
    units: str | None = None
    too_low: str | None = None
    too_high: str | None = None
    observe: tuple[str, str] | None = None

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> Question:
        """Build from a question object that `validate` has accepted."""
        feedback = entry.get("feedback")
        observe = entry.get("observe")
        return cls(
            id=entry["id"],
            stem=entry["stem"],
            hint=entry["hint"],
            explanation=entry["explanation"],
            lab_control=entry["lab_control"],
            kind=entry.get("type", CHOICE),
            options=tuple(entry.get("options", ())),
            answer=entry.get("answer"),
            feedback=None if feedback is None else tuple(feedback),
            answer_value=entry.get("answer_value"),
            tolerance=entry.get("tolerance"),
            units=entry.get("units"),
            too_low=entry.get("too_low"),
            too_high=entry.get("too_high"),
            observe=None
            if observe is None
            else (observe["control"], observe_value_text(observe["value"])),
        )

    def to_dict(self) -> dict[str, Any]:
        """The question as it appears in questions.json (observe values as text)."""
        entry: dict[str, Any] = {} if self.kind == CHOICE else {"type": self.kind}
        entry.update(
            id=self.id,
            stem=self.stem,
            hint=self.hint,
            explanation=self.explanation,
            lab_control=self.lab_control,
        )
        optional = {
            "options": list(self.options) if self.kind != NUMERIC else None,
            "answer": self.answer,
            "feedback": None if self.feedback is None else list(self.feedback),
            "answer_value": self.answer_value,
            "tolerance": self.tolerance,
            "units": self.units,
            "too_low": self.too_low,
            "too_high": self.too_high,
            "observe": None
            if self.observe is None
            else {"control": self.observe[0], "value": self.observe[1]},
        }
        entry.update({name: value for name, value in optional.items() if value is not None})
        return entry


def observe_value_text(value: Any) -> str:
    """An observe value as the text typed into the lab control: 5 -> "5", 0.5 -> "0.5"."""
    return value.strip() if isinstance(value, str) else format_number(value)


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


def question_kind(entry: dict[str, Any]) -> str | None:
    """The question's kind, or None when its "type" is unusable (kind_errors says why)."""
    kind = entry.get("type", CHOICE)
    return kind if isinstance(kind, str) and kind in KINDS else None


def question_errors(entry: Any, position: int) -> list[str]:
    """Every problem with one question object, each message naming the question."""
    label = question_label(entry, position)
    if not isinstance(entry, dict):
        return [f"{label}: must be an object, got {json_type_name(entry)}."]
    kind = question_kind(entry)
    errors = kind_errors(entry)
    required = COMMON_FIELDS + (KIND_REQUIRED[kind] if kind else ())
    errors += [f'missing field "{name}"{for_kind(kind)}.' for name in required if name not in entry]
    errors += field_name_errors(entry, kind)
    errors += id_errors(entry)
    for name in TEXT_FIELDS:
        if name in entry:
            problem = text_error(entry[name], f'field "{name}"')
            errors += [problem] if problem else []
    if kind in (CHOICE, PREDICT):
        errors += options_errors(entry)
        errors += answer_errors(entry)
        errors += feedback_errors(entry)
    if kind == PREDICT:
        errors += observe_errors(entry)
    if kind == NUMERIC:
        errors += numeric_errors(entry)
    errors += lab_control_errors(entry)
    return [f"{label}: {message}" for message in errors]


def for_kind(kind: str | None) -> str:
    return f" (a {kind} question needs it)" if kind and kind != CHOICE else ""


def kind_errors(entry: dict[str, Any]) -> list[str]:
    if "type" not in entry or question_kind(entry):
        return []
    kind = entry["type"]
    shown = json.dumps(kind) if isinstance(kind, str) else json_type_name(kind)
    expected = ", ".join(f'"{name}"' for name in KINDS)
    return [f'field "type" is {shown}; expected one of {expected} (or leave it out for "choice").']


def field_name_errors(entry: dict[str, Any], kind: str | None) -> list[str]:
    """Unknown fields are usually typos; a field of another kind usually a missing "type"."""
    errors = []
    for name in entry:
        if name not in ALL_FIELDS:
            errors.append(f'unknown field "{name}".')
        elif kind and name not in ("type", *COMMON_FIELDS, *KIND_FIELDS[kind]):
            owners = " or ".join(f'"{k}"' for k in KINDS if name in KIND_FIELDS[k])
            errors.append(
                f'field "{name}" does not apply to a {kind} question '
                f'(it belongs to "type": {owners}).'
            )
    return errors


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


def is_json_number(value: Any) -> bool:
    """An integer or a finite float; never a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or value == value and abs(value) != float("inf")


def numeric_errors(entry: dict[str, Any]) -> list[str]:
    errors = []
    if "answer_value" in entry and not is_json_number(entry["answer_value"]):
        errors.append(
            'field "answer_value" must be a number (the correct answer, e.g. 0.665), '
            f"got {json_type_name(entry['answer_value'])}."
        )
    if "tolerance" in entry:
        tolerance = entry["tolerance"]
        if not is_json_number(tolerance):
            errors.append(
                'field "tolerance" must be a number (how far from "answer_value" an answer may '
                f"be and still count, e.g. 0.005), got {json_type_name(tolerance)}."
            )
        elif tolerance <= 0:
            errors.append(
                f'field "tolerance" is {tolerance}; it must be greater than 0 (typed answers are '
                "rounded, so an exact match would almost never count)."
            )
    for name in OPTIONAL_TEXT_FIELDS:
        if name in entry:
            problem = text_error(entry[name], f'field "{name}"')
            errors += [problem] if problem else []
    return errors


def observe_errors(entry: dict[str, Any]) -> list[str]:
    """`observe` is {"control": one of OBSERVE_RULES, "value": text (or a number) it accepts}."""
    if "observe" not in entry:
        return []
    observe = entry["observe"]
    example = '{"control": "scale", "value": "5"}'
    if not isinstance(observe, dict):
        return [
            f'field "observe" must be an object such as {example}, got {json_type_name(observe)}.'
        ]
    errors = [f'field "observe" is missing "{key}".' for key in OBSERVE_KEYS if key not in observe]
    errors += [
        f'field "observe" has an unknown key "{key}".' for key in observe if key not in OBSERVE_KEYS
    ]
    control = observe.get("control")
    if "control" in observe and control not in OBSERVE_RULES:
        shown = json.dumps(control) if isinstance(control, str) else json_type_name(control)
        expected = ", ".join(f'"{name}"' for name in OBSERVE_RULES)
        errors.append(f'field "observe": "control" is {shown}; expected one of {expected}.')
    elif "value" in observe and control in OBSERVE_RULES:
        value = observe["value"]
        if not observe_value_ok(control, value):
            shown = (
                json.dumps(value) if isinstance(value, str | int | float) else json_type_name(value)
            )
            errors.append(
                f'field "observe": "value" for "{control}" must be {OBSERVE_RULES[control]}, '
                f"got {shown}."
            )
    return errors


def observe_value_ok(control: str, value: Any) -> bool:
    """Whether the lab control accepts `value` (text, or a JSON number for the number fields)."""
    if control == "zero-logits":
        return isinstance(value, str) and value.strip() == "on"
    if control == "cross-entropy":
        text = observe_value_text(value) if is_json_int(value) else value
        return isinstance(text, str) and len(text.strip()) == 1 and text.strip() in "0123456789"
    if is_json_number(value):
        text = observe_value_text(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return False
    number = plain_value(text)
    if number is None:
        return False
    if control == "shift":
        return abs(number) <= SHIFT_LIMIT
    return SCALE_MIN <= number <= SCALE_MAX


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


def question_structure(question: Question) -> dict[str, Any]:
    """What a question is, apart from its words: the same in every language's file (the id,
    the kind, how many options, the answer, the tolerance, what it sets in the lab)."""
    return {
        "id": question.id,
        "kind": question.kind,
        "options": len(question.options),
        "answer": question.answer,
        "answer_value": question.answer_value,
        "tolerance": question.tolerance,
        "observe": None if question.observe is None else list(question.observe),
        "lab_control": question.lab_control,
    }


def questions_fingerprint(questions: Sequence[Question]) -> str:
    """sha256 of the questions' structure (never their words); saved progress is tied to it, so
    progress survives a change of language (questions.<lang>.json has the same structure) and a
    reworded question, never a changed answer or option count."""
    return sha256_json([question_structure(question) for question in questions])


def text_fingerprint(questions: Sequence[Question]) -> str:
    """sha256 of the whole questions, words included: how saves were tied to their questions
    before the question files had languages (quiz.py still accepts such a save)."""
    return sha256_json([question.to_dict() for question in questions])


def sha256_json(value: Any) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def translation_errors(english: Sequence[Question], other: Sequence[Question]) -> list[str]:
    """How a translated question file differs from the English one in anything but its words:
    a translation must keep each question's id, kind, option count, answer, tolerance and lab
    control, in the same order, or a learner's saved answers would mean something else."""
    if [q.id for q in english] != [q.id for q in other]:
        return [
            "The question ids differ from questions.json (they must be the same, in the same "
            f"order): {[q.id for q in other]} instead of {[q.id for q in english]}."
        ]
    errors = []
    for position, (source, translated) in enumerate(zip(english, other, strict=True), start=1):
        was, now = question_structure(source), question_structure(translated)
        for name, value in was.items():
            if now[name] != value:
                label = f'Question {position} ("{source.id}")'
                errors.append(
                    f'{label}: "{name}" is {json.dumps(now[name])} but {json.dumps(value)} in '
                    "questions.json; a translation changes only the words."
                )
        if (source.feedback is None) != (translated.feedback is None):
            errors.append(
                f'Question {position} ("{source.id}"): "feedback" must be given in both files '
                "or in neither."
            )
        for name in OPTIONAL_TEXT_FIELDS:
            if (getattr(source, name) is None) != (getattr(translated, name) is None):
                errors.append(
                    f'Question {position} ("{source.id}"): "{name}" must be given in both files '
                    "or in neither."
                )
    return errors
