// Pyodide's loadPyodide, started two faster ways; index.html names this module as PyScript's
// "interpreter" (PyScript imports it in the lab's worker and calls loadPyodide with its options).
// Measured in docs/benchmarks.md (2026-12-06, scripts/bench/bench_runtime_paths.py).
//
// 1. Packages of the lock file with no dependencies (numpy) are not given to Pyodide's
//    loadPackage, which compiles every shared library in the wheel (numpy: 19, 7.5 MB, random,
//    fft and test modules among them); this module fetches the wheel itself, with the lock's
//    sha256 as the fetch's integrity (as loadPackage does), while the interpreter starts, and
//    unzips it into site-packages: `import numpy` then compiles only the libraries it imports.
// 2. A memory snapshot of the bare interpreter, made after a first visit (runtime-snapshot.js,
//    started by engine.js once the page is ready) and kept in Cache Storage (snapshot-store.js),
//    lets later visits skip CPython's start. Pyodide refuses a snapshot of another build
//    ("Snapshot build id mismatch"); any failure to restore deletes it and starts the plain way.
import { loadPyodide as pyodideLoad, version } from "../vendor/pyodide/pyodide.mjs";
import { INDEX_URL, forgetSnapshot, savedSnapshot } from "./snapshot-store.js";

const RESTORED = "Pyodide started from its memory snapshot"; // read by e2e/test_runtime.py

async function fetchWheel(file, sha256) {
  const bytes = sha256.match(/../g).map((hex) => parseInt(hex, 16));
  const integrity = `sha256-${btoa(String.fromCharCode(...bytes))}`;
  try {
    // A 404 fails the integrity check too: either way the error names the file.
    const response = await fetch(INDEX_URL + file, { integrity });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.arrayBuffer();
  } catch (err) {
    throw new Error(`${file}: ${err.message}`);
  }
}

// { wheels: [ArrayBuffer], others: [package name] }: the packages fetched here and the rest.
async function fetchPackages(names) {
  if (!names.length) return { wheels: [], others: [] };
  const lock = await (await fetch(`${INDEX_URL}pyodide-lock.json`)).json();
  const simple = (name) => lock.packages[name] && !lock.packages[name].depends.length;
  const wheels = names
    .filter(simple)
    .map((name) => fetchWheel(lock.packages[name].file_name, lock.packages[name].sha256));
  return { wheels: await Promise.all(wheels), others: names.filter((name) => !simple(name)) };
}

export async function loadPyodide({ packages = [], indexURL: _ignored, ...options } = {}) {
  const fetched = fetchPackages(packages);
  fetched.catch(() => {}); // awaited below; a failure there fails the start
  let pyodide = null;
  const snapshot = await savedSnapshot(version);
  if (snapshot) {
    try {
      pyodide = await pyodideLoad({ ...options, indexURL: INDEX_URL, _loadSnapshot: snapshot });
      console.debug(RESTORED);
    } catch (err) {
      console.warn(`Pyodide memory snapshot not used (${err.message}); starting without it`);
      await forgetSnapshot();
    }
  }
  pyodide ??= await pyodideLoad({ ...options, indexURL: INDEX_URL });
  const { wheels, others } = await fetched;
  if (wheels.length) {
    const extractDir = pyodide.runPython(
      "import sys; f'/lib/python{sys.version_info[0]}.{sys.version_info[1]}/site-packages'",
    );
    for (const wheel of wheels) pyodide.unpackArchive(wheel, "wheel", { extractDir });
  }
  if (others.length) await pyodide.loadPackage(others);
  return pyodide;
}
