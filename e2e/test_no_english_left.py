"""Issue 30: the page in German has no English left in it.

The same story runs on the English and the German page (draw a digit, open the head and
by-hand panels, the quiz's first question on screen); every text a person can see or hear
(text nodes, aria-label, title, alt, placeholder, aria-valuetext) is collected, and a text that
reads the same in both languages and holds a word is English left untranslated, unless every
word in it is a name or symbol the languages share (softmax, logit, Python...).
"""

from __future__ import annotations

import re

from conftest import ZIGZAG, draw, goto_ready

# Words every language here writes the same (names, symbols, code).
SHARED = set(
    "softmax logit logits python pyodide pyscript numpy mnist exp max log argmax sum digits ece"
    " nll quiz fgsm deutsch english español json def return np float64 inf nan".split()
)

TEXTS = """() => {
  const out = new Set();
  const norm = (s) => s.replace(/\\s+/g, ' ').trim();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent.closest('script, style, code, pre, kbd, .cm-editor, select#lang')) continue;
    const text = norm(walker.currentNode.textContent);
    if (text) out.add(text);
  }
  const names = ['aria-label', 'title', 'alt', 'placeholder', 'aria-valuetext'];
  for (const el of document.querySelectorAll(names.map((n) => `[${n}]`).join(', '))) {
    for (const name of names) {
      const value = el.getAttribute(name);
      if (value) out.add(norm(value));
    }
  }
  return [...out];
}"""


def page_texts(page, base_url: str, lang: str) -> set[str]:
    goto_ready(page, f"{base_url}?lang={lang}")
    draw(page, ZIGZAG)
    # The panels whose texts JS makes on opening; the others' texts are in the page already
    # (and their own German tests cover what they write later).
    for panel in ("head", "by-hand"):
        page.evaluate(f"document.getElementById('{panel}').open = true")
    # The lazy panels' modules load and render their first view.
    page.wait_for_selector("#head[data-state=ready]", state="attached")
    page.wait_for_selector("#by-hand[data-state=ready]", state="attached")
    return set(page.evaluate(TEXTS))


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def test_the_german_page_has_no_english_left(page, base_url):
    english = page_texts(page, base_url, "en")
    german = page_texts(page, base_url, "de")
    left = sorted(t for t in english & german if words(t) - SHARED)
    assert left == [], "\n".join(left)
