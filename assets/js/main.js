// Page glue: wires the pad, the controls, the panels and the quiz to Python. Every call into the
// lab's worker goes through the scheduler (scheduler.js): coalesced lab updates, jobs and calls,
// one at a time, in order.

import { initCalibration, noteWeights } from "./calibration-view.js";
import { setupCodePanel } from "./code-panel.js";
import { $ } from "./dom.js";
import { showStatus, startEngine } from "./engine.js";
import { buildOutputRows, renderLab, toggleProbScale } from "./lab-view.js";
import { renderLearning, restoreLearning, setupLearning } from "./learn-view.js";
import { startOffline } from "./offline.js";
import { Pad } from "./pad.js";
import { showQuizUnavailable, startQuiz } from "./quiz-view.js";
import { createScheduler } from "./scheduler.js";
import { learnerView } from "./use-mine.js";

const state = {
  // The all-zero mode the learner asked for last: a second click before Python answered the
  // first must toggle back, not repeat the first request.
  zeroLogits: false,
  lastView: null, // the view on screen (what a copied link describes)
};

const pad = new Pad($("pad"));
const scheduler = createScheduler({
  // A digit loaded into the lab (and not drawn over) goes to Python as is, else the canvas.
  readInput: () => pad.digitOnly
    ? { digit: pad.digitOnly }
    : { pixels: pad.pixels().data, width: pad.size },
  render,
});
const { requestUpdate, queueJob } = scheduler;
pad.onChange = (final, event) => requestUpdate(event, { pixels: true, final });
$("clear").addEventListener("click", () => pad.clear());
$("undo").addEventListener("click", () => pad.undo());
$("prob-scale").addEventListener("click", () => toggleProbScale());

async function render(pythonView, { final, committed }) {
  // With "Use my softmax" on, the learner's own Python recomputes the lab (use-mine.js).
  const view = await learnerView(pythonView);
  renderLab(view, { final });
  syncControls(view, committed);
  renderLearning(view);
  noteWeights(view);
  state.lastView = view;
}

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
  requestUpdate(event, { controls, committed: Object.keys(controls) });
}

// The fields' ranges, as py/lab/number_rule.py has them (SHIFT_LIMIT, SCALE_MIN and SCALE_MAX;
// tests/test_structure.py keeps the two equal). Python judges every number; these only keep a
// slider's rounded value inside what Python accepts.
const LIMITS = { shift: [-1000, 1000], scale: [0.01, 100] };
const clamp = (name, v) => Math.max(LIMITS[name][0], Math.min(LIMITS[name][1], v));

// Sliders are non-linear so one range covers what the text field accepts: the scale slider is
// logarithmic (alpha = e^s, 1 in the middle), the shift slider an asinh scale (fine steps near
// 0, and still reaching +-1000). Python decides what a typed number is; these only place thumbs.
const SLIDERS = {
  shift: {
    toSlider: (c) => Math.asinh(c),
    fromSlider: (s) => clamp("shift", Number(Math.sinh(s).toPrecision(2))),
  },
  scale: {
    toSlider: (a) => Math.log(a),
    fromSlider: (s) => clamp("scale", Number(Math.exp(s).toPrecision(3))),
  },
};

function wireControl(name) {
  const text = $(name);
  const slider = $(`${name}-slider`);
  const send = (e, committed) => requestUpdate(e, {
    controls: { [name]: text.value }, committed: committed ? [name] : [],
  });
  text.addEventListener("input", (e) => send(e, false));
  // Enter or leaving the field: once answered, it shows the value in force, not rejected text.
  text.addEventListener("change", (e) => send(e, true));
  slider.addEventListener("input", (e) => {
    text.value = String(SLIDERS[name].fromSlider(Number(slider.value)));
    send(e, true);
  });
}

// After each answer from Python, fields and sliders show the values actually in force, except
// a field still being typed in (not committed in this answer's update) or holding a change not
// yet sent.
function syncControls(view, committed) {
  for (const name of Object.keys(SLIDERS)) {
    const text = $(name);
    const slider = $(`${name}-slider`);
    const typing = document.activeElement === text && !committed.has(name);
    if (!typing && !scheduler.isPending(name)) text.value = view.controls_text[name];
    if (document.activeElement !== slider) {
      slider.value = String(SLIDERS[name].toSlider(view.controls[name]));
    }
  }
  const label = view.controls.label === null ? "" : String(view.controls.label);
  if (!scheduler.isPending("label")) $("true-label").value = label;
  if (!scheduler.isPending("zero_logits")) state.zeroLogits = view.controls.zero_logits;
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
  scheduler.dropPendingControls();
  state.zeroLogits = false;
  requestUpdate(e, { controls: { reset: true }, committed: Object.keys(SLIDERS) });
});

// "Softmax by hand": its code (by-hand-view.js) loads on the panel's first opening, never
// before; the lesson's link to it opens it.
const byHand = $("by-hand");
let byHandLoaded = false;
byHand.addEventListener("toggle", () => {
  if (!byHand.open || byHandLoaded) return;
  byHandLoaded = true;
  import("./by-hand-view.js")
    .then(({ openByHand }) => openByHand(scheduler.worker))
    .catch((err) => startupFailed("The by-hand panel failed to start", err));
});
for (const link of document.querySelectorAll("a.open-by-hand")) {
  link.addEventListener("click", () => { byHand.open = true; });
}

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
initCalibration({
  engine: engineStarted, worker: scheduler.worker, loadDigitIntoLab, setLabControls,
});
engineStarted
  .then(
    (api) => {
      scheduler.connect(api);
      requestUpdate(null, { pixels: true, final: true }); // strokes drawn while Python loaded
      restoreLearning();
      startQuiz(scheduler.worker).catch((err) => startupFailed("The quiz failed to start", err));
      // Loaded only now, as is the presets file: cold start does not wait for the examples.
      import("./presets-view.js")
        .then(({ startPresets }) => startPresets(scheduler.worker, {
          loadDigitIntoLab, drawIntoLab, setLabControls, labState,
        }))
        .catch((err) => startupFailed("The examples failed to start", err));
      // After Python: precaching never competes with the first load.
      startOffline().catch((err) => startupFailed("Offline support failed to start", err));
    },
    () => {}, // Python could not start: already shown on the status line and in the quiz
  )
  .catch((err) => startupFailed("The page failed to start after Python was ready", err));
