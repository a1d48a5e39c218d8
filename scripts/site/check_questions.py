#!/usr/bin/env python3
"""Validate a quiz question file with the same validator the page uses (py/quiz/quiz_schema.py).

    python3 scripts/site/check_questions.py [questions.json]      (make check-questions FILE=path)

Prints "OK: N questions" and exits 0, or prints one line per problem and exits 1.
Standard library only: runs under a bare python3, as in the Pages workflow.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402

use_page_modules()

from quiz_schema import parse_questions  # noqa: E402


def main(argv: Sequence[str]) -> int:
    """Check the file named in argv (default questions.json); 0 when valid, 1 when not."""
    if len(argv) > 1:
        print("usage: python3 scripts/site/check_questions.py [QUESTIONS_JSON]", file=sys.stderr)
        return 2
    path = argv[0] if argv else "questions.json"
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError) as error:
        print(f"Cannot read {path}: {error}")
        return 1
    questions, errors = parse_questions(text)
    if errors:
        print(f"{path} is not a valid question file:")
        for message in errors:
            print(message)
        return 1
    print(f"OK: {len(questions)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
