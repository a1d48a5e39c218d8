// Page glue: the pad, the controls and the quiz talk to Python through the worker's API.
// Updates are coalesced: at most one in flight, at most one started per animation frame, and
// one more when a stroke ends, so drawing never waits for Python. An update starts at once
// when this frame has not started one yet, else at the next frame.

import { startEngine } from "./engine.js";
import { buildOutputRows, renderLab } from "./lab-view.js";
import { Pad } from "./pad.js";
import { startQuiz } from "./quiz-view.js";

const root = document.documentElement;
const $ = (id) => document.getElementById(id);

let api = null;
let scheduled = false;
let startedThisFrame = false;
let inFlight = false;
let pixelsDirty = false;
let controlsDirty = false;
let finalPending = false;
let zeroRequest = null; // true/false when the all-zero button asks for a change
let zeroLogits = false; // as Python last reported it
let firstEventTime = null; // timeStamp of the oldest input not yet shown
let updates = 0;
const MAX_MEASURES = 5000; // latency entries kept for the benchmark; bounded for long sessions

function setIdle(idle) {
  root.dataset.idle = String(idle);
}

function requestUpdate(event, { pixels = false, final = false } = {}) {
  pixelsDirty ||= pixels;
  controlsDirty ||= !pixels;
  finalPending ||= final;
  if (firstEventTime === null && event) firstEventTime = event.timeStamp;
  schedule();
}

function schedule() {
  setIdle(false);
  if (scheduled || inFlight) return; // flush() reschedules when the update in flight returns
  scheduled = true;
  if (startedThisFrame) requestAnimationFrame(flush);
  else queueMicrotask(flush);
}

function readControls() {
  const controls = { shift: $("shift").value, scale: $("scale").value, label: $("true-label").value };
  if (zeroRequest !== null) controls.zero_logits = zeroRequest;
  return controls;
}

async function flush() {
  scheduled = false;
  if (!api || inFlight) return; // re-run when Python is ready / when this update returns
  inFlight = true;
  startedThisFrame = true;
  requestAnimationFrame(() => { startedThisFrame = false; });
  const final = finalPending;
  const pixels = pixelsDirty ? pad.pixels().data : null;
  const controls = controlsDirty ? JSON.stringify(readControls()) : "";
  const start = firstEventTime;
  pixelsDirty = controlsDirty = finalPending = false;
  zeroRequest = null;
  firstEventTime = null;
  try {
    const view = JSON.parse(await api.update(pixels, pad.size, controls));
    renderLab(view, { final });
    zeroLogits = view.controls.zero_logits;
    if (start !== null) {
      if (updates % MAX_MEASURES === 0) performance.clearMeasures("input-to-render");
      performance.measure("input-to-render", { start, end: performance.now() });
    }
  } catch (err) {
    console.error("update failed", err);
  } finally {
    inFlight = false;
    root.dataset.updates = String(++updates);
    if (pixelsDirty || controlsDirty) schedule();
    else setIdle(true);
  }
}

const pad = new Pad($("pad"));
pad.onChange = (final, event) => requestUpdate(event, { pixels: true, final });
$("clear").addEventListener("click", () => pad.clear());
$("undo").addEventListener("click", () => pad.undo());

function wireControl(textId, sliderId, toSlider, fromSlider) {
  const text = $(textId);
  const slider = $(sliderId);
  text.addEventListener("input", (e) => {
    const value = Number(text.value);
    if (text.value.trim() !== "" && Number.isFinite(value)) slider.value = toSlider(value);
    requestUpdate(e);
  });
  text.addEventListener("change", (e) => requestUpdate(e));
  slider.addEventListener("input", (e) => {
    text.value = fromSlider(Number(slider.value));
    requestUpdate(e);
  });
}

wireControl("shift", "shift-slider", (c) => c, (c) => String(c));
// The scale slider is logarithmic: position s means alpha = e^s, so 1 sits in the middle.
wireControl("scale", "scale-slider", (a) => (a > 0 ? Math.log(a) : -3),
  (s) => String(Number(Math.exp(s).toPrecision(3))));
$("true-label").addEventListener("change", (e) => requestUpdate(e));
$("zero-logits").addEventListener("click", (e) => {
  zeroRequest = !zeroLogits;
  requestUpdate(e);
});

// Registered only once Python is up, so precaching never competes with the first load.
function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("sw.js").catch((err) => {
    console.warn("offline support unavailable:", err.message);
  });
}

buildOutputRows();

startEngine(document.querySelector('script[type="py"][worker]'))
  .then((engine) => {
    api = engine;
    requestUpdate(null, { pixels: true, final: true }); // strokes drawn while Python loaded
    startQuiz(api);
    registerServiceWorker();
  })
  .catch(() => {}); // engine.js has already shown the error on the page
