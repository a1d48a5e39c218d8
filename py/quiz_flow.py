"""The quiz as the page runs it: the question file and saved progress in, the learner's actions,
and predict-then-observe against the lab.

A "check" that commits a prediction leaves a PendingObservation (the lab view before) and asks
the page to set that lab control through the real control; "observed" then compares the lab
after with it (py/quiz/observe.py) and keeps the text as an Observation, shown only with that
answer. The quiz itself (moves, grading, saved progress) is py/quiz/quiz.py's state machine.

Pure Python + numpy (no js, no pyscript): testable under CPython.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import catalogue
import observe
import quiz
import quiz_schema
import quiz_text
from lab_state import LabState

ACTIONS = (
    "select",
    "check",
    "show_hint",
    "retry",
    "next",
    "retry_wrong",
    "reset",
    "prepared",
    "observed",
)


@dataclass(frozen=True)
class PendingObservation:
    """A committed prediction whose lab control the page has not set yet."""

    index: int  # the question's position
    attempts: int  # its attempts once committed: the answer the observation belongs to
    before: dict  # the lab view (py/lab/lab.py's `lab_view`) before the control was set
    example: str | None = None  # the example's title, when the page loaded one first
    drawn: dict | None = None  # then: the lab view of the learner's own drawing


@dataclass(frozen=True)
class Observation:
    """What the lab showed before and after, for the answer of `index` after `attempts`."""

    index: int
    attempts: int
    text: str


class QuizFlow:
    def __init__(self, lab: LabState):
        self.lab = lab
        self.quiz: quiz.Quiz | None = None
        self.pending: PendingObservation | None = None
        self.observation: Observation | None = None

    def start(
        self,
        questions_text: str | None,
        load_error: str,
        saved: str | None,
        seed: int,
        name: str = "questions.json",
    ) -> dict:
        """Validate the question file `name` and restore saved progress (discarding it with a
        notice when unusable). A bad file gives the validator's messages and no quiz (and leaves
        saved progress alone: the page then tries questions.json, docs/quiz.md)."""
        if questions_text is None:
            return {"errors": [catalogue.t("quiz.load_failed", file=name, error=load_error)]}
        questions, errors = quiz_schema.parse_questions(questions_text)
        if errors:
            return {"errors": errors}
        self.quiz, notice = quiz.Quiz.restore(saved, questions, seed=seed)
        return self.state(notice)

    def action(self, action: str, argument: int | str | None = None) -> dict:
        """Run a learner's action. argument: the option's display index for "select", the typed
        text (or None) for "check", a new seed (or None) for "reset"; none for the others.

        A "check" that commits a prediction returns state["observe"]: the page then sets that
        lab control through the real control and sends "observed", whose state carries
        "observation", the text of what the lab showed before and after."""
        if self.quiz is None or action not in ACTIONS:
            raise ValueError(f"no quiz action {action!r} now")
        if action == "observed":
            return self.observed()
        if action == "prepared":
            return self.prepared(argument if isinstance(argument, str) else None)
        game = self.quiz
        index, attempts = game.current, game.current_progress.attempts
        if action == "select":
            notice = game.select(argument)
        elif action == "check":
            notice = game.check(argument if isinstance(argument, str) else None)
        elif action == "reset":
            notice = game.reset(argument if quiz_schema.is_json_int(argument) else None)
        else:
            notice = getattr(game, action)()
        committed = (
            action == "check"
            and game.current == index
            and game.question.kind == quiz_schema.PREDICT
            and game.current_progress.attempts > attempts
        )
        observe_now = None
        if committed:
            self.pending = PendingObservation(index, attempts + 1, self.lab.lab_view())
            observe_now = game.observe_view()
            control, value = game.question.observe
            # On a drawing too sure to show the change, the page first loads an ambiguous
            # example (it knows the examples) and sends "prepared" with its title.
            observe_now["example"] = observe.too_sure_to_show(control, value, self.pending.before)
        state = self.state(notice)
        state["observe"] = observe_now
        return state

    def prepared(self, example: str | None) -> dict:
        """The page loaded the example `example` before setting the control: compare from it."""
        pending = self.pending
        if pending is not None and example:
            self.pending = replace(
                pending, before=self.lab.lab_view(), example=example, drawn=pending.before
            )
        return self.state()

    def observed(self) -> dict:
        """The lab control of the committed prediction has been set: say what happened."""
        pending = self.pending
        if pending is not None:
            control, value = self.quiz.questions[pending.index].observe
            label = quiz_text.observe_label(control, value)
            text = observe.describe(
                control, label, pending.before, self.lab.lab_view(), bool(pending.example)
            )
            if pending.example:
                text = observe.example_note(pending.example, pending.drawn) + text
            self.observation = Observation(pending.index, pending.attempts, text)
            self.pending = None
        return self.state()

    def observation_text(self) -> str | None:
        """The observation for the answer on screen, if any."""
        if self.observation is None or self.quiz.finished:
            return None
        progress = self.quiz.current_progress
        if (
            self.quiz.current != self.observation.index
            or progress.attempts != self.observation.attempts
        ):
            return None
        return self.observation.text if self.quiz.revealed() else None

    def state(self, notice: str | None = None) -> dict:
        return {
            "errors": [],
            "view": self.quiz.view(),
            "saved": self.quiz.to_saved(),
            "notice": notice,
            "observe": None,
            "observation": self.observation_text(),
        }
