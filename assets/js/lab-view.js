// Renders the lab view computed by Python (py/lab/lab.py) into the page. No maths here beyond
// formatting: every number comes from Python.

import { $ } from "./dom.js";
import { exponent, fixed as fixedText, percent } from "./format.js";
import { t } from "./i18n.js";

const K = 10;
// The bars' scale: linear (p) or log (Python's log_bars); the numbers are the same in both.
let logScale = false;
let lastLab = null;

export function buildOutputRows() {
  const body = $("output-rows");
  for (let k = 0; k < K; k++) {
    const row = document.createElement("tr");
    row.dataset.digit = k;
    row.innerHTML = `
      <th scope="row">${k}</th>
      <td><span class="neuron" data-neuron="${k}" aria-hidden="true"></span></td>
      <td class="num" data-logit="${k}" data-value=""></td>
      <td class="prob-cell"><span class="bar" aria-hidden="true"><span class="fill"></span></span>
        <span class="num p-text"></span></td>
      <td class="grad-col num" data-onehot="${k}"></td>
      <td class="grad-col"><span class="gbar" aria-hidden="true"><span class="gfill"></span></span>
        <span class="num" data-grad="${k}" data-value=""></span></td>`;
    body.append(row);
  }
}

function show(el, value, text) {
  el.dataset.value = value === null || value === undefined ? "" : String(value);
  el.textContent = text;
}

const fixed = (v, digits) => (v === null || v === undefined ? "" : fixedText(v, digits));
// Float64 rounding leaves ~1e-16 where the maths says 0: say so instead of printing a mystery.
const ROUNDING = 1e-9;
const tiny = (v) => {
  if (v === 0) return t("js.lab.exactly_zero");
  if (v < ROUNDING) return t("js.lab.rounding", { value: exponent(v, 1) });
  return exponent(v, 1);
};
// "4, 7 and 9": digits listed in words.
const listText = (items) =>
  t("js.list_and", { list: items.slice(0, -1).join(", "), last: items.at(-1) });
// "3", or "a tie between 4 and 9" / "a tie between all ten digits" when there is no single guess.
const guessText = (guess, top) => {
  if (guess !== null) return String(guess);
  if (top.length === K) return t("js.lab.tie_all");
  return t("js.lab.tie", { digits: listText(top) });
};

function renderRows(lab) {
  const empty = lab.empty;
  const ce = empty ? null : lab.cross_entropy;
  const [lo, hi] = empty ? [0, 0] : [Math.min(...lab.logits), Math.max(...lab.logits)];
  for (let k = 0; k < K; k++) {
    const row = document.querySelector(`tr[data-digit="${k}"]`);
    const z = empty ? null : lab.logits[k];
    const p = empty ? null : lab.probs[k];
    const g = ce ? ce.grad[k] : null;
    show(row.querySelector("[data-logit]"), z, fixed(z, 2));
    // Python's text: never "0.0 %" for a positive p, never "100.0 %" for p < 1.
    row.querySelector(".p-text").textContent = empty ? "" : lab.prob_text[k];
    show(row.querySelector("[data-grad]"), g, g === null ? "" : (g >= 0 ? "+" : "") + fixed(g, 3));
    row.querySelector("[data-onehot]").textContent = ce ? String(ce.one_hot[k]) : "";
    // Neuron brightness follows the activation, relative to the other nine (the contest).
    const brightness = empty ? 0 : hi > lo ? (z - lo) / (hi - lo) : 0.5;
    row.querySelector(".neuron").style.setProperty("--on", brightness.toFixed(3));
    renderBar(row, empty ? null : lab, k);
    const gfill = row.querySelector(".gfill");
    gfill.style.width = g === null ? "0" : `${(50 * Math.abs(g)).toFixed(2)}%`;
    gfill.classList.toggle("neg", g !== null && g < 0);
    row.classList.toggle("guess", !empty && lab.prediction !== null && k === lab.prediction);
    row.classList.toggle("label", !!ce && k === ce.label);
    // The strip beside the pad (in index.html) carries [data-prob]: visible while drawing.
    const item = document.querySelector(`#prob-strip li[data-digit="${k}"]`);
    // Python's short text (py/lab/prob_text.py): "<0.1" and ">99.9" where "0" or "100" would lie.
    show(item.querySelector("[data-prob]"), p, empty ? "" : lab.strip_text[k]);
    item.querySelector(".strip-fill").style.transform = `scaleY(${empty ? 0 : p.toFixed(4)})`;
    item.classList.toggle("guess", row.classList.contains("guess"));
    item.classList.toggle("label", row.classList.contains("label"));
  }
}

function renderBar(row, lab, k) {
  const length = lab === null ? 0 : logScale ? lab.log_bars[k] : lab.probs[k];
  row.querySelector(".fill").style.width = `${(100 * length).toFixed(2)}%`;
}

// Switch the bars between linear and log scale; only the bars change, not a single number.
export function toggleProbScale() {
  logScale = !logScale;
  $("prob-scale").setAttribute("aria-pressed", String(logScale));
  document.querySelector(".outputs").classList.toggle("log-bars", logScale);
  const lab = lastLab && !lastLab.empty ? lastLab : null;
  for (let k = 0; k < K; k++) renderBar(document.querySelector(`tr[data-digit="${k}"]`), lab, k);
}

function renderControls(view) {
  const { lab, errors } = view;
  for (const name of ["shift", "scale"]) {
    $(`${name}-error`).textContent = errors[name] || "";
    $(name).setAttribute("aria-invalid", errors[name] ? "true" : "false");
  }
  const empty = lab.empty;
  show($("shift-change"), empty ? null : lab.shift_max_change, empty ? "" : tiny(lab.shift_max_change));
  $("scale-argmax").textContent = empty ? "" : guessText(lab.prediction, lab.top);
  $("scale-argmax-1").textContent = empty ? "" : guessText(lab.argmax_unscaled, lab.top);
  $("entropy").textContent = empty ? "" : t("js.lab.nats", { value: fixed(lab.entropy, 3) });
  $("entropy-1").textContent = empty ? "" : fixed(lab.entropy_unscaled, 3);
  $("zero-logits").setAttribute("aria-pressed", String(!!lab.zero_logits));
  $("zero-logits").textContent = t(lab.zero_logits ? "js.lab.zero_back" : "js.lab.zero_set");
  // Whatever is applied to the network's logits is said next to the numbers it changes.
  $("in-force").hidden = lab.in_force.length === 0;
  $("in-force-text").textContent = lab.in_force.join(", ");
}

function renderCrossEntropy(lab) {
  const ce = lab.empty ? null : lab.cross_entropy;
  document.querySelector(".outputs").classList.toggle("with-grad", !!ce);
  // null: the learner's softmax gave the label exactly 0, and −ln 0 is infinite.
  const infinite = !!ce && ce.loss === null;
  show($("ce-loss"), infinite ? Infinity : ce ? ce.loss : null,
    !ce ? "" : infinite ? t("js.lab.loss_infinite") : fixed(ce.loss, 4));
  $("ce-flag").hidden = !(ce && ce.confidently_wrong);
  if (ce && ce.confidently_wrong) {
    $("ce-flag-text").textContent = t("js.lab.confidently_wrong", {
      p: lab.prob_text[lab.prediction], guess: lab.prediction, label: ce.label,
      grad_label: fixed(ce.grad[ce.label], 3), grad_guess: fixed(ce.grad[lab.prediction], 3),
      norm: fixed(ce.grad_norm, 3),
    });
  }
}

const NO_DIGIT = { empty: "js.lab.no_ink", too_small: "js.lab.too_small" };

// "Not a digit?" over the guess when the network judges the drawing no digit: the argmax is
// then only the closest digit, on a second line.
function renderDoubt(view) {
  const doubt = !view.lab.empty && !!view.novelty?.not_a_digit;
  document.querySelector(".guess-line").classList.toggle("doubt", doubt);
  $("guess-doubt").hidden = !doubt;
  $("guess-label").textContent = t(doubt ? "js.lab.closest" : "js.lab.guess");
  return doubt;
}

// The chip beside the guess (#pad-in-force): Python's text for the softmax actually shown.
function renderPadInForce(view) {
  const mine = document.documentElement.dataset.softmaxSource === "mine";
  const chip = view.pad_in_force ? view.pad_in_force[mine ? "mine" : "builtin"] : null;
  $("pad-in-force").hidden = !chip;
  $("pad-in-force-text").textContent = chip ? chip.text : "";
  $("pad-reset").hidden = !chip || !chip.resettable;
  $("pad-forget-link").hidden = !chip || !chip.taught;
  return chip ? chip.text : "";
}

function renderGuess(lab) {
  const tie = !lab.empty && lab.prediction === null;
  $("prediction").textContent = lab.empty || tie ? "" : String(lab.prediction);
  if (tie) $("prediction").dataset.tie = lab.top.join(" ");
  else delete $("prediction").dataset.tie;
  $("tie-note").hidden = !tie;
  if (tie) $("tie-text").textContent = guessText(null, lab.top);
  $("empty-note").hidden = !lab.empty;
  if (lab.empty) $("empty-note").textContent = t(NO_DIGIT[lab.no_digit] || NO_DIGIT.empty);
}

// The "not a digit" note, judged by Python on the network's own logits (py/model/novelty.py).
function renderNovelty(view) {
  const note = $("not-a-digit");
  const novelty = view.novelty;
  note.hidden = !(novelty && novelty.not_a_digit);
  note.dataset.score = novelty ? String(novelty.score) : "";
  $("not-a-digit-taught").hidden = view.learned === 0; // the threshold was chosen for the shipped weights
  if (novelty) {
    $("not-a-digit-score").textContent = percent(novelty.score);
    $("not-a-digit-threshold").textContent = percent(novelty.threshold);
  }
}

export function drawSeen(canvas, image) {
  const ctx = canvas.getContext("2d");
  const data = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const grey = image ? Math.round(255 * (1 - image[i])) : 255;
    data.data.set([grey, grey, grey, 255], 4 * i);
  }
  ctx.putImageData(data, 0, 0);
}

export function renderLab(view, { final }) {
  const lab = view.lab;
  lastLab = lab;
  document.querySelector(".lab").dataset.empty = String(lab.empty);
  renderGuess(lab);
  const doubt = renderDoubt(view);
  const chip = renderPadInForce(view);
  renderNovelty(view);
  $("prob-sum").textContent = lab.empty ? "" : fixed(lab.sum, 3);
  renderRows(lab);
  renderControls(view);
  renderCrossEntropy(lab);
  drawSeen($("seen"), view.image);
  if (final) announce(outcome(view, doubt, chip));
}

// The outcome in words: what #announce, the lab's one live region, says.
function outcome(view, doubt, chip) {
  const lab = view.lab;
  const parts = [];
  if (lab.empty) {
    parts.push(t(lab.no_digit === "too_small" ? "js.lab.say_too_small" : "js.lab.say_empty"));
  } else if (lab.prediction === null) {
    parts.push(t("js.lab.say_tie", { tie: guessText(null, lab.top) }));
  } else {
    const said = { digit: lab.prediction, p: lab.prob_text[lab.prediction] };
    parts.push(t(doubt ? "js.lab.say_doubt" : "js.lab.say_guess", said));
  }
  if (chip) parts.push(`${chip}.`);
  // Why the learner's softmax is not the one shown (use-mine.js): no live region of its own.
  if (!$("mine-note").hidden) parts.push($("mine-note").textContent);
  for (const error of Object.values(view.errors || {})) parts.push(error);
  return parts.join(" ");
}

let lastOutcome = "";
// Said only when it changed: a live region rewritten with the same words is noise.
function announce(message, prefix = "") {
  lastOutcome = message;
  const text = prefix ? `${prefix} ${message}` : message;
  if ($("announce").textContent !== text) $("announce").textContent = text;
}

// After a Learn, Undo or Forget press: what it did, then the lab's outcome.
export const announceAfter = (prefix) => announce(lastOutcome, prefix);
