"""Examples (presets) and links that open a lab state, on the real page.

The network is being retrained, so no test says which digit an example is read as: each
compares the page with itself (a link against the same state set by hand) or with the same
network run in CPython on the very pixels the page used.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest

from conftest import (
    READY_TIMEOUT_MS,
    SEVEN,
    act,
    canvas_rgba,
    copy_link,
    draw,
    draw_stroke,
    goto_ready,
    press_and_wait,
    set_control,
    values,
    wait_idle,
)
from digit_sets import to_inputs
from network import load_network
from preprocess import examine_rgba
from presets import load_presets
from scripts.site.audit import axe_violations

PRESETS = "assets/presets.json"


@pytest.fixture(scope="module")
def shipped(site_dir) -> list[dict]:
    """The presets as the page's Python reads them from the served file."""
    loaded = load_presets((site_dir / PRESETS).read_text())
    assert loaded["errors"] == []
    return loaded["presets"]


@pytest.fixture(scope="module")
def network(site_dir):
    return load_network(str(site_dir / "assets" / "model.npz"))


def first(presets: list[dict], kind: str) -> dict:
    return next(p for p in presets if p[kind] is not None)


def open_link(page, base_url: str, query: str = "", state: str = "ready") -> None:
    """Load the page with `query` and wait until the examples are built, the link applied and
    the lab idle."""
    page.goto(base_url + query)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector(f"#presets[data-state={state}]", timeout=30_000)
    wait_idle(page)


def lab_state(page) -> dict:
    """Everything a link should reproduce, as the page shows it."""
    return {
        "logits": values(page, "data-logit"),
        "probs": values(page, "data-prob"),
        "zero": page.get_attribute("#zero-logits", "aria-pressed"),
        "shift": page.input_value("#shift"),
        "scale": page.input_value("#scale"),
        "label": page.input_value("#true-label"),
        "log": page.get_attribute("#prob-scale", "aria-pressed"),
        "prompt": page.inner_text("#preset-prompt") if page.is_visible("#preset-prompt") else "",
    }


def test_each_preset_loads_by_click_and_keyboard(page, base_url, shipped, network):
    """Every preset button (a real <button>) loads its example, by click, Enter or Space, and
    shows its prompt. A ready-made digit is scored exactly (its true digit selected); strokes
    are replayed onto the pad and read like a drawing (the page's numbers are the network's on
    the canvas's own pixels, through the real preprocessing); the dot gets the too-small note."""
    open_link(page, base_url)
    buttons = page.locator("#presets button[data-preset]")
    assert buttons.count() == len(shipped)
    for n, preset in enumerate(shipped):
        button = page.locator(f'#presets button[data-preset="{preset["name"]}"]')
        assert button.inner_text() == preset["title"]
        if n % 3 == 0:
            act(page, button.click)
        else:
            button.focus()
            act(page, lambda n=n: page.keyboard.press("Enter" if n % 3 == 1 else "Space"))
        assert page.inner_text("#preset-prompt") == f"{preset['title']}: {preset['prompt']}"
        label = "" if preset["label"] is None else str(preset["label"])
        assert page.input_value("#true-label") == label
        if preset["pixels"] is not None:
            inputs = to_inputs(np.array(preset["pixels"], np.uint8))
        else:
            inputs, why = examine_rgba(np.frombuffer(canvas_rgba(page), np.uint8), 280)
        if preset["name"] == "dot":
            assert inputs is None and why == "too_small"
            assert page.is_visible("#empty-note")
            assert "too small" in page.inner_text("#empty-note")
            assert page.inner_text("#prediction") == ""
            assert values(page, "data-prob") == [None] * 10
            continue
        logits = np.array(values(page, "data-logit"))
        assert np.max(np.abs(logits - network.logits(inputs))) < 1e-4
        assert sum(values(page, "data-prob")) == pytest.approx(1, abs=1e-9)
        assert page.is_hidden("#empty-note")


def load_preset(page, preset: dict) -> None:
    """Click the example's button, as a learner would, and wait for the lab update."""
    act(page, page.locator(f'#presets button[data-preset="{preset["name"]}"]').click)


def linked_and_by_hand(context, base_url: str, preset: dict, query: str) -> tuple:
    """Two pages of one context: one opened by the link ?sample=<preset>&<query>, one with the
    preset loaded by hand (the test then sets by hand what the query sets)."""
    linked = context.new_page()
    open_link(linked, base_url, f"?sample={preset['name']}&{query}")
    by_hand = context.new_page()
    open_link(by_hand, base_url)
    load_preset(by_hand, preset)
    return linked, by_hand


def test_a_link_gives_exactly_the_state_set_by_hand(new_context, base_url, shipped):
    """?sample=<MNIST preset>&alpha=0.5&label=9 shows exactly the probabilities (every bit)
    of loading that preset and then setting α = 0.5 and the true digit 9 with the controls."""
    preset = first(shipped, "pixels")
    query = "alpha=0.5&label=9"
    linked, by_hand = linked_and_by_hand(new_context(base_url), base_url, preset, query)
    set_control(by_hand, "#scale", "0.5")
    set_control(by_hand, "#true-label", "9")
    assert lab_state(linked) == lab_state(by_hand)
    assert lab_state(linked)["scale"] == "0.5" and lab_state(linked)["label"] == "9"
    assert None not in lab_state(linked)["probs"]
    assert linked.is_hidden("#link-note")


def test_a_garbage_link_is_ignored_with_a_note_and_the_page_works(page, base_url):
    """Each unusable parameter is named in #link-note with its value and the reason; nothing
    else changes, no error is raised, and drawing still gives probabilities."""
    open_link(page, base_url, "?sample=nope&alpha=abc&label=12&zzz=1")
    assert page.is_visible("#link-note")
    items = page.locator("#link-note li[data-param]")
    assert items.evaluate_all("els => els.map(e => e.dataset.param)") == [
        "sample",
        "alpha",
        "label",
        "zzz",
    ]
    texts = items.all_inner_texts()
    for text, given in zip(texts, ("nope", "abc", "12", "1"), strict=True):
        assert f"={given}: " in text
    assert "no example" in texts[0] and "plain decimal number" in texts[1]
    assert "digit 0-9" in texts[2] and "not a link parameter" in texts[3]
    assert page.input_value("#scale") == "1" and page.input_value("#true-label") == ""
    assert page.is_hidden("#preset-prompt")
    draw(page, SEVEN)
    probs = values(page, "data-prob")
    assert None not in probs and sum(probs) == pytest.approx(1, abs=1e-9)
    assert page.inner_text("#prediction") != ""


def test_copy_link_reopens_the_state(new_context, base_url, shipped):
    """#copy-link puts on the clipboard (and in #copy-link-url) a URL that, opened in a new
    page, shows the same example, controls, log view and probabilities; once the example is
    drawn over, the link no longer names it but carries the strokes."""
    preset = first(shipped, "strokes")
    context = new_context(base_url, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_link(page, base_url)
    load_preset(page, preset)
    set_control(page, "#shift", "3")
    set_control(page, "#scale", "2.5")
    set_control(page, "#true-label", "4")
    page.click("#prob-scale")
    page.click("#copy-link")
    page.wait_for_function("document.getElementById('copy-link-status').textContent !== ''")
    assert page.inner_text("#copy-link-status") == "Link copied."
    url = page.evaluate("navigator.clipboard.readText()")
    assert url == page.input_value("#copy-link-url")
    assert page.is_hidden("#copy-link-fallback")
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "sample": [preset["name"]],
        "shift": ["3"],
        "alpha": ["2.5"],
        "label": ["4"],
        "log": ["1"],
    }
    reopened = context.new_page()
    open_link(reopened, url)
    assert lab_state(reopened) == lab_state(page)
    assert reopened.is_hidden("#link-note")

    page.locator("#pad").scroll_into_view_if_needed()  # clicking #copy-link scrolled the page
    act(page, lambda: draw_stroke(page, [(20, 260), (60, 260)]))
    drawn_over = parse_qs(urlsplit(copy_link(page)).query)
    # The learner's strokes now: the link carries them as ink (e2e/test_teacher_links.py).
    assert "sample" not in drawn_over and "ink" in drawn_over


def test_a_zero_link_opens_with_all_zero_logits(new_context, base_url, shipped):
    """?sample=<MNIST preset>&zero=1 opens with the all-zero button pressed: every logit 0 and
    every probability 1/10, exactly as loading the preset and pressing the button by hand."""
    preset = first(shipped, "pixels")
    linked, by_hand = linked_and_by_hand(new_context(base_url), base_url, preset, "zero=1")
    act(by_hand, lambda: by_hand.click("#zero-logits"))
    state = lab_state(linked)
    assert state == lab_state(by_hand)
    assert state["zero"] == "true" and state["logits"] == [0.0] * 10
    assert state["probs"] == [0.1] * 10
    assert "all logits set to 0" in linked.inner_text("#in-force-text")
    assert linked.is_hidden("#link-note")


def test_copy_link_carries_all_zero_logits(new_context, base_url, shipped):
    """With the all-zero button pressed the copied link holds zero=1 and reopens that state."""
    preset = first(shipped, "pixels")
    context = new_context(base_url, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_link(page, base_url)
    load_preset(page, preset)
    act(page, lambda: page.click("#zero-logits"))
    url = copy_link(page)
    assert parse_qs(urlsplit(url).query) == {
        "sample": [preset["name"]],
        "label": [str(preset["label"])],
        "zero": ["1"],
    }
    reopened = context.new_page()
    open_link(reopened, url)
    assert lab_state(reopened) == lab_state(page)
    assert lab_state(reopened)["logits"] == [0.0] * 10


def test_copy_link_says_the_taught_weights_stay_behind(new_context, base_url, shipped):
    """After Learn, the copied link still reopens the controls but cannot carry the weights
    taught in this browser: the status says so (the receiver sees the shipped network)."""
    preset = first(shipped, "pixels")
    context = new_context(base_url, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_link(page, base_url)
    load_preset(page, preset)
    page.fill("#learn-steps", "2")
    press_and_wait(page, "#learn", 1, timeout=60_000)
    copy_link(page)
    assert page.inner_text("#copy-link-status") == (
        "Link copied. It does not carry the weights taught in this browser (1 example): whoever "
        "opens it sees the shipped network's numbers (Download my network gives them a file to "
        "load)."
    )
    page.click("#forget")
    page.wait_for_function("document.documentElement.dataset.learned === '0'")
    wait_idle(page)
    copy_link(page)
    assert page.inner_text("#copy-link-status") == "Link copied."


def test_a_bad_zero_in_a_link_is_named_and_shown_as_text(page, base_url):
    """zero= takes 1 or 0 (on/off) like log=; anything else, markup included, is listed in
    #link-note verbatim, as text, with the rule; the link's other parameters still apply."""
    hostile = "<img src=x onerror=alert(1)>"
    open_link(page, base_url, "?" + urlencode([("zero", "maybe"), ("zero", "1"), ("alpha", "2")]))
    assert page.locator("#link-note li[data-param]").all_inner_texts() == [
        "zero=maybe: zero must be 1 or 0 (on or off), got “maybe”.",
        "zero=1: given more than once; the first one is used.",
    ]
    assert page.input_value("#scale") == "2"
    assert page.get_attribute("#zero-logits", "aria-pressed") == "false"
    open_link(page, base_url, "?" + urlencode({"zero": hostile}))
    assert page.locator("#link-note li[data-param]").all_inner_texts() == [
        f"zero={hostile}: zero must be 1 or 0 (on or off), got “{hostile}”."
    ]
    assert page.locator("#link-note img").count() == 0


def test_a_missing_presets_file_leaves_the_lab_working(page, base_url, hide_files, problems):
    """Without assets/presets.json: a visible note says so, a link's sample is ignored with
    the reason while its other parameters apply, and drawing works."""
    hide_files({PRESETS})
    problems.expected = ("404",)  # Chromium logs the failed fetch itself
    open_link(page, base_url, "?sample=dot&alpha=2", state="error")
    note = page.inner_text("#presets-note")
    assert PRESETS in note and "HTTP 404" in note
    assert page.locator("#presets button[data-preset]").count() == 0
    assert page.locator("#link-note li[data-param]").all_inner_texts() == [
        "sample=dot: the examples could not be loaded."
    ]
    assert page.input_value("#scale") == "2"
    draw(page, SEVEN)
    assert page.inner_text("#prediction") != ""


def test_a_broken_presets_file_is_reported(page, base_url):
    """A presets file that is not JSON: the note quotes the parser's complaint; the lab works."""
    page.route(
        f"**/{PRESETS}",
        lambda route: route.fulfill(status=200, content_type="application/json", body="{oops"),
    )
    open_link(page, base_url, state="error")
    assert "is not valid JSON" in page.inner_text("#presets-note")
    draw(page, SEVEN)
    assert page.inner_text("#prediction") != ""


def test_presets_are_fetched_only_after_python_is_ready(new_context, base_url):
    """Start-up pays nothing for the examples: their script and file are requested after the
    py-ready mark. (Service workers are blocked: the real one precaches everything later.)"""
    context = new_context(base_url, service_workers="block")
    page = context.new_page()
    goto_ready(page, base_url)
    page.wait_for_selector("#presets[data-state=ready]")
    timing = json.loads(
        page.evaluate(
            """() => JSON.stringify({
                ready: performance.getEntriesByName('py-ready')[0].startTime,
                fetched: performance.getEntriesByType('resource')
                  .filter(e => /presets(-view\\.js|\\.json)$/.test(e.name))
                  .map(e => e.startTime)})"""
        )
    )
    assert len(timing["fetched"]) == 2
    assert min(timing["fetched"]) >= timing["ready"]


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", {"width": 1280, "height": 800}), ("dark", {"width": 390, "height": 844})],
    ids=["light-desktop", "dark-phone"],
)
def test_axe_finds_nothing_in_the_examples_and_link_states(new_context, base_url, scheme, viewport):
    """axe (default rules + target-size) reports no violation with a link's note shown, an
    example and its prompt loaded, and a link copied."""
    context = new_context(base_url, viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    open_link(page, base_url, "?sample=dot&alpha=abc")
    assert page.is_visible("#link-note") and page.is_visible("#preset-prompt")
    assert axe_violations(page) == []
    page.click("#copy-link")
    page.wait_for_function("document.getElementById('copy-link-status').textContent !== ''")
    assert axe_violations(page) == []
