"""The quiz followed without help (issue 32, points 5, 6 and 8), in one page load: keyboard
focus lands on each new question after Retry and Next; a prediction on a drawing too sure to
show a change runs on the ambiguous example and says so; #quiz-restore puts the lab's controls
back; the end says "Quiz finished" and shows the summary, which fits a 320 px phone."""

from test_quiz_page import (
    check,
    choose,
    correct_text,
    feedback,
    fixture,
    open_quiz,
    question,
    settle,
    wrong_texts,
)

from conftest import SEVEN, draw, set_control, values
from scripts.site.audit import axe_violations

FOCUSED_LEGEND_JS = (
    "() => document.activeElement.tagName === 'LEGEND' &&"
    " document.activeElement.closest('fieldset').dataset.questionId"
)


def focused_question(page) -> str | bool:
    """The id of the question whose legend has keyboard focus (False when focus is elsewhere)."""
    return page.evaluate(FOCUSED_LEGEND_JS)


def progress(page) -> str:
    return page.inner_text("#quiz .quiz-progress")


def test_a_learner_alone_goes_through_the_quiz_with_the_keyboard(page, base_url):
    data = open_quiz(page, base_url, fixture("quiz_mixed.json", ["pick-sum", "predict-sharpen"]))
    page.wait_for_selector("#presets[data-state=ready]")
    draw(page, SEVEN)
    set_control(page, "#scale", "100")  # sure of its guess: sharpening could show nothing
    assert max(v for v in values(page, "data-prob") if v is not None) >= 0.99

    # A wrong try, then Retry (Enter): focus goes to the question, not on to Next.
    choose(page, wrong_texts(data, "pick-sum")[0])
    check(page)
    assert page.evaluate("document.activeElement.id") == "quiz-retry"
    page.keyboard.press("Enter")
    settle(page)
    assert focused_question(page) == "pick-sum"
    assert page.evaluate("document.activeElement.tabIndex") == -1  # script focus only
    page.keyboard.press("Tab")  # from the question into its options
    assert page.evaluate("document.activeElement.type") == "radio"
    choose(page, correct_text(data, "pick-sum"))
    check(page)
    assert page.inner_text("#quiz-next") == "Next"

    # Next (Enter): focus on the new question, whose legend is its stem; a second Enter
    # cannot skip it.
    page.focus("#quiz-next")
    page.keyboard.press("Enter")
    settle(page)
    assert focused_question(page) == "predict-sharpen"
    assert (
        page.evaluate("document.activeElement.textContent")
        == question(data, "predict-sharpen")["stem"]
    )
    assert progress(page) == "Question 2 of 2"
    page.keyboard.press("Enter")
    settle(page)
    assert focused_question(page) == "predict-sharpen"

    # The prediction: the drawing is too sure, so the ambiguous 1-or-7 example is loaded at
    # α = 1 first, and the observation says so before what α = 5 changed.
    choose(page, correct_text(data, "predict-sharpen"))
    check(page)
    page.wait_for_selector("#quiz-observation[data-done=true]")
    observation = page.inner_text("#quiz-observation")
    assert observation.startswith("Your drawing was too sure to show a change (top probability")
    assert "loaded the ambiguous example “1 or 7?” at α = 1 first" in observation
    assert "to the example's logits" in observation
    assert page.inner_text("#preset-prompt").startswith("1 or 7?")
    assert page.input_value("#scale") == "5"
    before, after = observation.split("top probability ")[2].split(";")[0].split(" → ")
    assert before != after  # on the example the change shows
    assert "Well predicted!" in feedback(page)

    assert axe_violations(page) == []  # the observation and the restore offer

    # Restore: α back to 100 (what the learner had), c and all-zero as they were.
    assert page.is_visible("#quiz-restore")
    assert "Before: α = 100, c = 0." in page.inner_text("#quiz-restore-text")
    page.click("#quiz-restore")
    settle(page)
    assert page.input_value("#scale") == "100" and page.input_value("#shift") == "0"
    assert page.get_attribute("#zero-logits", "aria-pressed") != "true"
    assert page.is_hidden("#quiz-restore")
    assert page.inner_text("#quiz-restore-text").startswith("The lab's controls are back")

    # The end: Next reads "Show the summary"; then "Quiz finished" and the summary.
    assert page.inner_text("#quiz-next") == "Show the summary"
    page.focus("#quiz-next")
    page.keyboard.press("Enter")
    settle(page)
    page.wait_for_selector("#quiz-report:not([hidden])")
    assert progress(page) == "Quiz finished"
    assert "Question" not in progress(page)
    assert page.inner_text("#quiz-feedback .summary").startswith("You answered 2 of 2")
    # Focus stays with the summary's buttons (one miss on the first try: retry it first).
    assert page.evaluate("document.activeElement.id") == "quiz-retry"
    assert page.inner_text("#quiz-retry") == "Retry missed questions"

    # The summary on a narrow phone: each row a stack of labelled lines, nothing sideways.
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#quiz-report").scroll_into_view_if_needed()
    box = page.locator("#quiz-report-rows tr").first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert axe_violations(page) == []  # the finished quiz, its table stacked
