// Quiz glue: renders the view computed by the Python quiz engine (py/quiz.py) and forwards the
// learner's actions. Progress lives in localStorage (the worker cannot reach it). All text from
// questions.json is set with textContent: rendered as text, never as HTML.

const STORAGE_KEY = "softmax-digits.quiz";
const $ = (id) => document.getElementById(id);
const LAB_NAMES = {
  shift: "the shift slider", scale: "the scale slider",
  "cross-entropy": "the cross-entropy panel", "zero-logits": "the all-zero button",
};

// Fetched at once, in parallel with Python's start-up.
const questionsText = fetch("questions.json", { cache: "no-cache" }).then(
  async (r) => (r.ok ? { text: await r.text() } : { error: `HTTP ${r.status}` }),
  (err) => ({ error: err.message }),
);

function loadSaved() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

function save(text) {
  try { localStorage.setItem(STORAGE_KEY, text); } catch { /* private mode: progress not kept */ }
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined && text !== null) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function renderErrors(errors) {
  const body = $("quiz-body");
  body.replaceChildren(element("p", "The quiz could not be loaded from questions.json:"));
  const list = element("ul", null, "quiz-errors");
  for (const message of errors) list.append(element("li", message));
  body.append(list);
  for (const id of ["quiz-check", "quiz-hint", "quiz-retry", "quiz-next", "quiz-reset"]) $(id).disabled = true;
}

function buildQuestion(view, onSelect) {
  const fieldset = element("fieldset");
  fieldset.dataset.questionId = view.question_id;
  fieldset.append(element("legend", view.stem));
  for (const option of view.options) {
    const label = element("label");
    const input = element("input");
    input.type = "radio";
    input.name = "quiz-option";
    input.value = String(option.index);
    input.addEventListener("change", () => onSelect(option.index));
    label.append(input, element("span", option.text));
    fieldset.append(label);
  }
  return fieldset;
}

export function renderQuestion(view, onSelect) {
  const body = $("quiz-body");
  let fieldset = body.querySelector("fieldset");
  // Rebuild only when the question or the order of its options changes (a reshuffle keeps the
  // id), so keyboard focus stays on the radios otherwise.
  const order = view.options.map((o) => o.text).join("\u0000");
  if (!fieldset || fieldset.dataset.questionId !== view.question_id || fieldset.order !== order) {
    fieldset = buildQuestion(view, onSelect);
    fieldset.order = order;
    body.replaceChildren(element("p", `Question ${view.index + 1} of ${view.total}`, "quiz-progress"), fieldset);
  }
  fieldset.querySelectorAll("label").forEach((label, i) => {
    const input = label.querySelector("input");
    input.checked = view.selected === i;
    input.disabled = !view.can.select;
    label.classList.toggle("tried", view.options[i].tried_wrong);
  });
}

function renderFeedback(view) {
  const box = $("quiz-feedback");
  box.replaceChildren();
  if (view.notice) box.append(element("p", view.notice));
  if (view.feedback) {
    box.append(element("p", view.feedback, view.status === "correct" ? "verdict-correct" : "verdict-wrong"));
  }
  if (view.hint) box.append(element("p", `Hint: ${view.hint}`));
  if (view.explanation) box.append(element("p", view.explanation));
  if (view.lab_element_id) {
    const link = element("a", `Try it in the lab: ${LAB_NAMES[view.lab_control]}`);
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
    box.append(paragraph);
  }
  if (view.finished && view.summary) box.append(element("p", view.summary));
}

function render(state, onSelect) {
  const view = state.view;
  renderQuestion(view, onSelect);
  renderFeedback(view);
  const score = $("quiz-score");
  score.dataset.correct = String(view.score.correct);
  score.dataset.total = String(view.score.total);
  score.textContent = `${view.score.correct} / ${view.score.total} correct (${view.score.first_try} on the first try)`;
  $("quiz-check").disabled = !view.can.check;
  $("quiz-hint").disabled = !view.can.hint;
  $("quiz-retry").disabled = !(view.can.retry || view.can.retry_wrong);
  $("quiz-next").disabled = !view.can.next;
  $("quiz-reset").disabled = false;
  // A button that just disabled itself would drop keyboard focus to <body>: move it on.
  if (document.activeElement?.disabled) {
    const next = ["quiz-next", "quiz-retry", "quiz-reset"].map($).find((b) => !b.disabled);
    next?.focus();
  }
  save(state.saved);
}

function showNotice(text) {
  const notice = $("quiz-notice");
  notice.hidden = !text;
  notice.textContent = text || "";
}

export async function startQuiz(api) {
  const file = await questionsText;
  const seed = Math.floor(Math.random() * 2 ** 31);
  const state = JSON.parse(await api.start_quiz(file.text ?? null, file.error ?? "", loadSaved(), seed));
  if (state.errors.length) {
    renderErrors(state.errors);
    return;
  }
  showNotice(state.notice);
  let lastView = state.view;
  let pending = 0; // actions sent but not answered; only the last answer is rendered
  const quiz = $("quiz");
  const act = async (action, argument = null) => {
    quiz.dataset.pending = String(++pending);
    try {
      const next = JSON.parse(await api.quiz_action(action, argument));
      lastView = next.view;
      // An older answer arriving after a newer click must not un-tick what was just chosen.
      if (pending === 1) render(next, onSelect);
    } finally {
      quiz.dataset.pending = String(--pending);
    }
  };
  const onSelect = (index) => act("select", index);
  $("quiz-check").addEventListener("click", () => act("check"));
  $("quiz-hint").addEventListener("click", () => act("show_hint"));
  $("quiz-next").addEventListener("click", () => act("next"));
  $("quiz-retry").addEventListener("click", () => act(lastView.can.retry ? "retry" : "retry_wrong"));
  $("quiz-reset").addEventListener("click", () => { showNotice(""); act("reset"); });
  render(state, onSelect);
}

// Python could not start: the quiz says so in its own place, with the reason; its buttons stay
// disabled. If Python comes up after all, startQuiz() replaces this.
export function showQuizUnavailable(reason) {
  $("quiz-body").replaceChildren(
    element("p", `The quiz needs Python, which could not start: ${reason}.`, "quiz-unavailable"),
  );
  for (const id of ["quiz-check", "quiz-hint", "quiz-retry", "quiz-next", "quiz-reset"]) {
    $(id).disabled = true;
  }
}
