"""The shipped questions.json and the validator that guards it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import quiz_schema
from scripts.site.check_questions import main as check_questions

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_PATH = ROOT / "questions.json"
FIXTURES = ROOT / "tests" / "fixtures"


def fixture_data(name: str = "quiz_choice.json") -> dict[str, Any]:
    """A fixture question file: the validator's tests never depend on the shipped content."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- shipped file
# Only the validator judges the shipped file: a teacher may rewrite every question.


def shipped_questions(name: str) -> list[quiz_schema.Question]:
    questions, errors = quiz_schema.parse_questions((ROOT / name).read_text(encoding="utf-8"))
    assert errors == [], name
    return questions


LANGUAGE_FILES = sorted(p.name for p in ROOT.glob("questions.*.json"))


def test_shipped_file_validates() -> None:
    """questions.json passes the validator the page and `make check-questions` use."""
    assert shipped_questions("questions.json")


def test_there_is_a_question_file_for_every_language_of_the_page() -> None:
    """English is questions.json; every other catalogue has its questions.<lang>.json."""
    catalogues = {p.stem for p in (ROOT / "assets" / "i18n").glob("*.json")} - {"en"}
    assert {f"questions.{lang}.json" for lang in catalogues} <= set(LANGUAGE_FILES)


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_every_languages_file_validates_and_keeps_the_english_questions(name: str) -> None:
    """Each translation passes the validator and differs from questions.json only in words:
    same ids in the same order, kinds, option counts, answers, tolerances, lab controls."""
    english, translated = shipped_questions("questions.json"), shipped_questions(name)
    assert quiz_schema.translation_errors(english, translated) == []
    assert check_questions([str(ROOT / name)]) == 0
    # Translated, not copied: every question's stem is in other words than English.
    assert all(a.stem != b.stem for a, b in zip(english, translated, strict=True))


def test_saved_progress_survives_a_change_of_language() -> None:
    """Progress saved with questions.json restores with every other language's file."""
    from quiz import Quiz

    english = shipped_questions("questions.json")
    game = Quiz(english, seed=5)
    game.select(game.correct_display_index())
    game.check()
    game.next()
    game.show_hint()
    saved = game.to_saved()
    for name in LANGUAGE_FILES:
        resumed, notice = Quiz.restore(saved, shipped_questions(name), seed=9)
        assert notice is None, name
        assert resumed.progress == game.progress and resumed.current == game.current == 1
        assert resumed.seed == 5 and resumed.orders == game.orders
        assert resumed.view()["hint"] == shipped_questions(name)[1].hint != english[1].hint


def translation_pair(tmp_path: Path, edit: Callable[[dict[str, Any]], Any]) -> Path:
    """questions.json (the fixture) and a questions.de.json edited by `edit`, side by side."""
    data = fixture_data("quiz_mixed.json")
    (tmp_path / "questions.json").write_text(json.dumps(data), encoding="utf-8")
    edit(data)
    translated = tmp_path / "questions.de.json"
    translated.write_text(json.dumps(data), encoding="utf-8")
    return translated


def test_a_translation_that_changes_an_answer_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A teacher's translated file must not silently differ in answers: the check names the
    question and the field, and exits 1."""

    def edit(data: dict[str, Any]) -> None:
        first = data["questions"][0]
        first["answer"] = 0 if first["answer"] else 1
        if "feedback" in first:
            first["feedback"] = [f"Rückmeldung {k}" for k in range(len(first["feedback"]))]
        data["questions"][1]["answer_value"] = 0.5
        data["questions"][2]["stem"] = "Eine andere Frage?"  # words may change

    translated = translation_pair(tmp_path, edit)
    assert check_questions([str(translated)]) == 1
    out = capsys.readouterr().out
    assert "does not match the questions of" in out
    assert 'Question 1 ("' in out and '"answer" is' in out
    assert 'Question 2 ("type-p0"): "answer_value" is 0.5 but' in out
    assert "Question 3" not in out


def test_a_translation_with_other_or_reordered_ids_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["questions"].reverse()

    assert check_questions([str(translation_pair(tmp_path, edit))]) == 1
    assert "The question ids differ from questions.json" in capsys.readouterr().out


def test_a_translation_that_only_changes_words_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(data: dict[str, Any]) -> None:
        for entry in data["questions"]:
            entry["stem"] = "Übersetzt: " + entry["stem"]

    assert check_questions([str(translation_pair(tmp_path, edit))]) == 0
    assert capsys.readouterr().out.strip() == "OK: 6 questions"


def test_every_lab_control_is_a_focusable_element_of_the_page() -> None:
    """Lab links and predict questions reach a real control (input, select or button)."""
    html = (ROOT / "index.html").read_text()
    focusable = {i for _, i in re.findall(r'<(input|select|button)\b[^>]*\bid="([^"]+)"', html)}
    assert set(quiz_schema.LAB_CONTROLS.values()) <= focusable
    assert set(quiz_schema.OBSERVE_RULES) <= set(quiz_schema.LAB_CONTROLS)


def test_editing_every_text_of_the_shipped_file_keeps_it_valid() -> None:
    """Rewritten stems, options, hints, feedback and explanations only need to validate."""
    data = json.loads(QUESTIONS_PATH.read_text(encoding="utf-8"))
    for position, entry in enumerate(data["questions"]):
        entry["stem"] = f"Edited stem {position}?"
        entry["hint"] = "Edited hint."
        entry["explanation"] = "Edited explanation."
        if "options" in entry:
            entry["options"] = [f"Edited option {k}" for k in range(len(entry["options"]))]
        if "feedback" in entry:
            entry["feedback"] = ["Edited feedback."] * len(entry["feedback"])
    assert quiz_schema.validate(data) == []


def test_observe_limits_agree_with_the_lab() -> None:
    """Every observe value the validator accepts, the lab control accepts too, and vice versa."""
    import lab

    parsers = {"shift": lab.parse_shift, "scale": lab.parse_scale, "cross-entropy": lab.parse_label}
    samples = [
        "0",
        "5",
        "-50",
        "1000",
        "-1000",
        "1000.5",
        "0.01",
        "0.009",
        "100",
        "100.1",
        "3",
        "9",
        "10",
        "-1",
        "abc",
        "1e2",
        "1e3",
        "",
        " 4 ",
        "on",
        "inf",
        "1_0",
    ]
    for control, parse in parsers.items():
        for text in samples:
            accepted = parse(text)[1] is None and text.strip() != ""
            assert quiz_schema.observe_value_ok(control, text) == accepted, (control, text)


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
    data = mutate(fixture_data())
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
    data = fixture_data()
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


def mixed_field(question_id: str, name: str, value: Any) -> Callable[[dict[str, Any]], Any]:
    def mutate(data: dict[str, Any]) -> dict[str, Any]:
        entry = next(e for e in data["questions"] if e["id"] == question_id)
        if value is DROP:
            del entry[name]
        else:
            entry[name] = value
        return data

    return mutate


DROP = object()
BAD_MIXED_FILES = [
    pytest.param(
        mixed_field("type-p0", "type", "number"),
        'Question 2 ("type-p0"): field "type" is "number"; expected one of "choice", "numeric"',
        id="unknown-type",
    ),
    pytest.param(
        mixed_field("type-p0", "answer_value", DROP),
        'Question 2 ("type-p0"): missing field "answer_value" (a numeric question needs it).',
        id="numeric-without-value",
    ),
    pytest.param(
        mixed_field("type-p0", "answer_value", "0.665"),
        'Question 2 ("type-p0"): field "answer_value" must be a number',
        id="answer-value-str",
    ),
    pytest.param(
        mixed_field("type-p0", "tolerance", DROP),
        'Question 2 ("type-p0"): missing field "tolerance"',
        id="numeric-without-tolerance",
    ),
    pytest.param(
        mixed_field("type-p0", "tolerance", 0),
        'Question 2 ("type-p0"): field "tolerance" is 0; it must be greater than 0',
        id="tolerance-zero",
    ),
    pytest.param(
        mixed_field("type-p0", "tolerance", True),
        'field "tolerance" must be a number',
        id="tolerance-bool",
    ),
    pytest.param(
        mixed_field("type-loss", "units", ""),
        'Question 4 ("type-loss"): field "units" must not be empty.',
        id="units-empty",
    ),
    pytest.param(
        mixed_field("type-p0", "options", ["a", "b"]),
        'Question 2 ("type-p0"): field "options" does not apply to a numeric question',
        id="options-on-numeric",
    ),
    pytest.param(
        mixed_field("pick-sum", "tolerance", 0.1),
        'Question 1 ("pick-sum"): field "tolerance" does not apply to a choice question '
        '(it belongs to "type": "numeric").',
        id="numeric-field-without-type",
    ),
    pytest.param(
        mixed_field("predict-sharpen", "observe", DROP),
        'Question 3 ("predict-sharpen"): missing field "observe" (a predict question needs it).',
        id="predict-without-observe",
    ),
    pytest.param(
        mixed_field("predict-sharpen", "observe", "scale 5"),
        'Question 3 ("predict-sharpen"): field "observe" must be an object such as',
        id="observe-not-object",
    ),
    pytest.param(
        mixed_field("predict-sharpen", "observe", {"control": "temperature", "value": "5"}),
        'Question 3 ("predict-sharpen"): field "observe": "control" is "temperature"; expected',
        id="observe-unknown-control",
    ),
    pytest.param(
        mixed_field("predict-sharpen", "observe", {"control": "scale", "value": "0"}),
        'Question 3 ("predict-sharpen"): field "observe": "value" for "scale" must be a decimal '
        'number from 0.01 to 100 (the scale α), got "0".',
        id="observe-scale-zero",
    ),
    pytest.param(
        mixed_field("predict-sharpen", "observe", {"control": "shift", "value": 5000}),
        'field "observe": "value" for "shift" must be a decimal number from -1000 to 1000',
        id="observe-shift-too-big",
    ),
    pytest.param(
        mixed_field("predict-zero", "observe", {"control": "zero-logits", "value": "off"}),
        'Question 5 ("predict-zero"): field "observe": "value" for "zero-logits" must be "on"',
        id="observe-zero-off",
    ),
    pytest.param(
        mixed_field("predict-zero", "observe", {"control": "cross-entropy"}),
        'Question 5 ("predict-zero"): field "observe" is missing "value".',
        id="observe-without-value",
    ),
    pytest.param(
        mixed_field("predict-zero", "observe", {"control": "zero-logits", "value": "on", "x": 1}),
        'field "observe" has an unknown key "x".',
        id="observe-unknown-key",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), BAD_MIXED_FILES)
def test_bad_numeric_or_predict_question_is_rejected_naming_question_and_field(
    mutate: Callable[[dict[str, Any]], Any], expected: str
) -> None:
    """Numeric and predict mistakes name the question and the field, and say what would do."""
    errors = quiz_schema.validate(mutate(fixture_data("quiz_mixed.json")))
    assert any(expected in message for message in errors), errors


def test_observe_values_may_be_json_numbers_and_become_control_text() -> None:
    """{"value": 5} is read as the text "5" the control would hold; 0.5 stays "0.5"."""
    data = fixture_data("quiz_mixed.json")
    data["questions"][2]["observe"] = {"control": "scale", "value": 0.5}
    data["questions"][4]["observe"] = {"control": "cross-entropy", "value": 3}
    questions, errors = quiz_schema.parse_questions(json.dumps(data))
    assert errors == []
    assert questions[2].observe == ("scale", "0.5") and questions[4].observe == (
        "cross-entropy",
        "3",
    )


def test_fixture_files_are_valid() -> None:
    """The engine tests' fixture files pass the validator."""
    for path in FIXTURES.glob("*.json"):
        assert quiz_schema.parse_questions(path.read_text("utf-8"))[1] == [], path.name


# --------------------------------------------------------------------------- command line


def test_cli_accepts_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    """`check_questions.py FILE` prints "OK: N questions" and exits 0."""
    assert check_questions([str(FIXTURES / "quiz_mixed.json")]) == 0
    assert capsys.readouterr().out == "OK: 6 questions\n"


def test_cli_lists_problems_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad file makes the command print each problem and exit 1."""
    data = fixture_data()
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


def test_cli_runs_as_a_script_on_every_languages_file() -> None:
    """The documented command works as written from the repository root: with no file named it
    checks questions.json and every questions.<lang>.json, one line each."""
    result = subprocess.run(
        [sys.executable, "scripts/site/check_questions.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    names = ["questions.json", *sorted(p.name for p in ROOT.glob("questions.*.json"))]
    assert len(names) >= 3  # English, Spanish, German
    assert [line.split(":")[0] for line in lines] == names
    assert all(re.fullmatch(r"[a-z.]+: OK: [0-9]+ questions", line) for line in lines)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_check_questions_fails_on_an_invalid_file_with_the_validators_message(
    tmp_path: Path,
) -> None:
    """`make check-questions FILE=bad.json` exits non-zero and prints the validator's message."""
    data = fixture_data("quiz_mixed.json")
    data["questions"][1]["tolerance"] = -1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run(
        ["make", "--no-print-directory", "check-questions", f"FILE={bad}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert 'Question 2 ("type-p0"): field "tolerance" is -1; it must be greater than 0' in (
        result.stdout
    )
    good = subprocess.run(
        ["make", "--no-print-directory", "check-questions", f"FILE={FIXTURES / 'quiz_mixed.json'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert good.returncode == 0 and good.stdout.strip() == "OK: 6 questions"


def test_pages_workflow_checks_the_questions_before_building() -> None:
    """The deploy workflow runs the validator on every language's question file (no file named)
    before it builds the site."""
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    check = workflow.find("run: python3 scripts/site/check_questions.py\n")
    assert 0 <= check < workflow.find("scripts/site/build_site.py")
