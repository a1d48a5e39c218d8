// The examples (presets) and links that open a lab state. main.js imports this module once
// Python is ready, so start-up never pays for it. Python checks the presets file and the link's
// query (py/lab/presets.py); this only builds the buttons and applies what Python accepted through
// the page's own controls, as if the learner had used them.
//
// Contract: #presets[data-state] is "idle", then "ready" (or "error" when no example loaded)
// once the buttons are built and the link in the address, if any, has been applied.

import { $ } from "./dom.js";
import { t } from "./i18n.js";
import { applyTeacherLink, setupTeacherOptions, teacherParams } from "./teacher-link.js";

const root = document.documentElement;
const FILE = "assets/presets.json";

async function fetchText(url) {
  try {
    const response = await fetch(url, { cache: "no-cache" });
    return response.ok ? { text: await response.text() } : { error: `HTTP ${response.status}` };
  } catch (err) {
    return { error: err.message };
  }
}

// A preset's title or prompt in the language shown (catalogue keys presets.<name>.title and
// .prompt); presets.json's English when the catalogue has none (an example added by hand).
function shown(preset, field) {
  const key = `presets.${preset.name}.${field}`;
  const text = t(key);
  return text === key ? preset[field] : text;
}

// Put a preset on the pad; a preset sets its true digit, or none ("").
function load(preset, hooks, event = null) {
  const label = preset.label ?? "";
  if (preset.pixels) hooks.loadDigitIntoLab(preset.pixels, label, event, preset.name);
  else hooks.drawIntoLab(preset.strokes, label, event, preset.name);
  const prompt = $("preset-prompt");
  prompt.textContent = `${shown(preset, "title")}: ${shown(preset, "prompt")}`;
  prompt.hidden = false;
}

function buildButtons(presets, hooks) {
  const buttons = presets.map((preset) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.preset = preset.name;
    button.textContent = shown(preset, "title");
    button.addEventListener("click", (event) => load(preset, hooks, event));
    return button;
  });
  $("preset-buttons").replaceChildren(...buttons);
}

function showList(id, intro, lines) {
  const note = $(id);
  note.hidden = lines.length === 0;
  const list = document.createElement("ul");
  list.append(...lines.map(([text, param]) => {
    const item = document.createElement("li");
    item.textContent = text;
    if (param !== undefined) item.dataset.param = param;
    return item;
  }));
  const head = document.createElement("p");
  head.textContent = intro;
  note.replaceChildren(head, list);
}

const logScale = () => $("prob-scale").getAttribute("aria-pressed") === "true";
const zeroLogits = () => $("zero-logits").getAttribute("aria-pressed") === "true";

// The link in the address: Python says what to apply and what to ignore (and why).
async function applyLink(api, names, byName, hooks) {
  if (location.search.length <= 1) return;
  const link = JSON.parse(await api.link_read(location.search, JSON.stringify(names)));
  if (link.sample) load(byName.get(link.sample), hooks);
  if (link.ink) hooks.drawIntoLab(link.ink, null); // a drawing: replayed as if drawn
  if (Object.keys(link.controls).length) hooks.setLabControls(link.controls);
  if (link.log !== null && link.log !== logScale()) $("prob-scale").click();
  // After the example (a new digit drops all-zero logits): the lab's own button, as clicked.
  if (link.zero !== null && link.zero !== zeroLogits()) $("zero-logits").click();
  await applyTeacherLink(link, hooks.queueJob); // last: the locks fix the values set above
  showList("link-note", t("js.presets.ignored"),
    link.ignored.map(({ param, value, why }) => [`${param}=${value}: ${why}`, param]));
}

// Resolves once no lab update is pending: a link describes the state on screen.
function labIdle() {
  return new Promise((resolve) => {
    if (root.dataset.idle === "true") return resolve();
    const observer = new MutationObserver(() => {
      if (root.dataset.idle !== "true") return;
      observer.disconnect();
      resolve();
    });
    observer.observe(root, { attributes: true, attributeFilter: ["data-idle"] });
  });
}

// A URL that reopens the current state; only non-default values, so links stay short.
function currentLink({ preset, view }, ink) {
  const params = new URLSearchParams();
  if (preset) params.set("sample", preset);
  if (ink) params.set("ink", ink);
  if (view) {
    // controls_text: Python's text of the value in force, which reads back as the same float.
    if (view.controls.shift !== 0) params.set("shift", view.controls_text.shift);
    if (view.controls.scale !== 1) params.set("alpha", view.controls_text.scale);
    if (view.controls.label !== null) params.set("label", String(view.controls.label));
    if (view.controls.zero_logits) params.set("zero", "1");
  }
  if (logScale()) params.set("log", "1");
  teacherParams(params);
  const url = new URL(location.href);
  url.search = params.toString();
  url.hash = "";
  return url.href;
}

// The learner's own strokes as the link's text (py/lab/ink_code.py): {ink} or {ink: null, why}.
async function inkText(api, { drawn, strokes }) {
  if (!drawn) return { ink: null };
  if (strokes === null) {
    return { ink: null, why: t("js.presets.ink_over_example") };
  }
  return JSON.parse(await api.ink_encode(JSON.stringify(strokes)));
}

// What the copied link cannot carry, said at once: the ink, and weights taught in this browser.
function linkCaveats({ view }, ink) {
  const caveats = [];
  if (ink.why) caveats.push(t("js.presets.no_ink", { why: ink.why }));
  const taught = view?.learned ?? 0;
  if (taught > 0) {
    caveats.push(t(taught === 1 ? "js.presets.no_weights_one" : "js.presets.no_weights_other",
      { n: taught }));
  }
  return caveats;
}

async function copyLink(api, hooks) {
  await labIdle();
  const state = hooks.labState();
  const ink = await inkText(api, state);
  const url = currentLink(state, ink.ink);
  const field = $("copy-link-url");
  const status = $("copy-link-status");
  field.value = url;
  try {
    await navigator.clipboard.writeText(url); // absent or refused: the field below instead
    $("copy-link-fallback").hidden = true;
    status.textContent = [t("js.presets.copied"), ...linkCaveats(state, ink)].join(" ");
  } catch {
    $("copy-link-fallback").hidden = false;
    status.textContent = [t("js.presets.not_copied"), ...linkCaveats(state, ink)].join(" ");
    field.focus();
    field.select();
  }
}

// hooks: loadDigitIntoLab, drawIntoLab, setLabControls, labState, queueJob (main.js).
export async function startPresets(api, hooks) {
  const file = await fetchText(FILE);
  const loaded = JSON.parse(await api.presets_load(file.text ?? null, file.error ?? ""));
  const byName = new Map(loaded.presets.map((preset) => [preset.name, preset]));
  const failed = loaded.presets.length === 0 && loaded.errors.length > 0;
  buildButtons(loaded.presets, hooks);
  showList("presets-note", t(failed ? "js.presets.none_loaded" : "js.presets.some_failed"),
    loaded.errors.map((e) => [e]));
  $("copy-link").addEventListener("click", () => copyLink(api, hooks));
  $("copy-link").disabled = false;
  setupTeacherOptions();
  await applyLink(api, failed ? null : [...byName.keys()], byName, hooks);
  $("presets").dataset.state = failed ? "error" : "ready";
}

// The address of the lab's state for the language picker's reload (language.js), as Copy link
// makes it: { url, lost }, lost saying why the ink on the pad cannot go with it (else null).
export async function stateLink(api, labState) {
  await labIdle();
  const state = labState();
  const ink = await inkText(api, state);
  return { url: currentLink(state, ink.ink), lost: ink.why ?? null };
}
