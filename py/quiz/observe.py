"""What a predict-then-observe question shows: the lab before and after the control was set.

Works on two lab views (py/lab/lab.py's `lab_view` dicts) and returns plain text for the quiz
feedback. Every probability it prints is the view's own text (py/lab/prob_text.py), so the
observation reads exactly as the lab's table beside it; every word comes from the catalogue
(quiz.observe.* keys), numbers with the language's decimal separator.
"""

from __future__ import annotations

from typing import Any

import catalogue
from lab import K

# Above this top probability, sharpening (α > 1) shows no change in the lab's texts: the
# prediction then runs on an ambiguous example instead (the page loads it, then says so).
TOO_SURE = 0.99


def too_sure_to_show(control: str, value: str, view: dict[str, Any]) -> bool:
    """A prediction about sharpening would show nothing on this lab view: no digit, or one the
    network is already sure of ("top probability 100.00 % → 100.00 %")."""
    if control != "scale" or float(value) <= 1:
        return False
    return view["empty"] or view["max_prob"] >= TOO_SURE


def example_note(title: str, before: dict[str, Any] | None) -> str:
    """Why the lab now shows an example instead of the learner's drawing."""
    if before is None or before["empty"]:
        why = catalogue.t("quiz.observe.pad_empty")
    else:
        why = catalogue.t("quiz.observe.too_sure", top=top_text(before))
    return catalogue.t("quiz.observe.example", why=why, title=title) + " "


def small(x: float) -> str:
    """Tiny amounts stay readable: 0.0123, 3.1e-07, 0 (0,0123 in German)."""
    return "0" if x == 0 else catalogue.decimal(f"{x:.2g}")


def top_text(view: dict[str, Any]) -> str:
    """The table's text for the top probability (on a tie every top class has the same)."""
    return view["prob_text"][view["top"][0]]


def guess_text(view: dict[str, Any]) -> str:
    if view["prediction"] is not None:
        return str(view["prediction"])
    top = view["top"]
    if len(top) == K:
        return catalogue.t("quiz.observe.tie_all")
    digits = ", ".join(str(k) for k in top[:-1])
    return catalogue.t("quiz.observe.tie", digits=digits, last=top[-1])


def change(name: str, before: str | None, after: str) -> str:
    """ "guess 7 → 7", or "guess 7" when there is nothing to compare with."""
    return f"{name} {after}" if before is None else f"{name} {before} → {after}"


def describe(
    control: str,
    label: str,
    before: dict[str, Any],
    after: dict[str, Any],
    example: bool = False,
) -> str:
    """One paragraph: what the lab applies now and how the numbers on the page moved."""
    t = catalogue.t
    if after["empty"]:
        return t("quiz.observe.draw", label=label)
    was = None if before["empty"] else before
    subject = t("quiz.observe.example_logits" if example else "quiz.observe.your_logits")
    subject = subject if not after["zero_logits"] else t("quiz.observe.the_logits")
    parts = [
        change(t("quiz.observe.guess"), was and guess_text(was), guess_text(after)),
        change(t("quiz.observe.top"), was and top_text(was), top_text(after)),
        # Near 100 % float64 cannot hold p itself: the others' total shows what moved.
        change(t("quiz.observe.others"), was and was["others_text"], after["others_text"]),
        change(
            t("quiz.observe.entropy"),
            was and small(was["entropy"]),
            t("quiz.observe.nats", entropy=small(after["entropy"])),
        ),
    ]
    if control == "shift":
        largest = catalogue.decimal(f"{after['shift_max_change']:.1e}")
        parts.append(t("quiz.observe.shift_change", change=largest))
    if control == "cross-entropy" and after["cross_entropy"] is not None:
        ce = after["cross_entropy"]
        parts.append(t("quiz.observe.loss", label=ce["label"], loss=small(ce["loss"])))
    parts.append("Σ p = " + catalogue.decimal(f"{after['sum']:.3f}"))
    return t("quiz.observe.what", label=label, subject=subject, changes="; ".join(parts))
