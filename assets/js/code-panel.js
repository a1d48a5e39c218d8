// The code panel: the learner writes softmax (and its gradient) in Python, in an editor whose
// text is saved in this browser, and runs the lesson's checks on it. Having the lab use it
// ("Use my softmax") is use-mine.js, which borrows this panel's Python and error display.
//
// Nothing here runs at start-up beyond wiring: the editor (CodeMirror) and the learner's own
// Python (a second Pyodide in sandbox-worker.js) load when the panel is first opened. The
// checks are computed by py/learner_code/learner_checks.py; this file only renders them.

import { $ } from "./dom.js";
import { decimal, lang, t } from "./i18n.js";
import { MEMORY_LIMIT, Sandbox } from "./sandbox.js";
import { isUseMineOn, setupUseMine, stopUsingMine } from "./use-mine.js";

const STORAGE_KEY = "softmax-digits.code";
const STORAGE_VERSION = 1;
const STARTER_URL = "py/learner_code/exercise/starter.py";
const SOLUTION_URL = "py/learner_code/exercise/solution.py";
const CHECK_LIMIT_MS = 3000; // a check run (or loading the code) longer than this is stopped
const SAVE_DELAY_MS = 300;

const state = {
  opened: false,
  editor: null,
  pendingText: null, // text set through setCode() before the editor exists
  sandbox: null,
  requestRender: () => {},
  runs: 0,
  saveTimer: null,
  starter: null,
  solution: null,
};

// --- Saved code: versioned, and never a reason to fail -----------------------------------------

function loadSaved() {
  let raw = null;
  try {
    raw = localStorage.getItem(STORAGE_KEY);
  } catch {
    return { code: null }; // storage blocked: nothing saved, nothing to say
  }
  if (raw === null) return { code: null };
  try {
    const saved = JSON.parse(raw);
    if (saved && saved.version === STORAGE_VERSION && typeof saved.code === "string") {
      return { code: saved.code };
    }
  } catch { /* reported below */ }
  return { code: null, notice: t("code.panel.saved_unreadable") };
}

function save(code) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ version: STORAGE_VERSION, code }));
  } catch { /* private mode or full: the code is simply not kept */ }
}

function scheduleSave(code) {
  clearTimeout(state.saveTimer);
  state.saveTimer = setTimeout(() => save(code), SAVE_DELAY_MS);
}

async function fetchText(url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(t("code.worker.missing", { file: url, status: response.status }));
  return response.text();
}

// An exercise file (starter.py, solution.py) with its docstrings in the language shown: the
// n-th """…""" is the catalogue's code.<name>.<n> (tests/test_learner_checks_i18n.py keeps the
// English keys equal to the files). The code itself is not touched. A file with a docstring
// the catalogue does not know is shown as it is.
const DOCSTRING = /^( *)"""([\s\S]*?)"""/gm;

function inLanguage(text, name) {
  if (lang === "en") return text;
  const count = text.match(DOCSTRING)?.length ?? 0;
  const keys = Array.from({ length: count }, (_, n) => `code.${name}.${n + 1}`);
  if (keys.some((key) => t(key) === key)) return text;
  let n = 0;
  return text.replace(DOCSTRING, (whole, indent) => {
    const lines = t(keys[n++]).split("\n");
    const last = lines.length - 1;
    const body = lines.map((line, i) => (i > 0 && (line || i === last) ? indent + line : line));
    return `${indent}"""${body.join("\n")}"""`;
  });
}

// --- The contract's functions: tests set the code as a learner would ---------------------------

export function getCode() {
  if (state.editor) return state.editor.getText();
  return state.pendingText ?? loadSaved().code ?? "";
}

export function setCode(text) {
  text = String(text);
  if (state.editor) state.editor.setText(text);
  else state.pendingText = text;
  save(text);
}

// --- Opening the panel: the editor and the learner's Python ------------------------------------

function showNotice(text) {
  $("code-notice").textContent = text;
  $("code-notice").hidden = !text;
}

const megabytes = (bytes) => `${Math.round(bytes / 2 ** 20)} MB`;

// Why Python for the learner's code was restarted, said while it restarts and once it is ready.
// "" or a sentence and a space, to go before what Python is doing now.
function restartReason(why) {
  if (!why) return "";
  if (why.reason === "memory") {
    return t("code.panel.restart_memory", {
      used: megabytes(why.memory), limit: megabytes(MEMORY_LIMIT),
    }) + " ";
  }
  if (why.reason === "asked") return `${t("code.panel.restart_asked")} `;
  return "";
}

const PYTHON_STATES = {
  starting: () => t("code.panel.python_starting"),
  restarting: ({ why }) => restartReason(why) + t("code.panel.python_restarting"),
  ready: ({ ms, why }) => restartReason(why) +
    t("code.panel.python_ready", { seconds: decimal((ms / 1000).toFixed(1)) }),
  failed: ({ message }) => t("code.panel.python_failed", { message }),
};

function onPythonState(pythonState, detail) {
  $("code-panel").dataset.python = pythonState;
  $("code-status").textContent = PYTHON_STATES[pythonState](detail);
  $("restart-python").disabled = pythonState === "starting" || pythonState === "restarting";
  if (pythonState === "restarting" && isUseMineOn()) {
    // The numbers shown must come from the built-in softmax again.
    stopUsingMine(t("code.panel.restart_stops_mine"));
  }
}

async function openPanel() {
  if (state.opened) return;
  state.opened = true;
  performance.mark("code-panel-open");
  state.sandbox.start(); // in parallel with the editor: the learner reads the code meanwhile
  state.starter = fetchText(STARTER_URL).then((text) => inLanguage(text, "starter"));
  const panel = $("code-panel");
  try {
    const [{ createEditor }, starter] = await Promise.all([
      import("./code-editor.js"), state.starter,
    ]);
    const saved = loadSaved();
    if (saved.notice) showNotice(saved.notice);
    state.editor = createEditor($("code"), {
      doc: state.pendingText ?? saved.code ?? starter,
      label: t("code.panel.editor_label"),
      onChange: scheduleSave,
      onRun: () => { runChecks(); },
    });
    state.pendingText = null;
    panel.dataset.editor = "ready";
    performance.mark("code-editor-ready");
  } catch (err) {
    panel.dataset.editor = "error";
    showNotice(t("code.panel.editor_failed", { message: err.message }));
    console.warn("code editor:", err);
  }
}

// --- Checks ---------------------------------------------------------------------------------

function showError(text) {
  $("code-error").textContent = text || "";
  $("code-error").hidden = !text;
}

function showOutput(text) {
  $("code-output").textContent = text || "";
  $("code-output-box").hidden = !text;
}

// What the learner's code changed in numpy or other modules: undone for the checks and the
// next run (py/learner_code/learner_checks.py, "Each run from the same state"), and said so.
function showChanges(changed = []) {
  const first = changed.slice(0, 5).join(", ");
  const shown = changed.length > 5
    ? t("code.panel.changed_more", { names: first, n: changed.length - 5 })
    : first;
  $("code-changes").textContent = changed.length ? t("code.panel.changed", { names: shown }) : "";
  $("code-changes").hidden = !changed.length;
}

function renderChecks(result) {
  const list = $("checks");
  list.replaceChildren(...result.checks.map((check) => {
    const item = document.createElement("li");
    item.dataset.check = check.id;
    item.dataset.pass = String(check.passed);
    const mark = document.createElement("span");
    mark.className = "mark";
    mark.textContent = t(check.passed ? "code.panel.mark_pass" : "code.panel.mark_fail");
    const title = document.createElement("strong");
    title.textContent = check.title;
    const detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = check.passed ? "" : check.detail;
    item.append(mark, " ", title, detail);
    return item;
  }));
  $("checks-summary").textContent = result.ran
    ? t("code.panel.summary", { passed: result.passed, total: result.checks.length })
    : t("code.panel.did_not_run");
  showError(result.error);
  showOutput(result.stdout);
  showChanges(result.changed);
}

// What went wrong, said in the code panel. what: a key of code.while.* (what was being done).
function stoppedMessage(answer, what) {
  const doing = t(`code.while.${what}`);
  if (answer.reason === "timeout") {
    const seconds = decimal(String(answer.seconds));
    return t("code.panel.timeout", { seconds, what: doing });
  }
  if (answer.reason === "crashed") {
    return t("code.panel.crashed", { what: doing, message: answer.message });
  }
  if (answer.reason === "restarted") return t("code.panel.restarted_while", { what: doing });
  return t("code.panel.could_not_run", { message: answer.message });
}

function renderStopped(answer) {
  for (const item of $("checks").querySelectorAll("[data-check]")) {
    item.dataset.pass = "false";
    item.querySelector(".mark").textContent = t("code.panel.mark_stopped");
    item.querySelector(".detail").textContent = t("code.panel.not_finished");
  }
  $("checks-summary").textContent = t("code.panel.checks_stopped");
  showError(stoppedMessage(answer, "checks"));
  showOutput("");
  showChanges();
}

export async function runChecks() {
  const checks = $("checks");
  checks.dataset.state = "running";
  checks.setAttribute("aria-busy", "true");
  $("checks-summary").textContent = t(state.sandbox.state === "ready"
    ? "code.panel.running"
    : "code.panel.running_soon");
  const answer = await state.sandbox.call("run_checks", [getCode()], {
    limitMs: CHECK_LIMIT_MS, waitForStart: true,
  });
  if (answer.ok) renderChecks(answer.result);
  else renderStopped(answer);
  checks.dataset.state = answer.ok ? "done" : "stopped";
  checks.removeAttribute("aria-busy");
  checks.dataset.runs = String(++state.runs);
  // The run replaced the code the learner's Python holds: the lab shows the new code's result.
  if (isUseMineOn() && answer.ok) state.requestRender();
}

// --- Restore, solution, wiring ---------------------------------------------------------------

async function restoreStarter() {
  if (!state.editor) return;
  state.editor.setText(await state.starter);
  showNotice(t("code.panel.restored"));
}

async function toggleSolution() {
  const button = $("show-solution");
  const open = button.getAttribute("aria-expanded") !== "true";
  if (open && !state.solution) {
    try {
      state.solution = inLanguage(await fetchText(SOLUTION_URL), "solution");
    } catch (err) {
      showNotice(t("code.panel.solution_failed", { message: err.message }));
      return;
    }
    $("solution").textContent = state.solution;
  }
  button.setAttribute("aria-expanded", String(open));
  button.textContent = t(open ? "code.panel.hide_solution" : "code.page.show_solution");
  $("solution-box").hidden = !open;
}

// "New learner" (quiz-view.js): the saved code goes, the lab stops using the last learner's
// code, and an open editor shows the starting code with their results cleared.
export async function forgetSavedCode() {
  clearTimeout(state.saveTimer);
  state.pendingText = null;
  try { localStorage.removeItem(STORAGE_KEY); } catch { /* storage blocked: nothing kept */ }
  stopUsingMine(); // the numbers shown come from the built-in softmax again
  $("checks").replaceChildren();
  $("checks-summary").textContent = "";
  showError("");
  showOutput("");
  showNotice("");
  if (!state.editor) return; // opened later, it shows the starting code
  state.editor.setText(await state.starter);
  clearTimeout(state.saveTimer); // the starting code is not the learner's: nothing to save
}

export function setupCodePanel({ requestRender }) {
  state.requestRender = requestRender;
  state.sandbox = new Sandbox({
    onState: onPythonState,
    onMemory: (bytes) => { $("code-panel").dataset.memoryMb = String(Math.round(bytes / 2 ** 20)); },
  });
  setupUseMine({
    sandbox: state.sandbox, getCode, loadLimitMs: CHECK_LIMIT_MS, requestRender,
    showError, showChanges, stoppedMessage,
  });
  const panel = $("code-panel");
  panel.addEventListener("toggle", () => { if (panel.open) openPanel(); });
  if (panel.open) openPanel();
  $("run-checks").addEventListener("click", () => { runChecks(); });
  $("restore-code").addEventListener("click", () => { restoreStarter(); });
  // A fresh interpreter, as after a reload, with the code kept in the editor.
  $("restart-python").addEventListener("click", () => { state.sandbox.restart(); });
  $("show-solution").addEventListener("click", () => { toggleSolution(); });
  $("use-solution").addEventListener("click", () => {
    if (state.editor && state.solution) state.editor.setText(state.solution);
  });
  window.softmaxDigits = Object.assign(window.softmaxDigits || {}, { setCode, getCode });
}
