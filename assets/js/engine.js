// The bridge to Python: waits for the PyScript worker, reports loading progress and failures,
// and sets the readiness contract <html data-py-state="loading|ready|error">.
//
// PyScript reports nothing to the page when a worker's runtime fails to load (a 404 on the
// wasm just leaves it waiting), so we check every file the worker will fetch ourselves, in
// parallel with the real load, and keep a watchdog for anything else.

const root = document.documentElement;
const READY_TIMEOUT_MS = 120_000;
// The file check starts only if Python is not up by then: a healthy start never pays for it.
const CHECK_AFTER_MS = 1500;
// Pyodide's own files, fetched from the folder of config.interpreter. The build
// (scripts/website.py) writes them from the assembled pyodide-lock.json; an unbuilt checkout
// checks only the interpreter and our own files.
const PYODIDE_FILES = []; // replaced by the build

export function runtimeUrls(script) {
  const config = JSON.parse(script.getAttribute("config"));
  const interpreter = new URL(config.interpreter, document.baseURI);
  return [
    interpreter.href,
    ...PYODIDE_FILES.map((name) => new URL(name, interpreter).href),
    new URL(script.getAttribute("src"), document.baseURI).href,
    ...Object.keys(config.files || {}).map((src) => new URL(src, document.baseURI).href),
  ];
}

async function checkReachable(url) {
  let response;
  try {
    response = await fetch(url, { method: "HEAD", cache: "no-store" });
  } catch (err) {
    throw new Error(`could not fetch ${shortName(url)} (${err.message})`);
  }
  if (!response.ok) throw new Error(`${shortName(url)} is missing (HTTP ${response.status})`);
}

function shortName(url) {
  return new URL(url).pathname.split("/").slice(-3).join("/");
}

export function setState(state, message = "") {
  root.dataset.pyState = state;
  if (state !== "loading") performance.mark(`py-${state}`); // read by the start-up benchmark
  const status = document.getElementById("py-status");
  if (!status) return;
  status.dataset.state = state;
  status.querySelector(".status-text").textContent = message;
}

function fail(message) {
  console.warn(`Python runtime failed: ${message}`);
  setState("error", `Python could not start: ${message}. The drawing pad still works; reload to try again.`);
}

// Resolves with the worker's exported functions once Python, numpy and our modules are loaded.
export async function startEngine(script) {
  setState("loading", "Loading Python (Pyodide + numpy)…");
  let settled = false;
  const timers = [];
  // Rejects with the first problem found: a missing runtime file, or no answer at all.
  const failure = new Promise((_, reject) => {
    timers.push(setTimeout(() => {
      Promise.all(runtimeUrls(script).map(checkReachable)).catch(reject);
    }, CHECK_AFTER_MS));
    timers.push(setTimeout(
      () => reject(new Error(`no answer after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS));
  });
  const ready = (async () => {
    while (!script.xworker) {
      if (settled) throw new Error("gave up waiting for PyScript");
      await new Promise((r) => setTimeout(r, 20));
    }
    setState("loading", "Downloading and starting Python (Pyodide + numpy)…");
    script.xworker.addEventListener("message", (event) => {
      if (event.data === "importing") setState("loading", "Python is up: loading the network…");
    });
    await script.xworker.ready;
    const api = script.xworker.sync;
    const problem = await api.startup_status();
    if (problem) throw new Error(problem);
    return api;
  })();
  try {
    const api = await Promise.race([ready, failure]);
    setState("ready", "Python is ready.");
    return api;
  } catch (err) {
    fail(err.message);
    throw err;
  } finally {
    settled = true;
    timers.forEach(clearTimeout);
  }
}
