"""index.html's marked texts (data-i18n, data-i18n-attr) and the catalogues: English has one
home, the HTML, and every language has every marked key."""

import json

import pytest

from scripts.site.page_texts import PageTextError, page_texts
from scripts.site.website import ROOT

I18N = ROOT / "assets" / "i18n"


def catalogue(lang: str) -> dict[str, str]:
    return json.loads((I18N / f"{lang}.json").read_text("utf-8"))


def test_a_marked_element_reads_with_its_children_as_numbered_places():
    html = """<html><body>
      <p data-i18n="page.a"><b data-i18n="page.b">Scores</b>: each digit 0&ndash;9 gets
         a  score, its <i>logit</i>; e<sup>z</sup> &gt; 0.</p>
      <input data-i18n-attr="aria-label:page.c; title:page.d" aria-label="Shift c" title=" x
        y ">
      <p data-i18n="page.b">Scores</p>
    </body></html>"""
    assert page_texts(html) == {
        "page.b": "Scores",
        "page.a": "{0}: each digit 0–9 gets a score, its {1}; e{2} > 0.",
        "page.c": "Shift c",
        "page.d": "x y",
    }


@pytest.mark.parametrize(
    "html, why",
    [
        ('<html><p data-i18n="page.a">One</p><p data-i18n="page.a">Two</p></html>', "two"),
        ('<html><p data-i18n="">One</p></html>', "empty"),
        ('<html><input data-i18n="page.a"></html>', "no text"),
        ('<html><ul><li data-i18n="page.a">One<li>Two</ul></html>', "end tag"),
        ('<html><p data-i18n-attr="page.a">One</p></html>', "bad data-i18n-attr"),
    ],
)
def test_marks_that_cannot_be_read_are_refused(html, why):
    with pytest.raises(PageTextError, match=why):
        page_texts(html)


def test_english_catalogue_holds_exactly_the_pages_english_texts():
    marked = page_texts((ROOT / "index.html").read_text("utf-8"))
    english = catalogue("en")
    assert {key: english.get(key) for key in marked} == marked


@pytest.mark.parametrize("lang", ["es", "de"])
def test_every_marked_text_is_translated(lang):
    marked = page_texts((ROOT / "index.html").read_text("utf-8"))
    texts = catalogue(lang)
    missing = sorted(key for key in marked if not texts.get(key, "").strip())
    assert missing == []
