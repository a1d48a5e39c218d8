#!/usr/bin/env python3
"""Ways to start Pyodide + numpy in a bare worker, timed against the plain way (issue 31).

A bare page starts one module worker that loads the vendored Pyodide and imports numpy, by one
of these variants (nothing of our own page is loaded). All but the last two use Pyodide's files
as published (base_site.stock_runtime); those two use the site's, whose standard library and
numpy are compiled to bytecode at setup (scripts/site/compile_runtime.mjs):

  base      loadPyodide({packages: ["numpy"]}) then `import numpy` (what PyScript does for us)
  lazy      loadPyodide() while the worker fetches the numpy wheel itself (with its sha256 from
            the lock file as SRI); the wheel unzipped by pyodide.unpackArchive, so `import numpy`
            compiles only the shared libraries it imports (not numpy.random's, fft's, tests')
  snap      warm only: the first visit saves a memory snapshot of the bare interpreter
            (loadPyodide's experimental _makeSnapshot, before any package) in Cache Storage;
            later visits restore it (_loadSnapshot), then load numpy as `base` does
  snaplazy  warm only: the snapshot, then numpy as `lazy` does
  compiled  `lazy` with the site's compiled files (what the page does on a first visit)
  snapcomp  warm only: `snaplazy` with the site's compiled files (what the page does after)

Cold: a fresh browser context per load (empty caches). Warm: one context per variant, visited
once untimed, then reloaded; every variant's page is controlled by a small cache-first service
worker (as our page's), so warm files come from Cache Storage. The variants take turns run by
run. Times are ms from the page's navigation to numpy imported; the main wasm's
instantiateStreaming is timed too (Chromium's wasm code cache shows there on warm loads).

    python scripts/bench/bench_runtime_paths.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.bench.base_site import stock_runtime  # noqa: E402
from scripts.site.browser import launch  # noqa: E402
from scripts.site.website import PAGES_CACHE_CONTROL, ROOT, make_server, serve_in_thread  # noqa: E402

PAGE = """<!doctype html>
<html data-py-state="loading"><head><meta charset="utf-8"></head><body>
<script type="module">
const params = new URLSearchParams(location.search);
if (params.get("sw") === "1") {
  await navigator.serviceWorker.register("runtime-sw.js");
}
const worker = new Worker("runtime-worker.mjs" + location.search, { type: "module" });
worker.onerror = (event) => {
  window.result = { error: `worker: ${event.message || "failed to start"}` };
  document.documentElement.dataset.pyState = "error";
};
worker.onmessage = ({ data }) => {
  const since = (t) => t - performance.timeOrigin;
  window.result = data.error ? { error: data.error }
    : Object.fromEntries(Object.entries(data.marks).map(([k, t]) => [k, since(t)]));
  if (data.info) window.result.info = data.info;
  document.documentElement.dataset.pyState = data.error ? "error" : "ready";
};
</script></body></html>
"""

WORKER = """
const params = new URLSearchParams(location.search);
const variant = params.get("v");
const base = new URL(params.get("r") === "compiled" ? "assets/vendor/pyodide/"
                                                      : "stock/", location.href).href;
const marks = {};
const mark = (name) => { marks[name] = performance.timeOrigin + performance.now(); };
const info = {};
mark("worker");
const streaming = WebAssembly.instantiateStreaming;
let wasmCount = 0;
WebAssembly.instantiateStreaming = async (...args) => {
  const n = wasmCount++;
  mark(`wasm${n}_start`);
  const result = await streaming(...args);
  mark(`wasm${n}_end`);
  return result;
};
const SITE = "/lib/python3.12/site-packages";
const SNAP_CACHE = "runtime-snapshot";

async function wheelFetch() {
  const lock = await (await fetch(base + "pyodide-lock.json")).json();
  const pkg = lock.packages.numpy;
  const bytes = pkg.sha256.match(/../g).map((h) => parseInt(h, 16));
  const integrity = "sha256-" + btoa(String.fromCharCode(...bytes));
  const response = await fetch(base + pkg.file_name, { integrity });
  if (!response.ok) throw new Error(`numpy wheel: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function savedSnapshot() {
  const cache = await caches.open(SNAP_CACHE);
  const hit = await cache.match("snapshot");
  return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
}

try {
  const lazy = variant === "lazy" || variant === "snaplazy";
  const wheel = lazy ? wheelFetch() : null;
  const { loadPyodide } = await import(base + "pyodide.mjs");
  mark("mjs");
  let py;
  if (variant === "snap" || variant === "snaplazy") {
    const snapshot = await savedSnapshot();
    mark("snapshot_read");
    info.restored = snapshot !== null;
    if (snapshot) {
      py = await loadPyodide({ indexURL: base, _loadSnapshot: snapshot });
    } else {
      py = await loadPyodide({ indexURL: base, _makeSnapshot: true });
      mark("booted");
      const made = py.makeMemorySnapshot();
      info.snapshotBytes = made.byteLength;
      mark("snapshot_made");
      await (await caches.open(SNAP_CACHE)).put("snapshot", new Response(made));
      mark("snapshot_saved");
    }
  } else {
    py = await loadPyodide(variant === "base" ? { indexURL: base, packages: ["numpy"] }
                                              : { indexURL: base });
  }
  mark("interpreter");
  if (lazy) {
    py.unpackArchive(await wheel, "zip", { extractDir: SITE });
    mark("unzipped");
  } else if (variant !== "base") {
    await py.loadPackage("numpy", { messageCallback() {} });
    mark("package");
  }
  py.runPython("import numpy");
  mark("numpy");
  info.check = py.runPython("import numpy; float(numpy.exp(numpy.arange(3.0)).sum())");
  info.so = py.runPython(
    "import sys; str(sum(1 for m in sys.modules.values() " +
    "if (getattr(m, '__file__', '') or '').endswith('.so')))");
  postMessage({ marks, info });
} catch (err) {
  postMessage({ error: String(err && err.stack || err) });
}
"""

SERVICE_WORKER = """
// Cache-first, every GET of this origin (as the site's own service worker answers warm loads).
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  event.respondWith((async () => {
    const cache = await caches.open("runtime-files");
    const hit = await cache.match(event.request, { ignoreSearch: false });
    if (hit) return hit;
    const response = await fetch(event.request);
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  })());
});
"""

# variant name: the worker's query (v: how numpy loads, r: whose files)
COLD = {"base": "v=base", "lazy": "v=lazy", "compiled": "v=lazy&r=compiled"}
WARM = {
    "base": "v=base",
    "lazy": "v=lazy",
    "snap": "v=snap",
    "snaplazy": "v=snaplazy",
    "snapcomp": "v=snaplazy&r=compiled",
}


def load(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_selector(
        "html[data-py-state=ready], html[data-py-state=error]", state="attached", timeout=180_000
    )
    result = page.evaluate("window.result")
    if "error" in result:
        raise SystemExit(f"{url}: {result['error']}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "runtime.html").write_text(PAGE)
        (site / "runtime-worker.mjs").write_text(WORKER)
        (site / "runtime-sw.js").write_text(SERVICE_WORKER)
        (site / "assets" / "vendor").mkdir(parents=True)
        (site / "assets" / "vendor" / "pyodide").symlink_to(ROOT / "assets/vendor/pyodide")
        stock_runtime(site / "stock")
        server = make_server(
            site,
            prefix="/",
            entries=("runtime.html", "runtime-worker.mjs", "runtime-sw.js", "assets", "stock"),
            cache_control=PAGES_CACHE_CONTROL,
        )
        serve_in_thread(server)
        host, port = server.server_address[:2]
        url = f"http://{host}:{port}/runtime.html"
        cold = {v: [] for v in COLD}
        warm = {v: [] for v in WARM}
        with sync_playwright() as pw:
            browser = launch(pw)
            for variant in COLD:  # untimed: OS file cache, Chromium warm-up
                context = browser.new_context(service_workers="block")
                load(context.new_page(), f"{url}?{COLD[variant]}")
                context.close()
            for _ in range(args.runs):
                for variant in COLD:
                    context = browser.new_context(service_workers="block")
                    cold[variant].append(load(context.new_page(), f"{url}?{COLD[variant]}"))
                    context.close()
            pages = {}
            for variant in WARM:  # first visit: fills the service worker's cache (and snapshot)
                context = browser.new_context()
                page = context.new_page()
                first = load(page, f"{url}?{WARM[variant]}&sw=1")
                page.wait_for_function("navigator.serviceWorker.controller !== null")
                load(page, f"{url}?{WARM[variant]}&sw=1")  # the files now from the cache
                pages[variant] = page
                print(f"first visit {variant}: {first.get('info')}")
            for _ in range(args.runs):
                for variant in WARM:
                    warm[variant].append(load(pages[variant], f"{url}?{WARM[variant]}&sw=1"))
            browser.close()
        server.shutdown()
    print(f"load average after: {os.getloadavg()}")
    med = statistics.median

    def report(title: str, results: dict) -> None:
        print(f"\n{title}: ms from navigation, median of {args.runs} (all runs)")
        print(f"{'variant':10}{'numpy':>8}{'ratio':>7}{'interp':>8}{'wasm inst':>10}")
        base = med(r["numpy"] for r in results["base"])
        for variant, runs in results.items():
            numpy_ms = [r["numpy"] for r in runs]
            inst = med(r["wasm0_end"] - r["wasm0_start"] for r in runs)
            print(
                f"{variant:10}{med(numpy_ms):8.0f}{med(numpy_ms) / base:7.3f}"
                f"{med(r['interpreter'] for r in runs):8.0f}{inst:10.0f}   "
                f"{[round(t) for t in numpy_ms]} {runs[-1].get('info')}"
            )

    report("cold (fresh context each load)", cold)
    report("warm (second visit on, files from a service worker's cache)", warm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
