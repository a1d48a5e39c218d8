// Offline support: after the first visit the whole site, runtime included, is served from one
// versioned cache. scripts/site/website.py writes VERSION and FILES when it builds the site.
//
// A new deployment brings a new sw.js (new VERSION): it precaches the new files into a new
// cache while the old worker keeps serving the old one, then deletes its own older caches on
// activation. It waits until every tab of the old version is closed, or until the learner
// clicks the page's "new version — reload" button (SKIP_WAITING), and that page reloads at
// once: a page never sees files from two versions.

const VERSION = "dev"; // replaced by the build
const FILES = []; // replaced by the build: every file of the site, relative to this script
// Caches are per origin, and one origin may hold several copies of the site (a teacher's fork
// at user.github.io/softmax-digits-fr/ beside user.github.io/softmax-digits/): each copy names
// its caches by its own scope and deletes only those. (A URL holds no space, so no scope's
// prefix is another's.)
const OWN = `softmax-digits ${self.registration.scope} `;
const CACHE = OWN + VERSION;
// Before caches were named by scope: "softmax-digits-" and the version hash.
const UNSCOPED = /^softmax-digits-[0-9a-f]{16}$/;

// An unbuilt checkout (VERSION "dev") caches nothing, so editing files never shows stale ones.
const ENABLED = VERSION !== "dev";

// "reload": from the server, never from the HTTP cache. GitHub Pages sends max-age=600, so a
// plain fetch within 10 minutes of a visit would fill the new version's cache with the old
// version's files, served from then on until the next deployment.
const fresh = (file) => new Request(file, { cache: "reload" });

self.addEventListener("install", (event) => {
  if (ENABLED) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(["./", ...FILES].map(fresh))));
  }
});

// An unscoped cache from an older build is ours when it holds our own start page.
async function isOurs(name) {
  if (name.startsWith(OWN)) return true;
  if (!UNSCOPED.test(name)) return false;
  return (await (await caches.open(name)).match(self.registration.scope)) !== undefined;
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE && (await isOurs(name))) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  if (type === "SKIP_WAITING") {
    self.skipWaiting();
  } else if (type === "CACHE_STATUS" && event.ports[0]) {
    // The page says "works offline" only once this cache holds every file of the site.
    event.waitUntil(cacheComplete().then((complete) => {
      event.ports[0].postMessage({ complete, version: VERSION });
    }));
  }
});

async function cacheComplete() {
  if (!ENABLED) return false;
  const cache = await caches.open(CACHE);
  const found = await Promise.all(["./", ...FILES].map((file) => cache.match(file)));
  return found.every(Boolean);
}

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
