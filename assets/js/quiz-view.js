// Quiz glue: renders the view computed by the Python quiz engine (py/quiz/quiz.py) and forwards the
// learner's actions. Progress lives in localStorage (the worker cannot reach it). All text from
// the question file is set with textContent: rendered as text, never as HTML. The question file
// is the shown language's (questions.<lang>.json; English: questions.json), the other texts
// come from the catalogue (quiz.* keys).

import { forgetSavedCode } from "./code-panel.js";
import { $ } from "./dom.js";
import { decimal, lang, t } from "./i18n.js";
import { forgetLearning } from "./learn-view.js";

const STORAGE_KEY = "softmax-digits.quiz";
const root = document.documentElement;
const LAB_NAMES = {
  shift: "quiz.js.lab.shift", scale: "quiz.js.lab.scale",
  "cross-entropy": "quiz.js.lab.cross_entropy", "zero-logits": "quiz.js.lab.zero_logits",
};
const QUIZ_BUTTONS = ["quiz-check", "quiz-hint", "quiz-retry", "quiz-next", "quiz-reset"];
const LAB_UPDATE_TIMEOUT_MS = 15_000;

// The question file of the language shown; English is questions.json (docs/quiz.md).
const ENGLISH_FILE = "questions.json";
const questionsFile = (code) => (code === "en" ? ENGLISH_FILE : `questions.${code}.json`);

function fetchQuestions(name) {
  return fetch(name, { cache: "no-cache" }).then(
    async (r) => (r.ok ? { name, text: await r.text() } : { name, error: `HTTP ${r.status}` }),
    (err) => ({ name, error: err.message }),
  );
}

// Fetched at once, in parallel with Python's start-up: only the shown language's file (English
// is fetched later only if that file cannot be used).
const questionsText = fetchQuestions(questionsFile(lang));

function loadSaved() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

function save(text) {
  try { localStorage.setItem(STORAGE_KEY, text); } catch { /* private mode: progress not kept */ }
}

function forget() {
  try { localStorage.removeItem(STORAGE_KEY); } catch { /* nothing kept to forget */ }
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined && text !== null) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function renderErrors(errors, name) {
  const body = $("quiz-body");
  body.replaceChildren(element("p", t("quiz.js.errors", { file: name })));
  const list = element("ul", null, "quiz-errors");
  for (const message of errors) list.append(element("li", message));
  body.append(list);
  for (const id of QUIZ_BUTTONS) $(id).disabled = true;
}

function buildOptions(fieldset, view, onSelect) {
  for (const option of view.options) {
    const label = element("label");
    const input = element("input");
    input.type = "radio";
    input.name = "quiz-option";
    input.value = String(option.index);
    input.addEventListener("change", () => onSelect(option.index));
    const mark = element("span", "", "answer-mark visually-hidden"); // " (the answer)" once shown
    label.append(input, element("span", option.text, "option-text"), mark);
    fieldset.append(label);
  }
}

function buildNumberField(fieldset, view, onSubmit) {
  const row = element("div", null, "answer-row");
  const label = element("label", t("quiz.js.your_answer"));
  label.htmlFor = "quiz-answer";
  const input = element("input");
  input.id = "quiz-answer";
  input.type = "text";
  input.inputMode = "decimal";
  input.autocomplete = "off";
  input.spellcheck = false;
  // Enter checks the typed number, as a form would.
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      onSubmit();
    }
  });
  row.append(label, input);
  if (view.units) {
    const units = element("span", view.units, "units");
    units.id = "quiz-answer-units";
    input.setAttribute("aria-describedby", "quiz-answer-units");
    row.append(units);
  }
  fieldset.append(row);
}

function buildQuestion(view, onSelect, onSubmit) {
  const fieldset = element("fieldset");
  fieldset.dataset.questionId = view.question_id;
  fieldset.dataset.kind = view.kind;
  // Focusable from script only: Next and Retry move focus here, so the new question is read
  // out and a second Enter cannot skip it.
  const legend = element("legend", view.stem);
  legend.tabIndex = -1;
  fieldset.append(legend);
  if (view.kind === "numeric") buildNumberField(fieldset, view, onSubmit);
  else buildOptions(fieldset, view, onSelect);
  return fieldset;
}

export function renderQuestion(view, onSelect, onSubmit = () => {}) {
  const body = $("quiz-body");
  let fieldset = body.querySelector("fieldset");
  // Rebuild only when the question or the order of its options changes (a reshuffle keeps the
  // id), so keyboard focus stays on the radios otherwise.
  const order = view.options.map((o) => o.text).join("\u0000");
  if (!fieldset || fieldset.dataset.questionId !== view.question_id || fieldset.order !== order) {
    fieldset = buildQuestion(view, onSelect, onSubmit);
    fieldset.order = order;
    body.replaceChildren(element("p", "", "quiz-progress"), fieldset);
  }
  body.querySelector(".quiz-progress").textContent = view.progress;
  fieldset.querySelectorAll("label:has(input[type=radio])").forEach((label, i) => {
    const input = label.querySelector("input");
    input.checked = view.selected === i;
    input.disabled = !view.can.select;
    label.classList.toggle("tried", view.options[i].tried_wrong);
    label.classList.toggle("answer", view.correct_option === i);
    label.querySelector(".answer-mark").textContent =
      view.correct_option === i ? ` ${t("quiz.js.the_answer")}` : "";
  });
  const field = $("quiz-answer");
  if (field) {
    field.disabled = !view.can.check;
    // Never overwrite what the learner is typing; otherwise show the answer graded last.
    if (document.activeElement !== field) field.value = view.entered ?? "";
  }
}

function labLink(view) {
  const link = element("a", t("quiz.js.lab_link", { name: t(LAB_NAMES[view.lab_control]) }));
  link.href = `#${view.lab_element_id}`;
  link.dataset.labLink = view.lab_control;
  link.addEventListener("click", (e) => {
    e.preventDefault();
    const target = $(view.lab_element_id);
    target.scrollIntoView({ block: "center" });
    target.focus();
  });
  const paragraph = element("p");
  paragraph.append(link);
  return paragraph;
}

function renderFeedback(view, observation) {
  const box = $("quiz-feedback");
  box.replaceChildren();
  if (view.notice) box.append(element("p", view.notice));
  if (view.feedback) {
    box.append(element("p", view.feedback, view.status === "correct" ? "verdict-correct" : "verdict-wrong"));
  }
  if (view.hint) box.append(element("p", t("quiz.js.hint", { hint: view.hint }), "hint"));
  if (view.revealed && view.observe) {
    const text = observation ?? t("quiz.js.setting", { label: view.observe.label });
    const paragraph = element("p", text, "observation");
    paragraph.id = "quiz-observation";
    paragraph.dataset.done = String(observation !== null && observation !== undefined);
    box.append(paragraph);
  }
  if (view.explanation) box.append(element("p", view.explanation, "explanation"));
  if (view.lab_element_id) box.append(labLink(view));
  if (view.finished && view.summary) box.append(element("p", view.summary, "summary"));
}

const yesNo = (value) => t(value ? "quiz.js.yes" : "quiz.js.no");
// Each cell names its column too: a narrow screen shows a row as a stack of labelled lines (the
// table head's own texts).
const REPORT_COLUMNS = ["question", "first_answer", "first_try", "in_the_end", "hint"];

function reportCell(text, column) {
  const td = element("td", text);
  td.dataset.label = column === 0 ? "#" : t(`quiz.page.th.${REPORT_COLUMNS[column - 1]}`);
  return td;
}

function renderReport(view) {
  const report = $("quiz-report");
  report.hidden = !view.report;
  if (!view.report) return;
  const { score, hints_used: hints, rows } = view.report;
  $("quiz-report-score").textContent = t("quiz.js.report_score", {
    correct: score.correct, total: score.total, first_try: score.first_try, hints,
  });
  $("quiz-report-rows").replaceChildren(...rows.map((row) => {
    const tr = element("tr");
    tr.dataset.questionId = row.question_id;
    tr.append(...[
      String(row.number),
      row.stem,
      row.first_answer ?? "—",
      t(row.first_try ? "quiz.js.right" : "quiz.js.wrong"),
      t(row.status === "correct" ? "quiz.js.correct" : "quiz.js.not_yet"),
      yesNo(row.hint_used),
    ].map(reportCell));
    return tr;
  }));
}

function render(state, handlers) {
  const view = state.view;
  const quiz = $("quiz");
  const focusInQuiz = quiz.contains(document.activeElement);
  renderQuestion(view, handlers.select, handlers.submit);
  renderFeedback(view, state.observation);
  renderReport(view);
  const score = $("quiz-score");
  score.dataset.correct = String(view.score.correct);
  score.dataset.total = String(view.score.total);
  score.textContent = t("quiz.js.score", {
    correct: view.score.correct, total: view.score.total, first_try: view.score.first_try,
  });
  $("quiz-check").disabled = !view.can.check;
  $("quiz-hint").disabled = !view.can.hint;
  $("quiz-retry").disabled = !(view.can.retry || view.can.retry_wrong);
  $("quiz-retry").textContent = t(view.can.retry_wrong ? "quiz.js.retry_missed" : "quiz.page.retry");
  $("quiz-next").disabled = !view.can.next;
  $("quiz-next").textContent = view.next_label;
  $("quiz-reset").disabled = false;
  // A control that just disabled itself would drop keyboard focus to <body>: move it on.
  const active = document.activeElement;
  if (active?.disabled || (focusInQuiz && (!active || active === document.body))) {
    // After a wrong try with a try left, Retry comes first: the second try, not skipping on.
    const order = view.can.retry ? ["quiz-retry", "quiz-next"] : ["quiz-next", "quiz-retry"];
    const next = [...order, "quiz-print", "quiz-reset"].map($)
      .find((b) => !b.disabled && !b.closest("[hidden]"));
    next?.focus();
  }
  save(state.saved);
}

function showNotice(text) {
  const notice = $("quiz-notice");
  notice.hidden = !text;
  notice.textContent = text || "";
}

// Resolves once the lab has finished an update that started after `before` (the page
// contract's data-updates / data-idle), or after a timeout so the quiz never hangs.
function labUpdated(before) {
  return new Promise((resolve) => {
    const done = () => +root.dataset.updates > before && root.dataset.idle === "true";
    if (done()) return resolve();
    const observer = new MutationObserver(() => {
      if (done()) finish();
    });
    const timer = setTimeout(() => finish(), LAB_UPDATE_TIMEOUT_MS);
    function finish() {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
    observer.observe(root, { attributes: true, attributeFilter: ["data-updates", "data-idle"] });
  });
}

// A committed prediction: set the lab control through the real control, as the learner would.
async function setLabControl({ control, value, element_id: id }) {
  const target = $(id);
  const before = +root.dataset.updates;
  if (control === "zero-logits") {
    if (target.getAttribute("aria-pressed") === "true") return;
    target.click();
  } else {
    target.value = value;
    target.dispatchEvent(new Event("change", { bubbles: true }));
  }
  await labUpdated(before);
}

// A prediction about sharpening shows nothing on a drawing the network is sure of: Python asks
// for an ambiguous example first (the 1-or-7 one, else any), loaded through its own button.
async function loadAmbiguousExample(api) {
  const buttons = [...document.querySelectorAll("#presets button[data-preset^='ambiguous']")];
  const button = buttons.find((b) => b.dataset.preset === "ambiguous-1-7") ?? buttons[0];
  if (!button) return; // no examples loaded: the prediction runs on what is there
  const before = +root.dataset.updates;
  button.click();
  await labUpdated(before);
  // From α = 1: a scale already in force could leave no room to sharpen (rememberControls
  // keeps it for #quiz-restore).
  if ($("scale").value !== "1") {
    await setLabControl({ control: "scale", value: "1", element_id: "scale" });
  }
  await api.quiz_action("prepared", button.textContent);
}

// What the predict questions changed, to put back (#quiz-restore): the lab's α, c and
// all-zero switch as they were before the first prediction since the last restore.
const restore = { saved: null };
const zeroOn = () => $("zero-logits").getAttribute("aria-pressed") === "true";

function rememberControls() {
  if (!restore.saved) {
    restore.saved = { scale: $("scale").value, shift: $("shift").value, zero: zeroOn() };
  }
}

function describeControls({ scale, shift, zero }) {
  const values = { scale: decimal(scale), shift: decimal(shift) };
  return t(zero ? "quiz.js.controls_zero" : "quiz.js.controls", values);
}

function offerRestore() {
  if (!restore.saved) return;
  $("quiz-restore-text").textContent =
    t("quiz.js.changed", { controls: describeControls(restore.saved) });
  $("quiz-restore").hidden = false;
  $("quiz-restore-row").hidden = false;
}

async function restoreControls() {
  const saved = restore.saved;
  if (!saved) return;
  restore.saved = null;
  $("quiz-restore").hidden = true;
  for (const name of ["scale", "shift"]) {
    if ($(name).value !== saved[name]) {
      await setLabControl({ control: name, value: saved[name], element_id: name });
    }
  }
  if (zeroOn() !== saved.zero) {
    const before = +root.dataset.updates;
    $("zero-logits").click();
    await labUpdated(before);
  }
  $("quiz-restore-text").textContent = t("quiz.js.back", { controls: describeControls(saved) });
}

// A button that throws progress away asks first, in the page (#<id>-confirm with #<id>-yes and
// #<id>-no): the safe choice takes focus and Escape means no. A slip costs nothing.
function wireConfirm(id, onYes) {
  const ask = $(id);
  const confirm = $(`${id}-confirm`);
  const no = $(`${id}-no`);
  const open = (show) => {
    confirm.hidden = !show;
    ask.hidden = show;
    ask.setAttribute("aria-expanded", String(show));
  };
  ask.addEventListener("click", () => {
    open(true);
    no.focus();
  });
  no.addEventListener("click", () => {
    open(false);
    ask.focus();
  });
  confirm.addEventListener("keydown", (e) => {
    if (e.key === "Escape") no.click();
  });
  $(`${id}-yes`).addEventListener("click", () => {
    open(false);
    ask.focus();
    onYes();
  });
}

// A shared computer: the next learner gets none of the last one's traces. The quiz starts
// afresh, the taught weights go (Forget, through the lab's job queue) and so does the saved code.
function wireNewLearner(act) {
  const status = $("quiz-learner-status");
  $("quiz-new-learner").addEventListener("click", () => { status.textContent = ""; });
  wireConfirm("quiz-new-learner", async () => {
    forget();
    showNotice("");
    status.textContent = t("quiz.js.clearing");
    const [, , weights] = await Promise.all([
      forgetSavedCode(), // first: the lab must not render through the last learner's code
      act("reset", Math.floor(Math.random() * 2 ** 31)),
      forgetLearning(),
    ]);
    status.textContent = t(weights ? "quiz.js.cleared" : "quiz.js.cleared_partly");
  });
}

// The quiz from the question file `file` ({ name, text } or { name, error }): Python's state
// (errors and no quiz when the file cannot be used; saved progress is then left alone).
async function startFrom(api, file, seed) {
  const text = file.text ?? null;
  return JSON.parse(await api.start_quiz(text, file.error ?? "", loadSaved(), seed, file.name));
}

export async function startQuiz(api) {
  const file = await questionsText;
  const seed = Math.floor(Math.random() * 2 ** 31);
  let state = await startFrom(api, file, seed);
  let fallback = "";
  if (state.errors.length && file.name !== ENGLISH_FILE) {
    // The language's file is missing or broken: the English questions, and the page says why.
    const english = await startFrom(api, await fetchQuestions(ENGLISH_FILE), seed);
    if (!english.errors.length) {
      fallback = t("quiz.js.fallback", { file: file.name, problem: state.errors[0] });
      state = english;
    }
  }
  if (state.errors.length) {
    renderErrors(state.errors, file.name);
    return;
  }
  showNotice([fallback, state.notice].filter(Boolean).join(" "));
  let lastView = state.view;
  let pending = 0; // actions sent but not answered; only the last answer is rendered
  const quiz = $("quiz");
  const act = async (action, argument = null) => {
    quiz.dataset.pending = String(++pending);
    try {
      const next = JSON.parse(await api.quiz_action(action, argument));
      lastView = next.view;
      // An older answer arriving after a newer click must not un-tick what was just chosen.
      if (pending === 1) render(next, handlers);
      if (next.observe) {
        // Still counted in data-pending: the answer is complete once the lab has answered.
        rememberControls();
        if (next.observe.example) await loadAmbiguousExample(api);
        await setLabControl(next.observe);
        const observed = JSON.parse(await api.quiz_action("observed", null));
        lastView = observed.view;
        if (pending === 1) render(observed, handlers);
        offerRestore();
      }
    } finally {
      quiz.dataset.pending = String(--pending);
    }
  };
  const check = () => {
    const field = $("quiz-answer");
    return act("check", lastView.kind === "numeric" && field ? field.value : null);
  };
  const handlers = { select: (index) => act("select", index), submit: check };
  $("quiz-check").addEventListener("click", check);
  $("quiz-hint").addEventListener("click", () => act("show_hint"));
  // Next and Retry put focus on the question now shown, so it is read out (not at the end:
  // then focus stays with the summary's buttons).
  const focusQuestion = () => {
    if (!lastView.finished) $("quiz-body").querySelector("fieldset legend")?.focus();
  };
  $("quiz-next").addEventListener("click", () => act("next").then(focusQuestion));
  $("quiz-retry").addEventListener("click", () => {
    act(lastView.can.retry ? "retry" : "retry_wrong").then(focusQuestion);
  });
  wireConfirm("quiz-reset", () => { showNotice(""); act("reset"); });
  $("quiz-print").addEventListener("click", () => window.print());
  $("quiz-restore").addEventListener("click", async () => {
    quiz.dataset.pending = String(++pending);
    try {
      await restoreControls();
    } finally {
      quiz.dataset.pending = String(--pending);
    }
    $("quiz-restore-text").focus();
  });
  wireNewLearner(act);
  $("quiz-new-learner").disabled = false;
  render(state, handlers);
}

// Python could not start: the quiz says so in its own place, with the reason; its buttons stay
// disabled. If Python comes up after all, startQuiz() replaces this.
export function showQuizUnavailable(reason) {
  $("quiz-body").replaceChildren(
    element("p", t("quiz.js.no_python", { reason }), "quiz-unavailable"),
  );
  for (const id of ["quiz-check", "quiz-hint", "quiz-retry", "quiz-next", "quiz-reset"]) {
    $(id).disabled = true;
  }
}
