"""Browser test harness: the built site, served under a sub-path, driven in real Debian Chromium.

Every test page fails its test if it logs a console error, raises an uncaught exception, or
requests anything outside the local server (such requests are blocked and recorded).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# updates and wait_idle are imported by the test files from here
from scripts.site.browser import CHROMIUM, act, draw_with_mouse, launch, updates, wait_idle  # noqa: F401
from scripts.site.browser import goto_ready as open_when_ready
from scripts.site.website import PAGES_CACHE_CONTROL, ROOT, build, make_server, serve_in_thread

PREFIX = "/softmax-digits/"  # as GitHub Pages serves a project site
READY_TIMEOUT_MS = 90_000  # the 2-core machines are slow when busy
ARTIFACTS = ROOT / "e2e-artifacts"
# PyScript warns (console.warning, not error) that a worker without cross-origin isolation
# cannot reach `window`: expected, our worker never touches the DOM.


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The exact artefact the Pages workflow uploads."""
    return build(tmp_path_factory.mktemp("site") / "_site")


@pytest.fixture(scope="session")
def server(site_dir):
    """Serves the artefact as GitHub Pages does: under a sub-path, with max-age=600."""
    srv = make_server(site_dir, prefix=PREFIX, cache_control=PAGES_CACHE_CONTROL)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()


@pytest.fixture(scope="session")
def base_url(server) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{PREFIX}"


@pytest.fixture
def hide_files(server):
    """Make the server answer 404 for the given site paths during one test."""
    yield server.hidden.update
    server.hidden.clear()


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/site/setup.sh --test (make test does)")
    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


class PageProblems:
    """What a page did wrong: console errors, uncaught exceptions, outside requests."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.outside_requests: list[str] = []
        # The errors a failure test provokes: a text the message contains, or a pattern the
        # whole message matches.
        self.expected: tuple[str | re.Pattern[str], ...] = ()

    def console(self, msg) -> None:
        if msg.type == "error" and not self._expected(msg.text):
            self.console_errors.append(msg.text)

    def page_error(self, err) -> None:
        if not self._expected(str(err)):
            self.page_errors.append(str(err))

    def _expected(self, text: str) -> bool:
        return any(
            e.fullmatch(text) if isinstance(e, re.Pattern) else e in text for e in self.expected
        )

    def assert_clean(self) -> None:
        assert self.outside_requests == [], "requests outside the local server"
        assert self.page_errors == [], "uncaught exceptions in the page"
        assert self.console_errors == [], "console errors"


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


def open_context(
    browser: Browser, base_url: str, problems: PageProblems, *, http_cache=False, **options
):
    """A context that blocks (and records) requests outside the server and watches its pages.
    Tests use the new_context fixture, which also closes it.

    Playwright's routing turns the browser's HTTP cache off. A test of what that cache does
    across a deployment asks for http_cache=True: outside requests are then recorded, not
    blocked (this machine has no network, so they fail anyway)."""
    context = browser.new_context(**options)
    origin = base_url.split(PREFIX)[0]

    def inside(url: str) -> bool:
        return url.startswith((origin + "/", "blob:", "data:"))

    def gate(route):
        if inside(route.request.url):
            route.continue_()
        else:
            problems.outside_requests.append(route.request.url)
            route.abort()

    def record(request):
        if not inside(request.url):
            problems.outside_requests.append(request.url)

    def watch(page):
        page.on("pageerror", problems.page_error)
        page.on("console", problems.console)  # includes the Python worker's console

    if http_cache:
        context.on("request", record)
    else:
        context.route("**/*", gate)
    context.on("page", watch)
    return context


@pytest.fixture
def new_context(browser, problems):
    """Open a gated, watched context: new_context(base_url, **options). Every context it opened
    is closed at teardown, even when the test failed, and then the page problems are checked."""
    opened: list[BrowserContext] = []

    def make(base_url: str, **options) -> BrowserContext:
        context = open_context(browser, base_url, problems, **options)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()  # a no-op for a context the test closed itself
    problems.assert_clean()


@pytest.fixture
def context(new_context, base_url) -> BrowserContext:
    return new_context(base_url, viewport={"width": 1280, "height": 800})


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture
def ready_page(page, base_url) -> Page:
    """The page, loaded and with data-py-state="ready"."""
    goto_ready(page, base_url)
    return page


def goto_ready(page: Page, base_url: str) -> None:
    open_when_ready(page, base_url, READY_TIMEOUT_MS)


def wait_for_async(page: Page, script: str, arg=None, timeout: int = READY_TIMEOUT_MS, every=250):
    """Evaluate an async page function every `every` ms until it resolves to a truthy value, and
    return that value. (page.wait_for_function does not await a promise: it takes the promise
    itself as truthy and returns at once.)"""
    deadline = time.monotonic() + timeout / 1000
    while not (value := page.evaluate(script, arg)):
        if time.monotonic() > deadline:
            raise AssertionError(f"still {value!r} after {timeout} ms: {script}")
        page.wait_for_timeout(every)
    return value


def draw_stroke(page: Page, points: list[tuple[float, float]], steps: int = 4) -> None:
    """Draw one stroke with the mouse through `points`, given in pad pixels (0..280)."""
    draw_with_mouse(page, points, steps)


def draw(page: Page, strokes: list[list[tuple[float, float]]]) -> None:
    for stroke in strokes:
        act(page, lambda stroke=stroke: draw_stroke(page, stroke))


def values(page: Page, attribute: str) -> list[float | None]:
    """The ten data-value numbers of [attribute=k], k = 0..9 (None where empty)."""
    raw = page.eval_on_selector_all(
        f"[{attribute}]",
        f"els => els.sort((a, b) => a.getAttribute('{attribute}') - b.getAttribute('{attribute}'))"
        ".map(e => e.dataset.value)",
    )
    assert len(raw) == 10
    return [float(v) if v != "" else None for v in raw]


def set_control(page: Page, selector: str, value: str) -> None:
    """Set an input's value and dispatch `change`, as the page contract allows."""
    act(
        page,
        lambda: page.eval_on_selector(
            selector, "(el, v) => { el.value = v; el.dispatchEvent(new Event('change')); }", value
        ),
    )


def canvas_rgba(page: Page) -> bytes:
    """The pad's pixels exactly as the page hands them to Python."""
    data = page.evaluate(
        "() => { const c = document.getElementById('pad');"
        " return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }"
    )
    return bytes(data)


# A scribble the network judges no digit (the "not a digit" note, "Not a digit?" on the guess).
ZIGZAG = [[(40, 60), (240, 90), (40, 125), (240, 160), (40, 195), (240, 230)]]
# Digit-like strokes in pad pixels, for tests that need ink on the pad.
SEVEN = [[(70, 60), (210, 60), (120, 230)]]
ONE = [[(140, 40), (140, 240)]]
ZERO = [[(140, 40), (80, 90), (75, 180), (140, 240), (200, 180), (205, 90), (140, 40)]]
THREE = [
    [
        (85, 70),
        (140, 40),
        (195, 70),
        (190, 115),
        (140, 140),
        (200, 170),
        (195, 220),
        (140, 245),
        (85, 215),
    ]
]


def press_and_wait(page, button: str, learned_after: int, timeout: int = 30_000) -> None:
    """Press a learning button (Learn, Undo, Forget) and wait until its job has rendered:
    `data-learned` reads `learned_after` and the lab is idle."""
    page.click(button)
    page.wait_for_function(
        f"+document.documentElement.dataset.learned === {learned_after}"
        " && document.documentElement.dataset.idle === 'true'",
        timeout=timeout,
    )
    wait_idle(page)


def open_by_hand_overflowed(page) -> None:
    """The by-hand panel open with its every part showing: logit 9 at +1000 with the naive path
    (inf, nan, the overflow note), and 100 draws in the sample counts."""
    page.click("#by-hand summary")
    page.wait_for_selector("#by-hand[data-state=ready][data-pending=false]")
    page.locator("[data-hand-logit='9']").focus()
    page.keyboard.press("End")
    page.click("#hand-naive")
    page.select_option("#sample-n", "100")
    page.click("#sample")
    page.wait_for_selector("#sample:not([disabled])")
    page.wait_for_selector("#by-hand[data-pending=false]")
    assert page.is_visible("#hand-overflow-note")


def open_link(page, url: str) -> None:
    """Load the page and wait until the link is applied (locks included) and the lab idle."""
    page.goto(url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#presets[data-state=ready]", timeout=30_000)
    wait_idle(page)


def copy_link(page) -> str:
    """Click #copy-link, wait for its status; the URL copied."""
    page.evaluate("document.getElementById('copy-link-status').textContent = ''")
    page.click("#copy-link")
    page.wait_for_function("document.getElementById('copy-link-status').textContent !== ''")
    return page.input_value("#copy-link-url")
