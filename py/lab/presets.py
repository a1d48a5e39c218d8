"""Presets (ready-made examples for the lab) and links that open a lab state.

The presets live in one data file, assets/presets.json: {"presets": [preset, ...]}. A preset is

    name     lowercase letters, digits and hyphens, unique: what a link's `sample=` names
    title    the button's text (short)
    prompt   one line shown once it is loaded: what to try with it
    label    optional: the true digit 0..9 (the lab's cross-entropy label; none when absent)

and exactly one of

    strokes  pen strokes on the 280x280 pad, [[[x, y], ...], ...]: replayed onto the pad, so the
             page's own preprocessing runs (a dot gets the "too small" note)
    pixels   a ready-made 28x28 digit: 28 rows of 56 hex digits (one byte, 00..ff, per pixel)
             that the network reads as is; `mnist_test_index` says where it comes from
             (scripts/model/make_presets.py copies it from the shipped held-out digits)

A bad preset is left out with a message naming it; the others still load. Links carry the state
in the query: `sample` (a preset name), `alpha`, `shift`, `label`, `log` and `zero` (all-zero
logits), e.g. `?sample=ambiguous-4-9&alpha=0.5&label=9`; a teacher's `hide`, `lock` and
`task` (py/lab/teacher_link.py) and a drawing, `ink` (py/lab/ink_code.py). Numbers follow the
lab's own rule (lab.parse_*), so a link accepts exactly what the fields accept. No browser
modules: this runs in CPython and Pyodide.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl

import catalogue
import ink_code
import lab
import teacher_link

FILE = "assets/presets.json"
PAD = 280  # the pad's side in canvas pixels: stroke coordinates lie in [0, PAD]
SIDE = 28
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HEX_ROW = re.compile(r"[0-9a-f]{56}")
MAX_NAME, MAX_TITLE, MAX_PROMPT, MAX_POINTS = 40, 40, 200, 2000
LINK_PARAMS = (
    *("sample", "alpha", "shift", "label", "log", "zero", "hide", "lock", "task", "ink"),
    "lang",  # the language (assets/js/i18n.js reads it; here only a language not shown is said)
)
# A teacher's additions (py/lab/teacher_link.py): what each parameter's parser is.
TEACHER_PARAMS = {
    "hide": teacher_link.parse_hide,
    "lock": teacher_link.parse_lock,
    "task": teacher_link.parse_task,
}
LONG_PARAMS = ("task", "ink", "lang")  # long by nature (lang: by malice): cut short in the note
# The lab controls a link may set, by parameter: the lab field and the lab's own parser.
LINK_CONTROLS = {
    "alpha": ("scale", lab.parse_scale),
    "shift": ("shift", lab.parse_shift),
    "label": ("label", lab.parse_label),
}
# The switches a link may turn on or off (the log-scale view, all-zero logits): their words.
SWITCH_VALUES = {"1": True, "on": True, "true": True, "0": False, "off": False, "false": False}


def _text(entry: dict, field: str, limit: int) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f'"{field}" must be a non-empty text')
    if len(value) > limit:
        raise ValueError(f'"{field}" is longer than {limit} characters')
    return value.strip()


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _strokes(value) -> list[list[list[float]]]:
    if not isinstance(value, list) or not value:
        raise ValueError('"strokes" must be a list of strokes')
    points = 0
    for stroke in value:
        if not isinstance(stroke, list) or not stroke:
            raise ValueError("each stroke must be a list of [x, y] points")
        for point in stroke:
            if not (isinstance(point, list) and len(point) == 2 and all(map(_number, point))):
                raise ValueError(f"a point must be [x, y], two numbers (got {point!r})")
            if not all(0 <= v <= PAD for v in point):
                raise ValueError(f"a point lies outside the {PAD}x{PAD} pad: {point!r}")
        points += len(stroke)
    if points > MAX_POINTS:
        raise ValueError(f"more than {MAX_POINTS} points in all")
    return [[[float(x), float(y)] for x, y in stroke] for stroke in value]


def decode_pixels(rows) -> list[int]:
    """28 rows of 56 hex digits -> 784 grey levels 0..255, row by row."""
    if not (isinstance(rows, list) and len(rows) == SIDE):
        raise ValueError(f'"pixels" must be {SIDE} rows of text')
    for row in rows:
        if not (isinstance(row, str) and HEX_ROW.fullmatch(row)):
            raise ValueError(f'each row of "pixels" must be {2 * SIDE} hex digits 0-9a-f')
    return list(bytes.fromhex("".join(rows)))


def encode_pixels(grey) -> list[str]:
    """784 grey levels 0..255 -> the 28 hex rows decode_pixels reads."""
    data = bytes(int(v) for v in grey)
    if len(data) != SIDE * SIDE:
        raise ValueError(f"a digit has {SIDE * SIDE} pixels, got {len(data)}")
    return [data[i : i + SIDE].hex() for i in range(0, len(data), SIDE)]


def check_preset(entry) -> dict:
    """The preset as the page uses it; raises ValueError saying what is wrong."""
    if not isinstance(entry, dict):
        raise ValueError("a preset must be an object {...}")
    name = entry.get("name")
    if not (isinstance(name, str) and NAME.fullmatch(name) and len(name) <= MAX_NAME):
        raise ValueError('"name" must be lowercase letters, digits and hyphens, e.g. "dot"')
    label = entry.get("label")
    if label is not None and (type(label) is not int or not 0 <= label <= 9):  # not True
        raise ValueError('"label" must be a digit 0 to 9')
    if ("strokes" in entry) == ("pixels" in entry):
        raise ValueError('give exactly one of "strokes" and "pixels"')
    return {
        "name": name,
        "title": _text(entry, "title", MAX_TITLE),
        "prompt": _text(entry, "prompt", MAX_PROMPT),
        "label": label,
        "strokes": _strokes(entry["strokes"]) if "strokes" in entry else None,
        "pixels": decode_pixels(entry["pixels"]) if "pixels" in entry else None,
    }


def load_presets(text: str | None, load_error: str = "") -> dict:
    """{"presets": [the good presets, in file order], "errors": [one message per problem]}.
    text None: the file could not be fetched (load_error says why)."""
    if text is None:
        return {"presets": [], "errors": [f"{FILE} could not be loaded: {load_error}."]}
    try:
        data = json.loads(text)
    except ValueError as err:
        return {"presets": [], "errors": [f"{FILE} is not valid JSON: {err}."]}
    entries = data.get("presets") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return {"presets": [], "errors": [f'{FILE} must hold {{"presets": [...]}}.']}
    presets, errors, seen = [], [], set()
    for number, entry in enumerate(entries, 1):
        name = entry.get("name") if isinstance(entry, dict) else None
        which = f'Preset {number} ("{name}")' if isinstance(name, str) else f"Preset {number}"
        try:
            preset = check_preset(entry)
        except ValueError as err:
            errors.append(f"{which}: {err}; left out.")
            continue
        if preset["name"] in seen:
            errors.append(f'{which}: the name "{name}" is used twice; left out.')
            continue
        seen.add(preset["name"])
        presets.append(preset)
    return {"presets": presets, "errors": errors}


def _switch(param: str, text: str) -> tuple[bool | None, str | None]:
    value = SWITCH_VALUES.get(text.strip().lower())
    if value is None:
        return None, f"{param} must be 1 or 0 (on or off), got “{text}”."
    return value, None


def read_link(query: str, names: list[str] | None) -> dict:
    """The state a link's query asks for, checked: {"sample": name or None, "controls": texts
    for the lab controls (as if typed), "log" and "zero" (all-zero logits): True/False/None,
    "ignored": [{"param", "value", "why"}]}. names: the presets that loaded (None when the file
    could not be read). Nothing is ever an error: what cannot be used is ignored and says why."""
    result = {"sample": None, "controls": {}, "log": None, "zero": None, "ignored": []}
    result.update({"hide": [], "lock": [], "task": None, "ink": None})
    seen = set()

    def ignore(param: str, value: str, why: str) -> None:
        shown = _shown(value) if param in LONG_PARAMS else value
        result["ignored"].append({"param": param, "value": shown, "why": why})

    for param, value in parse_qsl(query.lstrip("?"), keep_blank_values=True):
        if param not in LINK_PARAMS:
            ignore(param, value, f"not a link parameter (known: {', '.join(LINK_PARAMS)}).")
            continue
        if param in seen:
            ignore(param, value, "given more than once; the first one is used.")
            continue
        seen.add(param)
        if param in TEACHER_PARAMS:
            value_read, why = TEACHER_PARAMS[param](value)
            if why:
                ignore(param, value, why)
            else:
                result[param] = value_read
        elif param == "lang":
            if value != catalogue.lang():  # unknown, or its catalogue could not load
                ignore(param, value, catalogue.t("page.link.lang", shown=catalogue.t("lang.name")))
        elif param == "ink":
            try:
                result["ink"] = ink_code.decode(value)
            except ValueError as err:
                ignore(param, value, f"not a drawing: {err}.")
        elif param == "sample":
            if names is None:
                ignore(param, value, "the examples could not be loaded.")
            elif value not in names:
                ignore(param, value, f"no example is called “{value}”.")
            else:
                result["sample"] = value
        elif param in ("log", "zero"):
            on, why = _switch(param, value)
            if why:
                ignore(param, value, why)
            else:
                result[param] = on
        else:
            field, parse = LINK_CONTROLS[param]
            number, why = parse(value)
            if why:
                ignore(param, value, why)
            elif field == "label":
                result["controls"]["label"] = "" if number is None else str(number)
            else:
                result["controls"][field] = lab.format_number(number)
    if result["sample"] and result["ink"]:
        result["ink"] = None
        ignore("ink", "…", "the link names an example too; the example is shown.")
    return result


def _shown(value: str, limit: int = 80) -> str:
    """A long value (a drawing, a task) cut short for the note that lists it."""
    return value if len(value) <= limit else value[: limit - 1] + "…"
