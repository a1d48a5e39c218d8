// The confusion matrix of the calibration panel (issue 28), loaded with its first report: what
// Python counted (py/model/heldout.py) on every held-out digit, rows the true digit, columns the
// digit the network read, each class's accuracy beside its row. A cell off the diagonal lists
// its digits; loading one puts it in the lab and sets the head panel to (true versus read).
//
// Contract: #confusion [data-true=i][data-read=j] with data-count; the rest in e2e/README.md.

import { $ } from "./dom.js";
import { percent } from "./format.js";
import { t } from "./i18n.js";

function cell(tag, text, attributes = {}) {
  const el = document.createElement(tag);
  el.textContent = text;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  return el;
}

function listDigits(report, i, j, { loadDigitIntoLab, showInHead }) {
  const box = $("confusion-digits");
  const digits = report.confused.filter((m) => m.label === i && m.predicted === j);
  const n = digits.length;
  box.replaceChildren(cell("p", t(n === 1 ? "js.conf.listed_one" : "js.conf.listed_other",
    { n, i, j })));
  for (const m of digits) {
    const button = cell("button", "", { type: "button", class: "mistake",
      "data-index": m.index, "data-label": m.label, "data-predicted": m.predicted });
    const caption = t("js.cal.caption",
      { label: m.label, predicted: m.predicted, confidence: m.confidence_text });
    button.setAttribute("aria-label", t("js.conf.digit_label", { caption, index: m.source_index }));
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
  head.append(cell("th", t("js.conf.corner"), { scope: "col" }));
  for (let j = 0; j < 10; j++) head.append(cell("th", String(j), { scope: "col" }));
  head.append(cell("th", t("js.conf.right"), { scope: "col" }));
  const rows = report.confusion.map((counts, i) => {
    const tr = cell("tr", "");
    tr.append(cell("th", String(i), { scope: "row" }));
    counts.forEach((n, j) => {
      const td = cell("td", "", { "data-true": i, "data-read": j, "data-count": n });
      if (i !== j && n > 0) {
        const button = cell("button", String(n), { type: "button",
          "aria-label": t(n === 1 ? "js.conf.cell_one" : "js.conf.cell_other", { n, i, j }) });
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
