"""One learner's session in the page: the loaded network, the last drawing, the controls, the quiz.

Pure Python + numpy (no js, no pyscript): worker.py only converts browser values to numpy and
the dicts returned here to JSON, so everything the page does is testable under CPython.
"""

from __future__ import annotations

import time
from dataclasses import asdict, replace

import numpy as np

import lab
import novelty
import observe
import quiz
import quiz_schema
import quiz_text
from digit_sets import DigitSetError, load_digit_set, to_inputs
from network import Network, load_network
from preprocess import EMPTY, examine_rgba, preprocess

QUIZ_ACTIONS = ("select", "check", "show_hint", "retry", "next", "retry_wrong", "reset", "observed")
SHIPPED = "shipped"  # the weights id of the shipped weights (see Session.weights_id)


class Session:
    def __init__(self, weights_path: str = "model.npz"):
        self.network = load_network(weights_path)
        self.controls = lab.Controls()
        # A rejected field's message stays until that field gets a good value or the controls
        # are reset: a later drawing must not hide that an older value is still in force.
        self.errors: dict[str, str] = {}
        self.logits: np.ndarray | None = None  # (10,) of the last drawing, None for no digit
        self.image: np.ndarray | None = None  # (784,) what the network saw
        self.no_digit: str | None = None  # why there is no input: preprocess.EMPTY / TOO_SMALL
        self.quiz: quiz.Quiz | None = None
        # A committed prediction: (question index, attempts then, the lab view then), until the
        # page has set the control and says "observed"; then the text of what happened, keyed
        # the same way so it is shown only with that answer.
        self.observing: tuple[int, int, dict] | None = None
        self.observation: tuple[int, int, str] | None = None
        self.held_out = None  # heldout.HeldOutRun, once the calibration panel is opened
        self.held_out_weights: tuple[str, int] | None = None  # (weights id, examples) it scores
        self.trainer = None  # head_trainer.HeadTrainer, once something is taught or restored
        # Which weights are in force: SHIPPED, or a fingerprint of the taught ones. Every view
        # and calibration report carries it, so the page can tell a report of other weights.
        self.weights_id = SHIPPED

    def update(self, rgba: np.ndarray | None, raw_controls: dict | None) -> dict:
        """New canvas pixels (H, W, 4) uint8 and/or control texts, applied in that order;
        returns the lab view, computed once. raw_controls {"reset": true} restores the defaults."""
        if rgba is not None:
            self._set_input(*examine_rgba(rgba))
        return self._apply_controls(raw_controls)

    def update_digit(self, grey: np.ndarray, raw_controls: dict | None) -> dict:
        """Show a ready-made digit, 784 grey levels 0..255 (e.g. a shipped held-out digit), then
        apply control texts. The network gets exactly these pixels, as when the digit set was
        scored: no canvas round trip and no second normalisation that could change the guess."""
        self._set_input(to_inputs(np.asarray(grey).reshape(-1)), None)
        return self._apply_controls(raw_controls)

    def _set_input(self, image: np.ndarray | None, no_digit: str | None) -> None:
        self.image, self.no_digit = image, no_digit
        self.logits = None if image is None else self.network.logits(image)
        # A new digit means the learner wants its own logits back.
        self.controls = replace(self.controls, zero_logits=False)

    def _apply_controls(self, raw_controls: dict | None) -> dict:
        """{"reset": true} first, then the fields sent with it: a value typed after pressing
        Reset, sent in the same update, is applied, not lost."""
        fields = dict(raw_controls or {})
        if fields.pop("reset", False):
            self.controls, self.errors = lab.Controls(), {}
        if fields:
            self.controls, errors = lab.apply_control_text(self.controls, fields)
            for field in fields:
                self.errors.pop(field, None)
            self.errors.update(errors)
        return self.view()

    def draw(self, rgba: np.ndarray) -> dict:
        return self.update(rgba, None)

    def set_controls(self, raw: dict) -> dict:
        return self.update(None, raw)

    def view(self) -> dict:
        lab_view = lab.lab_view(self.logits, self.controls)
        if lab_view["empty"]:
            lab_view["no_digit"] = self.no_digit or EMPTY
        return {
            "lab": lab_view,
            # Judged on the network's own logits, whatever the controls do to them afterwards.
            "novelty": None
            if self.logits is None
            else {
                "score": novelty.score(self.logits),
                "not_a_digit": novelty.is_not_a_digit(self.logits),
                "threshold": novelty.THRESHOLD,
            },
            "learned": self._examples(),
            "weights_id": self.weights_id,
            "image": None if self.image is None else np.round(self.image.astype(float), 3).tolist(),
            "controls": asdict(self.controls),
            # The value in force as text, so the fields can always show it.
            "controls_text": {f: lab.format_number(getattr(self.controls, f)) for f in lab.SYMBOLS},
            "errors": dict(self.errors),
        }

    def time_pipeline(self, rgba: np.ndarray, repeats: int = 200) -> dict:
        """Mean milliseconds of preprocess and of the forward pass (for the benchmarks)."""
        start = time.perf_counter()
        for _ in range(repeats):
            image = preprocess(rgba)
        middle = time.perf_counter()
        for _ in range(repeats):
            self.network.logits(image)
        end = time.perf_counter()
        return {
            "preprocess_ms": 1e3 * (middle - start) / repeats,
            "forward_ms": 1e3 * (end - middle) / repeats,
        }

    def start_quiz(
        self, questions_text: str | None, load_error: str, saved: str | None, seed: int
    ) -> dict:
        """Validate the question file and restore saved progress (discarding it with a notice
        when unusable). A bad file gives the validator's messages and no quiz."""
        if questions_text is None:
            return {"errors": [f"questions.json could not be loaded: {load_error}."]}
        questions, errors = quiz_schema.parse_questions(questions_text)
        if errors:
            return {"errors": errors}
        self.quiz, notice = quiz.Quiz.restore(saved, questions, seed=seed)
        return self.quiz_state(notice)

    def quiz_action(self, action: str, argument: int | str | None = None) -> dict:
        """Run a learner's action. argument: the option's display index for "select", the typed
        text (or None) for "check", a new seed (or None) for "reset"; none for the others.

        A "check" that commits a prediction returns state["observe"]: the page then sets that
        lab control through the real control and sends "observed", whose state carries
        "observation", the text of what the lab showed before and after."""
        if self.quiz is None or action not in QUIZ_ACTIONS:
            raise ValueError(f"no quiz action {action!r} now")
        if action == "observed":
            return self.quiz_observed()
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
            self.observing = (index, attempts + 1, self.lab_now())
            observe_now = game.observe_view()
        state = self.quiz_state(notice)
        state["observe"] = observe_now
        return state

    def lab_now(self) -> dict:
        return lab.lab_view(self.logits, self.controls)

    def quiz_observed(self) -> dict:
        """The lab control of the committed prediction has been set: say what happened."""
        if self.observing is not None:
            index, attempts, before = self.observing
            control, value = self.quiz.questions[index].observe
            label = quiz_text.observe_label(control, value)
            text = observe.describe(control, label, before, self.lab_now())
            self.observation = (index, attempts, text)
            self.observing = None
        return self.quiz_state()

    def observation_text(self) -> str | None:
        """The observation for the answer on screen, if any."""
        if self.observation is None or self.quiz.finished:
            return None
        index, attempts, text = self.observation
        progress = self.quiz.current_progress
        if self.quiz.current != index or progress.attempts != attempts:
            return None
        return text if self.quiz.revealed() else None

    def calibration_start(self, data: bytes, name: str) -> dict:
        """Load a shipped digit set to score with a copy of the weights in force now; learning
        while the run goes on changes the lab, never this run's numbers. {"error": why} when
        the file is unusable."""
        import heldout  # imported on first use: start-up does not pay for the panel

        try:
            digits = load_digit_set(data, name)
        except DigitSetError as err:
            return {"error": str(err)}
        snapshot = Network({key: a.copy() for key, a in self.network.params.items()})
        self.held_out = heldout.HeldOutRun(digits, snapshot)
        self.held_out_weights = (self.weights_id, self._examples())
        return {"scored": 0, "total": len(digits)}

    def calibration_step(self) -> dict:
        """Score the next chunk of held-out digits; the report comes with the last chunk,
        saying which weights it is for ("weights_id", "learned": as in the view when it began)."""
        if self.held_out is None:
            raise ValueError("no digit set loaded: call calibration_start first")
        progress = self.held_out.step()
        if self.held_out.done:
            weights, examples = self.held_out_weights
            progress["report"] = {
                **self.held_out.report(),
                "weights_id": weights,
                "learned": examples,
            }
        return progress

    # ------------------------------------------------------------- teaching the network

    def _get_trainer(self):
        if self.trainer is None:
            import head_trainer  # imported on first use: start-up does not pay for the panel

            self.trainer = head_trainer.HeadTrainer(self.network)
        return self.trainer

    def _examples(self) -> int:
        return 0 if self.trainer is None else self.trainer.examples

    def _learning_state(self, **extra) -> dict:
        """After the weights may have changed: the weights id, the drawing rescored, the lab
        view, the text to save."""
        import head_trainer

        trainer = self._get_trainer()
        # Nothing taught means the shipped values exactly (Forget puts back the shipped arrays,
        # Undo the ones of before the press): one id for them however they came back.
        self.weights_id = (
            SHIPPED if trainer.examples == 0 else head_trainer.fingerprint(self.network.params)
        )
        if self.image is not None:
            self.logits = self.network.logits(self.image)
        return {"view": self.view(), "saved": trainer.saved(), **extra}

    def learn_restore(self, saved: str | None) -> dict:
        """Saved learning from the browser's storage (None: none); a notice if unusable."""
        notice = self._get_trainer().restore(saved)
        return self._learning_state(notice=notice)

    def learn_start(self, replay: bytes, check: bytes) -> dict:
        """The replay and check digit files' bytes; {"error": why} when one is unusable."""
        try:
            replay_set = load_digit_set(replay, "mnist-replay")
            check_set = load_digit_set(check, "mnist-test")
        except DigitSetError as err:
            return {"error": str(err)}
        self._get_trainer().attach(replay_set, check_set)
        return {"error": None}

    def learn(self, steps: int) -> dict:
        """`steps` steps of gradient descent on the drawing and the chosen true digit; every
        step's figures under "result", or {"error": why} when there is nothing to learn."""
        import head_trainer

        if self.image is None:
            return {"error": "Draw a digit first: there is nothing to learn from."}
        if self.controls.label is None:
            return {"error": "Choose the true digit first (the True digit menu)."}
        if not (type(steps) is int and 1 <= steps <= head_trainer.MAX_STEPS):  # not bool, not float
            return {"error": f"Steps must be a whole number from 1 to {head_trainer.MAX_STEPS}."}
        if not self._get_trainer().ready:
            return {"error": "The digits to learn with are not loaded yet."}
        result = self._get_trainer().learn(self.image, self.controls.label, steps)
        return self._learning_state(result=result, error=None)

    def learn_undo(self) -> dict:
        return self._learning_state(undone=self._get_trainer().undo())

    def learn_forget(self) -> dict:
        self._get_trainer().forget()
        return self._learning_state()

    def quiz_state(self, notice: str | None = None) -> dict:
        return {
            "errors": [],
            "view": self.quiz.view(),
            "saved": self.quiz.to_saved(),
            "notice": notice,
            "observe": None,
            "observation": self.observation_text(),
        }
