#!/usr/bin/env python3
"""Validate the quiz's question files with the validator the page uses (py/quiz/quiz_schema.py).

    python3 scripts/site/check_questions.py             every language: questions.json and
                                                        each questions.<lang>.json beside it
    python3 scripts/site/check_questions.py FILE ...    those files (make check-questions FILE=path)

A translated file (questions.<lang>.json) must also have the same questions as the English
questions.json beside it, in the same order, with the same ids, kinds, option counts, answers,
tolerances and lab controls: only the words change (quiz_schema.translation_errors), or a
learner's saved answers would mean something else in the other language.

One file: prints "OK: N questions". Several: one "FILE: OK: N questions" line each. Exits 0 when
every file is valid, else prints one line per problem and exits 1.
Standard library only: runs under a bare python3, as in the Pages workflow.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402
from scripts.site.website import QUESTION_FILES, question_files  # noqa: E402

use_page_modules()

from quiz_schema import Question, parse_questions, translation_errors  # noqa: E402

ENGLISH = "questions.json"


def read_questions(path: Path) -> tuple[list[Question], list[str]]:
    """The file's questions, or the reasons it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"Cannot read {path}: {error}"]
    return parse_questions(text)


def problems(path: Path) -> tuple[int, list[str]]:
    """(number of questions, problems) of one file; a translation is compared with English."""
    questions, errors = read_questions(path)
    if errors:
        if errors[0].startswith("Cannot read"):
            return 0, errors
        return 0, [f"{path} is not a valid question file:", *errors]
    english = path.parent / ENGLISH
    if QUESTION_FILES.fullmatch(path.name) and english.is_file():
        source, source_errors = read_questions(english)
        if source_errors:
            return 0, [f"{path} cannot be compared with {english}, which is not valid."]
        differences = translation_errors(source, questions)
        if differences:
            return 0, [f"{path} does not match the questions of {english}:", *differences]
    return len(questions), []


def all_files() -> list[Path]:
    """questions.json and every language's file beside it."""
    return [ROOT / ENGLISH, *(ROOT / name for name in question_files(ROOT))]


def main(argv: Sequence[str]) -> int:
    """Check the files named in argv (default: every language's); 0 when all are valid."""
    paths = [Path(arg) for arg in argv] if argv else all_files()
    failed = False
    for path in paths:
        count, messages = problems(path)
        for message in messages:
            print(message)
        failed = failed or bool(messages)
        if not messages:
            shown = path.relative_to(ROOT) if not argv and path.is_relative_to(ROOT) else path
            print(
                f"OK: {count} questions" if len(paths) == 1 else f"{shown}: OK: {count} questions"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
