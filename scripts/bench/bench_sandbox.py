#!/usr/bin/env python3
"""Code panel benchmark in headless Chromium: what the learner's own Python costs.

1. Opening the panel, N times on a cold page (fresh context each): ms from the click to the
   editor shown and to the second Pyodide (with numpy and py/learner_code/learner_checks.py) ready,
   and the
   memory it adds: the proportional set size (PSS, Linux /proc) summed over the browser's
   processes, before opening and once the second Python is ready (the page's own Python is
   loaded and idle in both), and the second Python's own WebAssembly memory once started
   (`#code-panel[data-memory-mb]`: the page restarts it above 512 MB).
2. "Use my softmax" latency: the page's `input-to-render` measures (pointer event -> outputs
   rendered) over --updates rapid pad updates, with the built-in softmax and then with the
   solution's softmax computed in the learner's Python (one extra worker round trip each).
3. Stopping `while True: pass`: ms from Run checks to the stopped message, and until the
   restarted Python is ready again.

    python scripts/bench/bench_sandbox.py [--runs 3] [--updates 300]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.site.browser import CHROMIUM, CHROMIUM_ARGS, RAPID_UPDATES_JS  # noqa: E402
from scripts.site.website import ROOT, build, make_server, serve_in_thread  # noqa: E402

PREFIX = "/softmax-digits/"
SOLUTION = (ROOT / "py" / "learner_code" / "exercise" / "solution.py").read_text()
MARK = "performance.getEntriesByName('{}')[0].startTime"
MEASURES = "performance.getEntriesByName('{}').map(e => e.duration)"
TAG = f"--softmax-digits-bench={os.getpid()}"  # marks this script's browser among others


def browser_pids() -> set[int]:
    """The Chromium started by this script (its command line carries TAG) and every process
    it started: renderers (where both Pythons' workers run), GPU and utility processes."""
    parents, roots = {}, set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            parents[pid] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if TAG.encode() in cmdline.split(b"\0"):
            roots.add(pid)
    found = set(roots)
    changed = True
    while changed:
        extra = {p for p, parent in parents.items() if parent in found} - found
        found |= extra
        changed = bool(extra)
    return found


def pss_mb() -> float:
    total = 0
    for pid in browser_pids():
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def open_panel(page) -> tuple[float, float, int]:
    page.click("#code-panel summary")
    page.wait_for_selector("#code-panel[data-editor=ready]", timeout=60_000)
    page.wait_for_selector("#code-panel[data-python=ready]", timeout=120_000)
    start, editor, python = (
        page.evaluate(MARK.format(n))
        for n in ("code-panel-open", "code-editor-ready", "learner-python-ready")
    )
    return editor - start, python - start, int(page.get_attribute("#code-panel", "data-memory-mb"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def rapid_latencies(page, updates: int) -> tuple[list[float], list[float]]:
    """(input-to-render, learner-lab round trips) over `updates` rapid pad updates."""
    page.evaluate("performance.clearMeasures('input-to-render')")
    page.evaluate("performance.clearMeasures('learner-lab')")
    page.evaluate(RAPID_UPDATES_JS, updates)
    page.wait_for_selector("html[data-idle=true]")
    return page.evaluate(MEASURES.format("input-to-render")), page.evaluate(
        MEASURES.format("learner-lab")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--updates", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = build(Path(tmp) / "site")
        server = make_server(site, prefix=PREFIX)
        serve_in_thread(server)
        host, port = server.server_address[:2]
        url = f"http://{host}:{port}{PREFIX}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, TAG])
            opens, memory = [], []
            for _ in range(args.runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(url)
                page.wait_for_selector("html[data-py-state=ready]", timeout=120_000)
                page.wait_for_selector("html[data-idle=true]")
                time.sleep(1.0)  # let the start-up settle before measuring memory
                before = pss_mb()
                opens.append(open_panel(page))
                time.sleep(1.0)
                memory.append((before, pss_mb()))
                context.close()

            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            page.wait_for_selector("html[data-py-state=ready]", timeout=120_000)
            open_panel(page)
            page.evaluate("t => window.softmaxDigits.setCode(t)", SOLUTION)
            page.locator("#pad").scroll_into_view_if_needed()
            rapid_latencies(page, 50)  # warm-up
            builtin, _ = rapid_latencies(page, args.updates)
            page.click("#use-mine")
            page.wait_for_function("document.documentElement.dataset.softmaxSource === 'mine'")
            rapid_latencies(page, 50)
            mine, round_trips = rapid_latencies(page, args.updates)
            assert page.get_attribute("html", "data-softmax-source") == "mine"

            page.evaluate("t => window.softmaxDigits.setCode(t)", "while True:\n    pass\n")
            start = time.perf_counter()
            page.click("#run-checks")
            page.wait_for_selector("#checks[data-state=stopped]", state="attached", timeout=30_000)
            stopped = time.perf_counter() - start
            page.wait_for_selector("#code-panel[data-python=ready]", timeout=120_000)
            restarted = time.perf_counter() - start
            browser.close()
        server.shutdown()

    med = statistics.median
    editor_ms, python_ms, wasm_mb = zip(*opens, strict=True)
    print(f"opening the code panel, median of {args.runs} cold pages (ms from the click):")
    print(f"  editor shown {med(editor_ms):.0f}  {[round(t) for t in editor_ms]}")
    print(f"  second Python ready {med(python_ms):.0f}  {[round(t) for t in python_ms]}")
    added = [after - before for before, after in memory]
    print(
        f"browser memory (PSS, all processes): {med(b for b, _ in memory):.0f} MB before, "
        f"+{med(added):.0f} MB with the second Python {[round(a) for a in added]}; "
        f"its WebAssembly memory {med(wasm_mb):.0f} MB"
    )
    for name, values in (("built-in softmax", builtin), ("the learner's softmax", mine)):
        print(
            f"pointer event -> rendered, {len(values)} rapid updates, {name}: "
            f"p50 {med(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms"
        )
    print(f"'use mine' adds: p50 {med(mine) - med(builtin):+.1f} ms")
    print(
        f"learner's Python per update (page -> worker -> lab view -> page), "
        f"{len(round_trips)} updates: p50 {med(round_trips):.1f} ms, "
        f"p95 {percentile(round_trips, 0.95):.1f} ms"
    )
    print(f"while True: stopped after {stopped:.2f} s, Python ready again after {restarted:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
