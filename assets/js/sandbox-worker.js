// The learner's Python: a second Pyodide, in a plain module worker of its own, started the first
// time the code panel opens. The page terminates this worker when the learner's code runs past
// its time limit (or crashes Python) and starts a new one, so the lab's own Python never runs
// learner code. Same-origin module worker: allowed by the page's CSP (worker-src 'self'), works
// offline (the service worker precaches these files) and under any sub-path (relative URLs).
//
// Protocol. Worker -> page: {type: "ready", ms} once, or {type: "failed", error}.
// Page -> worker: {id, op, args}; worker -> page: {id, ok: true, result: "<JSON>"} or
// {id, ok: false, error, fatal}. op is one of OPS (py/learner_checks.py does the work).

import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

// The py/ modules this interpreter imports: learner_checks and what it imports.
const MODULES = ["softmax.py", "prob_text.py", "number_rule.py", "lab.py", "learner_checks.py"];
const OPS = { run_checks: "run_checks_json", use_code: "use_code_json", lab: "lab_json" };
const HOME = "/home/pyodide/";

let pyodide = null;
let api = null;

async function fetchModule(name) {
  const url = new URL(`../../py/${name}`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`py/${name} is missing (HTTP ${response.status})`);
  return [name, await response.text()];
}

async function start() {
  const started = performance.now();
  const [loaded, sources] = await Promise.all([
    loadPyodide({
      indexURL: new URL("../vendor/pyodide/", import.meta.url).href,
      packages: ["numpy"],
      stdout: () => {}, // the learner's print() is captured in Python and shown on the page
    }),
    Promise.all(MODULES.map(fetchModule)),
  ]);
  pyodide = loaded;
  for (const [name, text] of sources) pyodide.FS.writeFile(HOME + name, text);
  const module = pyodide.pyimport("learner_checks");
  api = Object.fromEntries(Object.entries(OPS).map(([op, fn]) => [op, module[fn]]));
  return performance.now() - started;
}

const ready = start().then(
  (ms) => postMessage({ type: "ready", ms }),
  (err) => postMessage({ type: "failed", error: String(err && err.message ? err.message : err) }),
);

self.onmessage = async ({ data }) => {
  await ready;
  const { id, op, args } = data;
  try {
    if (!api) throw new Error("Python for your code did not start");
    if (!(op in OPS)) throw new Error(`unknown operation ${op}`);
    postMessage({ id, ok: true, result: api[op](...args) });
  } catch (err) {
    // A Python exception here is a bug of ours (learner_checks catches the learner's); after a
    // fatal error (e.g. a stack overflow in WebAssembly) this interpreter is unusable.
    const message = String(err && err.message ? err.message : err);
    const fatal = Boolean(err && err.pyodide_fatal_error) || /fatal/i.test(message);
    postMessage({ id, ok: false, error: message, fatal });
  }
};
