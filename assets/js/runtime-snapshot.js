// A module worker that saves a memory snapshot of the bare Pyodide interpreter for the next
// visit (runtime.js restores it). engine.js starts it once the page is ready; it boots its own
// interpreter (~2 s of one core, ~20 MB saved), so the lab's is never the one snapshotted:
// loadPyodide's _makeSnapshot option wraps Python's `js` module in a recording proxy.
// Posts "present" (a snapshot of this version is saved already), "saved" or "failed: ...".
import { loadPyodide, version } from "../vendor/pyodide/pyodide.mjs";
import { INDEX_URL, SNAPSHOT_CACHE, SNAPSHOT_KEY, savedSnapshot } from "./runtime.js";

try {
  if (await savedSnapshot({ read: false })) {
    postMessage("present");
  } else {
    const pyodide = await loadPyodide({ indexURL: INDEX_URL, _makeSnapshot: true });
    const bytes = pyodide.makeMemorySnapshot();
    const headers = { "x-pyodide-version": version, "x-snapshot-bytes": String(bytes.byteLength) };
    await (await caches.open(SNAPSHOT_CACHE)).put(SNAPSHOT_KEY, new Response(bytes, { headers }));
    postMessage("saved");
  }
} catch (err) {
  postMessage(`failed: ${err.message}`);
}
