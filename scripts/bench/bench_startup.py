#!/usr/bin/env python3
"""Start-up benchmark in headless Chromium: our page against a floor page.

The floor page loads the same runtime (PyScript, Pyodide, numpy, in a worker) as Pyodide
publishes it (its standard library and numpy wheel before our setup compiles them: base_site's
stock_runtime) and imports numpy, nothing else, each file fetched when the runtime asks for it.
For each page, N cold loads (a fresh browser context: empty cache, no service worker) and N warm
loads (a second visit: one context reloaded; ours from its service worker's cache) are timed from
navigation to data-py-state="ready", the pages taking turns run by run (ours, floor, ours, ...)
so a machine that slows down mid-run slows both. It also reports a first visit's transfer: the
bytes the server sent on a cold load, raw and gzipped (level 6, each file, as GitHub Pages serves
text; already compressed wheels and zips barely shrink) and how soon the pad takes strokes (its
performance mark pad-ready, read after the cold loads: nothing touches those pages while they
load) and, over N more cold loads that press and drag on the pad from the first moment, when a
stroke was first taken (that loop's polling asks for the pad's box, which forces the page's
first style and layout early: its pad-ready is not the undisturbed one).

    python scripts/bench/bench_startup.py [--runs 5] [--base main]

--base REF adds the site as committed at REF (built beside this one, with this checkout's
runtime, or Pyodide's files as published for a REF from before they were compiled) as a third
page in the same alternation: a before/after comparison in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.bench.base_site import build_at, short_commit, stock_runtime  # noqa: E402
from scripts.site.browser import launch  # noqa: E402
from scripts.site.website import SITE_ENTRIES, build, make_server, serve_in_thread  # noqa: E402

PREFIX = "/softmax-digits/"
FLOOR_PAGE = """<!doctype html>
<html data-py-state="loading"><head><meta charset="utf-8">
<script type="module" src="assets/vendor/pyscript/core.js"></script></head><body>
<script type="py" worker config='{"interpreter": "floor-runtime/pyodide.mjs",
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


@functools.cache
def gzip_size(path: str) -> int:
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=6))


def cold_load(browser, server, url: str) -> tuple[float, int, int, float | None]:
    """One first visit: (ms to ready, bytes sent, those bytes gzipped, ms to pad-ready or None
    for a page without the pad)."""
    context = browser.new_context(service_workers="block")
    before, first = server.bytes_sent, len(server.files_sent)
    page = context.new_page()
    ms = load(page, url)
    pad = page.evaluate("performance.getEntriesByName('pad-ready')[0]?.startTime ?? null")
    sent = server.bytes_sent - before
    zipped = sum(gzip_size(path) for path in server.files_sent[first:])
    context.close()
    return ms, sent, zipped, pad


def warm_page(browser, url: str, has_service_worker: bool):
    """A context that has visited `url` once (and, for ours, whose service worker controls it)."""
    context = browser.new_context()
    page = context.new_page()
    load(page, url)
    if has_service_worker:  # warm means cached by our service worker, as a returning learner
        page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
        # and, where the page saves one after ready (engine.js), with Pyodide's memory snapshot
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_selector("html[data-snapshot]", state="attached", timeout=30_000)
    return context, page


def first_stroke_ms(browser, url: str) -> float:
    """Press and drag on the pad from the first moment. Returns when it took the first stroke,
    this loop's polling delay included."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(url, wait_until="commit")
    while True:
        box = page.locator("#pad").bounding_box()
        page.mouse.move(box["x"] + 100, box["y"] + 100)
        page.mouse.down()
        page.mouse.move(box["x"] + 150, box["y"] + 160)
        page.mouse.up()
        taken = page.evaluate(
            "performance.getEntriesByName('pad-first-stroke').map(e => e.startTime)[0] ?? null"
        )
        if taken is not None:
            context.close()
            return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", help="a git ref to compare, e.g. main")
    args = parser.parse_args()
    runs = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp) / "site")
        (site / "floor.html").write_text(FLOOR_PAGE)
        stock_runtime(site / "floor-runtime")
        copies = {}
        if args.base:
            copies["/base" + PREFIX] = build_at(args.base, Path(tmp) / "base")
        entries = (*SITE_ENTRIES, "floor.html", "floor-runtime")
        server = make_server(site, prefix=PREFIX, entries=entries, copies=copies)
        serve_in_thread(server)
        host, port = server.server_address[:2]
        origin = f"http://{host}:{port}"
        pages = {
            "ours": (f"{origin}{PREFIX}", True),
            "floor": (f"{origin}{PREFIX}floor.html", False),
        }
        if args.base:
            pages[f"base {short_commit(args.base)}"] = (f"{origin}/base{PREFIX}", True)
        with sync_playwright() as pw:
            browser = launch(pw)
            for url, _ in pages.values():  # untimed: OS file cache, Chromium warm-up
                page = browser.new_page()
                load(page, url)
                page.context.close()
            cold = {name: [] for name in pages}
            for _ in range(runs):
                for name, (url, _) in pages.items():
                    cold[name].append(cold_load(browser, server, url))
            warm = {name: warm_page(browser, url, sw) for name, (url, sw) in pages.items()}
            warm_ms = {name: [] for name in pages}
            for _ in range(runs):
                for name, (url, _) in pages.items():
                    warm_ms[name].append(load(warm[name][1], url))
            for context, _ in warm.values():
                context.close()
            strokes = {
                name: [first_stroke_ms(browser, url) for _ in range(runs)]
                for name, (url, _) in pages.items()
                if name != "floor"
            }
            browser.close()
        server.shutdown()

    med = statistics.median
    mb = 1e6
    print(f"start-up, navigation -> data-py-state=ready, median of {runs}, pages alternating (ms)")
    print(f"{'page':14}{'cold':>8}{'warm':>8}{'sent MB':>9}{'gzip MB':>9}   all cold / all warm")
    for name in pages:
        times, sent, zipped, _ = zip(*cold[name], strict=True)
        print(
            f"{name:14}{med(times):8.0f}{med(warm_ms[name]):8.0f}{med(sent) / mb:9.2f}"
            f"{med(zipped) / mb:9.2f}   {[round(t) for t in times]} / "
            f"{[round(t) for t in warm_ms[name]]}"
        )
    floor_cold = med(t for t, *_ in cold["floor"])
    floor_warm = med(warm_ms["floor"])
    floor_zip = med(z for _, _, z, _ in cold["floor"])
    for name in pages:
        if name == "floor":
            continue
        print(
            f"{name} / floor: cold {med(t for t, *_ in cold[name]) / floor_cold:.3f}, "
            f"warm {med(warm_ms[name]) / floor_warm:.3f}; first-visit gzip transfer "
            f"{(med(z for _, _, z, _ in cold[name]) - floor_zip) / mb:+.2f} MB"
        )
    for name, taken in strokes.items():
        ready = [pad for *_, pad in cold[name]]
        print(
            f"{name}: pad ready for strokes median {med(ready):.0f} ms after navigation "
            f"{[round(t) for t in ready]}; first stroke taken (polling, which forces an early "
            f"layout) median {med(taken):.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
