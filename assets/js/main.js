// Page glue: wires the pad, the controls, the panels and the quiz to Python. Every call into the
// lab's worker goes through the scheduler (scheduler.js): coalesced lab updates, jobs and calls,
// one at a time, in order.

import { initCalibration, noteWeights } from "./calibration-view.js";
import { setupCodePanel } from "./code-panel.js";
import { $ } from "./dom.js";
import { showStatus, startEngine } from "./engine.js";
import { decimal, t } from "./i18n.js";
import { buildOutputRows, renderLab, toggleProbScale } from "./lab-view.js";
import { setupPicker, showLanguage } from "./language.js";
import { renderLearning, restoreLearning, setupLearning } from "./learn-view.js";
import { startOffline } from "./offline.js";
import { Pad } from "./pad.js";
import { showQuizUnavailable, startQuiz } from "./quiz-view.js";
import { createScheduler } from "./scheduler.js";
import { isUseMineOn, learnerView, stopUsingMine } from "./use-mine.js";

// First of all: the page in the language shown (<html lang>, its marked texts, the picker).
showLanguage();

const state = {
  // The all-zero mode the learner asked for last: a second click before Python answered the
  // first must toggle back, not repeat the first request.
  zeroLogits: false,
  lastView: null, // the view on screen (what a copied link describes)
  // A stroke began and the update after its end has not rendered yet: #announce waits for it.
  strokeUnsaid: false,
};

const pad = new Pad($("pad"), undefined, $("pad-cursor"));
const scheduler = createScheduler({
  // A digit loaded into the lab (and not drawn over) goes to Python as is, else the canvas.
  readInput: () => pad.digitOnly
    ? { digit: pad.digitOnly }
    : { pixels: pad.pixels().data, width: pad.size },
  render,
});
const { requestUpdate, queueJob } = scheduler;
pad.onChange = (final, event) => {
  if (!final) state.strokeUnsaid = true;
  requestUpdate(event, { pixels: true, final });
};
$("clear").addEventListener("click", () => pad.clear());
$("undo").addEventListener("click", () => pad.undo());
$("prob-scale").addEventListener("click", () => toggleProbScale());

async function render(pythonView, { final, committed }) {
  // With "Use my softmax" on, the learner's own Python recomputes the lab (use-mine.js).
  const view = await learnerView(pythonView);
  // #announce speaks after strokes end and after every other update (a control, Learn): never
  // in the middle of a stroke, nor for a stroke's last update but one.
  if (final) state.strokeUnsaid = false;
  renderLab(view, { final: !state.strokeUnsaid });
  syncControls(view, committed);
  renderLearning(view);
  $("download-network").disabled = view.learned === 0;
  noteWeights(view);
  state.lastView = view;
  document.documentElement.dataset.input = view.input ?? "drawing"; // drawing, or nudged
  headAfterView?.(view);
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
  drawn: !pad.isEmpty && pad.source === null, // ink that is no example
  strokes: pad.digit === null ? pad.strokes : null, // the learner's own strokes: ?ink= carries them
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
const SYMBOL = { shift: "c", scale: "α" }; // a slider's aria-valuetext: "α = 0.951"
const valueText = (name, value) =>
  t("js.main.valuetext", { symbol: SYMBOL[name], value: decimal(value) });
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
  // Checked on Enter or leaving the field, not on each keystroke: "0.05" is not refused while
  // it is still "0.". Once answered, the field shows the value in force, not rejected text.
  text.addEventListener("change", (e) => send(e, true));
  slider.addEventListener("input", (e) => {
    text.value = String(SLIDERS[name].fromSlider(Number(slider.value)));
    slider.setAttribute("aria-valuetext", valueText(name, text.value));
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
      slider.setAttribute("aria-valuetext", valueText(name, view.controls_text[name]));
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
function resetControls(e) {
  scheduler.dropPendingControls();
  state.zeroLogits = false;
  requestUpdate(e, { controls: { reset: true }, committed: Object.keys(SLIDERS) });
}
$("reset-controls").addEventListener("click", resetControls);
// The chip beside the guess: Reset gives the plain network's softmax back (controls, and the
// built-in softmax for the learner's); taught weights stay, and its link points to Forget.
$("pad-reset").addEventListener("click", (e) => {
  if (isUseMineOn()) stopUsingMine();
  resetControls(e);
  // The chip and its button go away: a keyboard user goes on from the pad, not from <body>.
  if (e.detail === 0) $("pad").focus({ preventScroll: true });
});
$("pad-forget-link").addEventListener("click", (e) => {
  e.preventDefault();
  $("learn-card").scrollIntoView({ block: "center" });
  $("forget").focus();
});

// A taught network's file (network-file.js): loaded on first use, start-up does not pay for it.
const networkFile = () => import("./network-file.js");
$("download-network").addEventListener("click", () => {
  networkFile().then(({ downloadNetwork }) => downloadNetwork(queueJob))
    .catch((err) => startupFailed(t("js.main.download_failed"), err));
});
$("load-network").addEventListener("change", (e) => {
  networkFile().then(({ loadNetwork }) => loadNetwork(queueJob, e.target))
    .catch((err) => startupFailed(t("js.main.load_failed"), err));
});
// The head panel (issue 28): its view (head-view.js) is imported when #head is first opened;
// from then on it hears of every lab view, after the lab has drawn it.
let headAfterView = null;
let headImported = false;
let headChosen = false; // k was set from elsewhere before the panel's view loaded

// Set the head panel to k versus k′ (a confusion matrix digit: true versus read).
function showInHead(k, versus) {
  $("head-class").value = String(k);
  $("head-versus").value = String(versus);
  headChosen = true;
  $("head-class").dispatchEvent(new Event("change")); // heard once head-view.js is loaded
}
$("head").addEventListener("toggle", () => {
  if (!$("head").open || headImported) return;
  headImported = true;
  import("./head-view.js")
    .then(({ startHead }) => {
      headAfterView = startHead({
        worker: scheduler.worker, queueJob, setLabControls, classChosen: headChosen,
      });
    })
    .catch((err) => {
      $("head-status").textContent = t("js.main.head_failed", { error: String(err) });
    });
});
for (const link of document.querySelectorAll("a.open-head")) {
  link.addEventListener("click", () => { $("head").open = true; });
}
// "Softmax by hand": its code (by-hand-view.js) loads on the panel's first opening, never
// before; the lesson's link to it opens it.
const byHand = $("by-hand");
let byHandLoaded = false;
byHand.addEventListener("toggle", () => {
  if (!byHand.open || byHandLoaded) return;
  byHandLoaded = true;
  import("./by-hand-view.js")
    .then(({ openByHand }) => openByHand(scheduler.worker))
    .catch((err) => startupFailed(t("js.main.by_hand_failed"), err));
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
  showStatus("error", t("js.main.failed", { what, error: err?.message ?? err }));
}

// startEngine resolves whenever Python comes up, even after an error was shown (a late
// success), and rejects only when it never will; engine.js then shows why, and the quiz its own
// message. Only that rejection is caught here: errors in the ready handler surface.
// presets-view.js once it has applied the address's link; null if it never will.
let presetsStarted;
const presets = new Promise((resolve) => { presetsStarted = resolve; });
let presetsSettled = false;
presets.then(() => { presetsSettled = true; });
const engineStarted = startEngine(document.querySelector('script[type="py"][worker]'), {
  onError: showQuizUnavailable,
});
initCalibration({
  engine: engineStarted, worker: scheduler.worker, loadDigitIntoLab, setLabControls, showInHead,
});
engineStarted
  .then(
    (api) => {
      scheduler.connect(api);
      requestUpdate(null, { pixels: true, final: true }); // strokes drawn while Python loaded
      restoreLearning();
      startQuiz(scheduler.worker).catch((err) => startupFailed(t("js.main.quiz_failed"), err));
      // Loaded only now, as is the presets file: cold start does not wait for the examples.
      import("./presets-view.js")
        .then(async (view) => {
          await view.startPresets(scheduler.worker, {
            loadDigitIntoLab, drawIntoLab, setLabControls, labState, queueJob,
          });
          presetsStarted(view);
        })
        .catch((err) => {
          presetsStarted(null);
          startupFailed(t("js.main.examples_failed"), err);
        });
      // After Python: precaching never competes with the first load.
      startOffline().catch((err) => startupFailed(t("js.main.offline_failed"), err));
    },
    () => presetsStarted(null), // Python could not start: shown on the status line and in the quiz
  )
  .catch((err) => startupFailed(t("js.main.page_failed"), err));

// The language picker reloads the page into the state on screen (language.js): the link Copy
// link would give, once the address's own link has been applied. Before that, with nothing
// drawn, the address itself is the state; when Python never comes, ink cannot go in a link.
setupPicker(async () => {
  if (pad.isEmpty && !presetsSettled) return { url: location.href, lost: null };
  const view = await presets;
  if (view === null) return { url: location.href, lost: pad.isEmpty ? null : t("page.lang.no_python") };
  return view.stateLink(scheduler.worker, labState);
});
