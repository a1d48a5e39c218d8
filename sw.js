// Offline support: after the first visit the whole site, runtime included, is served from one
// versioned cache. scripts/website.py writes VERSION and FILES when it builds the site.
//
// A new deployment brings a new sw.js (new VERSION): it precaches the new files into a new
// cache while the old worker keeps serving the old one (no skipWaiting), then deletes every
// older cache on activation. A page never sees files from two versions.

const VERSION = "dev"; // replaced by the build
const FILES = []; // replaced by the build: every file of the site, relative to this script
const CACHE = `softmax-digits-${VERSION}`;

// An unbuilt checkout (VERSION "dev") caches nothing, so editing files never shows stale ones.
const ENABLED = VERSION !== "dev";

self.addEventListener("install", (event) => {
  if (ENABLED) event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["./", ...FILES])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("softmax-digits-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (!ENABLED || new URL(request.url).origin !== self.location.origin) return;
  if (request.method !== "GET" && request.method !== "HEAD") return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(request, { ignoreMethod: true, ignoreSearch: true });
    if (!cached) return fetch(request);
    // The page checks runtime files with HEAD: answer with the headers alone.
    if (request.method === "HEAD") {
      return new Response(null, { status: cached.status, headers: cached.headers });
    }
    return cached;
  })());
});
