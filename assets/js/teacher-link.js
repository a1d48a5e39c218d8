// What a teacher's link sets up besides the lab's state (py/lab/teacher_link.py checks it):
// the parts it hides, the controls it locks, the task shown above the pad. Loaded with the
// examples (presets-view.js), after Python is ready. Python enforces the locks (LabState.lock);
// here the locked controls are only shown as locked, with the reason.
//
// Contract: [data-part=name] (hidden parts get `hidden` and leave the tab order), #task,
// [data-locked] on each locked control (its value: the reason).

import { $ } from "./dom.js";
import { t } from "./i18n.js";

// The page's controls each lock fixes, and the element that shows the reason after them.
const LOCKED = {
  alpha: { ids: ["scale", "scale-slider"], note: "scale-control", field: "scale" },
  shift: { ids: ["shift", "shift-slider"], note: "shift-control", field: "shift" },
  label: { ids: ["true-label"], note: "ce-control", field: "label" },
  zero: { ids: ["zero-logits"], note: "zero-note", field: "zero_logits" },
  log: { ids: ["prob-scale"], note: "prob-scale-note", field: null },
};

// What the link set up, for a copied link to carry again.
const applied = { hide: [], lock: [], task: null };

function hideParts(names) {
  for (const name of names) {
    for (const part of document.querySelectorAll(`[data-part="${name}"]`)) {
      part.hidden = true;
      part.inert = true; // nothing inside it can take focus, whatever its CSS
    }
  }
}

function showTask(text) {
  const task = $("task");
  const label = document.createElement("strong");
  label.textContent = `${t("js.teacher.task")} `;
  task.replaceChildren(label, document.createTextNode(text)); // as text, never as HTML
  task.hidden = false;
}

function lockControls(names, view) {
  for (const name of names) {
    const { ids, note, field } = LOCKED[name];
    const pressed = $("prob-scale").getAttribute("aria-pressed") === "true";
    const reason = field === null
      ? t(pressed ? "js.teacher.log_on" : "js.teacher.log_off")
      : view.locked[field];
    const line = document.createElement("p");
    line.className = "locked-note";
    line.id = `locked-${name}`;
    line.textContent = reason;
    const home = $(note);
    if (home.tagName === "FIELDSET") home.append(line);
    else home.after(line);
    for (const id of ids) {
      const control = $(id);
      control.disabled = true;
      control.dataset.locked = reason;
      const described = control.getAttribute("aria-describedby");
      control.setAttribute("aria-describedby", [described, line.id].filter(Boolean).join(" "));
    }
  }
}

// link: what py/lab/presets.py's read_link accepted. After the link's lab state is applied:
// the locks fix the values in force then. queueJob: the lab's job queue (scheduler.js).
export async function applyTeacherLink(link, queueJob) {
  hideParts(link.hide);
  if (link.task !== null) showTask(link.task);
  if (link.lock.length) {
    const answer = await queueJob((api) => api.lab_lock(JSON.stringify(link.lock)));
    lockControls(link.lock, answer.view);
  }
  Object.assign(applied, { hide: link.hide, lock: link.lock, task: link.task });
}

// The teacher's parameters for a copied link: the choices in #teacher-options once it was
// opened, else those of the link this page was opened with.
export function teacherParams(params) {
  const chosen = $("teacher-options").dataset.built === "true" ? choices() : applied;
  if (chosen.hide.length) params.set("hide", chosen.hide.join(","));
  if (chosen.lock.length) params.set("lock", chosen.lock.join(","));
  if (chosen.task) params.set("task", chosen.task);
}

const checked = (id) => [...$(id).querySelectorAll("input:checked")].map((box) => box.value);

function choices() {
  return { hide: checked("hide-options"), lock: checked("lock-options"),
    task: $("task-text").value.trim() || null };
}

function checkbox(home, name, text, on) {
  const box = document.createElement("input");
  box.type = "checkbox";
  box.value = name;
  box.id = `${home}-${name}`;
  box.checked = on;
  const label = document.createElement("label");
  label.htmlFor = box.id;
  label.textContent = text;
  const item = document.createElement("span");
  item.className = "option";
  item.append(box, " ", label);
  $(home).append(item);
}

// Built when first opened: one box per part the page marks with data-part (named by its
// heading), one per lockable control; ticked as the link this page came from set them.
function buildOptions() {
  const details = $("teacher-options");
  if (details.dataset.built === "true") return;
  for (const part of document.querySelectorAll("[data-part]")) {
    const heading = part.querySelector("h2, h3")?.textContent.trim() || part.dataset.part;
    checkbox("hide-options", part.dataset.part, heading, applied.hide.includes(part.dataset.part));
  }
  for (const name of Object.keys(LOCKED)) {
    checkbox("lock-options", name, t(LOCK_TITLES[name]), applied.lock.includes(name));
  }
  $("task-text").value = applied.task ?? "";
  details.dataset.built = "true";
}

const LOCK_TITLES = { alpha: "js.teacher.lock_alpha", shift: "js.teacher.lock_shift",
  label: "js.teacher.lock_label", zero: "js.teacher.lock_zero", log: "js.teacher.lock_log" };

export function setupTeacherOptions() {
  $("teacher-options").addEventListener("toggle", buildOptions);
}
