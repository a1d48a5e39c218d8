"""Saved quiz progress: round trips, versioning, and never raising on a bad save."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quiz_saved
import quiz_schema
from quiz import Quiz
from quiz_helpers import (
    MIXED,
    QUESTIONS,
    answer_current,
    miss_current,
    view_without_notice,
)
from quiz_text import (
    NOTICE_OLDER_VERSION,
    NOTICE_OTHER_QUESTIONS,
    NOTICE_OTHER_VERSION,
    NOTICE_UNREADABLE,
)

# --------------------------------------------------------------------------- saved progress


def mid_quiz() -> Quiz:
    game = Quiz(QUESTIONS, seed=31)
    answer_current(game, correctly=True)
    game.next()
    game.select(1)
    return game


def after_hints() -> Quiz:
    game = Quiz(QUESTIONS, seed=32)
    game.show_hint()
    game.next()
    game.show_hint()
    return game


def after_wrong_answers() -> Quiz:
    """q0 missed twice (revealed), q1 one wrong try, q2 and q3 untouched."""
    game = Quiz(QUESTIONS, seed=33)
    answer_current(game, correctly=False)
    game.retry()
    answer_current(game, correctly=False)
    game.next()
    answer_current(game, correctly=False)
    return game


def finished_quiz() -> Quiz:
    """q2 missed in the round and again at its second look."""
    game = Quiz(QUESTIONS, seed=34)
    for index in range(len(QUESTIONS)):
        if index == 2:
            miss_current(game)
        else:
            answer_current(game, correctly=True)
        game.next()
    miss_current(game)
    game.next()
    assert game.finished
    return game


def second_look() -> Quiz:
    """Every kind of question, mid-way through the second look at the missed ones."""
    game = Quiz(MIXED, seed=35)
    for index in range(len(MIXED)):
        if index in (1, 2):
            miss_current(game)
        else:
            answer_current(game, correctly=True)
        game.next()
    assert game.review and game.current == 1
    game.check("0.1")
    return game


def numeric_answers() -> Quiz:
    """A numeric question right on the second try, the next one wrong once."""
    game = Quiz(MIXED, seed=36)
    answer_current(game, correctly=True)
    game.next()
    game.check("0.5")
    game.check("0.665")
    game.next()
    answer_current(game, correctly=False)
    game.next()
    game.check("1,2")
    return game


def retrying_wrong() -> Quiz:
    game = finished_quiz()
    game.retry_wrong()
    return game


@pytest.mark.parametrize(
    "make_quiz",
    [
        mid_quiz,
        after_hints,
        after_wrong_answers,
        finished_quiz,
        retrying_wrong,
        second_look,
        numeric_answers,
    ],
)
def test_progress_round_trips_through_saved_text(make_quiz: Any) -> None:
    """restore(to_saved()) rebuilds exactly the same state and view, with no notice."""
    game = make_quiz()
    restored, notice = Quiz.restore(game.to_saved(), game.questions, seed=999)
    assert notice is None
    assert restored.seed == game.seed
    assert restored.to_saved() == game.to_saved()
    assert view_without_notice(restored) == view_without_notice(game)


def test_restored_quiz_carries_on_playing() -> None:
    """A restored quiz accepts further actions like the original."""
    game = mid_quiz()
    restored, _ = Quiz.restore(game.to_saved(), QUESTIONS)
    for quiz_copy in (game, restored):
        quiz_copy.select(quiz_copy.correct_display_index())
        quiz_copy.check()
        quiz_copy.next()
    assert restored.to_saved() == game.to_saved()


def test_saved_text_has_version_and_fingerprint() -> None:
    """Saved text records its format version and the question-set fingerprint."""
    saved = json.loads(mid_quiz().to_saved())
    assert saved["version"] == quiz_saved.SAVE_VERSION
    assert saved["fingerprint"] == quiz_schema.questions_fingerprint(QUESTIONS)
    assert len(saved["fingerprint"]) == 64


@pytest.mark.parametrize("saved", [None, "", "   "])
def test_nothing_saved_gives_a_fresh_quiz_silently(saved: str | None) -> None:
    """No saved progress is normal on a first visit: fresh quiz, no notice."""
    game, notice = Quiz.restore(saved, QUESTIONS, seed=5)
    assert notice is None
    assert game.to_saved() == Quiz(QUESTIONS, seed=5).to_saved()


def edit_saved(change: Any) -> str:
    state = json.loads(after_wrong_answers().to_saved())
    change(state)
    return json.dumps(state)


def set_key(name: str, value: Any) -> Any:
    return lambda state: state.__setitem__(name, value)


def set_progress(index: int, name: str, value: Any) -> Any:
    return lambda state: state["progress"][index].__setitem__(name, value)


def edit_numeric_saved(change: Any) -> str:
    state = json.loads(numeric_answers().to_saved())
    change(state)
    return json.dumps(state)


UNREADABLE = NOTICE_UNREADABLE
BAD_SAVES = [
    pytest.param("not json", UNREADABLE, id="not-json"),
    pytest.param("[1, 2]", UNREADABLE, id="not-an-object"),
    pytest.param('{"version": 2}', NOTICE_OTHER_QUESTIONS, id="no-fingerprint"),
    pytest.param("{}", UNREADABLE, id="empty-object"),
    pytest.param("[" * 100_000, UNREADABLE, id="deep-nesting"),
    pytest.param(edit_saved(set_key("version", 1)), NOTICE_OLDER_VERSION, id="older-version"),
    pytest.param(edit_saved(set_key("version", 3)), NOTICE_OTHER_VERSION, id="newer-version"),
    pytest.param(edit_saved(set_key("version", "2")), UNREADABLE, id="version-str"),
    pytest.param(
        edit_saved(set_key("fingerprint", "0" * 64)), NOTICE_OTHER_QUESTIONS, id="other-set"
    ),
    pytest.param(edit_saved(set_key("seed", 1.5)), UNREADABLE, id="seed-float"),
    pytest.param(edit_saved(set_key("seed", True)), UNREADABLE, id="seed-bool"),
    pytest.param(edit_saved(set_key("current", 4)), UNREADABLE, id="current-range"),
    pytest.param(edit_saved(set_key("current", -1)), UNREADABLE, id="current-neg"),
    pytest.param(edit_saved(set_key("finished", 1)), UNREADABLE, id="finished-int"),
    pytest.param(edit_saved(set_key("finished", True)), UNREADABLE, id="finished-with-open"),
    pytest.param(edit_saved(set_key("review", "no")), UNREADABLE, id="review-str"),
    pytest.param(edit_saved(set_key("extra", 1)), UNREADABLE, id="extra-key"),
    pytest.param(edit_saved(lambda state: state["progress"].pop()), UNREADABLE, id="short"),
    pytest.param(edit_saved(set_progress(1, "selected", 4)), UNREADABLE, id="selected-range"),
    pytest.param(edit_saved(set_progress(1, "status", "maybe")), UNREADABLE, id="status"),
    pytest.param(edit_saved(set_progress(0, "attempts", True)), UNREADABLE, id="attempts-bool"),
    pytest.param(edit_saved(set_progress(0, "attempts", -1)), UNREADABLE, id="attempts-neg"),
    pytest.param(edit_saved(set_progress(0, "hint_used", "no")), UNREADABLE, id="hint-str"),
    pytest.param(edit_saved(set_progress(0, "shuffle", -1)), UNREADABLE, id="shuffle-neg"),
    pytest.param(edit_saved(set_progress(1, "entered", "1")), UNREADABLE, id="entered-on-choice"),
    pytest.param(
        edit_saved(set_progress(0, "first_try", True)), UNREADABLE, id="first-try-right-but-wrong"
    ),
    pytest.param(
        edit_saved(set_progress(0, "status", "correct")),
        UNREADABLE,
        id="correct-with-wrong-selection",
    ),
    pytest.param(
        edit_saved(set_progress(0, "wrong_tried", [])), UNREADABLE, id="wrong-not-recorded"
    ),
    pytest.param(
        edit_saved(lambda s: s["progress"][0].update(tries=3, attempts=3)),
        UNREADABLE,
        id="more-tries-than-allowed",
    ),
    pytest.param(
        edit_saved(set_progress(1, "first_answer", None)), UNREADABLE, id="first-answer-missing"
    ),
    pytest.param(
        edit_saved(set_progress(3, "attempts", 2)), UNREADABLE, id="attempts-without-first-try"
    ),
    pytest.param(
        edit_saved(lambda state: state["progress"][1].pop("hint_used")),
        UNREADABLE,
        id="missing-progress-key",
    ),
]


BAD_NUMERIC_SAVES = [
    pytest.param(
        edit_numeric_saved(set_progress(1, "entered", "abc")), UNREADABLE, id="entered-not-number"
    ),
    pytest.param(
        edit_numeric_saved(set_progress(1, "entered", "0.9")),
        UNREADABLE,
        id="correct-with-wrong-number",
    ),
    pytest.param(
        edit_numeric_saved(set_progress(1, "first_answer", "0.665")),
        UNREADABLE,
        id="first-try-wrong-but-right-number",
    ),
    pytest.param(
        edit_numeric_saved(set_progress(1, "selected", 0)), UNREADABLE, id="selected-on-numeric"
    ),
]


@pytest.mark.parametrize(("saved", "notice"), BAD_SAVES)
def test_unusable_saved_progress_gives_a_fresh_quiz_and_a_notice(saved: str, notice: str) -> None:
    """Corrupt, other-version, other-question or inconsistent saves reset with a notice."""
    game, got_notice = Quiz.restore(saved, QUESTIONS, seed=77)
    assert got_notice == notice
    assert game.to_saved() == Quiz(QUESTIONS, seed=77).to_saved()


@pytest.mark.parametrize(("saved", "notice"), BAD_NUMERIC_SAVES)
def test_unusable_numeric_progress_gives_a_fresh_quiz_and_a_notice(saved: str, notice: str) -> None:
    """Typed answers that are not numbers or disagree with their grade reset with a notice."""
    game, got_notice = Quiz.restore(saved, MIXED, seed=77)
    assert got_notice == notice
    assert game.to_saved() == Quiz(MIXED, seed=77).to_saved()


def test_edited_saves_in_the_table_started_from_a_valid_save() -> None:
    """The unedited saves behind BAD_SAVES restore cleanly, so each edit is what breaks it."""
    assert Quiz.restore(edit_saved(lambda state: None), QUESTIONS)[1] is None
    assert Quiz.restore(edit_numeric_saved(lambda state: None), MIXED)[1] is None


def test_a_version_1_save_is_discarded_with_the_older_version_notice() -> None:
    """A save written before two tries and second looks (version 1) resets with a notice."""
    old = {
        "version": 1,
        "fingerprint": quiz_schema.questions_fingerprint(QUESTIONS),
        "seed": 3,
        "current": 0,
        "finished": False,
        "progress": [
            {
                "selected": None,
                "status": "unanswered",
                "attempts": 0,
                "hint_used": False,
                "first_try": None,
                "wrong_tried": [],
            }
        ]
        * 4,
    }
    game, notice = Quiz.restore(json.dumps(old), QUESTIONS, seed=4)
    assert notice == NOTICE_OLDER_VERSION and game.seed == 4


def test_progress_for_changed_questions_is_discarded() -> None:
    """Changing what a question is (here which option is right) changes the fingerprint, so
    old progress is not applied."""
    saved = mid_quiz().to_saved()
    first = QUESTIONS[0]
    other_answer = (first.answer + 1) % len(first.options)
    changed = [first.__class__(**{**first.__dict__, "answer": other_answer}), *QUESTIONS[1:]]
    game, notice = Quiz.restore(saved, changed, seed=3)
    assert notice == NOTICE_OTHER_QUESTIONS
    assert game.view()["score"]["correct"] == 0


def reworded(question: quiz_schema.Question) -> quiz_schema.Question:
    """The question in other words, as a translation has it: same id, kind and answer."""
    words = {"stem": "Frage?", "hint": "Hinweis.", "explanation": "Erklärung."}
    words["options"] = tuple(f"Option {k}" for k in range(len(question.options)))
    if question.feedback is not None:
        words["feedback"] = tuple(f"Rückmeldung {k}" for k in range(len(question.feedback)))
    return question.__class__(**{**question.__dict__, **words})


def test_progress_survives_a_change_of_language() -> None:
    """The same questions in other words (questions.de.json) keep the learner's progress."""
    game = mid_quiz()
    game, notice = Quiz.restore(game.to_saved(), [reworded(q) for q in QUESTIONS], seed=3)
    assert notice is None
    assert game.seed == 31 and game.current == 1
    assert game.view()["score"]["correct"] == 1
    assert game.view()["stem"] == "Frage?"


def test_a_save_tied_to_the_english_words_is_still_restored() -> None:
    """Saves written before question files had languages hold the fingerprint of the whole
    English questions: they restore, and are saved again with the language-free fingerprint."""
    game = mid_quiz()
    state = json.loads(game.to_saved())
    state["fingerprint"] = quiz_schema.text_fingerprint(QUESTIONS)
    resumed, notice = Quiz.restore(json.dumps(state), QUESTIONS, seed=3)
    assert notice is None and resumed.progress == game.progress
    assert json.loads(resumed.to_saved())["fingerprint"] == quiz_schema.questions_fingerprint(
        QUESTIONS
    )
    # Such a save no longer matches once the words changed: progress is then set aside.
    _, notice = Quiz.restore(json.dumps(state), [reworded(q) for q in QUESTIONS], seed=3)
    assert notice == NOTICE_OTHER_QUESTIONS


# --------------------------------------------------------------------------- fuzzing

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def assert_restore_is_safe(saved: Any, questions: Any = QUESTIONS) -> None:
    game, notice = Quiz.restore(saved, questions, seed=1)
    assert notice is None or notice.startswith("Saved quiz progress")
    json.dumps(game.view())
    if notice is None and isinstance(saved, str) and saved.strip():
        again, notice_again = Quiz.restore(game.to_saved(), questions)
        assert notice_again is None and again.to_saved() == game.to_saved()


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_restore_never_raises_on_any_text(saved: str) -> None:
    """Arbitrary text is either restored or reset with a notice, never an exception."""
    assert_restore_is_safe(saved)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_restore_never_raises_on_any_json(value: Any) -> None:
    """Arbitrary JSON documents never make restore raise."""
    assert_restore_is_safe(json.dumps(value))


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(
        [
            mid_quiz,
            after_hints,
            after_wrong_answers,
            finished_quiz,
            retrying_wrong,
            second_look,
            numeric_answers,
        ]
    ),
    st.data(),
)
def test_restore_never_raises_on_edited_saves(make_quiz: Any, data: st.DataObject) -> None:
    """Valid saves with one value replaced by arbitrary JSON restore or reset, never raise."""
    game = make_quiz()
    state = json.loads(game.to_saved())
    if data.draw(st.booleans()):
        target = state
    else:
        target = data.draw(st.sampled_from(state["progress"]))
    key = data.draw(st.sampled_from(sorted(target)))
    target[key] = data.draw(json_values | st.integers(-3, 6) | st.sampled_from(TYPED))
    assert_restore_is_safe(json.dumps(state), game.questions)


TYPED = ["0.665", "0,66", "0.7", "1.386", "1", "abc", "", "  "]
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("select"), st.integers(0, 3)),
        st.tuples(st.just("check"), st.sampled_from(TYPED)),
        st.sampled_from(
            [("check",), ("show_hint",), ("next",), ("retry",), ("retry_wrong",), ("reset",)]
        ),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["choice", "mixed"]), st.integers(0, 2**31), ACTIONS)
def test_any_action_sequence_saves_and_restores_exactly(
    which: str, seed: int, actions: list[Any]
) -> None:
    """Whatever the learner does, the state stays consistent: it always restores unchanged."""
    questions = QUESTIONS if which == "choice" else MIXED
    game = Quiz(questions, seed=seed)
    for name, *args in actions:
        if name == "select":
            if game.question.kind == "numeric":
                continue
            args = [args[0] % len(game.question.options)]
        getattr(game, name)(*args)
        restored, notice = Quiz.restore(game.to_saved(), questions)
        assert notice is None
        assert view_without_notice(restored) == view_without_notice(game)
        score = game.view()["score"]
        # first-try successes are never reopened, so they are always among the correct ones
        assert 0 <= score["first_try"] <= score["correct"] <= score["total"]
