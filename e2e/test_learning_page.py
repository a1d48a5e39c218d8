"""Teaching the network in the page: real mouse, real Pyodide, the shipped digit sets."""

import json
import math

import pytest

from conftest import (
    SEVEN,
    THREE,
    act,
    draw,
    goto_ready,
    press_and_wait,
    set_control,
    values,
)
from scripts.site.audit import axe_violations

STORAGE_KEY = "softmax-digits/learned"


def learned(page) -> int:
    return int(page.get_attribute("html", "data-learned"))


def teach(page, label: str, steps: str) -> dict:
    """Choose the true digit and the step count, press Learn, wait for the press to render."""
    set_control(page, "#true-label", label)
    page.fill("#learn-steps", steps)
    before = learned(page)
    page.click("#learn")
    page.wait_for_function(
        f"+document.documentElement.dataset.learned > {before}"
        " && document.documentElement.dataset.idle === 'true'"
        " && document.getElementById('learn').getAttribute('aria-disabled') !== 'true'",
        timeout=60_000,
    )
    loss = page.locator("#learn-loss")
    check = page.locator("#check-accuracy")
    return {
        "loss_before": float(loss.get_attribute("data-before")),
        "loss_after": float(loss.get_attribute("data-after")),
        "check_before": float(check.get_attribute("data-before")),
        "check_after": float(check.get_attribute("data-after")),
    }


def test_teaching_a_drawn_3_the_label_8(ready_page):
    """10 steps with label 8: the loss falls, p(8) rises, 8 is the guess if the loss < log 2,
    the plot has a point per step, and the check digits' accuracy is shown before and after;
    the lab worker's wasm memory stays under 150 MB."""
    page = ready_page
    draw(page, THREE)
    p8_before = values(page, "data-prob")[8]
    result = teach(page, "8", "10")
    assert result["loss_after"] < result["loss_before"]
    assert values(page, "data-prob")[8] > p8_before
    if result["loss_after"] < math.log(2):
        assert page.text_content("#prediction") == "8"
    for key in ("check_before", "check_after"):
        assert 0 <= result[key] <= 1
    assert learned(page) == 1
    points = page.get_attribute("#learn-plot polyline", "points").split()
    assert len(points) == 11
    assert page.get_attribute("#learn-step-view", "max") == "10"
    assert "Personalised: 1 example" in page.text_content("#learned-state")
    # The first press computed the features of 1,400 digits: in chunks, so the lab worker's
    # wasm memory (which never shrinks) stays near its start-up size; all at once it was ~470 MB.
    wasm_mb = page.evaluate(
        "document.querySelector('script[type=\"py\"][worker]').xworker.sync.memory_mb()"
    )
    assert 30 < wasm_mb < 150


def test_forget_gives_back_the_shipped_logits(ready_page):
    """After teaching, Forget restores all ten logits of the fresh load bit for bit, learned = 0."""
    page = ready_page
    draw(page, THREE)
    fresh = values(page, "data-logit")
    teach(page, "8", "5")
    assert max(abs(a - b) for a, b in zip(values(page, "data-logit"), fresh, strict=True)) > 1e-3
    press_and_wait(page, "#forget", 0)
    after = values(page, "data-logit")
    assert after == fresh
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    assert page.is_disabled("#forget")


def test_undo_takes_back_the_last_lesson(ready_page):
    """Undo after a deliberately wrong label gives the logits of before that press."""
    page = ready_page
    draw(page, THREE)
    fresh = values(page, "data-logit")
    teach(page, "8", "5")
    press_and_wait(page, "#learn-undo", 0)
    assert values(page, "data-logit") == fresh


def test_what_was_taught_survives_a_reload(ready_page, base_url):
    """Teach, reload: data-learned is still 1 and the same drawing gets the taught logits."""
    page = ready_page
    draw(page, THREE)
    teach(page, "8", "5")
    taught = values(page, "data-logit")
    goto_ready(page, base_url)
    page.wait_for_function("document.documentElement.dataset.learned === '1'")
    draw(page, THREE)
    after = values(page, "data-logit")
    assert after == taught
    assert "Personalised: 1 example" in page.text_content("#learned-state")


def corrupt(saved: str, how: str) -> str:
    if how == "truncated":
        return saved[: len(saved) // 2]
    data = json.loads(saved)
    name = next(iter(data["arrays"]))
    if how == "wrong shape":
        data["arrays"][name] = data["arrays"][name][:-8]
    else:  # NaN: float32 0x7fc00000, little-endian, base64 of 12 bytes
        data["arrays"][name] = "AADAfwAAwH8AAMB/" + data["arrays"][name][16:]
    return json.dumps(data)


# The problem each damage must be named by (dense2_w: 128 x 10 float32, 5,120 bytes; cutting 8
# base64 characters leaves 5,115).
PROBLEMS = {
    "truncated": "it is not valid JSON, perhaps cut short",
    "wrong shape": "dense2_w has 5115 bytes, expected 5120 for shape (128, 10)",
    "nan": "dense2_w holds 3 NaN or infinite values",
}


@pytest.mark.parametrize("how", PROBLEMS)
def test_corrupt_saved_learning_is_discarded_with_a_notice(ready_page, base_url, how):
    """Corrupt saved weights: a notice naming the problem, the shipped weights (learned 0), a
    working page."""
    page = ready_page
    draw(page, THREE)
    fresh = values(page, "data-logit")
    teach(page, "8", "3")
    saved = page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [STORAGE_KEY, corrupt(saved, how)])
    goto_ready(page, base_url)
    page.wait_for_selector("#learn-notice:not([hidden])")
    assert page.text_content("#learn-notice") == (
        f"Saved learning could not be used ({PROBLEMS[how]}); the shipped weights are in use."
    )
    assert learned(page) == 0
    assert page.evaluate(f"localStorage.getItem('{STORAGE_KEY}')") is None
    draw(page, THREE)
    assert values(page, "data-logit") == fresh


def test_learn_says_why_it_is_disabled_and_refuses_bad_step_counts(ready_page):
    """Empty pad, then no label: #learn is disabled with the reason; bad steps get a message."""
    page = ready_page
    assert page.is_disabled("#learn")
    assert "Draw a digit first" in page.text_content("#learn-reason")
    draw(page, SEVEN)
    assert page.is_disabled("#learn")
    assert "Choose the true digit" in page.text_content("#learn-reason")
    set_control(page, "#true-label", "7")
    assert page.is_enabled("#learn")
    for bad in ("0", "51", "2.5", ""):
        page.fill("#learn-steps", bad)
        act(page, lambda: page.click("#learn"))
        page.wait_for_selector("#learn-notice:not([hidden])")
        assert "whole number from 1 to 50" in page.text_content("#learn-notice")
    assert learned(page) == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_learning_card(new_context, base_url, scheme):
    """axe: no violation with a lesson's result shown (plot, step bars) and with a notice."""
    context = new_context(base_url, viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    goto_ready(page, base_url)
    assert axe_violations(page) == []  # Learn disabled, with its reason
    draw(page, THREE)
    teach(page, "8", "5")
    assert axe_violations(page) == []
    page.fill("#learn-steps", "0")
    act(page, lambda: page.click("#learn"))
    page.wait_for_selector("#learn-notice:not([hidden])")
    assert axe_violations(page) == []


def test_a_missing_replay_file_is_reported_and_the_lab_keeps_working(
    page, base_url, hide_files, problems
):
    """With the replay digits gone (404), Learn says which file and why, nothing is learned,
    and drawing still gives a guess; a later press can still try again."""
    hide_files({"assets/digits/mnist-replay.npz"})
    problems.expected = ("404", "learning (learn) failed")
    goto_ready(page, base_url)
    draw(page, THREE)
    set_control(page, "#true-label", "3")
    page.click("#learn")
    page.wait_for_selector("#learn-notice:not([hidden])")
    notice = page.text_content("#learn-notice")
    assert "mnist-replay.npz" in notice and "HTTP 404" in notice and "lab still works" in notice
    assert learned(page) == 0
    page.wait_for_function(
        "document.getElementById('learn').getAttribute('aria-disabled') !== 'true'"
    )
    page.click("#clear")
    draw(page, SEVEN)
    assert page.text_content("#prediction") != ""
