"""What a teacher's link sets up besides the lab's state: parts hidden, controls locked, a task.

    hide=quiz,code        parts of the page to hide: any of PARTS (the page marks each part
                          with data-part="name"; a part the page does not have hides nothing)
    lock=alpha,shift      lab controls fixed at the value the link sets (or the default): LOCKS
    task=Try c = 1000     a line for the class, shown above the pad as plain text

Each parser returns (value, None) or (None, why it was ignored): presets.read_link lists the
why in the page's #link-note, in the language shown (py/lab/catalogue.py). Pure Python: CPython
and Pyodide alike.
"""

from __future__ import annotations

import unicodedata

import catalogue

# The page's parts a link can hide, by their data-part name. "head" and "by-hand" are panels
# other work adds: marking them data-part="head" / "by-hand" is all it takes.
PARTS = ("code", "quiz", "lesson", "trust", "teach", "head", "by-hand")
# The lab controls a link can lock, by link name: the lab field they fix (LabState.lock), or
# None for "log", the view's log-scale bars, which the page alone keeps.
LOCKS = {"alpha": "scale", "shift": "shift", "label": "label", "zero": "zero_logits", "log": None}
MAX_TASK = 300


def _names(param: str, text: str, known) -> tuple[list[str] | None, str | None]:
    names = [name.strip().lower() for name in text.split(",")]
    if not text.strip() or not all(names):
        return None, catalogue.t("lab.link.names", param=param, known=", ".join(known))
    unknown = [name for name in names if name not in known]
    if unknown:
        return None, catalogue.t(
            "lab.link.unknown_names", unknown=", ".join(unknown), known=", ".join(known)
        )
    return list(dict.fromkeys(names)), None  # once each, in the link's order


def parse_hide(text: str) -> tuple[list[str] | None, str | None]:
    return _names("hide", text, PARTS)


def parse_lock(text: str) -> tuple[list[str] | None, str | None]:
    return _names("lock", text, tuple(LOCKS))


def parse_task(text: str) -> tuple[str | None, str | None]:
    """The task as one plain line: control characters and line breaks become spaces, runs of
    spaces one. The page shows it as text (textContent), never as HTML."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    line = " ".join(cleaned.split())
    if not line:
        return None, catalogue.t("lab.link.task_empty")
    if len(line) > MAX_TASK:
        return None, catalogue.t("lab.link.task_long", n=len(line), max=MAX_TASK)
    return line, None
