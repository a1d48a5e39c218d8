#!/usr/bin/env python3
"""Memory benchmark in headless Chromium: the page's Python and JS heap over a session.

At each stage it reads the lab worker's WebAssembly memory (py/worker.py memory_mb(); wasm
memory never shrinks, so this is the most the page's Python ever needed at once), the page's JS
heap after a full garbage collection (CDP Runtime.getHeapUsage) and, once the code panel is
open, the second Python's WebAssembly memory (#code-panel[data-memory-mb]). Stages: after
start-up; after 1,000 and 2,000 rapid pad updates; after the first Learn press (it fetches the
digit sets and computes their features); after --presses presses in all; with the code panel
open. Growth from 1,000 to 2,000 updates is what "grows without bound" would show.

    python scripts/bench/bench_memory.py [--presses 50] [--steps 5] [--base main]

--base REF measures the site as committed at REF too (built beside this one: base_site.build_at
says with which runtime files), in the same run: a before/after table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.bench.base_site import build_at, short_commit  # noqa: E402
from scripts.bench.bench_learn import THREE, press  # noqa: E402
from scripts.site.browser import (  # noqa: E402
    RAPID_UPDATES_JS,
    draw_with_mouse,
    goto_ready,
    js_heap_mb,
    launch,
)
from scripts.site.website import build, make_server, serve_in_thread  # noqa: E402

PREFIX = "/softmax-digits/"
WASM_MB_JS = """async () => {
  const api = document.querySelector('script[type="py"][worker]').xworker.sync;
  return await api.memory_mb();
}"""
# JS heap growth over the second 1,000 updates above this is reported as growing (GC noise is
# well under it; a leak of even 1 KB per update would exceed it).
JS_GROWTH_MB = 1.0


def stage(page, cdp, name: str, results: list) -> None:
    time.sleep(0.5)  # let the last answer's objects become garbage
    code_mb = page.get_attribute("#code-panel", "data-memory-mb")
    results.append(
        (name, page.evaluate(WASM_MB_JS), js_heap_mb(cdp), float(code_mb) if code_mb else None)
    )


def session(browser, url: str, presses: int, steps: int) -> tuple[list, float]:
    """One learner's session on a fresh context: [(stage, lab wasm MB, JS heap MB, code MB)]
    and the first Learn press's ms (click to rendered, with fetching the digit sets)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    results: list = []
    goto_ready(page, url)
    stage(page, cdp, "after start-up", results)
    page.evaluate(RAPID_UPDATES_JS, 1000)
    stage(page, cdp, "after 1,000 updates", results)
    page.evaluate(RAPID_UPDATES_JS, 1000)
    stage(page, cdp, "after 2,000 updates", results)
    draw_with_mouse(page, THREE)
    page.select_option("#true-label", "8")
    page.wait_for_selector("html[data-idle=true]")
    first_press_ms = press(page, steps)["wall_ms"]
    stage(page, cdp, "after the first Learn press", results)
    for _ in range(presses - 1):
        press(page, steps)
    stage(page, cdp, f"after {presses} Learn presses", results)
    page.click("#code-panel summary")
    page.wait_for_selector("#code-panel[data-python=ready]", timeout=120_000)
    stage(page, cdp, "with the code panel open", results)
    context.close()
    return results, first_press_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=50)
    parser.add_argument("--steps", type=int, default=5, help="steps per Learn press")
    parser.add_argument("--base", help="a git ref to measure too, e.g. main")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sites = {"this checkout": build(Path(tmp) / "ours" / "site")}
        if args.base:
            base = build_at(args.base, Path(tmp) / "base", memory_hook=True)
            sites[f"{args.base} ({short_commit(args.base)})"] = base
        prefixes = {f"/site{i}{PREFIX}": site for i, site in enumerate(sites.values())}
        first, *others = prefixes
        server = make_server(
            sites["this checkout"], prefix=first, copies={p: prefixes[p] for p in others}
        )
        serve_in_thread(server)
        host, port = server.server_address[:2]
        measured = {}
        with sync_playwright() as pw:
            browser = launch(pw)
            for name, prefix in zip(sites, prefixes, strict=True):
                measured[name] = session(
                    browser, f"http://{host}:{port}{prefix}", args.presses, args.steps
                )
            browser.close()
        server.shutdown()

    print(f"memory over one session (MB; Learn presses of {args.steps} steps)")
    for name, (results, first_press_ms) in measured.items():
        print(f"\n{name}: first Learn press {first_press_ms:.0f} ms (click to rendered)")
        print(f"  {'stage':34}{'lab wasm':>10}{'JS heap':>10}{'2nd Python':>12}")
        for label, wasm, js, code in results:
            second = f"{code:12.0f}" if code is not None else f"{'-':>12}"
            print(f"  {label:34}{wasm:10.1f}{js:10.2f}{second}")
        by_stage = {label: (wasm, js) for label, wasm, js, _ in results}
        (w1, j1), (w2, j2) = by_stage["after 1,000 updates"], by_stage["after 2,000 updates"]
        wasm_grows, js_grows = w2 > w1, j2 - j1 > JS_GROWTH_MB
        print(
            f"  from 1,000 to 2,000 updates: lab wasm {w2 - w1:+.1f} MB "
            f"({'GROWS' if wasm_grows else 'no growth'}), JS heap {j2 - j1:+.2f} MB "
            f"({'GROWS' if js_grows else f'no growth beyond {JS_GROWTH_MB:g} MB'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
