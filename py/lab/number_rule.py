"""What counts as a number typed on the page, and the text a number is shown as.

One rule for every number a learner types (the lab's shift and scale fields, their links, the
quiz's numeric answers) and for the lab values a question file gives: plain ASCII decimal
notation. Python's float() would also take "1_000", "٣" or "inf", and JavaScript's Number()
"0x10": the field and the slider must agree on what a number is, so neither decides alone.
The ranges of the lab's two number fields live here too, since question files must keep to them.

Standard library only: quiz_schema.py uses it under a bare `python3`
(scripts/site/check_questions.py).
"""

from __future__ import annotations

import math
import re

NUMBER_RULE = "a plain decimal number such as 2.5, -1 or 1e-2"
PLAIN_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")

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


def parse_number(text: str, name: str) -> tuple[float | None, str | None]:
    """(value, None) for a finite plain decimal, else (None, a message naming the field `name`
    and stating the rule)."""
    value = plain_value(str(text))
    if value is None:
        return None, f"{name} must be {NUMBER_RULE} (got “{text}”)."
    if not math.isfinite(value):
        return None, f"{name} must be a finite number."
    return value, None
