// The page's words in the language shown. One catalogue per language, assets/i18n/<lang>.json,
// read by JavaScript (here) and by the page's Python (py/lab/catalogue.py, sent to the worker):
// flat keys to texts with {name} placeholders. Only the language shown is fetched.
//
// The language: ?lang= first, then the learner's remembered choice, then the browser's
// languages, then English.

export const LANGUAGES = ["en", "es", "de"];
const STORAGE_KEY = "softmax-digits-lang";

function wanted() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (LANGUAGES.includes(asked)) return asked;
  let kept = null;
  try { kept = localStorage.getItem(STORAGE_KEY); } catch { /* private mode: nothing kept */ }
  if (LANGUAGES.includes(kept)) return kept;
  for (const tag of navigator.languages ?? []) {
    const base = tag.toLowerCase().split("-")[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return "en";
}

async function fetchCatalogue(code) {
  const response = await fetch(new URL(`../i18n/${code}.json`, import.meta.url));
  if (!response.ok) throw new Error(`${code}.json is missing (HTTP ${response.status})`);
  return response.json();
}

async function load() {
  const code = wanted();
  try {
    return { code, texts: await fetchCatalogue(code), problem: "" };
  } catch (err) {
    if (code === "en") return { code, texts: {}, problem: err.message };
    // The language asked for cannot load: English, and the page says why.
    try {
      return { code: "en", texts: await fetchCatalogue("en"), problem: err.message };
    } catch {
      return { code: "en", texts: {}, problem: err.message };
    }
  }
}

const loaded = await load();
export const lang = loaded.code;
// '' when the catalogue came; else what went wrong (the page shows it).
export const catalogueProblem = loaded.problem;
// The catalogue as fetched, for the page's Python (worker set_language).
export const catalogue = loaded.texts;

// The text for key with {name} placeholders filled from values; the key itself when the
// catalogue lacks it (tests/test_i18n.py keeps every catalogue complete).
export function t(key, values = {}) {
  const template = catalogue[key];
  if (typeof template !== "string") return key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// A number as a person reads it in this language: "99.9" in English, "99,9" in Spanish and German.
// data-value attributes keep plain full-precision numbers: never use this for them.
export function decimal(text) {
  return String(text).replace(".", catalogue["number.decimal"] ?? ".");
}

export function remember(code) {
  try { localStorage.setItem(STORAGE_KEY, code); } catch { /* private mode: not kept */ }
}
