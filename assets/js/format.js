// The one JS home for a share shown as a percentage, for figures Python sends as plain numbers
// (accuracies, mean confidences, ECE, the novelty score), and for other numbers a person reads:
// both with the language's decimal separator (i18n.js), "99,9 %" in Spanish and German. A
// probability in the lab's table can sit within 1e-12 of 0 or 1: its text is Python's
// (py/lab/prob_text.py), never made here. data-value attributes keep plain numbers: never these.

import { decimal, lang } from "./i18n.js";

export const percent = (share, digits = 1) => `${decimal((100 * share).toFixed(digits))} %`;

// v with `digits` decimals, as a person reads it: "0.951" in English, "0,951" in German.
export const fixed = (v, digits) => decimal(v.toFixed(digits));

// v in exponent notation with `digits` decimals: "1.2e-5", "1,2e-5".
export const exponent = (v, digits) => decimal(v.toExponential(digits));

// A count with the language's digit grouping: "1,000" in English, "1.000" in German.
export const count = (n) => n.toLocaleString(lang);
