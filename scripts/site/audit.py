#!/usr/bin/env python3
"""Lighthouse audits of the built site in Debian Chromium, offline: mobile and desktop.

    python scripts/site/audit.py [--form-factor mobile|desktop|both]     (make audit)

Builds the site, serves it on loopback under /softmax-digits/ (as GitHub Pages does) and runs
the pinned Lighthouse from node_modules/ (`npm ci`, done by scripts/site/setup.sh --test) with
CHROME_PATH set to Debian's Chromium and the same Chromium flags as the browser tests. Prints the
four category scores and the main metrics; exits 1 if accessibility, best practices or SEO is
below 100 (performance is reported, not enforced). The JSON and HTML reports are written to
e2e-artifacts/.

Also home of `axe_violations(page)`, the axe-core audit the browser tests run on every state.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from scripts.site.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from scripts.site.website import ROOT, build, make_server, serve_in_thread  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "/softmax-digits/"
ARTIFACTS = ROOT / "e2e-artifacts"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
ENFORCED = ("accessibility", "best-practices", "seo")  # deterministic: must be 100
METRICS = (
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "Speed Index"),
    ("interactive", "TTI"),
)


class AuditError(RuntimeError):
    """An audit tool is missing or did not produce a report."""


# Every rule axe enables by default (WCAG 2.0-2.2 A/AA and best practices), none switched off,
# plus target-size (WCAG 2.2 AA 2.5.8, off by default in axe; Lighthouse runs it).
AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {
    resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ` +
    v.nodes.map((n) => `${n.target.join(' ')} [${n.failureSummary.replace(/\\s+/g, ' ')}]`)
      .join('; '));
}"""


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line per rule broken.

    axe is evaluated through DevTools, which the page's Content-Security-Policy does not govern,
    so the audited page keeps its real policy (no bypass_csp)."""
    if not AXE.exists():
        raise AuditError(f"{AXE} is missing: run scripts/site/setup.sh --test (npm ci)")
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE.read_text() + "\n;true")
    return page.evaluate(AXE_RUN_JS)


def run_lighthouse(url: str, form_factor: str, out_base: Path) -> dict:
    """Run Lighthouse once against `url`; return the parsed JSON report (also saved as
    `out_base`.report.json and .report.html)."""
    if not LIGHTHOUSE.exists():
        raise AuditError(f"{LIGHTHOUSE} is missing: run scripts/site/setup.sh --test (npm ci)")
    out_base.parent.mkdir(parents=True, exist_ok=True)
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={out_base}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}",
        "--max-wait-for-load=90000",  # the 2-core machines are slow when busy
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    report = out_base.with_name(out_base.name + ".report.json")
    if done.returncode != 0 or not report.exists():
        raise AuditError(f"lighthouse failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(report.read_text())


def scores(report: dict) -> dict[str, int]:
    """Category scores as whole numbers 0..100."""
    return {c: round(100 * report["categories"][c]["score"]) for c in CATEGORIES}


def failures(report: dict, category: str) -> list[str]:
    """The audits that cost `category` points: 'id: title'."""
    audits = report["audits"]
    out = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            out.append(f"{ref['id']}: {audit['title']}")
    return out


def metrics(report: dict) -> dict[str, str]:
    return {name: report["audits"][key]["displayValue"] for key, name in METRICS}


def serve_built_site(tmp: Path):
    site = build(tmp / "site")
    server = make_server(site, prefix=PREFIX)
    serve_in_thread(server)
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}{PREFIX}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--form-factor", choices=("mobile", "desktop", "both"), default="both")
    form_factors = parser.parse_args().form_factor
    form_factors = ("mobile", "desktop") if form_factors == "both" else (form_factors,)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        server, url = serve_built_site(Path(tmp))
        try:
            for form_factor in form_factors:
                report = run_lighthouse(url, form_factor, ARTIFACTS / f"lighthouse-{form_factor}")
                got = scores(report)
                line = ", ".join(f"{c} {got[c]}" for c in CATEGORIES)
                print(f"{form_factor:8} {line}")
                print(f"{'':8} " + ", ".join(f"{k} {v}" for k, v in metrics(report).items()))
                for category in ENFORCED:
                    if got[category] < 100:
                        ok = False
                        for failure in failures(report, category):
                            print(f"{'':8} {category} loses points on {failure}")
        finally:
            server.shutdown()
    print(f"reports: {ARTIFACTS}/lighthouse-*.report.html")
    if not ok:
        print("FAIL: accessibility, best practices and SEO must all be 100", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
