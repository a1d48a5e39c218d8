"""The English texts of index.html's marked elements, as the catalogues must hold them.

The HTML convention (assets/js/i18n.js applies it): an element with `data-i18n="key"` has the
catalogue's text for key, its child elements standing where {0}, {1}, ... are (in their HTML
order); `data-i18n-attr="aria-label:key; title:key2"` names attributes' texts. English is the
HTML itself: en.json's text for a key is the element's own text with each child element replaced
by {0}, {1}, ..., whitespace collapsed to one space and trimmed (tests/test_page_texts.py
compares). Standard library only.

    python scripts/site/page_texts.py [index.html]   prints the texts as catalogue lines
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Elements with no end tag.
VOID = set("area base br col embed hr img input link meta source track wbr".split())
SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's whitespace (not the no-break space)


class PageTextError(ValueError):
    """The marks in the HTML cannot be read: the message says where and why."""


class _Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        # Open elements: [tag, key or None, parts of the text, children counted]
        self.stack: list[list] = []

    def _add(self, key: str, text: str) -> None:
        if not key:
            raise PageTextError(f"line {self.getpos()[0]}: an empty key")
        if key in self.texts and self.texts[key] != text:
            raise PageTextError(
                f"line {self.getpos()[0]}: {key} marks two different texts: "
                f"{self.texts[key]!r} and {text!r}"
            )
        self.texts[key] = text

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        for pair in (attrs.get("data-i18n-attr") or "").split(";"):
            if pair.strip():
                name, colon, key = pair.partition(":")
                if not colon or not name.strip():
                    raise PageTextError(f"line {self.getpos()[0]}: bad data-i18n-attr {pair!r}")
                self._add(key.strip(), SPACE.sub(" ", attrs.get(name.strip()) or "").strip())
        if self.stack:  # a child element: its parent's text holds {n} here
            parent = self.stack[-1]
            parent[2].append(f"{{{parent[3]}}}")
            parent[3] += 1
        if tag in VOID:
            if "data-i18n" in attrs:
                raise PageTextError(f"line {self.getpos()[0]}: <{tag}> has no text to mark")
            return
        self.stack.append([tag, attrs.get("data-i18n"), [], 0])

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            open_tag = self.stack[-1][0] if self.stack else "nothing"
            raise PageTextError(
                f"line {self.getpos()[0]}: </{tag}> closes <{open_tag}>: write every end tag"
            )
        _, key, parts, _ = self.stack.pop()
        if key is not None:
            self._add(key, SPACE.sub(" ", "".join(parts)).strip())

    def handle_data(self, data) -> None:
        if self.stack:
            self.stack[-1][2].append(data)


def page_texts(html: str) -> dict[str, str]:
    """key -> English text of every data-i18n and data-i18n-attr mark in `html`, in page order.
    Raises PageTextError for marks it cannot read (one key on two different texts, an empty
    key, a mark on a void element) or an end tag left out inside <body>."""
    marks = _Marks()
    body = html[html.index("<html") :]  # the doctype is no element
    marks.feed(body)
    marks.close()
    return marks.texts


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else ROOT / "index.html"
    for key, text in page_texts(path.read_text("utf-8")).items():
        print(f"  {json.dumps(key)}: {json.dumps(text, ensure_ascii=False)},")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
