// A module worker that saves a memory snapshot of the bare Pyodide interpreter for the next
// visit (runtime.js restores it). engine.js starts it once the page is ready; it boots its own
// interpreter (~2 s of one core, ~20 MB saved), so the lab's is never the one snapshotted:
// loadPyodide's _makeSnapshot option wraps Python's `js` module in a recording proxy.
// Posts "present" (a snapshot is saved already), "saved" or "failed: ...".
import { loadPyodide, version } from "../vendor/pyodide/pyodide.mjs";
import { INDEX_URL, saveSnapshot, snapshotSaved } from "./snapshot-store.js";

try {
  if (await snapshotSaved()) {
    postMessage("present");
  } else {
    const pyodide = await loadPyodide({ indexURL: INDEX_URL, _makeSnapshot: true });
    await saveSnapshot(pyodide.makeMemorySnapshot(), version);
    postMessage("saved");
  }
} catch (err) {
  postMessage(`failed: ${err.message}`);
}
