"""What a predict-then-observe question shows: the lab before and after the control was set.

Works on two lab views (py/lab/lab.py's `lab_view` dicts) and returns plain text for the quiz
feedback. Every probability it prints is the view's own text (py/lab/prob_text.py), so the
observation reads exactly as the lab's table beside it.
"""

from __future__ import annotations

from typing import Any

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
        why = "The pad was empty"
    else:
        why = f"Your drawing was too sure to show a change (top probability {top_text(before)})"
    return f"{why}, so the lab loaded the ambiguous example “{title}” at α = 1 first. "


def small(x: float) -> str:
    """Tiny amounts stay readable: 0.0123, 3.1e-07, 0."""
    return "0" if x == 0 else f"{x:.2g}"


def top_text(view: dict[str, Any]) -> str:
    """The table's text for the top probability (on a tie every top class has the same)."""
    return view["prob_text"][view["top"][0]]


def guess_text(view: dict[str, Any]) -> str:
    if view["prediction"] is not None:
        return str(view["prediction"])
    top = view["top"]
    if len(top) == K:
        return "none (a tie between all ten digits)"
    return "none (a tie between " + ", ".join(str(k) for k in top[:-1]) + f" and {top[-1]})"


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
    if after["empty"]:
        return (
            f"The lab now applies {label}. Draw a digit on the pad to see what it does to the "
            "ten probabilities."
        )
    was = None if before["empty"] else before
    subject = "the example's logits" if example else "your digit's logits"
    subject = subject if not after["zero_logits"] else "the logits"
    parts = [
        change("guess", was and guess_text(was), guess_text(after)),
        change("top probability", was and top_text(was), top_text(after)),
        # Near 100 % float64 cannot hold p itself: the others' total shows what moved.
        change("the other nine together", was and was["others_text"], after["others_text"]),
        change(
            "entropy",
            was and small(was["entropy"]),
            f"{small(after['entropy'])} nats (at most ln 10 ≈ 2.303)",
        ),
    ]
    if control == "shift":
        parts.append(f"largest change of any probability {after['shift_max_change']:.1e}")
    if control == "cross-entropy" and after["cross_entropy"] is not None:
        ce = after["cross_entropy"]
        parts.append(f"loss −log p_{ce['label']} = {small(ce['loss'])}")
    parts.append(f"Σ p = {after['sum']:.3f}")
    return (
        f"What happened: the lab now applies {label} to {subject}: "
        + "; ".join(parts)
        + ". Reset controls in the lab undoes it."
    )
