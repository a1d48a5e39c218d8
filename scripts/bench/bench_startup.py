#!/usr/bin/env python3
"""Start-up benchmark in headless Chromium: our page against a floor page.

The floor page loads the same runtime files (PyScript, Pyodide, numpy, in a worker) and imports
numpy, nothing else: no page can start faster on this runtime. For each, N cold loads (a fresh
browser context: empty cache, no service worker) and N warm loads (one context, reloaded) are
timed from navigation to data-py-state="ready". It also measures bytes sent by the server on a
cold load and, over N more cold loads, how soon a stroke can be drawn on the pad.

    python scripts/bench/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.site.browser import launch  # noqa: E402
from scripts.site.website import SITE_ENTRIES, build, make_server, serve_in_thread  # noqa: E402

PREFIX = "/softmax-digits/"
FLOOR_PAGE = """<!doctype html>
<html data-py-state="loading"><head><meta charset="utf-8">
<script type="module" src="assets/vendor/pyscript/core.js"></script></head><body>
<script type="py" worker config='{"interpreter": "assets/vendor/pyodide/pyodide.mjs",
  "packages": ["numpy"], "packages_cache": "passthrough"}'>
import numpy
__export__ = []
</script>
<script type="module">
const script = document.querySelector('script[type="py"]');
while (!script.xworker) await new Promise((r) => setTimeout(r, 20));
await script.xworker.ready;
performance.mark("py-ready");
document.documentElement.dataset.pyState = "ready";
</script></body></html>
"""
READY_MS = "performance.getEntriesByName('py-ready')[0].startTime"


def load(page, url: str) -> float:
    """Navigate and return ms from navigation start to ready (the page's own mark)."""
    page.goto(url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=120_000)
    return page.evaluate(READY_MS)


def cold_loads(browser, server, url: str, runs: int) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for _ in range(runs):
        context = browser.new_context(service_workers="block")
        before = server.bytes_sent
        times.append(load(context.new_page(), url))
        sizes.append(server.bytes_sent - before)
        context.close()
    return times, sizes


def warm_loads(browser, url: str, runs: int, has_service_worker: bool) -> list[float]:
    context = browser.new_context()
    page = context.new_page()
    load(page, url)
    if has_service_worker:  # warm means cached by our service worker, as a returning learner
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    times = [load(page, url) for _ in range(runs)]
    context.close()
    return times


def first_stroke_ms(browser, url: str) -> tuple[float, float]:
    """Press and drag on the pad from the first moment. Returns (when the pad's listeners were
    ready, when it took the first stroke): the second includes this loop's polling delay."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(url, wait_until="commit")
    while True:
        box = page.locator("#pad").bounding_box()
        page.mouse.move(box["x"] + 100, box["y"] + 100)
        page.mouse.down()
        page.mouse.move(box["x"] + 150, box["y"] + 160)
        page.mouse.up()
        marks = page.evaluate(
            "['pad-ready', 'pad-first-stroke'].map("
            "n => performance.getEntriesByName(n).map(e => e.startTime)[0] ?? null)"
        )
        if marks[1] is not None:
            context.close()
            return marks[0], marks[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp) / "site")
        (site / "floor.html").write_text(FLOOR_PAGE)
        server = make_server(site, prefix=PREFIX, entries=(*SITE_ENTRIES, "floor.html"))
        serve_in_thread(server)
        host, port = server.server_address[:2]
        ours, floor = f"http://{host}:{port}{PREFIX}", f"http://{host}:{port}{PREFIX}floor.html"
        with sync_playwright() as pw:
            browser = launch(pw)
            load(browser.new_page(), ours)  # one untimed load: OS file cache, Chromium warm-up
            results = {}
            for name, url, sw in (("ours", ours, True), ("floor", floor, False)):
                cold, sizes = cold_loads(browser, server, url, runs)
                warm = warm_loads(browser, url, runs, sw)
                results[name] = (cold, warm, sizes)
            strokes = [first_stroke_ms(browser, ours) for _ in range(runs)]
            browser.close()
        server.shutdown()

    med = statistics.median
    print(f"start-up, navigation -> data-py-state=ready, median of {runs} (ms)")
    print(f"{'page':8}{'cold':>10}{'warm':>10}{'cold bytes':>14}   all cold / all warm")
    for name, (cold, warm, sizes) in results.items():
        print(
            f"{name:8}{med(cold):10.0f}{med(warm):10.0f}{med(sizes):14,.0f}   "
            f"{[round(t) for t in cold]} / {[round(t) for t in warm]}"
        )
    (oc, ow, _), (fc, fw, _) = results["ours"], results["floor"]
    print(f"ratio ours/floor: cold {med(oc) / med(fc):.3f}, warm {med(ow) / med(fw):.3f}")
    ready, taken = zip(*strokes, strict=True)
    print(
        f"pad ready for strokes: median {med(ready):.0f} ms after navigation "
        f"{[round(t) for t in ready]}"
    )
    print(
        f"first stroke taken (incl. polling): median {med(taken):.0f} ms "
        f"{[round(t) for t in taken]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
