#!/usr/bin/env python3
"""Head panel benchmark (issue 28) in headless Chromium: what the panel costs a lab update.

1. The tree before the panel (--base, a git ref; default the merge-base with main) and this
   tree, alternating --rounds times: the page's own `input-to-render` measures while drawing
   with the real mouse (as scripts/bench/bench_updates.py), head panel closed. Ratio of medians
   this / base (issue: <= 1.05).
2. In this tree, the same with the head panel open (terms and evidence map refreshed after each
   update). Ratio of medians open / closed (issue: <= 2).
3. Nudges on a drawn 7 at eps = 0.3 towards each other digit: the page's `nudge` measure, click
   to result rendered, with the steps taken (issue: a 10-step nudge <= 300 ms).

    python scripts/bench/bench_head.py [--updates 150] [--rounds 2] [--base REF]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.bench.base_site import build_at  # noqa: E402
from scripts.bench.bench_updates import draw_until  # noqa: E402
from scripts.site.browser import launch  # noqa: E402
from scripts.site.website import ROOT, served_site  # noqa: E402

SEVEN = [(70, 60), (210, 60), (120, 230)]


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url)
    page.wait_for_selector("html[data-py-state=ready]", timeout=120_000)
    return page


def lab_updates(browser, url: str, updates: int, hz: float, open_head: bool = False):
    page = open_page(browser, url)
    draw_until(page, 30, hz)  # warm-up
    if open_head:
        page.click("#head summary")
        page.wait_for_selector("#head[data-state=ready]", timeout=60_000)
        page.evaluate("scrollTo(0, 0)")  # opening scrolled to the panel: the pad in view again
    latencies = draw_until(page, updates, hz)
    page.close()
    return latencies


def nudges(browser, url: str) -> list[tuple[int, int, float]]:
    """(target, steps, ms) for a nudge of a drawn 7 towards each other digit."""
    page = open_page(browser, url)
    box = page.locator("#pad").bounding_box()
    page.mouse.move(box["x"] + SEVEN[0][0], box["y"] + SEVEN[0][1])
    page.mouse.down()
    for x, y in SEVEN[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=6)
    page.mouse.up()
    page.wait_for_selector("html[data-idle=true]")
    page.click("#head summary")
    page.wait_for_selector("#head[data-state=ready]", timeout=60_000)
    page.fill("#nudge-eps", "0.3")
    out = []
    for target in range(10):
        page.select_option("#nudge-target", str(target))
        before = page.evaluate("performance.getEntriesByName('nudge').length")
        page.click("#nudge")
        page.wait_for_function(f"performance.getEntriesByName('nudge').length > {before}")
        ms = page.evaluate("performance.getEntriesByName('nudge').at(-1).duration")
        steps = int(page.get_attribute("#nudge-result", "data-steps"))
        out.append((target, steps, ms))
        page.click("#nudge-back")
        page.wait_for_selector("html[data-input=drawing][data-idle=true]")
    page.close()
    return out


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return f"  {name:<12} n={len(values):4d}  p50 {statistics.median(values):6.1f}  p95 {p95:6.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--hz", type=float, default=125)
    parser.add_argument("--base", default=None, help="git ref before the panel")
    args = parser.parse_args()
    base_ref = (
        args.base
        or subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    runs: dict[str, list[float]] = {"base": [], "closed": [], "open": []}
    with (
        tempfile.TemporaryDirectory() as tmp,
        served_site(site=build_at(base_ref, Path(tmp))) as base_url,
        served_site() as url,
    ):
        with sync_playwright() as pw:
            browser = launch(pw)
            for round_ in range(args.rounds):
                for name, site, open_head in (
                    ("base", base_url, False),
                    ("closed", url, False),
                    ("open", url, True),
                ):
                    progress(f"round {round_ + 1}: {name}")
                    runs[name] += lab_updates(browser, site, args.updates, args.hz, open_head)
            progress("nudges")
            nudged = nudges(browser, url)
            browser.close()
    print(f"pointer event -> outputs rendered while drawing at {args.hz:g} Hz (ms), ")
    print(f"{args.rounds} alternating rounds; base = {base_ref[:10]}:")
    for name, values in runs.items():
        print(summary(name, values))
    median = {name: statistics.median(values) for name, values in runs.items()}
    print(f"closed / base: {median['closed'] / median['base']:.3f}  (issue: <= 1.05)")
    print(f"open / closed: {median['open'] / median['closed']:.3f}  (issue: <= 2)")
    print("nudge of a drawn 7 at eps = 0.3, click -> result rendered:")
    for target, steps, ms in nudged:
        print(f"  target {target}: {steps:2d} steps, {ms:6.1f} ms")
    ten = [ms for _, steps, ms in nudged if steps == 10]
    if ten:
        print(f"10-step nudges: max {max(ten):.1f} ms (issue: <= 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
