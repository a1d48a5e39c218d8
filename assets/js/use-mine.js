// "Use my softmax": the lab computed with the learner's functions. The lab's Python never runs
// learner code: with it on, each lab update sends the logits to the learner's Python (1 s
// limit, sandbox.js) and renders what comes back, or the built-in view and why. The lab view
// is computed by py/learner_code/learner_checks.py; this file only decides which view is shown.
//
// Contract: <html data-softmax-source> is "builtin" or "mine"; #use-mine[aria-pressed].

import { $ } from "./dom.js";
import { decimal, t } from "./i18n.js";

const LAB_LIMIT_MS = 1000; // one lab update computed with the learner's code
const LAB_MAX_WAIT_MS = 250; // a lab update waits this long at most behind a check run
const MAX_MEASURES = 5000;

const root = document.documentElement;

const state = {
  on: false,
  loading: null, // the promise of the learner's code being loaded for the lab, while it is
  labCalls: 0,
  panel: null, // what the code panel lends: see setupUseMine
};

function setUseMine(on) {
  state.on = on;
  $("use-mine").setAttribute("aria-pressed", String(on));
}

// What the lab is actually using now: the attribute, the badge over the outputs, and the note
// saying why the learner's code is not used when it was asked for.
function setSource(source, notes = null, problem = "") {
  root.dataset.softmaxSource = source;
  const badge = $("softmax-source");
  badge.hidden = source !== "mine";
  if (source === "mine") {
    $("softmax-source-text").textContent = notes && notes.gradient
      ? t("code.mine.badge_notes", { gradient: notes.gradient, loss: notes.loss })
      : t("code.mine.badge");
  }
  $("mine-note").textContent = problem;
  $("mine-note").hidden = !problem;
}

export const isUseMineOn = () => state.on;

// Back to the built-in softmax (a restart, "New learner"), with `problem` said if given; the
// lab is rendered again when its numbers came from the learner's softmax.
export function stopUsingMine(problem = "") {
  const wasOn = state.on;
  setUseMine(false);
  setSource("builtin", null, problem);
  if (wasOn) state.panel.requestRender();
}

async function loadCodeForLab() {
  const { sandbox, getCode, loadLimitMs, showError, showChanges, stoppedMessage } = state.panel;
  const answer = await sandbox.call("use_code", [getCode()], {
    limitMs: loadLimitMs, waitForStart: true,
  });
  if (answer.ok) showChanges(answer.result.changed);
  if (!answer.ok) {
    setUseMine(false);
    showError(stoppedMessage(answer, "loading"));
    setSource("builtin", null, t("code.mine.load_failed"));
  } else if (!answer.result.ran || !answer.result.has_softmax) {
    if (answer.result.error) showError(answer.result.error);
    setSource("builtin", null, t(answer.result.ran ? "code.mine.no_softmax" : "code.mine.not_run"));
  } else {
    setSource("mine"); // until the next lab update says otherwise
  }
}

async function toggleUseMine() {
  setUseMine(!state.on);
  if (state.on) {
    setSource("builtin", null, t("code.mine.loading"));
    state.loading = loadCodeForLab();
    await state.loading;
    state.loading = null;
  } else {
    setSource("builtin");
  }
  state.panel.requestRender();
}

function fallback(answer) {
  const { showError, stoppedMessage } = state.panel;
  if (answer.ok) {
    const { problem, traceback } = answer.result;
    if (traceback) showError(traceback);
    return t("code.mine.not_used", { problem });
  }
  if (answer.reason === "busy") {
    return t("code.mine.busy");
  }
  if (answer.reason === "unavailable") {
    return t("code.mine.unavailable", { message: answer.message });
  }
  // A time-out or a crash: Python for the learner is restarting and "use mine" is switched off,
  // so one endless loop cannot stall every following update.
  setUseMine(false);
  showError(stoppedMessage(answer, "drawing"));
  return t("code.mine.stopped", { seconds: decimal(String(LAB_LIMIT_MS / 1000)) });
}

// Called by main.js with each lab view computed by the lab's Python; returns the view to render.
export async function learnerView(view) {
  if (!state.on) {
    if (root.dataset.softmaxSource !== "builtin") setSource("builtin");
    return view;
  }
  if (view.lab.empty || state.loading) return view; // nothing to compute / re-rendered once loaded
  const started = performance.now();
  const answer = await state.panel.sandbox.call(
    "lab",
    [JSON.stringify(view.lab.network_logits), JSON.stringify(view.controls)],
    { limitMs: LAB_LIMIT_MS, maxWaitMs: LAB_MAX_WAIT_MS },
  );
  // The cost of "use mine" per update, read by scripts/bench/bench_sandbox.py (bounded, like main.js).
  if (++state.labCalls % MAX_MEASURES === 0) performance.clearMeasures("learner-lab");
  performance.measure("learner-lab", { start: started, end: performance.now() });
  const stopped = !answer.ok && (answer.reason === "timeout" || answer.reason === "crashed");
  if (!state.on && !stopped) return view; // switched off meanwhile
  if (answer.ok && answer.result.source === "mine") {
    setSource("mine", answer.result.lab.cross_entropy ? answer.result.notes : null);
    return { ...view, lab: { ...view.lab, ...answer.result.lab } };
  }
  setSource("builtin", null, fallback(answer));
  return view;
}

// panel (code-panel.js): { sandbox, getCode, loadLimitMs (loading the code), requestRender,
// showError, showChanges, stoppedMessage(answer, "checks" | "loading" | "drawing") }: the
// learner's Python, their code, and where the code panel says what went wrong.
export function setupUseMine(panel) {
  state.panel = panel;
  root.dataset.softmaxSource = "builtin";
  $("use-mine").addEventListener("click", () => { toggleUseMine(); });
}
