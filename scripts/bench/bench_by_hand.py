#!/usr/bin/env python3
"""Softmax-by-hand benchmark in headless Chromium: dragging a logit, Python's time, sampling.

1. Opens the #by-hand panel on a drawn digit and drags logit 3 with Playwright's real mouse,
   moves paced like a 125 Hz mouse (--hz), until at least --drags changes have been measured;
   reports the page's own `hand-input-to-render` measures: from the oldest pointer event not
   yet shown (its timeStamp) to the stages, p and entropy rendered (p50, p95, max). Coalesced:
   moves made while Python computes go together in the next call.
2. Python's own time for one hand_view call in Pyodide (its perf_counter, 200 calls straight
   to the worker): median and p95, naive path off and on.
3. 10,000 draws (hand_sample, n = 10,000): Python's time and the round trip from the page
   (call to answer), median of 20.

    python scripts/bench/bench_by_hand.py [--drags 300] [--shots DIR]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.site.browser import draw_with_mouse, goto_ready, launch, wait_idle  # noqa: E402
from scripts.site.website import served_site  # noqa: E402

MEASURES = "performance.getEntriesByName('hand-input-to-render').map(e => e.duration)"
API = "document.querySelector('script[type=\"py\"][worker]').xworker.sync"
SLIDERS = "[...document.querySelectorAll('[data-hand-logit]')]"
LOGITS = f"JSON.stringify({SLIDERS}.map(e => +e.dataset.value))"

PYTHON_TIMES_JS = f"""async ([naive, repeats]) => {{
  const api = {API};
  const logits = {LOGITS};
  const times = [];
  for (let i = 0; i < repeats; i++) {{
    times.push(JSON.parse(await api.hand_view(logits, naive)).python_ms);
  }}
  return times;
}}"""

SAMPLE_TIMES_JS = f"""async (repeats) => {{
  const api = {API};
  const logits = {LOGITS};
  const python = [], roundTrip = [];
  for (let i = 0; i < repeats; i++) {{
    const start = performance.now();
    const answer = JSON.parse(await api.hand_sample(logits, 10000, String(i)));
    roundTrip.push(performance.now() - start);
    python.push(answer.python_ms);
  }}
  return {{ python, roundTrip }};
}}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def drag_until(page, drags: int, hz: float) -> list[float]:
    """Drag logit 3's thumb to and fro with the mouse until `drags` changes were measured."""
    page.wait_for_selector("#by-hand[data-pending=false]")
    page.evaluate("performance.clearMeasures('hand-input-to-render')")
    track = page.locator("[data-hand-logit='3']")
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    y = box["y"] + box["height"] / 2
    sweep = 0
    while len(page.evaluate(MEASURES)) < drags:
        page.mouse.move(box["x"] + box["width"] / 2, y)
        page.mouse.down()
        next_move = time.perf_counter()
        for i in range(60):
            next_move += 1 / hz
            time.sleep(max(0.0, next_move - time.perf_counter()))
            x = 0.5 + 0.45 * math.sin(i / 60 * 2 * math.pi + sweep)
            page.mouse.move(box["x"] + x * box["width"], y)
        page.mouse.up()
        sweep += 1
    page.wait_for_selector("#by-hand[data-pending=false]")
    return page.evaluate(MEASURES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drags", type=int, default=300)
    parser.add_argument("--hz", type=float, default=125, help="mouse report rate to imitate")
    parser.add_argument("--shots", type=Path, help="also save screenshots of the panel here")
    args = parser.parse_args()
    with served_site() as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        goto_ready(page, url)
        draw_with_mouse(page, [(70, 60), (210, 60), (120, 230)])
        wait_idle(page)
        page.click("#by-hand summary")
        page.wait_for_selector("#by-hand[data-state=ready]", timeout=60_000)
        drag_until(page, 30, args.hz)  # warm-up: JIT, first allocations
        latencies = drag_until(page, args.drags, args.hz)
        stable = page.evaluate(PYTHON_TIMES_JS, [False, 200])
        naive = page.evaluate(PYTHON_TIMES_JS, [True, 200])
        sampling = page.evaluate(SAMPLE_TIMES_JS, 20)
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
            page.click("#sample")
            page.wait_for_selector("#sample:not([disabled])")
            for width in (1280, 390, 320):
                page.set_viewport_size({"width": width, "height": 900})
                page.locator("#by-hand").screenshot(path=str(args.shots / f"by-hand-{width}.png"))
        browser.close()

    print(
        f"by hand: pointer event -> stages rendered, {len(latencies)} drag changes at "
        f"{args.hz:g} Hz (ms):"
    )
    print(
        f"  p50 {statistics.median(latencies):.1f}  p95 {percentile(latencies, 0.95):.1f}  "
        f"max {max(latencies):.1f}"
    )
    for name, times in (("stable", stable), ("naive", naive)):
        print(
            f"in Pyodide: hand_view ({name}) median {statistics.median(times):.2f} ms, "
            f"p95 {percentile(times, 0.95):.2f} ms (200 calls)"
        )
    print(
        f"10,000 draws: Python median {statistics.median(sampling['python']):.2f} ms, "
        f"round trip from the page median {statistics.median(sampling['roundTrip']):.2f} ms, "
        f"max {max(sampling['roundTrip']):.2f} ms (20 runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
