"""The quiz on the real page: keyboard use, teaching feedback, saved progress, bad files."""

import json

import pytest

from conftest import ONE, READY_TIMEOUT_MS, draw, goto_ready

STORAGE_KEY = "softmax-digits.quiz"


@pytest.fixture
def questions(site_dir) -> dict:
    return json.loads((site_dir / "questions.json").read_text())


@pytest.fixture
def quiz_page(ready_page):
    ready_page.wait_for_selector("#quiz fieldset[data-question-id]")
    return ready_page


def correct_text(questions: dict, question_id: str) -> str:
    question = next(q for q in questions["questions"] if q["id"] == question_id)
    return question["options"][question["answer"]]


def current_id(page) -> str:
    return page.get_attribute("#quiz fieldset", "data-question-id")


CHECKED_TEXT_JS = "document.querySelector('#quiz input:checked')?.parentElement.textContent.trim()"


def checked_text(page) -> str | None:
    return page.evaluate(f"() => {CHECKED_TEXT_JS}")


def settle(page) -> None:
    """Wait until every quiz action sent to Python has been answered and rendered."""
    page.wait_for_function("() => (document.getElementById('quiz').dataset.pending || '0') === '0'")


def active_is_radio(page) -> bool:
    return page.evaluate("() => document.activeElement?.type === 'radio'")


def choose(page, text: str) -> None:
    """Tick the option whose label is `text`, by mouse."""
    page.locator("#quiz label", has_text=text).click()
    page.wait_for_function(f"t => {CHECKED_TEXT_JS} === t", arg=text)


def score(page) -> tuple[int, int]:
    el = page.locator("#quiz-score")
    return int(el.get_attribute("data-correct")), int(el.get_attribute("data-total"))


def wait_score(page, correct: int) -> None:
    page.wait_for_selector(f"#quiz-score[data-correct='{correct}']")


def test_all_four_answered_correctly_with_the_keyboard_only(quiz_page, questions):
    """Tab to the options, arrow to the right one, Enter on Check and Next: 4/4 at the end."""
    page = quiz_page
    for n in range(4):
        qid = current_id(page)
        key = "Tab" if n == 0 else "Shift+Tab"
        for _ in range(80):
            if active_is_radio(page):
                break
            page.keyboard.press(key)
        assert active_is_radio(page), "no quiz option reachable with the keyboard"
        page.keyboard.press("Space")
        for _ in range(4):
            settle(page)
            if checked_text(page) == correct_text(questions, qid):
                break
            page.keyboard.press("ArrowDown")
        assert checked_text(page) == correct_text(questions, qid)
        settle(page)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "quiz-check"
        page.keyboard.press("Enter")
        wait_score(page, n + 1)
        assert page.evaluate("document.activeElement.id") == "quiz-next"
        page.keyboard.press("Enter")
        if n < 3:
            page.wait_for_function(
                f"() => document.querySelector('#quiz fieldset').dataset.questionId !== '{qid}'"
            )
    page.wait_for_function("() => document.getElementById('quiz-score').dataset.correct === '4'")
    assert score(page) == (4, 4)
    assert "4" in page.inner_text("#quiz-feedback")  # the summary


def test_wrong_answer_explains_links_to_the_lab_and_can_be_retried(quiz_page, questions):
    """A wrong choice shows why, the explanation and a link to the lab control; Retry works."""
    page = quiz_page
    qid = current_id(page)
    question = next(q for q in questions["questions"] if q["id"] == qid)
    wrong = next(o for i, o in enumerate(question["options"]) if i != question["answer"])
    choose(page, wrong)
    page.click("#quiz-check")
    page.wait_for_selector("#quiz-feedback a[data-lab-link]")
    feedback = page.inner_text("#quiz-feedback")
    assert question["explanation"] in feedback
    assert "Not quite" in feedback
    link = page.locator("#quiz-feedback a[data-lab-link]")
    assert link.get_attribute("data-lab-link") == question["lab_control"]
    page.click("#quiz-retry")
    page.wait_for_function("() => !document.querySelector('#quiz-feedback a')")
    choose(page, correct_text(questions, qid))
    page.click("#quiz-check")
    wait_score(page, 1)
    link.click()  # the link takes the learner to the control that demonstrates it
    target = {
        "shift": "shift",
        "scale": "scale",
        "cross-entropy": "true-label",
        "zero-logits": "zero-logits",
    }[question["lab_control"]]
    assert page.evaluate("document.activeElement.id") == target


def test_hint_is_shown_on_request(quiz_page, questions):
    """Hint reveals the question's hint text."""
    page = quiz_page
    qid = current_id(page)
    hint = next(q["hint"] for q in questions["questions"] if q["id"] == qid)
    page.click("#quiz-hint")
    page.wait_for_function(
        "t => document.getElementById('quiz-feedback').textContent.includes(t)", arg=hint
    )


def test_reload_keeps_progress(quiz_page, questions, base_url):
    """An answered question is still answered after a reload (localStorage)."""
    page = quiz_page
    choose(page, correct_text(questions, current_id(page)))
    page.click("#quiz-check")
    wait_score(page, 1)
    goto_ready(page, base_url)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    wait_score(page, 1)
    assert page.is_hidden("#quiz-notice")


def test_corrupt_saved_progress_gives_a_notice_and_a_fresh_quiz(quiz_page, base_url):
    """Garbage in localStorage: a short notice, score 0, and a working quiz."""
    page = quiz_page
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', '{{not json')")
    goto_ready(page, base_url)
    page.wait_for_selector("#quiz-notice:not([hidden])")
    assert "reset" in page.inner_text("#quiz-notice")
    assert score(page) == (0, 4)
    assert page.is_visible("#quiz fieldset[data-question-id] input[type=radio]")


def test_question_text_is_rendered_as_text_never_html(page, base_url, questions):
    """A stem holding <img onerror> is shown literally; no element is created, nothing runs."""
    evil = "<img src=x onerror=alert(1)>"
    questions["questions"][0]["stem"] = f"Softmax {evil} is unchanged because:"
    page.route(
        "**/questions.json",
        lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(questions)
        ),
    )
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base_url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    # The first question in display order is the file's first: the engine keeps file order.
    assert evil in page.inner_text("#quiz legend")
    assert page.locator("#quiz img").count() == 0
    assert dialogs == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ('{"version": 1, "questions": [', 200, "line"),
        ('{"version": 1, "questions": [{"id": "a"}]}', 200, "stem"),
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


def test_options_are_rebuilt_when_their_order_changes(quiz_page, site_dir):
    """Same question id, new option order (a reshuffle): the labels show the new order's texts.

    The two views are real quiz-engine views (CPython, two seeds), rendered by the page's own
    renderer, so a stale label can never sit beside another option's radio button.
    """
    import quiz
    import quiz_schema

    questions, _ = quiz_schema.parse_questions((site_dir / "questions.json").read_text())
    views = {}
    for seed in range(50):
        view = quiz.Quiz(questions, seed=seed).view()
        views.setdefault(tuple(o["text"] for o in view["options"]), view)
        if len(views) == 2:
            break
    first, second = views.values()
    shown = quiz_page.evaluate(
        """async ([first, second]) => {
            const { renderQuestion } = await import('./assets/js/quiz-view.js');
            const texts = () => [...document.querySelectorAll('#quiz fieldset label span')]
                .map((s) => s.textContent);
            renderQuestion(first, () => {});
            const before = texts();
            renderQuestion(second, () => {});
            return [before, texts()];
        }""",
        [first, second],
    )
    assert shown == [[o["text"] for o in v["options"]] for v in (first, second)]
