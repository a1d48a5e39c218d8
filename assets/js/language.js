// The language shown and the picker: <html lang>, the page's marked texts (i18n.js translate),
// #lang with the site's languages, and #lang-note when the language wanted could not load.
// Choosing a language remembers it and reloads the page in it, keeping the lab's state.
//
// Contract: #lang (select) holds the site's languages by code ("en", "es", "de"), shows the
// language shown; <html lang> is that language.

import { $ } from "./dom.js";
import {
  catalogueProblem, lang, LANGUAGE_NAMES, remember, t, translate, wantedLang,
} from "./i18n.js";

// At start-up, before anything else draws: the page in the language shown.
export function showLanguage() {
  document.documentElement.lang = lang;
  translate();
  const picker = $("lang");
  picker.replaceChildren(...Object.entries(LANGUAGE_NAMES).map(([code, name]) => {
    const option = new Option(name, code, false, code === lang);
    option.lang = code; // each name is read in its own language
    return option;
  }));
  picker.value = lang;
  if (catalogueProblem) {
    const note = $("lang-note");
    const name = LANGUAGE_NAMES[wantedLang] ?? wantedLang;
    const text = t("page.lang.missing", { language: name, problem: catalogueProblem });
    // Not even English loaded: the problem as it is.
    note.textContent = text === "page.lang.missing" ? catalogueProblem : text;
    note.hidden = false;
  }
}

// stateLink(): resolves to { url, lost } — the address of the lab's state (what Copy link
// gives) and, when the link cannot carry everything on the pad, why (else null).
export function setupPicker(stateLink) {
  const picker = $("lang");
  picker.addEventListener("change", async () => {
    const code = picker.value;
    if (code === lang) return;
    picker.disabled = true; // one reload at a time
    const note = $("lang-note");
    // Said at once: before Python is ready the lab's state can take a while to read.
    note.textContent = t("page.lang.switching", { language: LANGUAGE_NAMES[code] });
    note.hidden = false;
    const { url, lost } = await stateLink();
    if (lost && !window.confirm(t("page.lang.lose_ink", { language: LANGUAGE_NAMES[code], why: lost }))) {
      picker.value = lang;
      picker.disabled = false;
      note.hidden = true;
      return;
    }
    remember(code);
    const address = new URL(url);
    address.searchParams.set("lang", code);
    location.assign(address.href);
  });
}
