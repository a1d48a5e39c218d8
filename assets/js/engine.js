// The bridge to Python: waits for the PyScript worker, reports loading progress and failures,
// and sets the readiness contract <html data-py-state="loading|ready|error">.
//
// Readiness is a small state machine:
//   loading -> loading   progress: only the message changes
//   loading -> ready     Python, numpy and our modules are up
//   loading -> error     a diagnosis (a missing file, no answer in time) or a definite failure
//   error   -> ready     Python came up after all: a late success wins
// Nothing else: progress never leaves error, and ready is final.
//
// When a worker's runtime fails, PyScript at best posts the error that stopped it (CPython's
// exit without its standard library) and at worst says nothing (a 404 on the wasm just leaves
// it waiting). So the page checks every file the worker fetches itself, but only when
// something is wrong: at once when the worker reports a failure, else when Python is late.
// A watchdog remains. All of these only diagnose: they show an error, but the start goes on,
// and if Python comes up anyway the page becomes ready.

import { $ } from "./dom.js";
import { catalogue, lang, t } from "./i18n.js";

const root = document.documentElement;
const READY_TIMEOUT_MS = 120_000;
// Late: about 10x a cold start to ready on a quiet 2-core machine (3-4 s, docs/benchmarks.md),
// and 1.5x the slowest healthy one measured under a load of 21 (26 s).
// A healthy start sends no file check unless it takes that long (a very slow network can).
const LATE_AFTER_MS = 40_000;
// config.interpreter is runtime.js, which starts Pyodide from its vendored folder. Pyodide's own
// files there: the build (scripts/site/website.py) writes them from the assembled
// pyodide-lock.json; an unbuilt checkout checks only pyodide.mjs and our own files.
const PYODIDE_DIR = "assets/vendor/pyodide/";
const PYODIDE_FILES = []; // replaced by the build
// After ready, the page saves a memory snapshot of the bare interpreter for the next visit
// (runtime-snapshot.js): a second worker, started once the first interactions are served.
const SNAPSHOT_AFTER_MS = 1_000;

const MOVES = { loading: ["loading", "ready", "error"], error: ["ready"], ready: [] };
let current = "loading"; // what index.html starts with

export function runtimeUrls(script) {
  const config = JSON.parse(script.getAttribute("config"));
  const pyodide = new URL(PYODIDE_DIR, document.baseURI);
  return [
    new URL(config.interpreter, document.baseURI).href,
    ...["pyodide.mjs", ...PYODIDE_FILES].map((name) => new URL(name, pyodide).href),
    new URL(script.getAttribute("src"), document.baseURI).href,
    ...Object.keys(config.files || {}).map((src) => new URL(src, document.baseURI).href),
  ];
}

// '' when the file answers, else what is wrong with it.
async function problemWith(url) {
  let response;
  try {
    response = await fetch(url, { method: "HEAD", cache: "no-store" });
  } catch (err) {
    return t("js.engine.fetch_error", { file: shortName(url), error: err.message });
  }
  if (response.ok) return "";
  return t("js.engine.missing", { file: shortName(url), status: response.status });
}

async function checkFiles(script) {
  const problems = await Promise.all(runtimeUrls(script).map(problemWith));
  return problems.find(Boolean) ?? "";
}

function shortName(url) {
  return new URL(url).pathname.split("/").slice(-3).join("/");
}

// The status line only: its look and text, not the readiness state.
export function showStatus(look, message) {
  const status = $("py-status");
  if (!status) return;
  status.dataset.state = look;
  status.querySelector(".status-text").textContent = message;
}

// One move of the state machine; false (and nothing shown) when the move is not allowed.
function moveTo(state, message) {
  if (!MOVES[current].includes(state)) return false;
  current = state;
  root.dataset.pyState = state;
  if (state !== "loading") performance.mark(`py-${state}`); // read by the start-up benchmark
  showStatus(state, message);
  return true;
}

export function failureMessage(reason) {
  return t("js.engine.failure", { reason });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Unless a snapshot is saved already (then data-snapshot="present" at once: no worker, no second
// Pyodide parsed on a return visit), starts runtime-snapshot.js, which saves one; <html
// data-snapshot> says how it ended ("present", "saved", "failed: ..."). Only speed is at stake:
// a failure is logged, nothing is shown. (snapshot-store.js is imported here, after ready.)
function saveSnapshotLater() {
  if (!("caches" in window)) return;
  const end = (outcome, worker = null) => {
    root.dataset.snapshot = outcome;
    if (outcome.startsWith("failed")) console.warn(`Pyodide snapshot: ${outcome}`);
    worker?.terminate();
  };
  setTimeout(async () => {
    try {
      const { snapshotSaved } = await import("./snapshot-store.js");
      if (await snapshotSaved()) return end("present");
    } catch (err) {
      return end(`failed: ${err.message}`);
    }
    const worker = new Worker(new URL("./runtime-snapshot.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => end(String(data), worker);
    worker.onerror = (event) => end(`failed: ${event.message || "the worker did not start"}`, worker);
  }, SNAPSHOT_AFTER_MS);
}

// Resolves with the worker's exported functions once Python, numpy and our modules are loaded;
// rejects only when they never will (our modules failed, the worker broke).
// onFailure(message) runs when the worker posts the error that stopped its start.
async function connect(script, onFailure) {
  const begun = performance.now();
  while (!script.xworker) await sleep(performance.now() - begun < READY_TIMEOUT_MS ? 20 : 1000);
  moveTo("loading", t("js.engine.downloading"));
  script.xworker.addEventListener("message", (event) => {
    if (event.data === "importing") moveTo("loading", t("js.engine.importing"));
    else if (typeof event.data?.message === "string") onFailure(event.data.message);
  });
  await script.xworker.ready;
  const api = script.xworker.sync;
  const problem = await api.startup_status();
  if (problem) throw new Error(problem);
  // Python's texts in the language shown, before any other call (py/lab/catalogue.py).
  await api.set_language(lang, JSON.stringify(catalogue));
  return api;
}

// Resolves with the worker's API whenever Python comes up, even after an error was shown (then
// the page turns ready). Rejects only on a definite failure. onError(reason) runs once, when the
// page first shows an error.
export function startEngine(script, { onError = () => {} } = {}) {
  moveTo("loading", t("js.engine.loading"));
  const diagnose = (reason) => {
    if (!moveTo("error", failureMessage(reason))) return;
    console.warn(`Python runtime failed: ${reason}`);
    onError(reason);
  };
  const lateCheck = setTimeout(async () => {
    const problem = await checkFiles(script);
    if (problem) diagnose(problem);
  }, LATE_AFTER_MS);
  const watchdog = setTimeout(
    () => diagnose(t("js.engine.no_answer", { seconds: READY_TIMEOUT_MS / 1000 })),
    READY_TIMEOUT_MS,
  );
  // A missing file says more than the error it caused (a 404 page run as Python is a
  // SyntaxError), so a reported failure is shown as the missing file when there is one.
  const explain = async (reason) => {
    clearTimeout(lateCheck);
    diagnose((await checkFiles(script)) || reason);
  };
  return connect(script, explain).then(
    (api) => {
      clearTimeout(lateCheck);
      clearTimeout(watchdog);
      moveTo("ready", t("js.engine.ready"));
      saveSnapshotLater();
      return api;
    },
    async (err) => {
      clearTimeout(watchdog);
      await explain(err.message);
      throw err;
    },
  );
}
