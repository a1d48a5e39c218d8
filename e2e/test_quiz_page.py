"""The quiz on the real page: teaching feedback, numbers, predictions, keyboard use, saved
progress, the teacher's tools and bad files.

Tests of quiz behaviour serve fixture question files (tests/fixtures/) in place of
questions.json; tests on the shipped file work for any valid content.
"""

import json
from pathlib import Path

import pytest

from conftest import (
    ONE,
    READY_TIMEOUT_MS,
    SEVEN,
    THREE,
    act,
    draw,
    goto_ready,
    press_and_wait,
    set_control,
    values,
    wait_idle,
)
from scripts.site.audit import axe_violations

STORAGE_KEY = "softmax-digits.quiz"
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def fixture(name: str, ids: list[str] | None = None) -> dict:
    """A fixture question file, optionally only the questions with these ids, in that order."""
    data = json.loads((FIXTURES / name).read_text())
    if ids is not None:
        by_id = {q["id"]: q for q in data["questions"]}
        data["questions"] = [by_id[i] for i in ids]
    return data


def serve_questions(page, data: dict) -> None:
    """Answer the page's questions.json request with `data` (one page load)."""
    body = json.dumps(data)
    page.route(
        "**/questions.json",
        lambda route: route.fulfill(status=200, content_type="application/json", body=body),
    )


def open_quiz(page, base_url, data: dict | None = None) -> dict:
    """Load the page (with `data` as questions.json, if given) until the quiz shows."""
    if data is not None:
        serve_questions(page, data)
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    return data


@pytest.fixture
def questions(site_dir) -> dict:
    return json.loads((site_dir / "questions.json").read_text())


@pytest.fixture
def quiz_page(ready_page):
    ready_page.wait_for_selector("#quiz fieldset[data-question-id]")
    return ready_page


def question(data: dict, question_id: str) -> dict:
    return next(q for q in data["questions"] if q["id"] == question_id)


def correct_text(data: dict, question_id: str) -> str:
    entry = question(data, question_id)
    return entry["options"][entry["answer"]]


def wrong_texts(data: dict, question_id: str) -> list[str]:
    entry = question(data, question_id)
    return [o for i, o in enumerate(entry["options"]) if i != entry["answer"]]


def current_id(page) -> str:
    return page.get_attribute("#quiz fieldset", "data-question-id")


def option_texts(page) -> list[str]:
    return page.eval_on_selector_all(
        "#quiz fieldset label .option-text", "els => els.map(e => e.textContent)"
    )


def struck_texts(page) -> list[str]:
    return page.eval_on_selector_all(
        "#quiz fieldset label.tried .option-text", "els => els.map(e => e.textContent)"
    )


CHECKED_TEXT_JS = (
    "document.querySelector('#quiz input:checked')?.parentElement"
    ".querySelector('.option-text').textContent"
)


def checked_text(page) -> str | None:
    return page.evaluate(f"() => {CHECKED_TEXT_JS}")


def settle(page) -> None:
    """Wait until every quiz action sent to Python has been answered and rendered."""
    page.wait_for_function("() => (document.getElementById('quiz').dataset.pending || '0') === '0'")


def active_id(page) -> str:
    return page.evaluate("() => document.activeElement?.id || document.activeElement?.type || ''")


def choose(page, text: str) -> None:
    """Tick the option whose label is `text`, by mouse."""
    index = option_texts(page).index(text)
    page.locator("#quiz fieldset label:has(input[type=radio])").nth(index).click()
    page.wait_for_function(f"t => {CHECKED_TEXT_JS} === t", arg=text)
    settle(page)


def check(page) -> None:
    page.click("#quiz-check")
    settle(page)


def feedback(page) -> str:
    return page.inner_text("#quiz-feedback")


def score(page) -> tuple[int, int]:
    el = page.locator("#quiz-score")
    return int(el.get_attribute("data-correct")), int(el.get_attribute("data-total"))


def wait_score(page, correct: int) -> None:
    page.wait_for_selector(f"#quiz-score[data-correct='{correct}']")


def next_question(page) -> None:
    page.click("#quiz-next")
    settle(page)


def miss_twice(page, data: dict) -> None:
    """Two wrong tries at the current (multiple-choice) question."""
    qid = current_id(page)
    first, second, *_ = wrong_texts(data, qid)
    choose(page, first)
    check(page)
    choose(page, second)
    check(page)


# --------------------------------------------------------------------------- teaching


def test_first_wrong_try_shows_feedback_only_the_second_shows_the_explanation(page, base_url):
    """Wrong once: the option's feedback, no explanation, no lab link; wrong twice: all shown."""
    data = open_quiz(page, base_url, fixture("quiz_choice.json"))
    qid = current_id(page)
    entry = question(data, qid)
    first, second, *_ = wrong_texts(data, qid)
    choose(page, first)
    check(page)
    text = feedback(page)
    assert "Not quite" in text and entry["feedback"][entry["options"].index(first)] in text
    assert entry["explanation"] not in text
    assert page.locator("#quiz-feedback a[data-lab-link]").count() == 0
    assert struck_texts(page) == [first]
    assert page.is_enabled("#quiz-hint")
    assert active_id(page) == "quiz-retry"  # focus goes to the second try, not to Next

    choose(page, second)
    check(page)
    text = feedback(page)
    assert entry["explanation"] in text
    answer = correct_text(data, qid)  # a sentence with its own full stop: no second one
    assert f"The answer: {answer}" in text and f"{answer}." not in text
    link = page.locator("#quiz-feedback a[data-lab-link]")
    assert link.get_attribute("data-lab-link") == entry["lab_control"]
    assert page.inner_text("#quiz fieldset label.answer .option-text") == correct_text(data, qid)
    assert page.is_disabled("#quiz-hint") and page.is_disabled("#quiz-check")
    link.click()  # the link takes the learner to the control that demonstrates it
    assert page.evaluate("document.activeElement.id") == "shift"


def test_right_answer_shows_the_explanation_and_disables_the_hint(page, base_url):
    """A right answer reveals the explanation and lab link; the hint button turns off."""
    data = open_quiz(page, base_url, fixture("quiz_choice.json"))
    qid = current_id(page)
    page.click("#quiz-hint")
    settle(page)
    assert question(data, qid)["hint"] in feedback(page)
    assert page.is_disabled("#quiz-hint")  # one hint per question
    choose(page, correct_text(data, qid))
    check(page)
    assert question(data, qid)["explanation"] in feedback(page)
    assert page.is_disabled("#quiz-hint")
    wait_score(page, 1)


def test_hint_button_is_disabled_once_the_answer_is_revealed(page, base_url):
    """After two wrong tries (explanation shown) no hint can be asked for."""
    data = open_quiz(page, base_url, fixture("quiz_choice.json"))
    assert page.is_enabled("#quiz-hint")
    miss_twice(page, data)
    assert page.is_disabled("#quiz-hint")


def test_missed_questions_come_back_reshuffled_and_retry_missed_clears_strikes(page, base_url):
    """A missed question returns at the end in a new order, unstruck; so does Retry missed."""
    data = open_quiz(page, base_url, fixture("quiz_choice.json", ["argmax-scaling", "zero-logits"]))
    first_order = option_texts(page)
    miss_twice(page, data)
    assert len(struck_texts(page)) == 2
    next_question(page)
    choose(page, correct_text(data, current_id(page)))
    check(page)
    next_question(page)
    # The second look: the missed question again, options reshuffled, no strikes.
    assert current_id(page) == "argmax-scaling"
    assert "second look" in page.inner_text("#quiz-body")
    second_order = option_texts(page)
    assert second_order != first_order and sorted(second_order) == sorted(first_order)
    assert struck_texts(page) == []
    assert data["questions"][0]["explanation"] not in feedback(page)
    miss_twice(page, data)
    next_question(page)
    assert page.inner_text("#quiz-retry") == "Retry missed questions"
    assert "Retry the questions you missed" in feedback(page)
    page.click("#quiz-retry")
    settle(page)
    assert current_id(page) == "argmax-scaling"
    third_order = option_texts(page)
    assert third_order != second_order and struck_texts(page) == []
    assert page.is_enabled("#quiz fieldset input[type=radio]")


# --------------------------------------------------------------------------- numbers


def test_numeric_item_accepts_a_value_within_tolerance_and_rejects_one_outside(page, base_url):
    """0.6 is wrong (too low, no explanation), "abc" gets a message, 0,667 is right."""
    data = open_quiz(page, base_url, fixture("quiz_mixed.json", ["type-p0", "type-loss"]))
    entry = question(data, "type-p0")
    field = page.locator("#quiz-answer")
    assert field.get_attribute("inputmode") == "decimal"
    assert page.locator("#quiz input[type=radio]").count() == 0
    field.fill("0.6")
    check(page)
    text = feedback(page)
    assert "Not quite: 0.6 is too low." in text and entry["too_low"] in text
    assert entry["explanation"] not in text and score(page) == (0, 2)
    field.fill("abc")
    check(page)
    assert "“abc” is not a number" in feedback(page)
    field.fill("0,667")
    field.press("Enter")  # Enter in the field checks, as a form would
    settle(page)
    wait_score(page, 1)
    assert entry["explanation"] in feedback(page)
    assert page.is_disabled("#quiz-answer")
    next_question(page)
    assert page.input_value("#quiz-answer") == ""
    assert page.inner_text("#quiz-answer-units") == "nats"


# --------------------------------------------------------------------------- predictions


def test_predict_then_observe_sets_alpha_through_the_real_control(page, base_url):
    """Committing a prediction sets α = 5 in the lab; the page says what happened."""
    data = open_quiz(page, base_url, fixture("quiz_mixed.json", ["predict-sharpen"]))
    draw(page, SEVEN)
    set_control(page, "#scale", "0.1")  # a flat distribution first, so sharpening shows
    before = max(v for v in values(page, "data-prob") if v is not None)
    before_text = page.inner_text("tr.guess .p-text")
    choose(page, wrong_texts(data, "predict-sharpen")[0])  # a wrong prediction still observes
    check(page)
    page.wait_for_selector("#quiz-observation[data-done=true]")
    assert page.input_value("#scale") == "5"
    assert page.inner_text("#in-force-text") == "α = 5"
    after = max(v for v in values(page, "data-prob") if v is not None)
    assert after > before
    text = page.inner_text("#quiz-observation")
    assert text.startswith("What happened: the lab now applies α = 5 to your digit's logits")
    # The observation reads as the lab's table beside it, before and after.
    after_text = page.inner_text("tr.guess .p-text")
    assert f"top probability {before_text} → {after_text};" in text
    assert "Not what happens." in feedback(page)
    assert question(data, "predict-sharpen")["explanation"] in feedback(page)
    assert page.is_disabled("#quiz fieldset input[type=radio]")
    # Issue 32.1: the chip beside the guess names α = 5, and the quiz offers to put back what
    # it set (α = 0.1, the value before the prediction), through the same field.
    assert page.inner_text("#pad-in-force-text") == "In force: α = 5"
    act(page, lambda: page.click("#quiz-restore"))
    assert page.input_value("#scale") == "0.1"
    assert page.inner_text("#pad-in-force-text") == "In force: α = 0.1"
    assert page.is_hidden("#quiz-restore")


def test_predict_then_observe_presses_the_all_zero_button(page, base_url):
    """The all-zero prediction presses the real button: ten probabilities of 0.1."""
    data = open_quiz(page, base_url, fixture("quiz_mixed.json", ["predict-zero"]))
    draw(page, ONE)
    choose(page, correct_text(data, "predict-zero"))
    check(page)
    page.wait_for_selector("#quiz-observation[data-done=true]")
    assert page.get_attribute("#zero-logits", "aria-pressed") == "true"
    assert values(page, "data-prob") == pytest.approx([0.1] * 10)
    assert "Well predicted!" in feedback(page)
    assert "a tie between all ten digits" in page.inner_text("#quiz-observation")
    wait_score(page, 1)
    act(page, lambda: page.click("#quiz-restore"))  # all-zero off again (issue 32.1)
    assert page.get_attribute("#zero-logits", "aria-pressed") == "false"
    assert page.locator("#pad-in-force").is_hidden()


# --------------------------------------------------------------------------- keyboard


def focus_with_tab(page, wanted, key: str) -> None:
    for _ in range(80):
        if wanted():
            return
        page.keyboard.press(key)
    assert wanted(), "the quiz control is not reachable with the keyboard"


def test_every_question_answered_with_the_keyboard_only(quiz_page, questions):
    """Shipped quiz: Tab/arrows/typing, Enter on Check and Next: every question right. After
    Next, focus is on the new question's legend, so Tab leads into its options or field."""
    page = quiz_page
    total = len(questions["questions"])
    for n in range(total):
        qid = current_id(page)
        entry = question(questions, qid)
        if n > 0:
            assert page.evaluate("document.activeElement.tagName") == "LEGEND"
        key = "Tab"
        if entry.get("type") == "numeric":
            focus_with_tab(page, lambda: active_id(page) == "quiz-answer", key)
            page.keyboard.type(repr(entry["answer_value"]))
            page.keyboard.press("Enter")
        else:
            focus_with_tab(page, lambda: active_id(page) == "radio", key)
            page.keyboard.press("Space")
            for _ in range(len(entry["options"])):
                settle(page)
                if checked_text(page) == correct_text(questions, qid):
                    break
                page.keyboard.press("ArrowDown")
            assert checked_text(page) == correct_text(questions, qid)
            settle(page)
            page.keyboard.press("Tab")
            assert active_id(page) == "quiz-check"
            page.keyboard.press("Enter")
        wait_score(page, n + 1)
        settle(page)
        assert active_id(page) == "quiz-next"
        page.keyboard.press("Enter")
        if n < total - 1:
            page.wait_for_function(
                f"() => document.querySelector('#quiz fieldset').dataset.questionId !== '{qid}'"
            )
    page.wait_for_selector("#quiz-report:not([hidden])")
    assert score(page) == (total, total)
    summary = page.inner_text("#quiz-feedback .summary")
    assert (
        summary
        == f"You answered {total} of {total} questions correctly ({total} on the first try)."
    )
    assert page.is_disabled("#quiz-retry")  # all right first time: nothing to retry
    assert active_id(page) == "quiz-print"


# --------------------------------------------------------------------------- teacher's tools


def answer_right(page, questions) -> None:
    """Answer the current question right (typed or chosen) and wait for the score of 1."""
    qid = current_id(page)
    if question(questions, qid).get("type") == "numeric":
        page.fill("#quiz-answer", repr(question(questions, qid)["answer_value"]))
    else:
        choose(page, correct_text(questions, qid))
    check(page)
    wait_score(page, 1)


NEW_LEARNER_DONE = (
    "Cleared for the next learner: quiz progress, taught weights (the shipped network again) "
    "and saved code."
)
LEARNED_KEY, CODE_KEY = "softmax-digits/learned", "softmax-digits.code"
EXERCISE = Path(__file__).resolve().parent.parent / "py" / "learner_code" / "exercise"
STARTER = (EXERCISE / "starter.py").read_text()


def test_new_learner_clears_progress_only_after_confirmation(quiz_page, questions, base_url):
    """New learner asks "Really clear?" in the page; No keeps the answers, Yes clears them."""
    page = quiz_page
    answer_right(page, questions)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.click("#quiz-new-learner")
    assert page.is_visible("#quiz-new-learner-confirm")
    assert page.get_attribute("#quiz-new-learner-confirm", "role") == "group"
    assert page.inner_text("#quiz-new-learner-question") == (
        "Really clear this learner's quiz answers, the weights they taught the network and "
        "their saved code?"
    )
    assert active_id(page) == "quiz-new-learner-no"
    page.keyboard.press("Enter")  # No
    assert page.is_hidden("#quiz-new-learner-confirm") and score(page) == (
        1,
        len(questions["questions"]),
    )
    assert active_id(page) == "quiz-new-learner"
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # Escape is No too
    assert page.is_hidden("#quiz-new-learner-confirm") and score(page)[0] == 1
    page.click("#quiz-new-learner")
    page.click("#quiz-new-learner-yes")
    settle(page)
    wait_score(page, 0)
    page.wait_for_function(
        "t => document.getElementById('quiz-learner-status').textContent === t",
        arg=NEW_LEARNER_DONE,
    )
    assert dialogs == []  # a real in-page step, not window.confirm
    goto_ready(page, base_url)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    assert score(page)[0] == 0 and page.is_hidden("#quiz-notice")


def raw_logits(page) -> list[str]:
    """The ten logits' data-value texts, k = 0..9, exactly as the page wrote them."""
    return [page.get_attribute(f"[data-logit='{k}']", "data-value") for k in range(10)]


def stored(page, key: str) -> str | None:
    return page.evaluate("k => localStorage.getItem(k)", key)


def open_code_panel(page) -> None:
    page.click("#code-panel summary")
    page.wait_for_selector("#code-panel[data-editor=ready]", timeout=30_000)
    page.wait_for_selector("#code-panel[data-python=ready]", timeout=READY_TIMEOUT_MS)


def test_new_learner_also_forgets_taught_weights_and_saved_code(new_context, base_url):
    """After Learn, saved code and "Use my softmax", New learner gives the next learner the
    shipped network (the logits of a fresh page, every bit, data-learned 0, no saved learning),
    the starting code in the open editor (none saved) and the built-in softmax; a reload
    finds nothing of the last learner either."""
    context = new_context(base_url, viewport={"width": 1280, "height": 800})
    fresh = context.new_page()
    goto_ready(fresh, base_url)
    draw(fresh, THREE)
    shipped = raw_logits(fresh)
    fresh.close()

    page = context.new_page()
    goto_ready(page, base_url)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    draw(page, THREE)
    assert raw_logits(page) == shipped
    set_control(page, "#true-label", "8")
    page.fill("#learn-steps", "5")
    press_and_wait(page, "#learn", 1, timeout=60_000)
    assert raw_logits(page) != shipped and stored(page, LEARNED_KEY) is not None
    open_code_panel(page)
    solution = (EXERCISE / "solution.py").read_text()
    page.evaluate("t => window.softmaxDigits.setCode(t)", "# the last learner\n" + solution)
    act(page, lambda: page.click("#use-mine"))
    assert page.get_attribute("html", "data-softmax-source") == "mine"

    page.click("#quiz-new-learner")
    page.click("#quiz-new-learner-yes")
    page.wait_for_function(  # done: the status says so, whatever it says
        "!['', 'Clearing…'].includes(document.getElementById('quiz-learner-status').textContent)"
    )
    wait_idle(page)
    assert page.get_attribute("html", "data-learned") == "0"
    assert "Shipped weights: nothing taught." in page.inner_text("#learned-state")
    assert raw_logits(page) == shipped
    assert stored(page, LEARNED_KEY) is None and stored(page, CODE_KEY) is None
    assert page.evaluate("() => window.softmaxDigits.getCode()") == STARTER
    assert page.get_attribute("#use-mine", "aria-pressed") == "false"
    assert page.get_attribute("html", "data-softmax-source") == "builtin"
    assert page.inner_text("#quiz-learner-status") == NEW_LEARNER_DONE

    goto_ready(page, base_url)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    assert page.get_attribute("html", "data-learned") == "0"
    assert stored(page, LEARNED_KEY) is None and stored(page, CODE_KEY) is None
    draw(page, THREE)
    assert raw_logits(page) == shipped
    open_code_panel(page)
    assert page.evaluate("() => window.softmaxDigits.getCode()") == STARTER


def test_reset_starts_over_only_after_confirmation(quiz_page, questions):
    """Reset asks "Start the quiz over?" in the page, like New learner: No (focused) and
    Escape keep the answers; Yes starts over with the score back to 0."""
    page = quiz_page
    answer_right(page, questions)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.click("#quiz-reset")
    assert page.is_visible("#quiz-reset-confirm") and page.is_hidden("#quiz-reset")
    assert page.get_attribute("#quiz-reset-confirm", "role") == "group"
    assert "Start the quiz over?" in page.inner_text("#quiz-reset-confirm")
    assert active_id(page) == "quiz-reset-no"
    page.keyboard.press("Enter")  # No
    assert page.is_hidden("#quiz-reset-confirm") and score(page)[0] == 1
    assert active_id(page) == "quiz-reset"
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # Escape is No too
    assert page.is_hidden("#quiz-reset-confirm") and score(page)[0] == 1
    page.click("#quiz-reset")
    page.click("#quiz-reset-yes")
    settle(page)
    wait_score(page, 0)
    assert dialogs == []  # a real in-page step, not window.confirm


def test_printable_summary_lists_first_answers_and_prints_alone(page, base_url):
    """At the end: a summary table (first answers, hints); print media shows only it."""
    data = open_quiz(page, base_url, fixture("quiz_mixed.json", ["pick-sum", "type-loss"]))
    page.click("#quiz-hint")
    settle(page)
    wrong = wrong_texts(data, "pick-sum")[0]
    choose(page, wrong)
    check(page)
    choose(page, correct_text(data, "pick-sum"))
    check(page)
    next_question(page)
    page.fill("#quiz-answer", "1.386")
    check(page)
    next_question(page)
    page.wait_for_selector("#quiz-report:not([hidden])")
    rows = page.eval_on_selector_all(
        "#quiz-report-rows tr", "trs => trs.map(tr => [...tr.cells].map(c => c.textContent))"
    )
    assert rows == [
        ["1", data["questions"][0]["stem"], wrong, "wrong", "correct", "yes"],
        ["2", data["questions"][1]["stem"], "1.386 nats", "right", "correct", "no"],
    ]
    assert "2 of 2 correct, 1 on the first try; hints used: 1." in page.inner_text("#quiz-report")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed++; }; }")
    page.click("#quiz-print")
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    assert page.is_visible("#quiz-report table") and page.is_visible("#quiz-report .print-only")
    for hidden in (".lab", ".lesson", "header", "footer", "#quiz-feedback", "#quiz-body"):
        assert page.is_hidden(hidden), hidden
    assert page.is_hidden("#quiz-print") and page.is_hidden("#quiz-new-learner")
    page.emulate_media(media="screen")
    assert page.is_visible(".lab") and page.is_hidden("#quiz-report .print-only")


def test_teacher_guide_is_linked_from_the_footer_and_published(quiz_page, base_url):
    """The footer links to the teacher guide as an HTML page (built from docs/teachers.md),
    read as utf-8 whatever the server says."""
    href = quiz_page.get_attribute("footer a#teacher-guide", "href")
    assert href == "docs/teachers.html"
    quiz_page.click("footer a#teacher-guide")
    quiz_page.wait_for_url(base_url + href)
    assert quiz_page.inner_text("h1").startswith("Teacher guide")
    assert "Settings → Pages" in quiz_page.inner_text("body")
    assert quiz_page.evaluate("document.characterSet") == "UTF-8"
    assert quiz_page.locator("a", has_text="lesson sheet").get_attribute("href") == "lesson.html"
    assert axe_violations(quiz_page) == []


def test_edited_question_text_is_shown_as_long_as_the_file_validates(page, base_url, questions):
    """A teacher's rewritten stem appears on the page: tests pin no question text."""
    questions["questions"][0]["stem"] = "A teacher's own question: what does softmax return?"
    open_quiz(page, base_url, questions)
    assert page.inner_text("#quiz legend") == questions["questions"][0]["stem"]


# --------------------------------------------------------------------------- saved progress


def test_reload_keeps_progress(page, base_url, site_dir):
    """An answered question is still answered after a reload (localStorage), even when the
    reload shows the page in German (?lang=de): the quiz then reads questions.de.json and
    shows its first question, with the progress saved in English."""
    goto_ready(page, base_url)  # the shipped questions: a reload may come from the offline cache
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    if page.locator("#quiz input[type=radio]").count():
        page.locator("#quiz fieldset label").first.click()
    else:
        page.fill("#quiz-answer", "0")
    settle(page)
    check(page)
    attempts = page.evaluate(f"JSON.parse(localStorage.getItem('{STORAGE_KEY}')).progress[0]")
    assert attempts["attempts"] == 1
    goto_ready(page, base_url.rstrip("/") + "/?lang=de")
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    settle(page)
    saved = page.evaluate(f"JSON.parse(localStorage.getItem('{STORAGE_KEY}')).progress[0]")
    assert saved == attempts and page.is_hidden("#quiz-notice")
    assert page.inner_text("#quiz-feedback") != ""
    german = json.loads((site_dir / "questions.de.json").read_text(encoding="utf-8"))
    assert page.inner_text("#quiz fieldset legend") == german["questions"][0]["stem"]
    assert page.inner_text("#quiz .quiz-progress") == f"Frage 1 von {len(german['questions'])}"


def test_corrupt_saved_progress_gives_a_notice_and_a_fresh_quiz(quiz_page, base_url):
    """Garbage in localStorage: a short notice, score 0, and a working quiz."""
    page = quiz_page
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', '{{not json')")
    goto_ready(page, base_url)
    page.wait_for_selector("#quiz-notice:not([hidden])")
    assert "reset" in page.inner_text("#quiz-notice")
    assert score(page)[0] == 0
    assert page.is_visible("#quiz fieldset[data-question-id]")


def test_a_save_from_the_previous_quiz_version_is_discarded_with_a_notice(quiz_page, base_url):
    """Version 1 progress (before two tries) resets with the older-version notice."""
    page = quiz_page
    old = {"version": 1, "fingerprint": "x", "seed": 1, "current": 0, "finished": False}
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', {json.dumps(json.dumps(old))})")
    goto_ready(page, base_url)
    page.wait_for_selector("#quiz-notice:not([hidden])")
    assert "older version" in page.inner_text("#quiz-notice")
    assert score(page)[0] == 0


# --------------------------------------------------------------------------- bad files


def test_question_text_is_rendered_as_text_never_html(page, base_url):
    """A stem holding <img onerror> is shown literally; no element is created, nothing runs."""
    evil = "<img src=x onerror=alert(1)>"
    data = fixture("quiz_choice.json")
    data["questions"][0]["stem"] = f"Softmax {evil} is unchanged because:"
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_quiz(page, base_url, data)
    # The first question in display order is the file's first: the engine keeps file order.
    assert evil in page.inner_text("#quiz legend")
    assert page.locator("#quiz img").count() == 0
    assert dialogs == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ('{"version": 1, "questions": [', 200, "line"),
        ('{"version": 1, "questions": [{"id": "a"}]}', 200, "stem"),
        (
            '{"version": 1, "questions": [{"type": "numeric", "id": "a", "stem": "s", "hint": "h",'
            ' "explanation": "e", "lab_control": "shift", "answer_value": 1, "tolerance": 0}]}',
            200,
            'Question 1 ("a"): field "tolerance" is 0',
        ),
        ("", 404, "HTTP 404"),
    ],
)
def test_broken_questions_file_shows_messages_and_drawing_still_works(
    page, base_url, problems, body, status, message
):
    """A broken or missing questions.json shows the validator's messages; the lab still works."""
    problems.expected = ("404",)
    page.route(
        "**/questions.json",
        lambda route: route.fulfill(status=status, content_type="application/json", body=body),
    )
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#quiz .quiz-errors li")
    assert message in page.inner_text("#quiz .quiz-errors")
    assert page.is_disabled("#quiz-check")
    draw(page, ONE)
    assert page.inner_text("#prediction") != ""


def test_options_are_rebuilt_when_their_order_changes(quiz_page):
    """Same question id, new option order (a reshuffle): the labels show the new order's texts.

    The two views are real quiz-engine views (CPython, before and after a reshuffle), rendered
    by the page's own renderer, so a stale label can never sit beside another option's radio.
    """
    import quiz
    import quiz_schema

    questions, _ = quiz_schema.parse_questions((FIXTURES / "quiz_choice.json").read_text())
    game = quiz.Quiz(questions, seed=3)
    first = game.view()
    game.reshuffle(0)
    second = game.view()
    shown = quiz_page.evaluate(
        """async ([first, second]) => {
            const { renderQuestion } = await import('./assets/js/quiz-view.js');
            const texts = () => [...document.querySelectorAll('#quiz fieldset .option-text')]
                .map((s) => s.textContent);
            renderQuestion(first, () => {});
            const before = texts();
            renderQuestion(second, () => {});
            return [before, texts()];
        }""",
        [first, second],
    )
    assert shown == [[o["text"] for o in v["options"]] for v in (first, second)]
    assert shown[0] != shown[1]
