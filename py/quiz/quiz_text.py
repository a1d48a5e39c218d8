"""The quiz's wording: the text the learner reads about their answers and their round.

quiz.py decides what happens (the state machine) and quiz_saved.py what a save holds; this
module only puts it into words: the notices for actions that cannot be done now or saves that
cannot be used, the feedback on a graded answer, the answer itself, the label of what a
prediction sets in the lab, the end-of-round summary and the printable report. (The questions'
own text comes from questions.json; a typed number's messages stay with its rule, quiz_grade.py.)
Pure functions of a question, its progress and the counts; standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from number_rule import format_number
from quiz_grade import parse_answer
from quiz_saved import (
    CORRECT,
    OLDER_VERSION,
    OTHER_QUESTIONS,
    OTHER_VERSION,
    UNANSWERED,
    UNREADABLE,
    WRONG,
    Progress,
)
from quiz_schema import NUMERIC, PREDICT, Question

# Why an action was not done (the action returns it, and view()["notice"] shows it).
NOTICE_FINISHED = "The quiz is finished."
NOTICE_ALREADY_CORRECT = "You already answered this question correctly."
NOTICE_ANSWER_SHOWN = "No tries left here: the answer is shown. Go on with Next."
NOTICE_OPTION_TRIED = "You already tried that option: choose another one."
NOTICE_CHOOSE_ANOTHER = "Choose another option to try again."
NOTICE_CHOOSE_FIRST = "Choose an option first."
NOTICE_SAME_NUMBER = "That is the answer you tried: change it to try again."
NOTICE_NO_HINT_NEEDED = "The answer is already shown: no hint needed."
NOTICE_COMES_BACK = "No tries left here: this question comes back at the end."
NOTICE_NOTHING_WRONG = "There is no wrong answer to retry."
NOTICE_ANSWER_TO_FINISH = "Answer this question to finish the quiz."
NOTICE_FINISH_FIRST = "Finish the quiz first."
NOTICE_ALL_FIRST_TRY = "Every question was right on the first try: nothing to retry."

# Why saved progress was set aside (Quiz.restore returns it with a fresh quiz).
NOTICE_UNREADABLE = "Saved quiz progress was unreadable and has been reset."
NOTICE_OLDER_VERSION = (
    "Saved quiz progress was from an older version of the quiz and has been reset."
)
NOTICE_OTHER_VERSION = (
    "Saved quiz progress was from a different version of the quiz and has been reset."
)
NOTICE_OTHER_QUESTIONS = (
    "Saved quiz progress was for a different set of questions and has been reset."
)
SAVE_NOTICES = {
    UNREADABLE: NOTICE_UNREADABLE,
    OLDER_VERSION: NOTICE_OLDER_VERSION,
    OTHER_VERSION: NOTICE_OTHER_VERSION,
    OTHER_QUESTIONS: NOTICE_OTHER_QUESTIONS,
}

# What the page says a predict question set in the lab, by control.
OBSERVE_LABELS = {
    "shift": "c = {}",
    "scale": "α = {}",
    "cross-entropy": "true digit {}",
    "zero-logits": "all logits set to 0",
}


# The line above the question, and the Next button's label when it ends the round.
FINISHED_TITLE = "Quiz finished"
NEXT_LABEL = "Next"
NEXT_TO_SUMMARY = "Show the summary"


def progress_text(index: int, total: int, second_look: bool, finished: bool) -> str:
    """ "Question 3 of 10", with why a question is back on a second look; "Quiz finished" at
    the end, so the last "Correct!" is not mistaken for a question still open."""
    if finished:
        return FINISHED_TITLE
    text = f"Question {index + 1} of {total}"
    if not second_look:
        return text
    return f"{text} · second look: you missed it earlier; the options are in a new order"


def observe_label(control: str, value: str) -> str:
    """What a predict question sets in the lab, as the page names it: "α = 5"."""
    return OBSERVE_LABELS[control].format(value)


def answer_text(question: Question) -> str:
    """The correct answer in words: the option's text, or the number and its tolerance."""
    if question.kind == NUMERIC:
        units = f" {question.units}" if question.units else ""
        return (
            f"{format_number(question.answer_value)}{units} "
            f"(answers within ±{format_number(question.tolerance)} count)"
        )
    return question.options[question.answer]


def given_text(question: Question, answer: int | str | None) -> str | None:
    """What the learner answered, in words."""
    if answer is None:
        return None
    if question.kind == NUMERIC:
        return f"{answer} {question.units}" if question.units else str(answer)
    return question.options[answer]


def feedback_text(question: Question, progress: Progress, revealed: bool) -> str | None:
    """What to say about the graded answer of this pass (None before any)."""
    if progress.status == UNANSWERED:
        return None
    if question.kind == NUMERIC:
        parts = number_feedback(question, progress)
    else:
        extra = "" if question.feedback is None else question.feedback[progress.selected]
        verdict = "Correct!" if progress.status == CORRECT else "Not quite."
        if question.kind == PREDICT:
            verdict = "Well predicted!" if progress.status == CORRECT else "Not what happens."
        parts = [verdict, extra]
    if progress.status == WRONG:
        if revealed:
            answer = answer_text(question)
            # An option is often a sentence already: no second full stop ("shrink..").
            parts.append(f"The answer: {answer}" + ("" if answer[-1:] in ".!?" else "."))
        else:
            parts.append("Try once more, or use the hint.")
    return " ".join(part.strip() for part in parts if part and part.strip())


def number_feedback(question: Question, progress: Progress) -> list[str]:
    """The verdict on a typed number: right, or which side of the answer it lies."""
    entered = progress.entered
    value, _ = parse_answer(entered or "")
    if value is None:
        return []
    if progress.status == CORRECT:
        return ["Correct!", f"The answer is {answer_text(question)}."]
    if value < question.answer_value:
        return [f"Not quite: {entered} is too low.", question.too_low or ""]
    return [f"Not quite: {entered} is too high.", question.too_high or ""]


def summary_text(
    score: dict[str, int], hints_used: int, missed: list[int], to_retry: list[int]
) -> str:
    """The end of the round: the score, the hints, and what to practise next."""
    text = (
        f"You answered {score['correct']} of {score['total']} questions correctly "
        f"({score['first_try']} on the first try)."
    )
    if hints_used:
        text += f" Hints used: {hints_used}."
    if missed:
        text += " Retry the questions you missed to practise them."
    elif to_retry:
        text += " Practise again the ones you did not get on the first try."
    return text


def report(
    questions: Sequence[Question],
    progress: Sequence[Progress],
    score: dict[str, int],
    hints_used: int,
) -> dict[str, Any]:
    """The learner's round, for the printable summary."""
    return {
        "score": score,
        "hints_used": hints_used,
        "rows": [
            {
                "number": index + 1,
                "question_id": question.id,
                "stem": question.stem,
                "first_answer": given_text(question, entry.first_answer),
                "first_try": entry.first_try,
                "status": entry.status,
                "hint_used": entry.hint_used,
            }
            for index, (question, entry) in enumerate(zip(questions, progress, strict=True))
        ],
    }
