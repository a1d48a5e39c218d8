#!/usr/bin/env python3
"""The forward pass in Pyodide, in headless Chromium: the shipped network against the previous one.

Issue 9 allows the page's forward pass to grow to at most 2x the cost of the pass it replaced:
conv 16/32, dense 128, every product by matmul (`network.EINSUM` off). Both are timed in the
same page, in the same Pyodide, with the same `network.forward`, rounds alternating so a busy
machine slows both alike; the previous architecture gets random weights of its shapes (the cost
depends on shapes, not values). The shipped network is also timed with matmul only, to show
what the einsum products save.

    python scripts/bench/bench_forward.py [--rounds 7] [--runs 200] [--also 32,64,128 ...]

--also times other widths (conv1, conv2, dense) the same way, with random weights: how the
shipped widths were chosen within the budget.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.site.browser import launch  # noqa: E402
from scripts.site.website import served_site  # noqa: E402

PREVIOUS = {"C1": 16, "C2": 32, "HIDDEN": 128}  # the architecture before issue 9

TIME_JS = """async ([rounds, runs, previous, also]) => {
  const { loadPyodide } = await import('./assets/vendor/pyodide/pyodide.mjs');
  const py = await loadPyodide({ indexURL: new URL('./assets/vendor/pyodide/', location).href });
  await py.loadPackage('numpy');
  py.FS.mkdirTree('/bench');
  for (const file of ['py/model/network.py', 'py/lab/softmax.py', 'assets/model.npz']) {
    const bytes = new Uint8Array(await (await fetch(file)).arrayBuffer());
    py.FS.writeFile('/bench/' + file.split('/').pop(), bytes);
  }
  py.globals.set('settings', JSON.stringify({ rounds, runs, previous, also }));
  return py.runPython(`
import json, sys, time
import numpy as np
sys.path.insert(0, "/bench")
import network

s = json.loads(settings)
shipped = network.load_network("/bench/model.npz").params
rng = np.random.default_rng(0)

def random_params(c1, c2, hidden):
    shapes = network.layer_shapes(c1, c2, hidden)
    return {k: (rng.standard_normal(v) * 0.1).astype(np.float32) for k, v in shapes.items()}

p = s["previous"]
previous = random_params(p["C1"], p["C2"], p["HIDDEN"])
others = [random_params(*widths) for widths in s["also"]]
x = rng.random((1, 784)).astype(np.float32)  # one drawing, as the page runs it

def mean_ms(params, einsum=True):
    network.EINSUM = einsum
    network.forward(params, x)
    t = time.perf_counter()
    for _ in range(s["runs"]):
        network.forward(params, x)
    return (time.perf_counter() - t) / s["runs"] * 1e3

rounds = [[mean_ms(previous, einsum=False), mean_ms(shipped), mean_ms(shipped, einsum=False)]
          + [mean_ms(o) for o in others]
          for _ in range(s["rounds"])]
json.dumps({"rounds": rounds,
            "parameters": {"previous": sum(a.size for a in previous.values()),
                           "shipped": sum(a.size for a in shipped.values())}})
`);
}"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--runs", type=int, default=200, help="forward passes per round")
    parser.add_argument(
        "--also", action="append", default=[], metavar="C1,C2,HIDDEN", help="other widths to time"
    )
    args = parser.parse_args(argv)
    with served_site() as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        page.goto(url + "questions.json")  # a page at the site's origin, without the app
        also = [[int(v) for v in widths.split(",")] for widths in args.also]
        result = json.loads(page.evaluate(TIME_JS, [args.rounds, args.runs, PREVIOUS, also]))
        browser.close()
    rounds = result["rounds"]
    ratios = sorted(r[1] / r[0] for r in rounds)
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    old_ms, new_ms = median([r[0] for r in rounds]), median([r[1] for r in rounds])
    n = result["parameters"]
    print(
        f"forward pass of one drawing in Pyodide (mean of {args.runs}, median of"
        f" {args.rounds} alternating rounds):"
    )
    matmul_ms = median([r[2] for r in rounds])
    print(f"  previous network (conv 16/32, {n['previous']:,} parameters, matmul): {old_ms:.3f} ms")
    print(f"  shipped network ({n['shipped']:,} parameters): {new_ms:.3f} ms")
    print(f"  shipped network with matmul only: {matmul_ms:.3f} ms")
    print(
        f"  shipped / previous: median {median(ratios):.2f} (rounds {ratios[0]:.2f}"
        f"-{ratios[-1]:.2f}; issue 9 allows 2.00)"
    )
    for i, widths in enumerate(args.also, start=3):
        other = median([r[i] / r[0] for r in rounds])
        print(f"  widths {widths} (conv1,conv2,dense; random weights) / previous: {other:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
