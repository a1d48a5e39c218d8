"""A teacher's link (?hide=, ?lock=, ?task=), a drawing in a link (?ink=) and a taught network
that travels (#download-network, #load-network), on the real page: three page loads in all.

No test says which digit a drawing is read as: each compares the page with itself (a link
against the drawing it was copied from, a loaded network against the one downloaded)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from conftest import (
    THREE,
    act,
    copy_link,
    draw,
    open_link,
    press_and_wait,
    set_control,
    values,
    wait_idle,
)
from scripts.site.audit import axe_violations

TASK = "<b>Does c = 1000 change the guess?</b>"
LINK = {
    "sample": "ambiguous-4-9",
    "alpha": "0.5",
    "lock": "alpha",
    "hide": "quiz,code,by-hand",
    "task": TASK,
    "ink": "1%%",  # not a drawing: listed in #link-note
}


def focus_path(page, presses: int = 80) -> list[str]:
    """Tab through the page from its top: where focus went, as the tag and id (or the part it
    is in)."""
    page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)")
    page.locator("h1").click()
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " const part = e.closest('[data-part]');"
                " return (part ? part.dataset.part + ':' : '') + e.tagName + '#' + e.id; }"
            )
        )
    return seen


def test_a_teacher_link_hides_locks_and_sets_a_task(new_context, base_url):
    page = new_context(base_url).new_page()
    open_link(page, base_url + "?" + urlencode(LINK))

    # Hidden parts are gone, and so is their keyboard focus; the others are still there.
    for part in ("quiz", "code", "by-hand"):
        assert page.locator(f"[data-part={part}]").is_hidden()
    assert page.locator("[data-part=lesson]").is_visible()
    path = focus_path(page)
    assert not [where for where in path if where.startswith(("quiz:", "code:", "by-hand:"))]
    assert any(where.startswith("teach:") for where in path)  # the walk got past the lab
    page.evaluate("document.getElementById('quiz-check').focus()")
    assert page.evaluate("document.activeElement.id") != "quiz-check"

    # The task is shown as text: its markup is characters, not a bold element.
    assert page.inner_text("#task") == f"Task: {TASK}"
    assert page.locator("#task b").count() == 0

    # The locked control shows why, and refuses a new value even once re-enabled by hand:
    # Python keeps alpha at the link's value, Reset included; an unlocked control still works.
    assert page.input_value("#scale") == "0.5"
    reason = page.get_attribute("#scale", "data-locked")
    assert reason.startswith("Locked by the teacher's link: α = 0.5")
    assert page.is_disabled("#scale") and page.is_disabled("#scale-slider")
    assert page.inner_text("#locked-alpha") == reason
    page.evaluate("document.getElementById('scale').disabled = false")
    set_control(page, "#scale", "5")
    assert page.input_value("#scale") == "0.5"
    assert page.inner_text("#scale-error").startswith("Locked by the teacher's link")
    set_control(page, "#shift", "2")
    assert page.input_value("#shift") == "2"
    act(page, lambda: page.click("#reset-controls"))
    assert page.input_value("#scale") == "0.5" and page.input_value("#shift") == "0"

    # The state audited: axe in light and dark, no sideways scroll on a phone.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe_violations(page) == [], scheme
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 800})

    # The bad drawing is listed; Copy link carries the teacher's parameters on.
    assert "not a drawing" in page.inner_text("#link-note li[data-param=ink]")
    query = parse_qs(urlsplit(copy_link(page)).query)
    assert query["hide"] == ["quiz,code,by-hand"] and query["lock"] == ["alpha"]
    assert query["task"] == [TASK] and query["alpha"] == ["0.5"]

    # The teacher's options build a new exercise: ticked as the link set them, then changed.
    page.click("#teacher-options summary")
    assert page.is_checked("#hide-options-quiz") and page.is_checked("#lock-options-alpha")
    assert page.input_value("#task-text") == TASK
    page.click("#hide-options-quiz")  # unticked: the quiz stays in the new link
    page.click("#hide-options-lesson")
    page.click("#lock-options-shift")
    page.fill("#task-text", "Find a c that changes the guess.")
    query = parse_qs(urlsplit(copy_link(page)).query)
    assert query["hide"] == ["lesson,by-hand,code"] and query["lock"] == ["alpha,shift"]
    assert query["task"] == ["Find a c that changes the guess."]


def test_a_drawing_and_a_taught_network_travel(new_context, base_url, tmp_path):
    page = new_context(base_url).new_page()
    open_link(page, base_url)
    draw(page, THREE)
    set_control(page, "#true-label", "3")
    drawn = values(page, "data-logit")
    url = copy_link(page)
    assert "not the ink" not in page.inner_text("#copy-link-status")
    assert parse_qs(urlsplit(url).query)["ink"]

    # Teach, download, forget, load: the taught logits come back bit for bit.
    assert page.is_disabled("#download-network")
    loaded = "performance.getEntriesByType('resource').map((e) => e.name).join(' ')"
    assert "network-file.js" not in page.evaluate(loaded)  # start-up does not fetch it
    press_and_wait(page, "#learn", 1, timeout=90_000)
    taught = values(page, "data-logit")
    assert taught != drawn
    with page.expect_download() as download:
        page.click("#download-network")
    path = tmp_path / "network.json"
    download.value.save_as(path)
    press_and_wait(page, "#forget", 0)
    assert values(page, "data-logit") == drawn
    page.set_input_files("#load-network", str(path))
    page.wait_for_function("+document.documentElement.dataset.learned === 1", timeout=30_000)
    wait_idle(page)
    assert values(page, "data-logit") == taught
    assert page.inner_text("#network-status") == "Network loaded: it was taught 1 example."
    assert page.is_enabled("#learn-undo")  # takes the load back

    # A bad file: its notice, and the weights in force stay.
    page.set_input_files(
        "#load-network",
        files=[{"name": "notes.json", "mimeType": "application/json", "buffer": b"{not json"}],
    )
    page.wait_for_function(
        "document.getElementById('network-status').textContent.includes('could not be used')"
    )
    assert "it is not valid JSON" in page.inner_text("#network-status")
    assert values(page, "data-logit") == taught
    assert axe_violations(page) == []

    # The drawing's link, in a browser that taught nothing: the same logits as drawing it.
    other = new_context(base_url).new_page()
    open_link(other, url)
    assert values(other, "data-logit") == drawn
    assert other.is_hidden("#link-note")
