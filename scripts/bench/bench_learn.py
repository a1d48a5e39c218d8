#!/usr/bin/env python3
"""Learning benchmark in headless Chromium: how long a press of "Learn this digit" takes.

1. Draws a digit with Playwright's real mouse, chooses the true digit 8 and presses Learn with
   --steps steps, --presses times. Reports the page's own `learn-press` measure (click to the
   result rendered) and Python's time per step (py/model/head_trainer.py, inside Pyodide). The
   first press
   also fetches the digit sets and computes their features: reported apart.
2. While a 50-step press runs, draws with the mouse and reports the longest main-thread task
   (PerformanceObserver "longtask"): the pad must never wait for Python, which runs in the
   worker.

    python scripts/bench/bench_learn.py [--steps 20] [--presses 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.site.browser import draw_with_mouse, goto_ready, launch  # noqa: E402
from scripts.site.website import served_site  # noqa: E402

THREE = [(85, 70), (140, 40), (195, 70), (190, 115), (140, 140), (200, 170), (195, 220),
         (140, 245), (85, 215)]  # fmt: skip
LONG_TASKS_JS = """() => {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.longTasks.push(e.duration);
  }).observe({ type: "longtask" });
}"""


def press(page, steps: int) -> dict:
    """One press of Learn; returns its learn-press measure and Python's ms per step."""
    before = int(page.get_attribute("html", "data-learned"))
    page.fill("#learn-steps", str(steps))
    page.click("#learn")
    page.wait_for_function(
        f"+document.documentElement.dataset.learned > {before}"
        " && !document.getElementById('learn').disabled",
        timeout=120_000,
    )
    wall = page.evaluate("performance.getEntriesByName('learn-press').at(-1).duration")
    return {"wall_ms": wall, "step_ms": float(page.get_attribute("#learn-result", "data-step-ms"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--presses", type=int, default=5)
    args = parser.parse_args()
    with served_site() as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        goto_ready(page, url)
        draw_with_mouse(page, THREE)
        page.select_option("#true-label", "8")
        page.wait_for_selector("html[data-idle=true]")
        first = press(page, args.steps)
        presses = [press(page, args.steps) for _ in range(args.presses)]
        page.evaluate(LONG_TASKS_JS)
        page.fill("#learn-steps", "50")
        page.click("#learn")
        for _ in range(3):  # draw while the 50-step press runs
            draw_with_mouse(page, THREE)
        page.wait_for_function("!document.getElementById('learn').disabled")
        long_tasks = page.evaluate("window.longTasks")
        browser.close()

    walls = [p["wall_ms"] for p in presses]
    steps = [p["step_ms"] for p in presses]
    print(f"first press ({args.steps} steps, includes fetching the digit sets and their features):"
          f" {first['wall_ms']:.0f} ms")  # fmt: skip
    print(
        f"{args.steps}-step press, click to rendered, {len(walls)} presses (ms): "
        f"median {statistics.median(walls):.0f}, max {max(walls):.0f}"
    )
    print(f"one step in Python (Pyodide): median {statistics.median(steps):.2f} ms")
    longest = max(long_tasks, default=0.0)
    print(
        f"main thread while a 50-step press ran and the mouse drew: {len(long_tasks)} long tasks"
        f" (> 50 ms), longest {longest:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
