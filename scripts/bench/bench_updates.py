#!/usr/bin/env python3
"""Update benchmark in headless Chromium: latency while drawing, Python timings, heap growth.

1. Draws with Playwright's real mouse, moves paced like a 125 Hz mouse (--hz), until at least
   --updates updates have been measured, and reports the page's own `input-to-render`
   measures: from the oldest pointer event not yet shown (its timeStamp) to the outputs
   rendered with the new numbers (p50, p95, max).
2. Times preprocess and the forward pass inside Pyodide (mean of 200 runs each).
3. Runs 2,000 rapid updates and reports the JS heap before and after (after full GCs).

    python scripts/bench/bench_updates.py [--updates 300]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.site.browser import RAPID_UPDATES_JS, js_heap_mb, launch  # noqa: E402
from scripts.site.website import served_site  # noqa: E402

TIME_PIPELINE_JS = """async () => {
  const api = document.querySelector('script[type="py"][worker]').xworker.sync;
  const pad = document.getElementById('pad');
  const pixels = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
  return await api.time_pipeline(pixels, pad.width, 200);
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


MEASURES = "performance.getEntriesByName('input-to-render').map(e => e.duration)"


def draw_until(page, updates: int, hz: float) -> list[float]:
    """Scribble digit-like loops with the mouse until `updates` updates have been measured."""
    box = page.locator("#pad").bounding_box()
    page.evaluate("performance.clearMeasures('input-to-render')")
    stroke = 0
    while len(page.evaluate(MEASURES)) < updates:
        page.click("#clear")
        page.mouse.move(box["x"] + 70, box["y"] + 70)
        page.mouse.down()
        next_move = time.perf_counter()
        for i in range(60):
            next_move += 1 / hz
            time.sleep(max(0.0, next_move - time.perf_counter()))
            t = i / 60 * 2 * math.pi
            page.mouse.move(
                box["x"] + 140 + 70 * math.sin(t + stroke), box["y"] + 140 + 90 * math.sin(2 * t)
            )
        page.mouse.up()
        stroke += 1
    page.wait_for_selector("html[data-idle=true]")
    return page.evaluate("performance.getEntriesByName('input-to-render').map(e => e.duration)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--hz", type=float, default=125, help="mouse report rate to imitate")
    args = parser.parse_args()
    with served_site() as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(url)
        page.wait_for_selector("html[data-py-state=ready]", timeout=120_000)
        draw_until(page, 30, args.hz)  # warm-up: JIT, first allocations
        latencies = draw_until(page, args.updates, args.hz)
        timings = json.loads(page.evaluate(TIME_PIPELINE_JS))
        cdp = page.context.new_cdp_session(page)
        page.evaluate(RAPID_UPDATES_JS, 100)
        before = js_heap_mb(cdp)
        page.evaluate(RAPID_UPDATES_JS, 2000)
        after = js_heap_mb(cdp)
        browser.close()

    print(
        f"pointer event -> outputs rendered, {len(latencies)} updates while drawing "
        f"at {args.hz:g} Hz (ms):"
    )
    print(
        f"  p50 {statistics.median(latencies):.1f}  p95 {percentile(latencies, 0.95):.1f}  "
        f"max {max(latencies):.1f}"
    )
    print(
        f"in Pyodide: preprocess 280x280 {timings['preprocess_ms']:.2f} ms, "
        f"forward pass {timings['forward_ms']:.2f} ms (mean of 200)"
    )
    print(
        f"JS heap: {before:.2f} MB before, {after:.2f} MB after 2,000 updates "
        f"(growth {after - before:+.2f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
