// The page's words in the language shown. One catalogue per language, assets/i18n/<lang>.json,
// read by JavaScript (here) and by the page's Python (py/lab/catalogue.py, sent to the worker):
// flat keys to texts with {name} placeholders. Only the language shown is fetched.
//
// The language: ?lang= first, then the learner's remembered choice, then the browser's
// languages, then English.

// The languages this site has, each named in its own language (its catalogue's "lang.name").
// The build (scripts/site/website.py) writes the list of assets/i18n/*.json here, so a new
// catalogue file is a new language with no code edit; an unbuilt checkout has these three.
export const LANGUAGE_NAMES = { en: "English", de: "Deutsch", es: "Español" };
export const LANGUAGES = Object.keys(LANGUAGE_NAMES);
const STORAGE_KEY = "softmax-digits-lang";

// The ?lang= of the address, as written ('' when there is none).
export const asked = new URLSearchParams(location.search).get("lang") ?? "";

function wanted() {
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
    return { code, wanted: code, texts: await fetchCatalogue(code), problem: "" };
  } catch (err) {
    const fallback = { code: "en", wanted: code, texts: {}, problem: err.message };
    if (code === "en") return fallback;
    // The language asked for cannot load: English, and the page says why.
    try {
      return { ...fallback, texts: await fetchCatalogue("en") };
    } catch {
      return fallback;
    }
  }
}

const loaded = await load();
export const lang = loaded.code;
// '' when the catalogue came; else what went wrong (the page shows it).
export const catalogueProblem = loaded.problem;
// The language that was wanted (?lang=, the kept choice, the browser's): lang unless its
// catalogue could not load.
export const wantedLang = loaded.wanted;
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

// The HTML convention (index.html, and HTML made later): `data-i18n="key"` puts the catalogue's
// text in the element, its child elements in place of {0}, {1}, ... (in their HTML order; a child
// may move, or repeat as a copy); `data-i18n-attr="aria-label:key; title:key2"` sets attributes.
// English is the HTML itself (scripts/site/page_texts.py reads en.json's texts from it), so an
// English page is left as it is. Translates root and every marked element inside it.
export function translate(root = document) {
  if (lang === "en") return;
  const marked = (selector) => [
    ...(root.matches?.(selector) ? [root] : []), ...root.querySelectorAll(selector),
  ];
  for (const element of marked("[data-i18n-attr]")) translateAttributes(element);
  // Innermost first: an element's children are already in the language when they move.
  for (const element of marked("[data-i18n]").reverse()) translateText(element);
}

function translateText(element) {
  const template = catalogue[element.dataset.i18n];
  if (typeof template !== "string") return; // not in the catalogue: the English stays
  const children = [...element.children];
  const used = new Set();
  const parts = template.split(/\{(\d+)\}/).map((part, i) => {
    if (i % 2 === 0) return document.createTextNode(part);
    const child = children[Number(part)];
    if (child === undefined) return document.createTextNode(`{${part}}`);
    if (used.has(child)) return child.cloneNode(true);
    used.add(child);
    return child;
  });
  element.replaceChildren(...parts);
}

function translateAttributes(element) {
  for (const pair of element.dataset.i18nAttr.split(";")) {
    const at = pair.indexOf(":");
    if (at < 0) continue;
    const text = catalogue[pair.slice(at + 1).trim()];
    if (typeof text === "string") element.setAttribute(pair.slice(0, at).trim(), text);
  }
}
