// The head panel (issue 28), loaded when #head is first opened: draws what Python computed
// (py/head_panel.py): the last layer as a sum (features, weight row, terms, bias, total), the
// evidence map, and the nudge. No maths here. Python is asked after each lab update while the
// panel is open, as a plain call queued behind the updates: the probabilities never wait for
// the panel, which may lag one update behind.
//
// Contract: #head[data-state] "idle" until the panel first shows a view, then "ready";
// <html data-input> "drawing" or "nudged" (what the lab shows); the rest in e2e/README.md.

import { $ } from "./dom.js";
import { fixed as fixedText, percent } from "./format.js";
import { decimal, t } from "./i18n.js";
import { drawSeen } from "./lab-view.js";
import { svgElement } from "./svg.js";

const TOP = 5; // terms listed for and against
const CELL = 4; // the strip's column width in the 512-wide viewBox

const panel = {
  worker: null,
  queueJob: null,
  setLabControls: null,
  classChosen: false, // the learner chose k: it no longer follows the guess
  busy: false,
  again: false,
  lastResult: null, // the last nudge's result, for "Teach it the true digit"
};

// Diverging colour for v in -1..1: red (down) through white to blue (up).
function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  const fade = (c) => Math.round(255 - (255 - c) * Math.abs(t));
  return t >= 0 ? [fade(31), fade(91), fade(216)] : [fade(200), fade(40), fade(30)];
}
const rgb = ([r, g, b]) => `rgb(${r}, ${g}, ${b})`;

function drawDiverging(canvas, values) {
  const ctx = canvas.getContext("2d");
  const data = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) data.data.set([...diverging(values[i]), 255], 4 * i);
  ctx.putImageData(data, 0, 0);
}

// Three rows of 128 cells: h (grey), the weight row and the terms (diverging). The terms' cells
// carry the contract: #head-terms [data-feature=j][data-value].
function drawStrip(answer) {
  const hMax = Math.max(...answer.h, 1e-12);
  const rowMax = Math.max(...answer.row.map(Math.abs), 1e-12);
  const termMax = Math.max(...answer.terms.map(Math.abs), 1e-12);
  const rows = [
    [$("head-h"), answer.h, (v) => { const g = Math.round(255 * (1 - v / hMax)); return rgb([g, g, g]); }],
    [$("head-row"), answer.row, (v) => rgb(diverging(v / rowMax))],
    [$("head-terms"), answer.terms, (v) => rgb(diverging(v / termMax))],
  ];
  rows.forEach(([group, values, colour], r) => {
    if (group.childElementCount !== values.length) {
      group.replaceChildren(...values.map((_, j) => svgElement("rect", {
        x: j * CELL, y: r * 26, width: CELL, height: 24, "data-feature": j,
      })));
    }
    values.forEach((v, j) => {
      const cell = group.children[j];
      cell.setAttribute("fill", colour(v));
      if (r === 2) cell.dataset.value = String(v);
    });
  });
}

const fixed = (v, digits = 3) => (v >= 0 ? "+" : "−") + fixedText(Math.abs(v), digits);

function drawTable(answer) {
  const order = answer.terms.map((v, j) => j).sort((a, b) => answer.terms[b] - answer.terms[a]);
  const shown = [...order.slice(0, TOP), ...order.slice(-TOP).reverse()];
  $("head-top").replaceChildren(...shown.map((j) => {
    const tr = document.createElement("tr");
    tr.dataset.feature = String(j);
    for (const text of [String(j), fixedText(answer.h[j], 3), fixed(answer.row[j]), fixed(answer.terms[j])]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
  const rest = order.filter((j) => !shown.includes(j)).reduce((s, j) => s + answer.terms[j], 0);
  $("head-rest-count").textContent = String(order.length - shown.length);
  $("head-rest").textContent = fixed(rest);
  $("head-bias").dataset.value = String(answer.bias);
  $("head-bias").textContent = fixed(answer.bias);
  $("head-total").dataset.value = String(answer.total);
  $("head-total").textContent = fixed(answer.total);
  const versus = answer.versus === null ? "" : ` − z${sub(answer.versus)}`;
  $("head-total-label").textContent = t("js.head.total", { what: `z${sub(answer.k)}${versus}` });
  $("evidence-what").textContent = `z${sub(answer.k)}${versus}`;
}

const sub = (d) => String.fromCharCode(0x2080 + d); // subscript digit

function weightsText(weights) {
  if (weights.learned === 0) return t("js.head.shipped");
  const n = weights.learned;
  // The learning card's own heading, in the language shown.
  const section = document.querySelector("#learn-card h3").textContent.trim();
  return t(n === 1 ? "js.head.taught_one" : "js.head.taught_other", { n, section });
}

function show(answer) {
  if (answer.error) {
    $("head-status").textContent = answer.error;
    return;
  }
  $("head-weights").textContent = weightsText(answer.weights);
  if (answer.empty) {
    $("head-status").textContent = t("js.head.empty");
    $("head-body").hidden = true;
  } else {
    $("head-status").textContent = "";
    $("head-body").hidden = false;
    if (!panel.classChosen) $("head-class").value = String(answer.k);
    $("head-versus").value = answer.versus === null ? "" : String(answer.versus);
    for (const option of $("head-versus").options) {
      const d = option.value;
      option.textContent = d === "" ? t("js.head.none")
        : Number(d) === answer.runner_up ? t("js.head.runner_up", { digit: d }) : d;
    }
    drawStrip(answer);
    drawTable(answer);
    const map = $("evidence-map");
    drawDiverging(map, answer.map);
    map.dataset.class = String(answer.k);
    map.dataset.versus = answer.versus === null ? "" : String(answer.versus);
  }
  $("head").dataset.state = "ready";
}

// Ask Python for the panel's view; while one is in flight, at most one more follows.
async function refresh() {
  if (!$("head").open) return;
  if (panel.busy) {
    panel.again = true;
    return;
  }
  panel.busy = true;
  try {
    do {
      panel.again = false;
      const k = panel.classChosen ? $("head-class").value : "";
      show(JSON.parse(await panel.worker.head_view(k, $("head-versus").value)));
    } while (panel.again && $("head").open);
  } catch (err) {
    console.error("head panel failed", err);
    $("head-status").textContent = t("js.head.failed", { error: err?.message ?? err });
  } finally {
    panel.busy = false;
  }
}

function showNudge(result) {
  const box = $("nudge-result");
  box.hidden = false;
  box.dataset.maxChange = String(result.max_change);
  box.dataset.targetProb = String(result.target_prob);
  box.dataset.steps = String(result.steps);
  drawSeen($("nudge-before"), result.drawing);
  drawSeen($("nudge-after"), result.nudged);
  drawDiverging($("nudge-diff"), result.nudged.map((v, i) => (v - result.drawing[i]) / result.eps));
  const reached = result.answer === result.target;
  const said = { target: result.target, p: result.target_text, answer: result.answer };
  let outcome = reached ? t("js.head.reached", said)
    : t(result.not_a_digit ? "js.head.missed_novel" : "js.head.missed", said);
  if (!reached && result.steps < result.max_steps) outcome += ` ${t("js.head.gradient_zero")}`;
  $("nudge-summary").textContent = t(result.steps === 1 ? "js.head.summary_one"
    : "js.head.summary_other", {
    steps: result.steps, eps: decimal(result.eps), max: fixedText(result.max_change, 3),
    mean: fixedText(result.mean_change, 3), outcome, novelty: percent(result.novelty),
    true: result.true, p_true: result.true_text, loss: fixedText(result.loss, 3),
    p_minus_y: fixedText(result.p_minus_y, 3),
  });
}

// The measure `nudge`: from the click to the result rendered (scripts/bench/bench_head.py).
async function runNudge(event) {
  const start = event.timeStamp;
  $("nudge-error").textContent = "";
  const answer = await panel.queueJob((api) => api.head_nudge($("nudge-target").value, $("nudge-eps").value));
  if (answer.error) {
    $("nudge-error").textContent = answer.error;
    return;
  }
  panel.lastResult = answer.result;
  showNudge(answer.result);
  performance.measure("nudge", { start, end: performance.now() });
}

async function back() {
  await panel.queueJob((api) => api.head_back());
  $("nudge-result").hidden = true;
}

// The nudged input is what the lab holds: choosing its true digit readies the learning card.
function teach(event) {
  if (!panel.lastResult) return;
  panel.setLabControls({ label: String(panel.lastResult.true) }, event);
  $("learn-card").scrollIntoView({ block: "nearest" });
  $("learn-steps").focus();
}

// Called once, on first opening; returns what main.js calls after every lab view.
export function startHead({ worker, queueJob, setLabControls, classChosen }) {
  Object.assign(panel, { worker, queueJob, setLabControls, classChosen });
  $("head-class").addEventListener("change", () => { panel.classChosen = true; refresh(); });
  $("head-versus").addEventListener("change", () => refresh());
  $("head").addEventListener("toggle", () => refresh());
  $("nudge").addEventListener("click", (e) => runNudge(e).catch((err) => {
    $("nudge-error").textContent = t("js.head.nudge_failed", { error: err?.message ?? err });
  }));
  $("nudge-back").addEventListener("click", () => back().catch((err) => console.error(err)));
  $("nudge-teach").addEventListener("click", teach);
  refresh();
  return (view) => {
    if (view.input !== "nudged") $("nudge-result").hidden = true;
    refresh();
  };
}
