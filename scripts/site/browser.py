"""Driving Debian's Chromium with Playwright, shared by the browser tests and the benchmarks."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Headless as root; the background-networking flags stop Chromium calling outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# In-page driver: `count` pad updates as fast as the page completes them, each a synthetic
# pointer move (a Clear every 50), waiting for data-updates to advance each time.
RAPID_UPDATES_JS = """async (count) => {
  const root = document.documentElement;
  const pad = document.getElementById('pad');
  const box = pad.getBoundingClientRect();
  const next = (n) => new Promise((resolve) => {
    const check = () => (+root.dataset.updates > n ? resolve() : requestAnimationFrame(check));
    check();
  });
  const move = 'onpointerrawupdate' in window ? 'pointerrawupdate' : 'pointermove';
  const fire = (type, x, y) => pad.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', button: 0, buttons: 1,
    clientX: box.left + x * box.width / 280, clientY: box.top + y * box.height / 280 }));
  for (let i = 0; i < count; i++) {
    const n = +root.dataset.updates;
    if (i % 50 === 0) { document.getElementById('clear').click(); await next(n); continue; }
    const t = (i % 50) / 50;
    if (i % 50 === 1) fire('pointerdown', 60, 60);
    fire(move, 60 + 160 * t, 60 + 160 * Math.abs(Math.sin(6 * t)));
    await next(n);
  }
  fire('pointerup', 0, 0);
}"""


def js_heap_mb(cdp) -> float:
    """The page's JS heap after a full garbage collection, in MB (CDP session on the page)."""
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6


def draw_with_mouse(page, points, steps: int = 4) -> None:
    """One stroke with Playwright's real mouse through `points`, in pad pixels (0..280)."""
    pad = page.locator("#pad")
    pad.scroll_into_view_if_needed()  # the mouse cannot press what is off screen
    box = pad.bounding_box()
    scale = box["width"] / 280
    page.mouse.move(box["x"] + points[0][0] * scale, box["y"] + points[0][1] * scale)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=steps)
    page.mouse.up()


def updates(page) -> int:
    """The page's completed-update counter, <html data-updates>."""
    return int(page.get_attribute("html", "data-updates"))


def wait_idle(page) -> None:
    page.wait_for_selector("html[data-idle=true]", timeout=30_000)


def goto_ready(page, url: str, timeout_ms: int = 120_000) -> None:
    """Open `url` and wait until Python is ready and the first update has landed."""
    page.goto(url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=timeout_ms)
    page.wait_for_function("+document.documentElement.dataset.updates >= 1")
    wait_idle(page)


def act(page, action) -> None:
    """Run an action that changes what the page shows, and wait until its update has landed."""
    before = updates(page)
    action()
    page.wait_for_function(
        f"+document.documentElement.dataset.updates > {before}"
        " && document.documentElement.dataset.idle === 'true'",
        timeout=30_000,
    )
