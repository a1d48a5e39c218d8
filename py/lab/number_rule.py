"""What counts as a number typed on the page, and the text a number is shown as.

One rule for every number a learner types (the lab's shift and scale fields, their links, the
nudge's epsilon, the quiz's numeric answers) and for the lab values a question file gives:
plain ASCII decimal notation (`plain_value`). Python's float() would also take "1_000", "٣" or
"inf", and JavaScript's Number() "0x10": the field and the slider must agree on what a number
is, so neither decides alone. The ranges of the lab's two number fields live here too, since
question files must keep to them.

What a learner types into a field (`typed_value`, `parse_number`: the lab's fields and links,
the nudge's epsilon) may also use a decimal comma, in every language (py/lab/catalogue.py):
"0,5" and "0.5" are both 0.5. The language's own decimal separator ("." in English, "," in
German and Spanish) is always read as one. The other mark is read as one too, unless the number
could be written with a thousands separator: a whole part of one to three digits, not starting
with 0, then that mark and exactly three digits ("1,000" in English, "1.000" in German or
Spanish). Those are refused as ambiguous, with a message giving both readings; no thousands
separator is ever read. A question file and a link the page makes hold plain decimals only
(`plain_value`, `format_number`): machines read them.

Standard library only: quiz_schema.py uses it under a bare `python3`
(scripts/site/check_questions.py).
"""

from __future__ import annotations

import math
import re

import catalogue

PLAIN_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
# A number that a thousands separator could have written: 1,000 / -12.500 (never 0,500).
GROUPED = re.compile(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")

SHIFT_LIMIT = 1000.0  # beyond this, float64 rounding of z + c starts to show in the probabilities
SCALE_MIN, SCALE_MAX = 0.01, 100.0


def format_number(value: float) -> str:
    """The shortest text that reads back as exactly this float: 3.0 -> "3", 0.1 -> "0.1"."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def plain_value(text: str) -> float | None:
    """The float that plain decimal `text` spells (spaces around it ignored), or None when the
    text is anything else. Too many digits of exponent read as ±inf: callers refuse that."""
    text = text.strip()
    if not PLAIN_DECIMAL.fullmatch(text):
        return None
    return float(text) + 0.0  # + 0.0 turns -0 into 0


def rule() -> str:
    """The number rule in the language shown, as the messages state it: "a plain decimal number
    such as 2.5, -1 or 1e-2" in English."""
    return catalogue.t("lab.number.rule")


def typed_value(text: str) -> tuple[float | None, bool]:
    """What a learner typed, read by the rule above: (value, False), or (None, True) when it
    could be a thousands separator, or (None, False) when it is no number. ±inf as plain_value."""
    text = text.strip()
    own = catalogue.decimal(".")  # the language's decimal separator
    marks = [ch for ch in text if ch in ".,"]
    if len(marks) == 1 and marks[0] != own and GROUPED.fullmatch(text):
        return None, True
    if len(marks) > 1:
        return None, False
    return plain_value(text.replace(",", ".")), False


def parse_number(text: str, name: str) -> tuple[float | None, str | None]:
    """(value, None) for a finite number as typed (typed_value), else (None, a message in the
    language shown, naming the field `name` and stating the rule)."""
    text = str(text)
    value, grouped = typed_value(text)
    if grouped:
        plain = text.strip().replace(",", ".")
        return None, catalogue.t(
            "lab.number.grouped",
            name=name,
            text=text.strip(),
            whole=plain.replace(".", ""),
            decimal=catalogue.decimal(format_number(float(plain))),
        )
    if value is None:
        return None, catalogue.t("lab.number.not_a_number", name=name, rule=rule(), text=text)
    if not math.isfinite(value):
        return None, catalogue.t("lab.number.not_finite", name=name)
    return value, None
