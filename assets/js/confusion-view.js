// The confusion matrix of the calibration panel (issue 28), loaded with its first report: what
// Python counted (py/model/heldout.py) on every held-out digit, rows the true digit, columns the
// digit the network read, each class's accuracy beside its row. A cell off the diagonal lists
// its digits; loading one puts it in the lab and sets the head panel to (true versus read).
//
// Contract: #confusion [data-true=i][data-read=j] with data-count; the rest in e2e/README.md.

import { $ } from "./dom.js";
import { percent } from "./format.js";

function cell(tag, text, attributes = {}) {
  const el = document.createElement(tag);
  el.textContent = text;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  return el;
}

function listDigits(report, i, j, { loadDigitIntoLab, showInHead }) {
  const box = $("confusion-digits");
  const digits = report.confused.filter((m) => m.label === i && m.predicted === j);
  box.replaceChildren(cell("p", `${digits.length} ${i}${digits.length === 1 ? "" : "s"} read as ` +
    `${j}. Choose one to load it into the lab; the head panel then shows ${i} versus ${j}.`));
  for (const m of digits) {
    const button = cell("button", "", { type: "button", class: "mistake",
      "data-index": m.index, "data-label": m.label, "data-predicted": m.predicted });
    const caption = `${m.label} read as ${m.predicted} (${m.confidence_text})`;
    button.setAttribute("aria-label", `${caption}: MNIST test digit ${m.source_index}. ` +
      "Load it into the lab.");
    const thumb = cell("canvas", "", { width: 28, height: 28, "aria-hidden": "true" });
    const ctx = thumb.getContext("2d");
    const image = ctx.createImageData(28, 28);
    m.pixels.forEach((g, k) => image.data.set([255 - g, 255 - g, 255 - g, 255], 4 * k));
    ctx.putImageData(image, 0, 0);
    button.append(thumb, cell("span", caption));
    button.addEventListener("click", (event) => {
      loadDigitIntoLab(m.pixels, m.label, event);
      showInHead(m.label, m.predicted);
      document.querySelector(".lab").scrollIntoView({ block: "start" });
    });
    box.append(button);
  }
}

export function renderConfusion(report, hooks) {
  const table = $("confusion");
  const head = cell("tr", "");
  head.append(cell("th", "true ↓ read →", { scope: "col" }));
  for (let j = 0; j < 10; j++) head.append(cell("th", String(j), { scope: "col" }));
  head.append(cell("th", "right", { scope: "col" }));
  const rows = report.confusion.map((counts, i) => {
    const tr = cell("tr", "");
    tr.append(cell("th", String(i), { scope: "row" }));
    counts.forEach((n, j) => {
      const td = cell("td", "", { "data-true": i, "data-read": j, "data-count": n });
      if (i !== j && n > 0) {
        const button = cell("button", String(n), { type: "button",
          "aria-label": `${n} ${i}${n === 1 ? "" : "s"} read as ${j}: list them` });
        button.addEventListener("click", () => listDigits(report, i, j, hooks));
        td.append(button);
      } else {
        td.textContent = String(n);
        if (i === j) td.className = "diagonal";
      }
      tr.append(td);
    });
    const accuracy = report.class_accuracy[i];
    tr.append(cell("td", accuracy === null ? "–" : percent(accuracy, 0), { class: "accuracy" }));
    return tr;
  });
  table.querySelector("thead").replaceChildren(head);
  table.querySelector("tbody").replaceChildren(...rows);
  $("confusion-digits").replaceChildren();
}
