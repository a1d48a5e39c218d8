// Page glue: the pad, the controls and the quiz talk to Python through the worker's API.
// Updates are coalesced: at most one in flight, at most one started per animation frame, and
// one more when a stroke ends, so drawing never waits for Python. An update starts at once
// when this frame has not started one yet, else at the next frame.

import { initCalibration } from "./calibration-view.js";
import { learnerView, setupCodePanel } from "./code-panel.js";
import { showStatus, startEngine } from "./engine.js";
import { buildOutputRows, renderLab, toggleProbScale } from "./lab-view.js";
import { renderLearning, restoreLearning, setupLearning } from "./learn-view.js";
import { startOffline } from "./offline.js";
import { Pad } from "./pad.js";
import { showQuizUnavailable, startQuiz } from "./quiz-view.js";

const root = document.documentElement;
const $ = (id) => document.getElementById(id);

// The glue's whole state in one place.
const state = {
  api: null,
  scheduled: false,
  startedThisFrame: false,
  inFlight: false,
  pixelsDirty: false,
  finalPending: false,
  // Control changes not yet sent, by field: only what the learner touched ({reset: true} too).
  pendingControls: {},
  // The all-zero mode the learner asked for last: a second click before Python answered the
  // first must toggle back, not repeat the first request.
  zeroLogits: false,
  // Fields to rewrite with the value in force once Python answers (a committed edit).
  committed: new Set(),
  firstEventTime: null, // timeStamp of the oldest input not yet shown
  updates: 0,
  // Other calls that change what the lab shows (learning), run in order between updates:
  // {run(api) -> answer with a view, resolve, reject}.
  jobs: [],
  lastView: null, // the view on screen (what a copied link describes)
};
const MAX_MEASURES = 5000; // latency entries kept for the benchmark; bounded for long sessions

function setIdle(idle) {
  root.dataset.idle = String(idle);
}

function requestUpdate(event, { pixels = false, final = false, controls = null } = {}) {
  state.pixelsDirty ||= pixels;
  state.finalPending ||= final;
  if (controls) Object.assign(state.pendingControls, controls);
  if (state.firstEventTime === null && event) state.firstEventTime = event.timeStamp;
  schedule();
}

function schedule() {
  setIdle(false);
  if (state.scheduled || state.inFlight) return; // flush() reschedules when the update returns
  state.scheduled = true;
  if (state.startedThisFrame) requestAnimationFrame(flush);
  else queueMicrotask(flush);
}

const hasPending = () => state.pixelsDirty || Object.keys(state.pendingControls).length > 0;

async function flush() {
  state.scheduled = false;
  if (!state.api || state.inFlight) return; // re-run when Python is ready / when this returns
  state.inFlight = true;
  state.startedThisFrame = true;
  requestAnimationFrame(() => { state.startedThisFrame = false; });
  const final = state.finalPending;
  // A digit loaded into the lab (and not drawn over) goes to Python as is, else the canvas.
  const digit = state.pixelsDirty ? pad.digitOnly : null;
  const pixels = state.pixelsDirty && !digit ? pad.pixels().data : null;
  const sent = state.pendingControls;
  const controls = Object.keys(sent).length ? JSON.stringify(sent) : "";
  const start = state.firstEventTime;
  state.pixelsDirty = state.finalPending = false;
  state.pendingControls = {};
  state.firstEventTime = null;
  const job = !pixels && !digit && !controls ? state.jobs.shift() : null;
  try {
    if (job) {
      await runJob(job);
    } else {
      // With "Use my softmax" on, the learner's own Python recomputes the lab (code-panel.js).
      await render(JSON.parse(digit
        ? await state.api.update_digit(digit, controls)
        : await state.api.update(pixels, pad.size, controls)), final);
    }
    if (start !== null) {
      if (state.updates % MAX_MEASURES === 0) performance.clearMeasures("input-to-render");
      performance.measure("input-to-render", { start, end: performance.now() });
    }
  } catch (err) {
    console.error("update failed", err);
  } finally {
    state.inFlight = false;
    root.dataset.updates = String(++state.updates);
    if (hasPending() || state.jobs.length) schedule();
    else setIdle(true);
  }
}

async function render(pythonView, final) {
  const view = await learnerView(pythonView);
  renderLab(view, { final });
  syncControls(view);
  renderLearning(view);
  state.lastView = view;
}

async function runJob(job) {
  try {
    const answer = JSON.parse(await job.run(state.api));
    if (answer.view) await render(answer.view, true);
    job.resolve(answer);
  } catch (err) {
    job.reject(err);
  }
}

// Run `run(api)` (a worker call answering JSON, perhaps with a new lab view) after the updates
// already asked for; resolves with the parsed answer once its view has rendered.
function queueJob(run) {
  return new Promise((resolve, reject) => {
    state.jobs.push({ run, resolve, reject });
    schedule();
  });
}

const pad = new Pad($("pad"));
pad.onChange = (final, event) => requestUpdate(event, { pixels: true, final });
$("clear").addEventListener("click", () => pad.clear());
$("undo").addEventListener("click", () => pad.undo());
$("prob-scale").addEventListener("click", () => toggleProbScale());

// The one way to put a ready-made digit in the lab (the mistakes gallery, presets, links): the
// pad shows it, Python scores exactly those 784 grey levels (0..255), and `label` (0..9, "" for
// none, or null to leave it) becomes the true digit for the cross-entropy panel. `source` names
// the preset shown, if it is one.
function loadDigitIntoLab(grey, label = null, event = null, source = null) {
  pad.showDigit(grey, source);
  loaded(label, event);
}

// The same for pen strokes (a drawn preset): replayed onto the pad, then read as a drawing.
function drawIntoLab(strokes, label = null, event = null, source = null) {
  pad.showStrokes(strokes, source);
  loaded(label, event);
}

function loaded(label, event) {
  state.zeroLogits = false; // Python drops all-zero logits for a new digit
  const controls = label === null ? null : { label: String(label) };
  requestUpdate(event, { pixels: true, final: true, controls });
}

// What a link to the lab's current state holds (presets-view.js builds it).
const labState = () => ({
  preset: pad.source,
  drawn: !pad.isEmpty && pad.source === null, // ink that is no example: no link can carry it
  view: state.lastView,
});

// Set lab controls from elsewhere on the page as if typed and committed, e.g. {scale: "1.14"}.
function setLabControls(controls, event = null) {
  for (const name of Object.keys(controls)) state.committed.add(name);
  requestUpdate(event, { controls });
}

// Sliders are non-linear so one range covers what the text field accepts: the scale slider is
// logarithmic (alpha = e^s, 1 in the middle), the shift slider an asinh scale (fine steps near
// 0, and still reaching +-1000). Python decides what a typed number is; these only place thumbs.
const SLIDERS = {
  shift: {
    toSlider: (c) => Math.asinh(c),
    fromSlider: (s) => Math.max(-1000, Math.min(1000, Number(Math.sinh(s).toPrecision(2)))),
  },
  scale: {
    toSlider: (a) => Math.log(a),
    fromSlider: (s) => Math.max(0.01, Math.min(100, Number(Math.exp(s).toPrecision(3)))),
  },
};

function wireControl(name) {
  const text = $(name);
  const slider = $(`${name}-slider`);
  const send = (e) => requestUpdate(e, { controls: { [name]: text.value } });
  text.addEventListener("input", send);
  text.addEventListener("change", (e) => {
    state.committed.add(name); // leaving the field: show the value in force, not rejected text
    send(e);
  });
  slider.addEventListener("input", (e) => {
    text.value = String(SLIDERS[name].fromSlider(Number(slider.value)));
    state.committed.add(name);
    send(e);
  });
}

// After each answer from Python, fields and sliders show the values actually in force.
function syncControls(view) {
  for (const name of Object.keys(SLIDERS)) {
    const text = $(name);
    const slider = $(`${name}-slider`);
    const typing = document.activeElement === text && !state.committed.has(name);
    if (!typing && !(name in state.pendingControls)) text.value = view.controls_text[name];
    if (document.activeElement !== slider) {
      slider.value = String(SLIDERS[name].toSlider(view.controls[name]));
    }
  }
  state.committed.clear();
  const label = view.controls.label === null ? "" : String(view.controls.label);
  if (!("label" in state.pendingControls)) $("true-label").value = label;
  if (!("zero_logits" in state.pendingControls)) state.zeroLogits = view.controls.zero_logits;
}

wireControl("shift");
wireControl("scale");
$("true-label").addEventListener("change", (e) => {
  requestUpdate(e, { controls: { label: $("true-label").value } });
});
$("zero-logits").addEventListener("click", (e) => {
  state.zeroLogits = !state.zeroLogits;
  requestUpdate(e, { controls: { zero_logits: state.zeroLogits } });
});
$("reset-controls").addEventListener("click", (e) => {
  state.pendingControls = {};
  state.zeroLogits = false;
  state.committed.add("shift").add("scale");
  requestUpdate(e, { controls: { reset: true } });
});

buildOutputRows();
setupCodePanel({ requestRender: () => requestUpdate(null) });
setupLearning({ queueJob });

// A bug in the page's own start-up once Python is up: logged and shown, never swallowed.
// data-py-state stays ready (Python itself is fine); the status line says what broke.
function startupFailed(what, err) {
  console.error(`${what}:`, err);
  showStatus("error", `${what}: ${err?.message ?? err}. Reload to try again.`);
}

// startEngine resolves whenever Python comes up, even after an error was shown (a late
// success), and rejects only when it never will; engine.js then shows why, and the quiz its own
// message. Only that rejection is caught here: errors in the ready handler surface.
const engineStarted = startEngine(document.querySelector('script[type="py"][worker]'), {
  onError: showQuizUnavailable,
});
initCalibration({ engine: engineStarted, loadDigitIntoLab, setLabControls });
engineStarted
  .then(
    (engine) => {
      state.api = engine;
      requestUpdate(null, { pixels: true, final: true }); // strokes drawn while Python loaded
      restoreLearning();
      startQuiz(state.api).catch((err) => startupFailed("The quiz failed to start", err));
      // Loaded only now, as is the presets file: cold start does not wait for the examples.
      import("./presets-view.js")
        .then(({ startPresets }) => startPresets(state.api, {
          loadDigitIntoLab, drawIntoLab, setLabControls, labState,
        }))
        .catch((err) => startupFailed("The examples failed to start", err));
      // After Python: precaching never competes with the first load.
      startOffline().catch((err) => startupFailed("Offline support failed to start", err));
    },
    () => {}, // Python could not start: already shown on the status line and in the quiz
  )
  .catch((err) => startupFailed("The page failed to start after Python was ready", err));
