// The learner's Python: a second Pyodide, in a plain module worker of its own, started the first
// time the code panel opens. The page terminates this worker when the learner's code runs past
// its time limit (or crashes Python, or leaves it holding too much memory) and starts a new one,
// so the lab's own Python never runs learner code. Same-origin module worker: allowed by the
// page's CSP (worker-src 'self'), works offline (the service worker precaches these files) and
// under any sub-path (relative URLs).
//
// Reach: learner code must not touch this origin's storage or the network (pasted code could
// otherwise rewrite the offline cache for good). Python's `js` module is a stand-in that answers
// every name of the real global scope with an error saying so; and once Python is up, before any
// learner code runs, the worker deletes from its own global scope everything that reaches
// storage, the network or another context (LOCKED below), because any JavaScript object handed
// to Python leads to the real global scope (`obj.constructor.constructor("return this")()`).
// What stays: computing, console, timers. (Dynamic `import()` is syntax and cannot be deleted;
// it can request a script, but nothing it runs can reach storage either.)
//
// Language: the page's first message is {type: "language", lang, catalogue} (the catalogue the
// page fetched, as JSON: never fetched twice). learner_checks receives it (set_language) before
// it is ready and before any learner code runs, so the checks speak the language shown; the
// texts this file makes come from it too.
//
// Protocol. Worker -> page: {type: "ready", ms, memory} once, or {type: "failed", error}.
// Page -> worker: {id, op, args}; worker -> page: {id, ok: true, result: "<JSON>", memory} or
// {id, ok: false, error, fatal, memory}. op is one of OPS (py/learner_code/learner_checks.py does the work);
// memory is the size of Python's WebAssembly memory in bytes after the call (it never shrinks:
// the page restarts this worker when it is too large).

import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

// The py/ modules this interpreter imports: learner_checks and what it imports.
const MODULES = [
  "lab/catalogue.py", "lab/softmax.py", "lab/prob_text.py", "lab/number_rule.py", "lab/lab.py",
  "learner_code/learner_checks.py",
];
const OPS = { run_checks: "run_checks_json", use_code: "use_code_json", lab: "lab_json" };
const HOME = "/home/pyodide/";
const LOCKED = [
  "caches", "indexedDB", "fetch", "XMLHttpRequest", "WebSocket", "WebTransport", "EventSource",
  "importScripts", "Worker", "SharedWorker", "BroadcastChannel", "navigator", "postMessage",
  "webkitRequestFileSystem", "webkitRequestFileSystemSync", "webkitResolveLocalFileSystemURL",
  "webkitResolveLocalFileSystemSyncURL", "FontFace", "fonts",
];

const post = self.postMessage.bind(self); // kept here: learner code cannot reach this closure
let pyodide = null;
let api = null;
let texts = {}; // the catalogue of the language shown
let languageGiven;
const language = new Promise((resolve) => { languageGiven = resolve; });

// As assets/js/i18n.js's t() (which cannot be imported here: it fetches the catalogue itself).
function t(key, values = {}) {
  const template = texts[key];
  if (typeof template !== "string") return key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// What `import js` gives the learner's Python: no object of the real global scope, and a clear
// error for each of its names (other names, e.g. what Python probes for itself, are undefined).
function blockedGlobals() {
  const names = new Set();
  for (let o = self; o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) names.add(name);
  }
  names.delete("constructor"); // Pyodide probes it when it wraps the object
  return new Proxy(Object.create(null), {
    get(_, key) {
      if (typeof key === "string" && names.has(key)) {
        throw new Error(t("code.worker.blocked", { name: `js.${key}` }));
      }
      return undefined;
    },
    has: () => false,
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

// Delete each LOCKED name wherever it lives on the global scope's prototype chain.
function lockDown() {
  for (const name of LOCKED) {
    for (let o = self; o; o = Object.getPrototypeOf(o)) {
      if (Object.prototype.hasOwnProperty.call(o, name)) delete o[name];
    }
  }
}

function memory() {
  return pyodide ? pyodide._module.HEAP8.buffer.byteLength : 0;
}

async function fetchModule(name) {
  const url = new URL(`../../py/${name}`, import.meta.url);
  const response = await fetch(url);
  if (!response.ok) {
    await language;
    throw new Error(t("code.worker.missing", { file: `py/${name}`, status: response.status }));
  }
  return [name.split("/").pop(), await response.text()]; // flat, as in the page's worker
}

async function start() {
  const started = performance.now();
  const [given, loaded, sources] = await Promise.all([
    language,
    loadPyodide({
      indexURL: new URL("../vendor/pyodide/", import.meta.url).href,
      packages: ["numpy"],
      jsglobals: blockedGlobals(),
      stdout: () => {}, // the learner's print() is captured in Python and shown on the page
    }),
    Promise.all(MODULES.map(fetchModule)),
  ]);
  pyodide = loaded;
  for (const [name, text] of sources) pyodide.FS.writeFile(HOME + name, text);
  const module = pyodide.pyimport("learner_checks");
  module.set_language(given.lang, given.catalogue);
  api = Object.fromEntries(Object.entries(OPS).map(([op, fn]) => [op, module[fn]]));
  lockDown();
  return performance.now() - started;
}

const ready = start().then(
  (ms) => post({ type: "ready", ms, memory: memory() }),
  (err) => post({ type: "failed", error: String(err && err.message ? err.message : err) }),
);

self.addEventListener("message", async ({ data }) => {
  if (data && data.type === "language") {
    texts = JSON.parse(data.catalogue);
    languageGiven(data);
    return;
  }
  await ready;
  const { id, op, args } = data;
  try {
    if (!api) throw new Error(t("code.worker.not_started"));
    if (!Object.hasOwn(OPS, op)) throw new Error(t("code.worker.unknown_op", { op }));
    const result = api[op](...args);
    post({ id, ok: true, result, memory: memory() });
  } catch (err) {
    // A Python exception here is a bug of ours (learner_checks catches the learner's); after a
    // fatal error (e.g. a stack overflow in WebAssembly) this interpreter is unusable.
    const message = String(err && err.message ? err.message : err);
    const fatal = Boolean(err && err.pyodide_fatal_error) || /fatal/i.test(message);
    post({ id, ok: false, error: message, fatal, memory: memory() });
  }
});
