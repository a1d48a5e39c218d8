#!/usr/bin/env python3
"""Drawn digits with the real mouse on the real page: every style of every digit.

The CPython renderer (scripts/model/eval_drawn.py) scores thousands of drawings quickly; this scores
fewer, end to end: each is drawn with Playwright's real mouse on the served page, in headless
Chromium, through the page's own pen, canvas, preprocessing in Pyodide and network, and the
page's `#prediction` is read. The drawings are strokes.place() of every named style
(strokes.styles, 41) with the page's pen kind ("page": 30-88 % of the pad tall), --per-style
times, from a seed of their own (never trained on, never chosen on).

    python scripts/model/eval_mouse.py [--per-style 6] [--seed 4242]

Prints overall, per class, per style family and every miss; exit code 1 below the bars
(eval_drawn.STYLED_BAR overall, eval_drawn.FAMILY_BARS for long-flag 1s and crossbar 7s).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.model import eval_drawn, strokes  # noqa: E402
from scripts.site.browser import act, draw_with_mouse, goto_ready, launch  # noqa: E402
from scripts.site.website import served_site  # noqa: E402

SEED = 4242  # its own drawings: not the renderer's validation (2718) or test (31415) seeds
PER_STYLE = 6


def drawings(per_style: int, seed: int):
    """(digit, style, polylines in pad pixels): every style per_style times, in a fixed order."""
    rng = np.random.default_rng(seed)
    for digit in range(10):
        for style, template in strokes.styles(digit).items():
            for _ in range(per_style):
                lines, _, _ = strokes.place(template, rng, pen="page")
                yield digit, style, [[tuple(p) for p in line] for line in lines]


def read_drawing(page, lines) -> tuple[str, bool]:
    """Clear the pad, draw with the mouse, wait for the page's update: (#prediction, note shown)."""
    act(page, lambda: page.click("#clear"))
    for line in lines:
        act(page, lambda line=line: draw_with_mouse(page, line, steps=2))
    return page.text_content("#prediction"), page.locator("#not-a-digit").is_visible()


def score(per_style: int = PER_STYLE, seed: int = SEED) -> dict:
    """Draw the set on the served page (the shipped assets/model.npz) and tally what it reads.

    {"per_style", "seed", "drawn": n, "right": n, "per_class": {d: [right, n]},
    "per_family": {family: [right, n]}, "note_shown": n, "misses": [text]}
    """
    res = {"per_style": per_style, "seed": seed, "drawn": 0, "right": 0, "note_shown": 0}
    per_class, per_family, misses = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0]), []
    with served_site() as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        goto_ready(page, url)
        for digit, style, lines in drawings(per_style, seed):
            guess, note = read_drawing(page, lines)
            right = guess == str(digit)
            res["drawn"] += 1
            res["right"] += right
            res["note_shown"] += note
            for tally in (per_class[digit], per_family[strokes.family(digit, style)]):
                tally[0] += right
                tally[1] += 1
            if not right:
                misses.append(f"{digit} ({style}) read as {guess}")
        browser.close()
    res["per_class"] = {d: per_class[d] for d in range(10)}
    res["per_family"] = {f: per_family[f] for f in strokes.FAMILIES}
    res["misses"] = misses
    return res


def report(res: dict, log=print) -> dict[str, float]:
    """Print the figures; returns the ones issue 9 sets bars for (overall and two families)."""

    def line(label: str, right: int, n: int) -> None:
        log(f"    {label:<28} {right / n:8.2%}  ({right}/{n})")

    log(
        f"  drawn with the real mouse on the page ({res['drawn']} drawings: every style"
        f" {res['per_style']} times, seed {res['seed']}, the page's 18 px pen):"
    )
    line("overall", res["right"], res["drawn"])
    for digit, (right, n) in res["per_class"].items():
        line(str(digit), right, n)
    for family, (right, n) in res["per_family"].items():
        line(family, right, n)
    log(f"    'not a digit' note shown on {res['note_shown']} of {res['drawn']} digits")
    log("    misses: " + ("; ".join(res["misses"]) if res["misses"] else "none"))
    families = {f: r / n for f, (r, n) in res["per_family"].items()}
    return {
        "overall": res["right"] / res["drawn"],
        "long-flag 1": families["long-flag 1"],
        "crossbar 7": families["crossbar 7"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-style", type=int, default=PER_STYLE)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = report(score(args.per_style, args.seed))
    bars = {"overall": eval_drawn.STYLED_BAR, **eval_drawn.FAMILY_BARS}
    ok = True
    for key, bar in bars.items():
        passed = figures[key] >= bar
        ok &= passed
        verdict = "PASS" if passed else "FAIL"
        print(f"  {verdict}  {key:<24} {figures[key]:8.2%}  (bar >= {bar:.1%})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
