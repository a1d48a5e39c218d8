// The calibration panel: on first opening, fetches the shipped held-out digits, has Python
// score them a chunk at a time (lab updates run in between; every call goes through the
// scheduler's queue), then draws what Python computed (py/model/heldout.py, py/lab/calibration.py):
// reliability diagrams, ECE and NLL before and after temperature scaling, T*, and the gallery
// of the network's worst mistakes. No maths here. Python scores a copy of the weights taken
// when the run starts; when the weights in force change (Learn, Undo, Forget, restored
// learning) the report is marked stale, with a button to compute it again.
//
// Contract: <html data-calibration> is "idle", then "loading" once the panel is opened (and
// while it recomputes), then "ready" or "error" (the reason in #calibration-status);
// #calibration[data-stale] is "true" while the numbers shown are for other weights.

import { $ } from "./dom.js";
import { count, fixed, percent } from "./format.js";
import { t } from "./i18n.js";
import { svgElement } from "./svg.js";

const root = document.documentElement;

const panel = {
  digits: null, // {data, name}: the digit file, fetched once
  report: null, // the report on screen
  weightsId: "shipped", // the weights in force, from the last lab view
  running: false,
};

function setStatus(state, text) {
  root.dataset.calibration = state;
  $("calibration-status").textContent = text;
}

// The report on screen is stale when it was computed for other weights than those in force.
function showFreshness() {
  const stale = panel.report !== null && panel.report.weights_id !== panel.weightsId;
  $("calibration").dataset.stale = String(stale);
  $("calibration-stale").hidden = !stale;
  $("recompute-calibration").disabled = panel.running;
  $("apply-temperature").disabled = stale; // a T* fitted for other weights
}

// After every lab view: which weights are in force now (view.weights_id, from Python).
export function noteWeights(view) {
  if (view.weights_id === panel.weightsId) return;
  panel.weightsId = view.weights_id;
  showFreshness();
}

// Which weights a report is for, in words.
function weightsText(report) {
  if (report.learned === 0) return t("js.cal.shipped");
  const n = report.learned;
  return t(n === 1 ? "js.cal.taught_one" : "js.cal.taught_other", { n });
}


// Plot area inside the 320x300 viewBox: x = confidence, y = accuracy, both 0..1.
const PLOT = { left: 44, top: 12, width: 260, height: 240 };
const px = (v) => PLOT.left + v * PLOT.width;
const py = (v) => PLOT.top + (1 - v) * PLOT.height;

function drawReliability(svg, bins) {
  svg.replaceChildren();
  const axes = svgElement("g", { class: "axes" });
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    axes.append(svgElement("line", { x1: px(0), x2: px(1), y1: py(v), y2: py(v), class: "grid" }));
    axes.append(svgElement("text", { x: px(0) - 6, y: py(v) + 4, class: "tick y" }, fixed(v, 2)));
    axes.append(svgElement("text", { x: px(v), y: py(0) + 16, class: "tick x" }, fixed(v, 2)));
  }
  axes.append(svgElement("text", { x: px(0.5), y: 296, class: "label" }, t("js.cal.axis_confidence")));
  axes.append(svgElement("text", {
    x: 12, y: py(0.5), class: "label", transform: `rotate(-90 12 ${py(0.5)})`,
  }, t("js.cal.axis_accuracy")));
  svg.append(axes);
  const bars = svgElement("g", { class: "bins" });
  for (const bin of bins) {
    const empty = bin.count === 0;
    const rect = svgElement("rect", {
      x: px(bin.lower) + 1, width: px(bin.upper) - px(bin.lower) - 2,
      y: empty ? py(0) : py(bin.accuracy), height: empty ? 0 : py(0) - py(bin.accuracy),
      class: "bin",
      "data-lower": bin.lower, "data-upper": bin.upper, "data-count": bin.count,
      "data-confidence": empty ? "" : bin.confidence, "data-accuracy": empty ? "" : bin.accuracy,
    });
    const range = t("js.cal.bin_range", { lower: fixed(bin.lower, 1), upper: fixed(bin.upper, 1) });
    rect.append(svgElement("title", {}, empty ? t("js.cal.bin_empty", { range }) :
      t("js.cal.bin", { range, count: bin.count, confidence: percent(bin.confidence),
        accuracy: percent(bin.accuracy) })));
    bars.append(rect);
    if (!empty) {
      // Where the bar should end if the network were calibrated: its mean confidence.
      bars.append(svgElement("line", {
        x1: px(bin.lower) + 1, x2: px(bin.upper) - 1, y1: py(bin.confidence),
        y2: py(bin.confidence), class: "expected",
      }));
      bars.append(svgElement("text", {
        x: px((bin.lower + bin.upper) / 2), y: py(bin.accuracy) - 4, class: "count",
      }, String(bin.count)));
    }
  }
  svg.append(bars);
  svg.append(svgElement("line", { x1: px(0), y1: py(0), x2: px(1), y2: py(1), class: "diagonal" }));
}

function showPair(id, before, after, format) {
  const row = $(id);
  row.dataset.before = String(before);
  row.dataset.after = String(after);
  row.querySelector(".before").textContent = format(before);
  row.querySelector(".after").textContent = format(after);
}

function temperatureNote(report) {
  const direction = t(report.temperature < 1 ? "js.cal.under" : "js.cal.over");
  // A fit on one half need not help the other: say so when it did not.
  const ece = report.after.ece > report.before.ece;
  const nll = report.after.nll > report.before.nll;
  const worse = ece && nll ? "js.cal.worse_both" : ece ? "js.cal.worse_ece" : "js.cal.worse_nll";
  const caveat = !ece && !nll ? "" : ` ${t(worse)}`;
  return t("js.cal.temperature_note", {
    count: report.fit_count, before: fixed(report.fit_nll_before, 4),
    after: fixed(report.fit_nll_after, 4), direction, alpha: fixed(report.alpha, 3), caveat,
  });
}

function renderMistakes(report, loadDigitIntoLab) {
  const gallery = $("mistakes");
  gallery.replaceChildren();
  if (report.mistakes.length === 0) {
    gallery.textContent = t("js.cal.no_mistakes");
    return;
  }
  for (const m of report.mistakes) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "mistake";
    button.dataset.index = String(m.index);
    button.dataset.label = String(m.label);
    button.dataset.predicted = String(m.predicted);
    const said = m.confidence_text; // Python's text (py/lab/prob_text.py): never 100 % below 1
    const caption = t("js.cal.caption", { label: m.label, predicted: m.predicted, confidence: said });
    // The name starts with the visible caption (WCAG 2.5.3, label in name), then says more.
    button.setAttribute("aria-label", t("js.cal.mistake_label", {
      caption, index: m.source_index, label: m.label, predicted: m.predicted,
    }));
    const thumb = document.createElement("canvas");
    thumb.width = thumb.height = 28;
    thumb.setAttribute("aria-hidden", "true");
    const ctx = thumb.getContext("2d");
    const image = ctx.createImageData(28, 28);
    m.pixels.forEach((g, i) => image.data.set([255 - g, 255 - g, 255 - g, 255], 4 * i));
    ctx.putImageData(image, 0, 0);
    const captionText = document.createElement("span");
    captionText.textContent = caption;
    button.append(thumb, captionText);
    button.addEventListener("click", (event) => {
      loadDigitIntoLab(m.pixels, m.label, event);
      const stale = $("calibration").dataset.stale === "true";
      $("calibration-status").textContent = t(stale ? "js.cal.loaded_stale" : "js.cal.loaded",
        { index: m.source_index, label: m.label, predicted: m.predicted });
      document.querySelector(".lab").scrollIntoView({ block: "start" });
    });
    gallery.append(button);
  }
}

function render(report, hooks) {
  const { loadDigitIntoLab, setLabControls } = hooks;
  const { before, after } = report;
  $("calibration-accuracy").textContent = t("js.cal.accuracy", {
    weights: weightsText(report), total: count(report.total), errors: report.error_count,
    accuracy: percent(report.accuracy), eval: report.eval_count, right: percent(before.accuracy),
    confidence: percent(before.mean_confidence),
  });
  for (const el of document.querySelectorAll("#calibration .eval-count")) {
    el.textContent = String(report.eval_count);
  }
  for (const el of document.querySelectorAll("#calibration .fit-count")) {
    el.textContent = String(report.fit_count);
  }
  drawReliability($("reliability"), before.bins);
  drawReliability($("reliability-after"), after.bins);
  showPair("ece", before.ece, after.ece, (v) => percent(v, 2));
  showPair("nll", before.nll, after.nll, (v) => t("js.lab.nats", { value: fixed(v, 4) }));
  const temperature = $("temperature");
  temperature.dataset.value = String(report.temperature);
  temperature.textContent = t("js.cal.temperature", { value: fixed(report.temperature, 3) });
  for (const el of document.querySelectorAll("#calibration .t-star")) {
    el.textContent = fixed(report.temperature, 3);
  }
  $("temperature-note").textContent = temperatureNote(report);
  $("apply-temperature").onclick = (event) => {
    // String() of a double is its shortest round-trip text: Python reads back exactly 1/T*.
    setLabControls({ scale: String(report.alpha) }, event);
    const note = $("apply-note");
    note.hidden = false;
    note.textContent = t("js.cal.applied", { alpha: fixed(report.alpha, 4),
      eval: report.eval_count, changed: report.predictions_changed });
  };
  renderMistakes(report, loadDigitIntoLab);
  $("calibration-results").hidden = false;
  // Loaded with the first report: the cold start does not pay for it.
  import("./confusion-view.js")
    .then(({ renderConfusion }) => renderConfusion(report, hooks))
    .catch((err) => console.error("confusion matrix failed", err));
}

async function fetchDigits(details) {
  setStatus("loading", t("js.cal.fetching"));
  const url = details.dataset.digitSet;
  const response = await fetch(url);
  if (!response.ok) throw new Error(t("js.fetch_failed", { url, status: response.status }));
  const data = new Uint8Array(await response.arrayBuffer());
  return { data, name: url.split("/").pop().replace(/\.npz$/, "") };
}

async function run(details, engine, { worker, ...hooks }) {
  setStatus("loading", t("js.cal.waiting"));
  await engine;
  panel.digits ??= await fetchDigits(details);
  // Python copies the weights in force now and scores every chunk with that copy.
  let progress = JSON.parse(await worker.calibration_start(panel.digits.data, panel.digits.name));
  if (progress.error) throw new Error(progress.error);
  while (!progress.report) {
    setStatus("loading", t("js.cal.scoring", { scored: progress.scored, total: progress.total }));
    progress = JSON.parse(await worker.calibration_step());
  }
  panel.report = progress.report;
  render(progress.report, hooks);
  setStatus("ready", "");
}

// One run at a time: on first opening, and again on "Recompute".
function start(details, engine, hooks) {
  if (panel.running) return;
  panel.running = true;
  showFreshness();
  run(details, engine, hooks)
    .catch((err) => {
      console.warn("calibration failed:", err.message);
      setStatus("error", t("js.cal.failed", { error: err.message }));
    })
    .finally(() => {
      panel.running = false;
      showFreshness();
    });
}

// hooks: { engine: a promise of the worker's API (resolves once Python is up), worker: the
// scheduler's queued worker calls, loadDigitIntoLab, setLabControls }.
export function initCalibration({ engine, ...hooks }) {
  const details = $("calibration");
  root.dataset.calibration = "idle";
  details.dataset.stale = "false";
  details.addEventListener("toggle", () => {
    if (details.open && root.dataset.calibration === "idle") start(details, engine, hooks);
  });
  $("recompute-calibration").addEventListener("click", () => start(details, engine, hooks));
}
