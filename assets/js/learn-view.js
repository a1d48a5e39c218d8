// "Teach the network your digit": the buttons, the saved learning in localStorage, and the
// drawing of what Python computed (py/model/head_trainer.py's LearnPanel): the loss after each step,
// p_y, the p − y bars and the logits. No maths here. The digit sets used for learning are
// fetched on the first press, never at start-up.
//
// Contract: #learn, #learn-steps, #learn-loss[data-before|data-after],
// #check-accuracy[data-before|data-after], #forget, <html data-learned>.

import { $ } from "./dom.js";
import { exponent, fixed, percent } from "./format.js";
import { t } from "./i18n.js";
import { announceAfter } from "./lab-view.js";
import { svgElement } from "./svg.js";

const root = document.documentElement;
const STORAGE_KEY = "softmax-digits/learned"; // the format's version is inside (py/model/head_trainer.py)
const DIGIT_SETS = ["assets/digits/mnist-replay.npz", "assets/digits/mnist-test.npz"];
const STEP_MS = 60; // playback of a press, step by step; at most PLAYBACK_MS in all
const PLAYBACK_MS = 1500;

const state = {
  queueJob: null,
  ready: false, // the digit sets are in Python
  busy: false,
  canLearn: false,
  learned: 0,
  canUndo: false,
  steps: [], // the last press's per-step figures
  label: null,
  playback: null,
  view: null, // the last lab view rendered
};

function readSaved() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

function writeSaved(text) {
  try {
    if (text === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, text);
  } catch {
    showNotice(t("js.learn.not_stored"));
  }
}

function showNotice(text) {
  $("learn-notice").hidden = !text;
  $("learn-notice").textContent = text || "";
}

// Once Python is up: what an earlier visit taught, if anything; unusable data is dropped.
// Keep these weights (a network file just loaded, network-file.js) as this browser's learning;
// Undo takes the load back (Python kept the weights of before).
export function keepLearning(text) {
  writeSaved(text);
  showNotice("");
  state.canUndo = true;
  $("learn-result").hidden = true; // the last press's figures were for other weights
  updateButtons();
}

export async function restoreLearning() {
  const saved = readSaved();
  if (saved === null) return;
  try {
    const answer = await state.queueJob((api) => api.learn_restore(saved));
    if (answer.notice) {
      writeSaved(null);
      showNotice(answer.notice);
    }
  } catch (err) {
    console.error("restoring saved learning failed", err);
    showNotice(t("js.learn.not_restored", { error: err.message ?? err }));
  }
}

async function fetchDigitSets() {
  const files = await Promise.all(DIGIT_SETS.map(async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(t("js.fetch_failed", { url, status: response.status }));
    return new Uint8Array(await response.arrayBuffer());
  }));
  const answer = await state.queueJob(async (api) => api.learn_start(...files));
  if (answer.error) throw new Error(answer.error);
  state.ready = true;
}

// One press of Learn, Undo or Forget, in the lab's job queue; resolves true when it worked.
async function press(what) {
  if (state.busy) return false; // aria-disabled while a press runs: the button keeps focus
  const started = performance.now();
  let status = null; // what the press did, said in #learn-reason and #announce once it ends
  state.busy = true;
  showNotice("");
  updateButtons();
  try {
    if (what === "learn" && !state.ready) {
      $("learn-reason").textContent = t("js.learn.loading");
      await fetchDigitSets();
    }
    const steps = Number($("learn-steps").value);
    const answer = await state.queueJob((api) => {
      if (what === "learn") return api.learn(steps);
      return what === "undo" ? api.learn_undo() : api.learn_forget();
    });
    if (answer.error) {
      showNotice(answer.error);
      status = answer.error;
      return false;
    }
    writeSaved(answer.saved);
    if (what === "learn") {
      state.canUndo = true;
      showResult(answer.result);
      status = answer.status; // Python's, py/learn_panel.py: "taught 3 times" on one drawing
      // Click to rendered, read by scripts/bench/bench_learn.py (one entry a press: a few per session).
      performance.measure("learn-press", { start: started, end: performance.now() });
    } else {
      state.canUndo = false;
      $("learn-result").hidden = true;
      status = t(what === "undo" ? "js.learn.undone" : "js.learn.forgotten");
    }
    return true;
  } catch (err) {
    console.error(`learning (${what}) failed`, err);
    status = t("js.learn.failed", { error: err.message ?? err });
    showNotice(status);
    return false;
  } finally {
    state.busy = false;
    // Never leave "Loading the digits to learn with…" once the press is over.
    if (state.view) renderLearning(state.view);
    if (status) {
      $("learn-reason").textContent = status;
      announceAfter(status);
    }
    updateButtons();
  }
}

// Four decimals, but never "0.0000" for a number that is small but not zero, nor "1.0000" for
// a probability just under 1.
const number = (v) => {
  if (v === 0 || v === 1 || (v >= 1e-3 && v <= 0.999)) return fixed(v, 4);
  if (v < 1e-3) return exponent(v, 2);
  return v < 1 ? t("js.learn.one_minus", { value: exponent(1 - v, 2) }) : fixed(v, 4);
};

function showResult(result) {
  const loss = $("learn-loss");
  loss.dataset.before = String(result.loss_before);
  loss.dataset.after = String(result.loss_after);
  loss.textContent = `${number(result.loss_before)} → ${number(result.loss_after)}`;
  const check = $("check-accuracy");
  check.dataset.before = String(result.check_before);
  check.dataset.after = String(result.check_after);
  const change = 100 * (result.check_after - result.check_before);
  check.textContent = t("js.learn.check", {
    before: percent(result.check_before), after: percent(result.check_after),
    change: (change >= 0 ? "+" : "−") + fixed(Math.abs(change), 1), count: result.check_count,
  });
  state.steps = result.steps;
  state.label = result.label;
  $("learn-result").dataset.stepMs = String(result.step_ms); // Python's time a step, for benches
  const slider = $("learn-step-view");
  slider.max = String(result.steps.length - 1);
  $("learn-result").hidden = false;
  drawPlot();
  play();
}

// Step through the press once, then stay on its last step (at once with reduced motion).
function play() {
  clearTimeout(state.playback);
  const last = state.steps.length - 1;
  const reduced = matchMedia("(prefers-reduced-motion: reduce)").matches;
  const delay = Math.min(STEP_MS, PLAYBACK_MS / Math.max(last, 1));
  const show = (k) => {
    showStep(k);
    if (k < last) state.playback = setTimeout(() => show(k + 1), delay);
  };
  show(reduced ? last : 0);
}

function showStep(k) {
  const step = state.steps[k];
  $("learn-step-view").value = String(k);
  const when = k === 0 ? t("js.learn.before_first")
    : t("js.learn.after_step", { k, n: state.steps.length - 1 });
  $("learn-step-view").setAttribute("aria-valuetext", when); // "After step 3 of 10", not "3"
  $("learn-step-text").textContent = t("js.learn.step_text",
    { when, loss: number(step.loss), label: state.label, p: number(step.p_y) });
  const bars = $("learn-bars");
  if (bars.children.length === 0) {
    for (let d = 0; d < 10; d++) {
      const item = document.createElement("li");
      item.innerHTML = `<span class="learn-digit">${d}</span>` +
        '<span class="gbar" aria-hidden="true"><span class="gfill"></span></span>' +
        '<span class="num learn-grad"></span><span class="num learn-logit"></span>';
      bars.append(item);
    }
  }
  [...bars.children].forEach((item, d) => {
    const g = step.grad[d];
    const fill = item.querySelector(".gfill");
    fill.style.width = `${50 * Math.min(1, Math.abs(g))}%`;
    fill.classList.toggle("neg", g < 0);
    item.querySelector(".learn-grad").textContent =
      t("js.learn.grad", { value: (g >= 0 ? "+" : "−") + number(Math.abs(g)) });
    item.querySelector(".learn-logit").textContent =
      t("js.learn.logit", { value: fixed(step.logits[d], 2) });
  });
  drawMarker(k);
}


const PLOT = { left: 40, top: 10, width: 268, height: 110 };

function plotScale() {
  const n = Math.max(state.steps.length - 1, 1);
  const top = Math.max(Math.log(2) * 1.5, ...state.steps.map((s) => s.loss));
  return {
    x: (k) => PLOT.left + (k / n) * PLOT.width,
    y: (v) => PLOT.top + (1 - v / top) * PLOT.height,
    top,
  };
}

function drawPlot() {
  const svg = $("learn-plot");
  const { x, y, top } = plotScale();
  const last = state.steps.length - 1;
  svg.replaceChildren(
    svgElement("line", { x1: x(0), x2: x(last), y1: y(0), y2: y(0), class: "axis" }),
    svgElement("line", { x1: x(0), x2: x(0), y1: y(0), y2: y(top), class: "axis" }),
    svgElement("line", { x1: x(0), x2: x(last), y1: y(Math.log(2)), y2: y(Math.log(2)),
      class: "log2" }),
    svgElement("text", { x: x(0) - 6, y: y(0) + 4, class: "tick y" }, "0"),
    svgElement("text", { x: x(0) - 6, y: y(top) + 4, class: "tick y" }, fixed(top, 1)),
    svgElement("text", { x: x(0), y: y(0) + 16, class: "tick x" }, "0"),
    svgElement("text", { x: x(last), y: y(0) + 16, class: "tick x" }, String(last)),
    svgElement("text", { x: PLOT.left + PLOT.width / 2, y: y(0) + 16, class: "label" }, t("js.learn.step_axis")),
    svgElement("polyline", {
      points: state.steps.map((s, k) => `${x(k)},${y(s.loss)}`).join(" "), class: "loss-line",
    }),
    svgElement("circle", { id: "learn-marker", r: 4, cx: x(0), cy: y(state.steps[0].loss) }),
  );
}

function drawMarker(k) {
  const { x, y } = plotScale();
  const marker = $("learn-marker");
  marker.setAttribute("cx", String(x(k)));
  marker.setAttribute("cy", String(y(state.steps[k].loss)));
}

// While a press runs the buttons are aria-disabled, not disabled: a disabled button drops the
// focus of whoever pressed it to <body>.
function updateButtons() {
  const allowed = { learn: state.canLearn, "learn-undo": state.canUndo, forget: state.learned > 0 };
  for (const [id, ok] of Object.entries(allowed)) {
    $(id).disabled = !ok && document.activeElement !== $(id);
    $(id).setAttribute("aria-disabled", String(state.busy || !ok));
  }
}

// After every lab render: may the learner press Learn, and how much has been taught?
export function renderLearning(view) {
  state.view = view;
  const empty = view.lab.empty;
  const label = view.controls.label;
  state.canLearn = !empty && label !== null;
  state.learned = view.learned;
  root.dataset.learned = String(view.learned);
  if (!state.busy) {
    $("learn-reason").textContent = empty
      ? t("js.learn.draw_first")
      : label === null
        ? t("js.learn.choose_first")
        : t("js.learn.teaches", { digit: label });
  }
  $("learned-text").textContent = view.learned === 0
    ? t("js.learn.shipped")
    : t(view.learned === 1 ? "js.learn.personalised_one" : "js.learn.personalised_other",
      { n: view.learned });
  updateButtons();
}

// "New learner" (quiz-view.js): exactly what Forget does (the shipped weights, the saved
// learning removed, the last result hidden), even when the button is disabled.
export const forgetLearning = () => press("forget");

export function setupLearning({ queueJob }) {
  state.queueJob = queueJob;
  // A button left enabled only because it has focus (updateButtons) does nothing when pressed.
  const when = (ok, what) => () => { if (ok()) press(what); };
  $("learn").addEventListener("click", when(() => state.canLearn, "learn"));
  $("learn-undo").addEventListener("click", when(() => state.canUndo, "undo"));
  $("forget").addEventListener("click", when(() => state.learned > 0, "forget"));
  $("learn-step-view").addEventListener("input", () => {
    clearTimeout(state.playback);
    showStep(Number($("learn-step-view").value));
  });
}
