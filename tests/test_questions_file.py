"""The shipped questions.json and the validator that guards it."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import quiz_schema
from scripts.check_questions import main as check_questions

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_PATH = ROOT / "questions.json"

EXPECTED_STEMS = [
    "Softmax is unchanged when you add the same constant to every logit because:",
    "The argmax prediction after softmax is unchanged if you:",
    "The cross-entropy gradient with respect to the logits pushes the model to:",
    "Softmax applied to the all-zero logit vector (length K) gives:",
]
EXPECTED_LAB_CONTROLS = ["shift", "scale", "cross-entropy", "zero-logits"]


def shipped_data() -> dict[str, Any]:
    return json.loads(QUESTIONS_PATH.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- shipped file


def test_shipped_file_validates_with_four_questions() -> None:
    """questions.json parses with no errors and holds exactly four questions."""
    questions, errors = quiz_schema.parse_questions(QUESTIONS_PATH.read_text(encoding="utf-8"))
    assert errors == []
    assert len(questions) == 4


def test_shipped_stems_are_exactly_the_lesson_stems() -> None:
    """The four stems match the brief word for word and in order."""
    assert [q["stem"] for q in shipped_data()["questions"]] == EXPECTED_STEMS


def test_shipped_questions_have_four_options_and_one_valid_answer() -> None:
    """Each question has four distinct options and an in-range integer answer."""
    for entry in shipped_data()["questions"]:
        assert len(entry["options"]) == 4
        assert quiz_schema.is_json_int(entry["answer"]) and 0 <= entry["answer"] < 4
        normalised = {quiz_schema.normalise_option(option) for option in entry["options"]}
        assert len(normalised) == 4


def test_shipped_answers_are_not_all_at_the_same_index() -> None:
    """The correct option sits at different positions in the file, so order gives nothing away."""
    assert len({entry["answer"] for entry in shipped_data()["questions"]}) > 1


def test_shipped_lab_controls_link_to_the_matching_lab_element() -> None:
    """Each question links to its own lab control, and every control maps to a page element."""
    entries = shipped_data()["questions"]
    assert [entry["lab_control"] for entry in entries] == EXPECTED_LAB_CONTROLS
    page_ids = set(re.findall(r'\bid="([^"]+)"', (ROOT / "index.html").read_text()))
    missing = {c: i for c, i in quiz_schema.LAB_CONTROLS.items() if i not in page_ids}
    assert missing == {}, "lab links that would lead to no element on the page"
    focusable = re.findall(
        r'<(input|select|button)\b[^>]*\bid="([^"]+)"', (ROOT / "index.html").read_text()
    )
    controls = set(quiz_schema.LAB_CONTROLS.values())
    assert controls <= {i for _, i in focusable}, "links focus a control"


def test_shipped_questions_have_hint_explanation_and_distractor_feedback() -> None:
    """Hints follow the card's style, and every distractor explains why it is wrong."""
    for entry in shipped_data()["questions"]:
        assert entry["hint"].startswith("Skim the paragraph on ")
        assert entry["hint"].endswith(
            "Eliminate options that contradict a definition stated in the lesson."
        )
        assert entry["explanation"].strip()
        for index, text in enumerate(entry["feedback"]):
            if index != entry["answer"]:
                assert text.strip()


def test_shipped_ids_are_unique_slugs() -> None:
    """Ids are unique lowercase slugs (they seed the shuffle and key saved progress)."""
    ids = [entry["id"] for entry in shipped_data()["questions"]]
    assert len(set(ids)) == len(ids)
    assert all(quiz_schema.ID_PATTERN.fullmatch(qid) for qid in ids)


# --------------------------------------------------------------------------- bad files


def set_field(position: int, name: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    def mutate(data: dict[str, Any]) -> dict[str, Any]:
        data["questions"][position][name] = value
        return data

    return mutate


def drop_field(position: int, name: str) -> Callable[[dict[str, Any]], Any]:
    def mutate(data: dict[str, Any]) -> dict[str, Any]:
        del data["questions"][position][name]
        return data

    return mutate


def set_top(name: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    def mutate(data: dict[str, Any]) -> dict[str, Any]:
        data[name] = value
        return data

    return mutate


def drop_top(name: str) -> Callable[[dict[str, Any]], Any]:
    def mutate(data: dict[str, Any]) -> dict[str, Any]:
        del data[name]
        return data

    return mutate


def duplicate_first_id(data: dict[str, Any]) -> dict[str, Any]:
    data["questions"][1]["id"] = data["questions"][0]["id"]
    return data


def one_option_only(data: dict[str, Any]) -> dict[str, Any]:
    entry = data["questions"][0]
    entry["options"] = entry["options"][:1]
    entry["answer"] = 0
    del entry["feedback"]
    return data


def duplicate_option_ignoring_case_and_spaces(data: dict[str, Any]) -> dict[str, Any]:
    options = data["questions"][1]["options"]
    options[3] = "  " + options[0].upper().replace(" ", "   ") + " "
    return data


def empty_distractor_feedback(data: dict[str, Any]) -> dict[str, Any]:
    entry = data["questions"][1]  # answer is 0, so entry 2 is a distractor
    entry["feedback"][2] = "   "
    return data


BAD_FILES = [
    pytest.param(lambda data: [], "must hold a JSON object", id="not-an-object"),
    pytest.param(drop_top("questions"), 'Missing field "questions"', id="missing-questions"),
    pytest.param(set_top("questions", {}), 'Field "questions" must be a list', id="questions-type"),
    pytest.param(set_top("questions", []), "at least one question", id="no-questions"),
    pytest.param(drop_top("version"), 'Missing field "version"', id="missing-version"),
    pytest.param(set_top("version", 2), "Unsupported version 2", id="unsupported-version"),
    pytest.param(
        set_top("version", "1"), 'Field "version" must be the integer 1', id="version-str"
    ),
    pytest.param(set_top("title", "x"), 'Unknown top-level field "title"', id="unknown-top-level"),
    pytest.param(
        lambda data: {**data, "questions": ["q"]},
        "Question 1: must be an object, got a string",
        id="question-not-object",
    ),
    pytest.param(
        drop_field(0, "stem"),
        'Question 1 ("shift-invariance"): missing field "stem"',
        id="missing-stem",
    ),
    pytest.param(drop_field(1, "id"), 'Question 2: missing field "id"', id="missing-id"),
    pytest.param(
        drop_field(2, "explanation"),
        'Question 3 ("cross-entropy-gradient"): missing field "explanation"',
        id="missing-explanation",
    ),
    pytest.param(
        set_field(0, "feedbak", []),
        'Question 1 ("shift-invariance"): unknown field "feedbak"',
        id="unknown-field",
    ),
    pytest.param(
        set_field(0, "stem", 7),
        'Question 1 ("shift-invariance"): field "stem" must be a string, got an integer',
        id="stem-type",
    ),
    pytest.param(
        set_field(3, "hint", " \n\t"),
        'Question 4 ("zero-logits"): field "hint" must not be empty',
        id="hint-whitespace",
    ),
    pytest.param(
        set_field(1, "id", 12),
        'Question 2: field "id" must be a string, got an integer',
        id="id-type",
    ),
    pytest.param(
        set_field(1, "id", "Argmax Scaling"),
        'field "id" must be lowercase letters',
        id="id-not-slug",
    ),
    pytest.param(duplicate_first_id, 'duplicate id "shift-invariance"', id="duplicate-id"),
    pytest.param(
        set_field(0, "options", "a, b, c"),
        'Question 1 ("shift-invariance"): field "options" must be a list of strings',
        id="options-type",
    ),
    pytest.param(
        one_option_only,
        'field "options" must have at least 2 options, got 1',
        id="too-few-options",
    ),
    pytest.param(
        set_field(2, "options", ["a", "", "c", "d"]),
        'Question 3 ("cross-entropy-gradient"): option 1 must not be empty',
        id="empty-option",
    ),
    pytest.param(
        set_field(2, "options", ["a", None, "c", "d"]),
        "option 1 must be a string, got null",
        id="option-type",
    ),
    pytest.param(
        duplicate_option_ignoring_case_and_spaces,
        'Question 2 ("argmax-scaling"): options 0 and 3 are the same',
        id="duplicate-options",
    ),
    pytest.param(
        set_field(0, "answer", True),
        'Question 1 ("shift-invariance"): field "answer" must be an integer',
        id="answer-bool",
    ),
    pytest.param(set_field(0, "answer", 1.0), "got a number", id="answer-float"),
    pytest.param(set_field(0, "answer", "2"), "got a string", id="answer-str"),
    pytest.param(
        set_field(3, "answer", 4),
        'Question 4 ("zero-logits"): field "answer" is 4, out of range',
        id="answer-too-big",
    ),
    pytest.param(
        set_field(3, "answer", -1), 'field "answer" is -1, out of range', id="answer-negative"
    ),
    pytest.param(
        set_field(1, "lab_control", "slider"),
        'Question 2 ("argmax-scaling"): field "lab_control" is "slider"; expected one of',
        id="unknown-lab-control",
    ),
    pytest.param(
        set_field(1, "lab_control", None),
        'field "lab_control" is null; expected one of',
        id="lab-control-type",
    ),
    pytest.param(
        set_field(0, "feedback", ["a", "b", "c"]),
        'field "feedback" has 3 entries but there are 4 options',
        id="feedback-length",
    ),
    pytest.param(
        set_field(0, "feedback", "nice"),
        'field "feedback" must be a list of strings',
        id="feedback-type",
    ),
    pytest.param(
        empty_distractor_feedback,
        'Question 2 ("argmax-scaling"): feedback 2 must not be empty',
        id="feedback-empty-distractor",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), BAD_FILES)
def test_bad_file_is_rejected_with_a_message_naming_the_problem(
    mutate: Callable[[dict[str, Any]], Any], expected: str
) -> None:
    """Each kind of broken file yields an error that names the question and the field."""
    data = mutate(copy.deepcopy(shipped_data()))
    errors = quiz_schema.validate(data)
    assert any(expected in message for message in errors), errors
    questions, parse_errors = quiz_schema.parse_questions(json.dumps(data))
    assert questions == [] and parse_errors == errors


def test_invalid_json_reports_line_and_column() -> None:
    """Malformed JSON is reported with its line and column, not a traceback."""
    questions, errors = quiz_schema.parse_questions('{\n  "version": 1,\n  "questions": [,]\n}')
    assert questions == []
    assert len(errors) == 1
    assert errors[0].startswith("Invalid JSON at line 3, column 17:")


@pytest.mark.parametrize("text", ["", "[" * 100_000, "1" * 5000])
def test_unparseable_text_is_reported_not_raised(text: str) -> None:
    """Empty text, absurd nesting and over-long numbers give a message, never an exception."""
    questions, errors = quiz_schema.parse_questions(text)
    assert questions == [] and len(errors) == 1 and errors[0].startswith("Invalid JSON")


def test_every_problem_is_reported_at_once() -> None:
    """Several problems in different questions all appear, so one run fixes the whole file."""
    data = shipped_data()
    data["questions"][0]["answer"] = 9
    data["questions"][3]["lab_control"] = "temperature"
    errors = quiz_schema.validate(data)
    assert len(errors) == 2
    assert errors[0].startswith('Question 1 ("shift-invariance")')
    assert errors[1].startswith('Question 4 ("zero-logits")')


def test_minimal_two_option_question_without_feedback_is_valid() -> None:
    """Feedback is optional and two options are enough; the correct feedback may be empty."""
    entry = {
        "id": "tiny",
        "stem": "Softmax outputs sum to:",
        "options": ["1", "0"],
        "answer": 0,
        "hint": "Skim the paragraph on outputs.",
        "explanation": "They form a distribution.",
        "lab_control": "zero-logits",
    }
    assert quiz_schema.validate({"version": 1, "questions": [entry]}) == []
    entry["feedback"] = ["", "They are non-negative and sum to 1."]
    assert quiz_schema.validate({"version": 1, "questions": [entry]}) == []


# --------------------------------------------------------------------------- command line


def test_cli_accepts_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    """`check_questions.py questions.json` prints "OK: 4 questions" and exits 0."""
    assert check_questions([str(QUESTIONS_PATH)]) == 0
    assert capsys.readouterr().out == "OK: 4 questions\n"


def test_cli_lists_problems_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad file makes the command print each problem and exit 1."""
    data = shipped_data()
    data["questions"][2]["answer"] = False
    bad = tmp_path / "questions.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert check_questions([str(bad)]) == 1
    out = capsys.readouterr().out
    assert 'Question 3 ("cross-entropy-gradient"): field "answer" must be an integer' in out


def test_cli_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file is a readable message and exit 1, not a traceback."""
    assert check_questions([str(tmp_path / "nope.json")]) == 1
    assert "Cannot read" in capsys.readouterr().out


def test_cli_runs_as_a_script() -> None:
    """The documented command works as written from the repository root."""
    result = subprocess.run(
        [sys.executable, "scripts/check_questions.py", "questions.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "OK: 4 questions"
