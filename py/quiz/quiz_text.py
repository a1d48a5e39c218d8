"""The quiz's wording: the text the learner reads about their answers and their round.

quiz.py decides what happens (the state machine) and quiz_saved.py what a save holds; this
module only puts it into words: the notices for actions that cannot be done now or saves that
cannot be used, the feedback on a graded answer, the answer itself, the label of what a
prediction sets in the lab, the end-of-round summary and the printable report. (The questions'
own text comes from the question file of the language shown; a typed number's messages stay with
its rule, quiz_grade.py.) Every word comes from the catalogue (py/lab/catalogue.py, quiz.* keys),
numbers with the language's decimal separator.
Pure functions of a question, its progress and the counts; standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import catalogue
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

# Why an action was not done (the action returns it, and view()["notice"] shows it), why saved
# progress was set aside, and the round's titles: each name reads its catalogue text in the
# language shown at the moment it is used (quiz_text.NOTICE_FINISHED is the text, not the key).
TEXTS = {
    "NOTICE_FINISHED": "quiz.notice.finished",
    "NOTICE_ALREADY_CORRECT": "quiz.notice.already_correct",
    "NOTICE_ANSWER_SHOWN": "quiz.notice.answer_shown",
    "NOTICE_OPTION_TRIED": "quiz.notice.option_tried",
    "NOTICE_CHOOSE_ANOTHER": "quiz.notice.choose_another",
    "NOTICE_CHOOSE_FIRST": "quiz.notice.choose_first",
    "NOTICE_SAME_NUMBER": "quiz.notice.same_number",
    "NOTICE_NO_HINT_NEEDED": "quiz.notice.no_hint_needed",
    "NOTICE_COMES_BACK": "quiz.notice.comes_back",
    "NOTICE_NOTHING_WRONG": "quiz.notice.nothing_wrong",
    "NOTICE_ANSWER_TO_FINISH": "quiz.notice.answer_to_finish",
    "NOTICE_FINISH_FIRST": "quiz.notice.finish_first",
    "NOTICE_ALL_FIRST_TRY": "quiz.notice.all_first_try",
    "NOTICE_UNREADABLE": "quiz.saved.unreadable",
    "NOTICE_OLDER_VERSION": "quiz.saved.older_version",
    "NOTICE_OTHER_VERSION": "quiz.saved.other_version",
    "NOTICE_OTHER_QUESTIONS": "quiz.saved.other_questions",
    # The line above the question at the end, and the Next button's labels.
    "FINISHED_TITLE": "quiz.title.finished",
    "NEXT_LABEL": "quiz.next",
    "NEXT_TO_SUMMARY": "quiz.next.summary",
}

# Why saved progress was set aside (Quiz.restore returns it with a fresh quiz).
SAVE_NOTICES = {
    UNREADABLE: "quiz.saved.unreadable",
    OLDER_VERSION: "quiz.saved.older_version",
    OTHER_VERSION: "quiz.saved.other_version",
    OTHER_QUESTIONS: "quiz.saved.other_questions",
}

# What the page says a predict question set in the lab, by control ({value} as typed there).
OBSERVE_LABELS = {
    "shift": "quiz.observe.label.shift",
    "scale": "quiz.observe.label.scale",
    "cross-entropy": "quiz.observe.label.cross_entropy",
    "zero-logits": "quiz.observe.label.zero_logits",
}


def __getattr__(name: str) -> str:
    """NOTICE_FINISHED and the other names of TEXTS: the text in the language shown."""
    if name in TEXTS:
        return catalogue.t(TEXTS[name])
    raise AttributeError(f"module 'quiz_text' has no attribute {name!r}")


def save_notice(reason: str) -> str:
    """Why a save was set aside (quiz_saved's reason), for the learner."""
    return catalogue.t(SAVE_NOTICES[reason])


def number_text(value: float | None) -> str:
    """A number of the quiz as a person reads it: "0.844", "0,844" in German."""
    return catalogue.decimal(format_number(value))


def progress_text(index: int, total: int, second_look: bool, finished: bool) -> str:
    """ "Question 3 of 10", with why a question is back on a second look; "Quiz finished" at
    the end, so the last "Correct!" is not mistaken for a question still open."""
    if finished:
        return catalogue.t("quiz.title.finished")
    text = catalogue.t("quiz.progress", number=index + 1, total=total)
    if not second_look:
        return text
    return catalogue.t("quiz.progress.second_look", progress=text)


def observe_label(control: str, value: str) -> str:
    """What a predict question sets in the lab, as the page names it: "α = 5"."""
    return catalogue.t(OBSERVE_LABELS[control], value=catalogue.decimal(value))


def answer_text(question: Question) -> str:
    """The correct answer in words: the option's text, or the number and its tolerance."""
    if question.kind == NUMERIC:
        units = f" {question.units}" if question.units else ""
        return catalogue.t(
            "quiz.answer.numeric",
            value=number_text(question.answer_value) + units,
            tolerance=number_text(question.tolerance),
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
        right = progress.status == CORRECT
        verdict = catalogue.t("quiz.verdict.correct" if right else "quiz.verdict.wrong")
        if question.kind == PREDICT:
            verdict = catalogue.t("quiz.verdict.predicted" if right else "quiz.verdict.unexpected")
        parts = [verdict, extra]
    if progress.status == WRONG:
        if revealed:
            answer = answer_text(question)
            # An option is often a sentence already: no second full stop ("shrink..").
            end = "" if answer[-1:] in ".!?" else "."
            parts.append(catalogue.t("quiz.feedback.answer", answer=answer) + end)
        else:
            parts.append(catalogue.t("quiz.feedback.try_again"))
    return " ".join(part.strip() for part in parts if part and part.strip())


def number_feedback(question: Question, progress: Progress) -> list[str]:
    """The verdict on a typed number: right, or which side of the answer it lies."""
    entered = progress.entered
    value, _ = parse_answer(entered or "")
    if value is None:
        return []
    if progress.status == CORRECT:
        return [
            catalogue.t("quiz.verdict.correct"),
            catalogue.t("quiz.number.answer_is", answer=answer_text(question)),
        ]
    if value < question.answer_value:
        return [catalogue.t("quiz.number.too_low", entered=entered), question.too_low or ""]
    return [catalogue.t("quiz.number.too_high", entered=entered), question.too_high or ""]


def summary_text(
    score: dict[str, int], hints_used: int, missed: list[int], to_retry: list[int]
) -> str:
    """The end of the round: the score, the hints, and what to practise next."""
    parts = [
        catalogue.t(
            "quiz.summary.score",
            correct=score["correct"],
            total=score["total"],
            first_try=score["first_try"],
        )
    ]
    if hints_used:
        parts.append(catalogue.t("quiz.summary.hints", hints=hints_used))
    if missed:
        parts.append(catalogue.t("quiz.summary.missed"))
    elif to_retry:
        parts.append(catalogue.t("quiz.summary.practise"))
    return " ".join(parts)


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
