"""Grading a quiz answer: is the chosen option right, is the typed number within the tolerance.

The engine (quiz.py) grades every check here, and the saved-progress reader (quiz_saved.py)
regrades saved answers here to refuse a save whose verdicts do not match its answers.
Standard library only (runs in Pyodide and CPython).
"""

from __future__ import annotations

import math

import catalogue
from number_rule import plain_value
from quiz_schema import Question

MAX_ANSWER_CHARS = 40  # a longer typed answer is refused, so none longer is ever saved


def grade_option(option: int | None, question: Question) -> bool:
    """A choice or predict answer: the option (a file index) is the question's answer."""
    return option == question.answer


def parse_answer(text: str) -> tuple[float | None, str | None]:
    """A typed numeric answer: (value, None), or (None, a message for the learner).

    Plain decimals ("0.665", ".5", "-2", "1e-3"); a decimal comma ("0,665") and a typographic
    minus ("−1") are read too, in every language, since that is how many learners write them.
    The messages (catalogue quiz.number.*) state the rule with the language's own separator.
    """
    shown = text.strip()
    if not shown:
        return None, catalogue.t("quiz.number.empty")
    if len(shown) > MAX_ANSWER_CHARS:
        return None, catalogue.t("quiz.number.too_long", chars=MAX_ANSWER_CHARS)
    plain = shown.replace("\u2212", "-").replace(" ", "")
    if "," in plain and "." not in plain and plain.count(",") == 1:
        plain = plain.replace(",", ".")
    value = plain_value(plain)
    if value is None:
        return None, catalogue.t("quiz.number.not_a_number", text=shown)
    if not math.isfinite(value):
        return None, catalogue.t("quiz.number.too_large", text=shown)
    return value, None


def within_tolerance(value: float, question: Question) -> bool:
    """|value - answer_value| <= tolerance, with room for the rounding of the decimals typed."""
    assert question.answer_value is not None and question.tolerance is not None
    slack = question.tolerance * 1e-9 + 1e-12
    return abs(value - question.answer_value) <= question.tolerance + slack


def grade_number(text: str | None, question: Question) -> bool | None:
    """Whether typed text is within the tolerance; None when it is not a number."""
    value, _ = parse_answer(text or "")
    return None if value is None else within_tolerance(value, question)
