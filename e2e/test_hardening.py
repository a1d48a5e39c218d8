"""Offline after one visit, nothing outside the Content-Security-Policy, no leaks under load,
redeploys and forks served as GitHub Pages serves them."""

import json
import re
import shutil

import pytest

from conftest import (
    ONE,
    PREFIX,
    READY_TIMEOUT_MS,
    SEVEN,
    act,
    draw,
    goto_ready,
    set_control,
    values,
    wait_for_async,
)
from scripts.site.audit import axe_violations
from scripts.site.browser import RAPID_UPDATES_JS, js_heap_mb
from scripts.site.website import PAGES_CACHE_CONTROL, ROOT, build, make_server, serve_in_thread

OUTSIDE = "/outside/"  # beside PREFIX on the redeployable server: out of the site's scope

COUNT_CSP_VIOLATIONS = """
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def wait_for_service_worker(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)


def try_first_question(page) -> None:
    """Answer the quiz's first question, whatever its kind (teachers may change the file)."""
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    if page.locator("#quiz-answer").count():
        page.fill("#quiz-answer", "1")
    else:
        page.locator("#quiz fieldset label").first.click()


def test_works_offline_after_the_first_visit(context, page, base_url):
    """Visit once, cut the network, reload: ready, a prediction, a quiz answer."""
    goto_ready(page, base_url)
    wait_for_service_worker(page)
    context.set_offline(True)
    goto_ready(page, base_url)
    draw(page, SEVEN)
    assert page.inner_text("#prediction") != ""
    try_first_question(page)
    page.click("#quiz-check")
    page.wait_for_function("() => document.getElementById('quiz-feedback').textContent !== ''")
    context.set_offline(False)


CACHED_PATHS_JS = """async () => {
  const name = (await caches.keys()).find((key) => key.startsWith('softmax-digits '));
  const cache = await caches.open(name);
  return (await cache.keys()).map((request) => new URL(request.url).pathname);
}"""


def test_says_it_works_offline_once_every_file_is_cached(context, page, base_url, site_dir):
    """data-offline=ready and the visible note come when the cache holds every site file; cut
    the network and reload: the page loads and says so again."""
    goto_ready(page, base_url)
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    assert page.is_visible("#offline-status")
    site_files = {
        PREFIX + p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*")
        if p.is_file() and p.name not in ("sw.js", ".nojekyll")
    }
    assert set(page.evaluate(CACHED_PATHS_JS)) == site_files | {PREFIX}
    context.set_offline(True)
    goto_ready(page, base_url)
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    assert page.is_visible("#offline-status")
    context.set_offline(False)


def test_no_csp_violation_over_a_full_session(page, base_url):
    """Draw, every control, the quiz: the page's CSP reports nothing."""
    page.add_init_script(COUNT_CSP_VIOLATIONS)
    goto_ready(page, base_url)
    draw(page, ONE)
    set_control(page, "#shift", "5")
    set_control(page, "#scale", "3")
    set_control(page, "#true-label", "4")
    act(page, lambda: page.click("#zero-logits"))
    act(page, lambda: page.click("#undo"))
    act(page, lambda: page.click("#clear"))
    try_first_question(page)
    page.click("#quiz-hint")
    page.click("#quiz-check")
    page.wait_for_function("() => document.getElementById('quiz-feedback').textContent !== ''")
    assert page.evaluate("window.__cspViolations") == []
    csp = page.get_attribute("meta[http-equiv=Content-Security-Policy]", "content")
    assert "default-src 'self'" in csp and "https:" not in csp


def test_2000_rapid_updates_keep_the_heap_flat_and_the_page_responsive(page, base_url):
    """2,000 updates while drawing grow the JS heap by under 5 MB; the page still answers."""
    goto_ready(page, base_url)
    cdp = page.context.new_cdp_session(page)
    page.evaluate(RAPID_UPDATES_JS, 100)  # warm up: JIT, first allocations
    before = js_heap_mb(cdp)
    page.evaluate(RAPID_UPDATES_JS, 2000)
    growth = js_heap_mb(cdp) - before
    assert growth < 5, f"JS heap grew by {growth:.2f} MB"
    act(page, lambda: page.click("#zero-logits"))
    assert values(page, "data-prob") == [0.1] * 10


def copy_source(tmp_path):
    """A copy of the site's source, to edit and build like a teacher's checkout."""
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".cache",
            "_site",
            "e2e-artifacts",
            "tests",
            "e2e",
            "node_modules",
            "*.pyc",
        ),
        symlinks=True,
    )
    return source


def serve(site, **options) -> tuple[object, str]:
    """Serve a built site as GitHub Pages does (max-age=600); the server and its URL."""
    server = make_server(site, prefix=PREFIX, cache_control=PAGES_CACHE_CONTROL, **options)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}{PREFIX}"


@pytest.fixture
def redeployable_site(tmp_path):
    """A second server whose site can be rebuilt in place, like a new Pages deployment, and
    which lets the browser reuse every file for 10 minutes, like Pages."""
    source = copy_source(tmp_path)
    site = tmp_path / "site"
    build(site, source)
    outside = tmp_path / "outside"  # a same-origin page out of the site's scope: see below
    outside.mkdir()
    (outside / "index.html").write_text(
        '<!doctype html><title>outside</title><link rel="icon" href="data:,">'
    )
    server, url = serve(site, copies={OUTSIDE: outside})
    yield source, site, url
    server.shutdown()


# The VERSION of the site's active service worker (sw.js answers CACHE_STATUS with it).
ACTIVE_VERSION = """async (scope) => {
  const worker = (await navigator.serviceWorker.getRegistration(scope))?.active;
  if (!worker) return null;
  const channel = new MessageChannel();
  const answer = new Promise((resolve) => {
    channel.port1.onmessage = ({ data }) => resolve(data.version);
  });
  worker.postMessage({ type: "CACHE_STATUS" }, [channel.port2]);
  return answer;
}"""


def wait_until_a_new_version_is_active(context, url: str, old: str) -> None:
    """Once no tab uses the old version, Chromium activates the waiting worker a moment later
    (after the old one's pending events); a tab opened in that moment is the old version's
    client again, whole, and the new one keeps waiting. Watched from a same-origin page outside
    the site's scope, a client of neither worker."""
    watcher = context.new_page()
    watcher.goto(url.replace(PREFIX, OUTSIDE))
    # Each question is an event for the worker: asked every 250 ms, it is idle in between.
    wait_for_async(
        watcher,
        f"async ([scope, old]) => ![null, old].includes(await ({ACTIVE_VERSION})(scope))",
        [url, old],
    )
    watcher.close()


def new_version(html: str) -> str:
    """index.html with a title that tells the new deployment from the old one."""
    changed = re.sub(r"(<title[^>]*>)", r"\1v2 ", html, count=1)
    assert changed != html
    return changed


def test_a_new_deployment_replaces_the_old_cache_whole(new_context, redeployable_site):
    """After a redeploy, a fresh tab gets the new version only, and one cache remains."""
    source, site, url = redeployable_site
    context = new_context(url, http_cache=True)
    page = context.new_page()
    goto_ready(page, url)
    wait_for_service_worker(page)
    old_title = page.title()
    old_version = page.evaluate(ACTIVE_VERSION, url)
    html = (source / "index.html").read_text()
    (source / "index.html").write_text(new_version(html))
    build(site, source)
    # The browser sees the new sw.js on the next navigation; the old worker keeps serving the
    # old version to that page (no mixing) until no tab uses it.
    goto_ready(page, url)
    assert page.title() == old_title
    wait_for_async(
        page, "async () => (await navigator.serviceWorker.getRegistration()).waiting !== null"
    )
    page.close()
    wait_until_a_new_version_is_active(context, url, old_version)
    page = context.new_page()
    goto_ready(page, url)
    assert page.title().startswith("v2 ")
    caches = page.evaluate("async () => (await caches.keys()).filter(k => k.startsWith('softmax'))")
    assert len(caches) == 1


def test_update_button_reloads_into_the_new_version(new_context, redeployable_site):
    """A redeploy while the page is open: #update-ready appears and the page stays on its own
    version until it is clicked, then reloads into the new one; one cache remains."""
    source, site, url = redeployable_site
    context = new_context(url, http_cache=True)
    page = context.new_page()
    goto_ready(page, url)
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    assert page.is_hidden("#update-ready")
    old_title = page.title()
    html = (source / "index.html").read_text()
    (source / "index.html").write_text(new_version(html))
    build(site, source)
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    page.wait_for_selector("#update-ready", state="visible", timeout=READY_TIMEOUT_MS)
    assert page.title() == old_title
    assert axe_violations(page) == []
    with page.expect_navigation(timeout=READY_TIMEOUT_MS):
        page.click("#update-ready")
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    assert page.title().startswith("v2 ")
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    assert page.is_hidden("#update-ready")
    caches = page.evaluate("async () => (await caches.keys()).filter(k => k.startsWith('softmax'))")
    assert len(caches) == 1


def test_a_redeploy_within_ten_minutes_serves_the_new_questions(new_context, redeployable_site):
    """A teacher edits questions.json, deploys, and at once clicks "New version ready — reload":
    the quiz shows the new question, and the offline cache holds the new file, though the
    server, like Pages, let the browser keep the old one for 10 minutes."""
    source, site, url = redeployable_site
    context = new_context(url, http_cache=True)
    page = context.new_page()
    goto_ready(page, url)
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    old_stem = page.inner_text("#quiz legend")
    data = json.loads((source / "questions.json").read_text())
    for question in data["questions"]:
        question["stem"] = "Edited: " + question["stem"]
    (source / "questions.json").write_text(json.dumps(data, indent=2))
    build(site, source)
    page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
    page.wait_for_selector("#update-ready", state="visible", timeout=READY_TIMEOUT_MS)
    with page.expect_navigation(timeout=READY_TIMEOUT_MS):
        page.click("#update-ready")
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#quiz fieldset[data-question-id]")
    assert page.inner_text("#quiz legend") == "Edited: " + old_stem
    cached = page.evaluate("async () => (await caches.match('questions.json')).text()")
    assert cached == (site / "questions.json").read_text()


FORK_PREFIX = "/softmax-digits-fr/"
# Caches named as sw.js named them before they were named by scope: one holding a start page of
# this origin's original copy (an earlier build of it: its own to delete), one holding another
# copy's (not its own: kept).
OLD_CACHES_JS = """async ([ours, theirs]) => {
  for (const [name, page] of [['softmax-digits-0123456789abcdef', ours],
                              ['softmax-digits-fedcba9876543210', theirs]]) {
    await (await caches.open(name)).put(page, new Response('an earlier build'));
  }
}"""
# Asks the worker in charge of this page whether its cache holds every file of its site.
CACHE_COMPLETE_JS = """() => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => resolve(event.data.complete);
  navigator.serviceWorker.controller.postMessage({ type: 'CACHE_STATUS' }, [channel.port2]);
})"""


def version(site) -> str:
    return re.search(r'const VERSION = "(\w+)";', (site / "sw.js").read_text()).group(1)


@pytest.fixture
def two_copies(tmp_path):
    """The site and a teacher's fork of it (other questions: another version), served on one
    origin under two prefixes, as user.github.io/softmax-digits/ and .../softmax-digits-fr/."""
    source = copy_source(tmp_path)
    original = build(tmp_path / "original", source)
    data = json.loads((source / "questions.json").read_text())
    data["questions"][0]["stem"] = "Que renvoie softmax ?"
    (source / "questions.json").write_text(json.dumps(data, indent=2))
    fork = build(tmp_path / "fork", source)
    server, url = serve(original, copies={FORK_PREFIX: fork})
    yield (original, url), (fork, url.replace(PREFIX, FORK_PREFIX))
    server.shutdown()


def test_two_copies_on_one_origin_keep_each_others_offline_cache(new_context, two_copies):
    """Both copies say "Works offline.", each still holds its whole site once the other has
    installed, and each loads offline. An older build's cache is deleted only by its own copy."""
    (original, url), (fork, fork_url) = two_copies
    elsewhere = url.replace(PREFIX, "/another-copy/")
    context = new_context(url, http_cache=True)
    setup = context.new_page()  # on this origin, before any service worker
    setup.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # asked for by JSON
    setup.goto(url + "questions.json")
    setup.evaluate(OLD_CACHES_JS, [url, elsewhere])
    setup.close()
    page = context.new_page()
    goto_ready(page, url)
    page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    fork_page = context.new_page()
    goto_ready(fork_page, fork_url)
    fork_page.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    wait_for_async(
        fork_page, "async () => (await navigator.serviceWorker.ready).active.state === 'activated'"
    )
    assert page.evaluate(CACHE_COMPLETE_JS), "the fork's install emptied the original's cache"
    assert fork_page.evaluate(CACHE_COMPLETE_JS)
    # (Each copy may also keep a Pyodide memory snapshot, snapshot-store.js: not offline files.)
    offline_caches = [n for n in page.evaluate("caches.keys()") if not n.startswith("pyodide-")]
    assert sorted(offline_caches) == sorted(
        [
            f"softmax-digits {url} {version(original)}",
            f"softmax-digits {fork_url} {version(fork)}",
            "softmax-digits-fedcba9876543210",
        ]
    )
    context.set_offline(True)
    for each, where in ((page, url), (fork_page, fork_url)):
        goto_ready(each, where)
        each.wait_for_selector("html[data-offline=ready]", timeout=READY_TIMEOUT_MS)
    context.set_offline(False)
