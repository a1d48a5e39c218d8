// Where the Pyodide memory snapshot lives: Cache Storage, one entry per copy of the site (a fork
// on the same origin has another Pyodide folder), outside the service worker's caches.
// runtime.js restores it, runtime-snapshot.js saves it, engine.js asks whether one is saved.
export const INDEX_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const CACHE = `pyodide-snapshot ${INDEX_URL}`; // e2e/test_runtime.py finds it by this prefix
const KEY = `${INDEX_URL}snapshot`;

async function entry() {
  try {
    return (await (await caches.open(CACHE)).match(KEY)) ?? null;
  } catch {
    return null; // no Cache Storage here
  }
}

// Whether a snapshot is saved. runtime.js deletes one of another Pyodide (or truncated) when the
// lab starts, so after that "saved" means usable unless Pyodide refuses it on the next visit.
export async function snapshotSaved() {
  return (await entry()) !== null;
}

// The saved snapshot if Pyodide `version` made it and it is whole, else null (and a snapshot of
// another version, or truncated, is deleted: runtime-snapshot.js then saves a new one).
export async function savedSnapshot(version) {
  const hit = await entry();
  if (!hit) return null;
  try {
    if (hit.headers.get("x-pyodide-version") === version) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      if (String(bytes.byteLength) === hit.headers.get("x-snapshot-bytes")) return bytes;
    }
  } catch {
    // unreadable: deleted below like a stale one
  }
  await forgetSnapshot();
  return null;
}

export async function saveSnapshot(bytes, version) {
  const headers = { "x-pyodide-version": version, "x-snapshot-bytes": String(bytes.byteLength) };
  await (await caches.open(CACHE)).put(KEY, new Response(bytes, { headers }));
}

export async function forgetSnapshot() {
  try {
    await caches.delete(CACHE);
  } catch {
    // no Cache Storage here: nothing was saved either
  }
}
