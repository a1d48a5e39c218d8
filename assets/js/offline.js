// Offline use and updates, said out loud. Started once Python is up, so precaching never
// competes with the first load.
//   <html data-offline="ready"> and a note in the status line: the service worker holds every
//   file of the site, so the page now works without a network.
//   #update-ready: a new deployment has been installed and waits. Clicking it asks that worker
//   to take over (SKIP_WAITING) and reloads on controllerchange: a page never runs on files
//   from two versions.

import { $ } from "./dom.js";

const root = document.documentElement;

// Asks a worker whether its cache holds the whole site. (The worker of an unbuilt checkout
// caches nothing and says no.)
function cacheComplete(worker) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data?.complete === true);
    worker.postMessage({ type: "CACHE_STATUS" }, [channel.port2]);
  });
}

async function sayWhenOffline() {
  const { active } = await navigator.serviceWorker.ready;
  if (active && (await cacheComplete(active))) {
    root.dataset.offline = "ready";
    $("offline-status").hidden = false;
  }
}

function offerUpdates(registration) {
  const button = $("update-ready");
  const container = navigator.serviceWorker;
  let requested = false;
  let hadController = container.controller !== null;
  const offer = () => { button.hidden = false; };
  // A worker that finishes installing while another controls this page is a new version.
  const track = (worker) => {
    if (!worker) return;
    const check = () => {
      if (worker.state === "installed" && container.controller) offer();
    };
    worker.addEventListener("statechange", check);
    check();
  };
  if (registration.waiting && container.controller) offer();
  track(registration.installing);
  registration.addEventListener("updatefound", () => track(registration.installing));
  container.addEventListener("controllerchange", () => {
    if (requested) location.reload();
    else if (hadController) offer(); // another tab switched versions: this one must reload too
    hadController = true; // the first visit's worker claiming this page is not an update
  });
  button.addEventListener("click", () => {
    requested = true;
    button.disabled = true;
    if (registration.waiting) registration.waiting.postMessage({ type: "SKIP_WAITING" });
    else location.reload();
  });
  // A tab left open for days still hears about a new deployment when it is looked at again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
}

// A browser that refuses the registration (private mode, policies) rejects: a warning, the page
// works without offline support. Anything thrown here or after is a bug, and surfaces.
export function startOffline() {
  if (!("serviceWorker" in navigator)) return Promise.resolve();
  return navigator.serviceWorker.register("sw.js").then(
    (registration) => {
      // Some embedders (and Playwright's service_workers="block") resolve with no registration.
      if (!registration) return console.warn("offline support unavailable: no registration");
      offerUpdates(registration);
      return sayWhenOffline();
    },
    (err) => console.warn("offline support unavailable:", err.message),
  );
}
