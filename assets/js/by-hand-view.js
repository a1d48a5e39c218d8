// The "Softmax by hand" panel, loaded on its first opening (main.js imports it then): ten logit
// bars the learner drags or moves with keys, and what Python computes for them
// (py/lab/by_hand.py): every stage of softmax, p, the entropy, the naive path's overflow, and
// seeded draws from p. No maths here but placing a thumb on the bar's scale.
//
// Calls go through the scheduler's worker (one at a time, after lab updates). Drags are
// coalesced: at most one view call in flight; changes made meanwhile send only the latest
// logits when it returns.
//
// Contract: #by-hand[data-state] idle -> ready once the first view is shown; data-pending is
// "true" while a change has not been rendered yet. Measure `hand-input-to-render` (an input
// event to its view rendered) and #by-hand[data-python-ms], #sample[data-python-ms] (Python's
// time for the last call) are read by scripts/bench/bench_by_hand.py.

import { $ } from "./dom.js";
import { count } from "./format.js";
import { t } from "./i18n.js";

const K = 10;
const LIMIT = 1000; // py/lab/by_hand.py's LIMIT: each logit within +-1000
const SPAN = Math.asinh(LIMIT); // the bar's scale is asinh: fine near 0, still reaching +-1000
const KEY_STEPS = { ArrowRight: 0.1, ArrowUp: 0.1, ArrowLeft: -0.1, ArrowDown: -0.1,
  PageUp: 1, PageDown: -1 };
const MAX_MEASURES = 5000;
// The rows whose meaning the naive toggle changes: there, nothing is subtracted.
const STABLE_LABELS = { shifted: "z − max z", exp: "exp(z − max z)" };
const NAIVE_LABELS = { shifted: t("js.hand.no_shift"), exp: "exp(z)" };

const panel = {
  worker: null,
  logits: new Array(K).fill(0),
  naive: false,
  inFlight: false,
  wanted: false,
  firstEventTime: null, // timeStamp of the oldest change not yet shown
  measures: 0,
};

const clamp = (v) => Math.max(-LIMIT, Math.min(LIMIT, v));
const toPosition = (v) => (Math.asinh(v) / SPAN + 1) / 2; // logit -> 0..1 along the bar
// 0..1 along the bar -> a logit with two significant digits (what a pointer can aim at).
const fromPosition = (x) => clamp(Number(Math.sinh((2 * x - 1) * SPAN).toPrecision(2)));

const details = () => $("by-hand");
const slider = (k) => document.querySelector(`[data-hand-logit="${k}"]`);

function buildRows() {
  const list = $("hand-rows");
  for (let k = 0; k < K; k++) {
    const li = document.createElement("li");
    li.innerHTML = `<span class="hand-digit" aria-hidden="true">${k}</span>
      <span class="hand-track" data-hand-logit="${k}" role="slider" tabindex="0"
        aria-label="${t("js.hand.logit_label", { k })}" aria-valuemin="${-LIMIT}" aria-valuemax="${LIMIT}"
        aria-valuenow="0" data-value="0"><span class="hand-zero"></span>
        <span class="hand-thumb"></span></span>
      <span class="hand-logit-text"></span>
      <span class="hand-cell hand-p"><span class="bar"><span class="fill"></span></span>
        <span class="hand-num" data-hand-prob="${k}" data-value=""></span></span>
      <span class="hand-cell hand-count"><span class="bar"><span class="fill count"></span></span>
        <span class="hand-num" data-sample-count="${k}" data-value=""></span></span>`;
    list.append(li);
    wireSlider(li.querySelector(".hand-track"), k);
  }
}

// Show logit k on its bar now (the numbers Python computes follow).
function showLogit(k) {
  const el = slider(k);
  const v = panel.logits[k];
  el.setAttribute("aria-valuenow", String(v));
  el.dataset.value = String(v);
  el.style.setProperty("--pos", String(toPosition(v)));
}

function setLogit(k, v, event) {
  panel.logits[k] = clamp(v);
  showLogit(k);
  requestView(event);
}

function wireSlider(el, k) {
  const fromPointer = (e) => {
    const box = el.getBoundingClientRect();
    return fromPosition(Math.max(0, Math.min(1, (e.clientX - box.left) / box.width)));
  };
  el.addEventListener("pointerdown", (e) => {
    el.setPointerCapture(e.pointerId);
    el.focus();
    setLogit(k, fromPointer(e), e);
    e.preventDefault();
  });
  el.addEventListener("pointermove", (e) => {
    if (el.hasPointerCapture(e.pointerId)) setLogit(k, fromPointer(e), e);
  });
  el.addEventListener("keydown", (e) => {
    let v = null;
    if (e.key in KEY_STEPS) v = panel.logits[k] + KEY_STEPS[e.key];
    else if (e.key === "Home") v = -LIMIT;
    else if (e.key === "End") v = LIMIT;
    if (v === null) return;
    e.preventDefault();
    setLogit(k, v, e);
  });
}

// Coalesced: one call in flight; what changed meanwhile goes in the next, latest values only.
function requestView(event = null) {
  panel.wanted = true;
  details().dataset.pending = "true";
  if (panel.firstEventTime === null && event) panel.firstEventTime = event.timeStamp;
  if (!panel.inFlight) runViews();
}

async function runViews() {
  panel.inFlight = true;
  try {
    while (panel.wanted) {
      panel.wanted = false;
      const start = panel.firstEventTime;
      panel.firstEventTime = null;
      const answer = JSON.parse(
        await panel.worker.hand_view(JSON.stringify(panel.logits), panel.naive));
      if (answer.error) showStatus(answer.error);
      else renderView(answer);
      if (start !== null) {
        if (++panel.measures % MAX_MEASURES === 0) performance.clearMeasures("hand-input-to-render");
        performance.measure("hand-input-to-render", { start, end: performance.now() });
      }
    }
  } catch (err) {
    console.error("by-hand view failed", err);
    showStatus(t("js.hand.stages_failed", { error: err?.message ?? err }));
  } finally {
    panel.inFlight = false;
    details().dataset.pending = String(panel.wanted);
  }
}

function showStatus(text) {
  $("hand-status").textContent = text;
}

function renderView(view) {
  const stages = view.stages;
  for (let k = 0; k < K; k++) {
    const el = slider(k);
    el.setAttribute("aria-valuetext", t("js.hand.valuetext", { k, value: stages.z.texts[k] }));
    el.parentElement.querySelector(".hand-logit-text").textContent = stages.z.texts[k];
    const prob = document.querySelector(`[data-hand-prob="${k}"]`);
    prob.dataset.value = view.p[k];
    prob.textContent = view.p_texts[k];
    prob.previousElementSibling.firstElementChild.style.width = `${100 * view.p_bars[k]}%`;
  }
  for (const row of $("hand-stages").querySelectorAll("tr[data-stage]")) {
    const stage = stages[row.dataset.stage];
    const label = (view.naive ? NAIVE_LABELS : STABLE_LABELS)[row.dataset.stage];
    if (label) row.querySelector("th").textContent = label;
    row.querySelectorAll("td").forEach((td, k) => {
      td.textContent = stage.texts[k];
      td.dataset.value = stage.values[k];
    });
  }
  const entropy = $("hand-entropy");
  entropy.dataset.value = view.entropy_nats;
  entropy.textContent = view.entropy_text;
  const argmax = view.argmax.join(", ");
  $("hand-argmax").textContent = view.argmax.length > 1 ? t("js.hand.tie", { digits: argmax }) : argmax;
  $("hand-overflow-note").hidden = !view.overflowed;
  $("hand-underflow-note").hidden = view.naive || view.underflowed.length === 0;
  $("hand-underflow-digits").textContent = view.underflowed.join(", ");
  details().dataset.pythonMs = String(view.python_ms);
  showStatus("");
  details().dataset.state = "ready";
}

async function resetLogits(event = null) {
  const start = JSON.parse(await panel.worker.hand_start());
  panel.logits = start.logits.map(clamp);
  for (let k = 0; k < K; k++) showLogit(k);
  requestView(event);
}

async function drawSamples() {
  const button = $("sample");
  const n = Number($("sample-n").value);
  const seed = $("sample-seed").value;
  button.disabled = true;
  try {
    const answer = JSON.parse(
      await panel.worker.hand_sample(JSON.stringify(panel.logits), n, seed));
    if (answer.error) { // bad seed: said, and the histogram on screen stays as it was
      $("sample-status").textContent = t("js.hand.not_drawn", { error: answer.error });
      return;
    }
    for (let k = 0; k < K; k++) {
      const count = document.querySelector(`[data-sample-count="${k}"]`);
      count.dataset.value = String(answer.counts[k]);
      count.textContent = String(answer.counts[k]);
      count.previousElementSibling.firstElementChild.style.width = `${100 * answer.frequencies[k]}%`;
    }
    button.dataset.pythonMs = String(answer.python_ms);
    $("sample-status").textContent = t("js.hand.draws",
      { n: count(answer.n), seed: answer.seed, first: answer.first_draws.join(" ") });
  } catch (err) {
    console.error("sampling failed", err);
    $("sample-status").textContent = t("js.hand.draw_failed", { error: err?.message ?? err });
  } finally {
    button.disabled = false;
  }
}

// Called once, on the panel's first opening. worker: the scheduler's queued worker calls.
export function openByHand(worker) {
  panel.worker = worker;
  buildRows();
  $("hand-naive").addEventListener("click", (e) => {
    panel.naive = !panel.naive;
    $("hand-naive").setAttribute("aria-pressed", String(panel.naive));
    requestView(e);
  });
  $("hand-reset").addEventListener("click", (e) => resetLogits(e));
  $("sample").addEventListener("click", () => drawSamples());
  showStatus(t("js.hand.waiting"));
  return resetLogits();
}
