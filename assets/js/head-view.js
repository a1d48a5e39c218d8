// The head panel (issue 28), loaded when #head is first opened: draws what Python computed
// (py/head_panel.py): the last layer as a sum (features, weight row, terms, bias, total), the
// evidence map, and the nudge. No maths here. Python is asked after each lab update while the
// panel is open, as a plain call queued behind the updates: the probabilities never wait for
// the panel, which may lag one update behind.
//
// Contract: #head[data-state] "idle" until the panel first shows a view, then "ready";
// <html data-input> "drawing" or "nudged" (what the lab shows); the rest in e2e/README.md.

import { $ } from "./dom.js";
import { percent } from "./format.js";
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

const fixed = (v, digits = 3) => (v >= 0 ? "+" : "−") + Math.abs(v).toFixed(digits);

function drawTable(answer) {
  const order = answer.terms.map((v, j) => j).sort((a, b) => answer.terms[b] - answer.terms[a]);
  const shown = [...order.slice(0, TOP), ...order.slice(-TOP).reverse()];
  $("head-top").replaceChildren(...shown.map((j) => {
    const tr = document.createElement("tr");
    tr.dataset.feature = String(j);
    for (const text of [String(j), answer.h[j].toFixed(3), fixed(answer.row[j]), fixed(answer.terms[j])]) {
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
  $("head-total-label").textContent = `total z${sub(answer.k)}${versus}`;
  $("evidence-what").textContent = `z${sub(answer.k)}${versus}`;
}

const sub = (d) => String.fromCharCode(0x2080 + d); // subscript digit

function weightsText(weights) {
  if (weights.learned === 0) return "With the shipped weights.";
  const n = weights.learned;
  return `With the weights in force: taught in this browser (${n} example${n === 1 ? "" : "s"} ` +
    "since the shipped ones, in “4. Teach the network your digit”).";
}

function show(answer) {
  if (answer.error) {
    $("head-status").textContent = answer.error;
    return;
  }
  $("head-weights").textContent = weightsText(answer.weights);
  if (answer.empty) {
    $("head-status").textContent = "Draw a digit: its logits appear here as sums.";
    $("head-body").hidden = true;
  } else {
    $("head-status").textContent = "";
    $("head-body").hidden = false;
    if (!panel.classChosen) $("head-class").value = String(answer.k);
    $("head-versus").value = answer.versus === null ? "" : String(answer.versus);
    for (const option of $("head-versus").options) {
      const d = option.value;
      option.textContent = d === "" ? "none" : d + (Number(d) === answer.runner_up ? " (runner-up)" : "");
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
    $("head-status").textContent = `The head panel failed: ${err?.message ?? err}.`;
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
  const outcome = reached
    ? `It now says ${result.target} with p = ${result.target_text}.`
    : `It did not get there: p(${result.target}) = ${result.target_text}, and it now ` +
      `says ${result.answer}` + (result.not_a_digit ? " and calls it “not a digit”." : ".") +
      (result.steps < result.max_steps ? " The gradient became 0: every feature is off, so no" +
        " pixel moves any logit." : "");
  $("nudge-summary").textContent = `${result.steps} step${result.steps === 1 ? "" : "s"}, ` +
    `ε = ${result.eps}: largest pixel change ${result.max_change.toFixed(3)}, mean ` +
    `${result.mean_change.toFixed(3)}. ${outcome} “Not a digit” score (top p) ` +
    `${percent(result.novelty)}. For the true digit ${result.true}: p = ` +
    `${result.true_text}, cross-entropy −log p = ${result.loss.toFixed(3)}, ` +
    `p − y = ${result.p_minus_y.toFixed(3)}.`;
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
    $("nudge-error").textContent = `The nudge failed: ${err?.message ?? err}.`;
  }));
  $("nudge-back").addEventListener("click", () => back().catch((err) => console.error(err)));
  $("nudge-teach").addEventListener("click", teach);
  refresh();
  return (view) => {
    if (view.input !== "nudged") $("nudge-result").hidden = true;
    refresh();
  };
}
