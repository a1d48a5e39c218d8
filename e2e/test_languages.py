"""The page in another language (?lang=, the picker #lang): one page load and one reload."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from conftest import READY_TIMEOUT_MS, THREE, draw, goto_ready, values


def open_in(page, base_url: str, lang: str) -> None:
    """Open ?lang=`lang`: start-up fetches that catalogue alone, and the page says it is shown."""
    catalogues = []
    page.on("request", lambda r: "/assets/i18n/" in r.url and catalogues.append(r.url))
    goto_ready(page, f"{base_url}?lang={lang}")
    assert [url.rsplit("/", 1)[1] for url in catalogues] == [f"{lang}.json"]
    assert page.get_attribute("html", "lang") == lang
    assert page.input_value("#lang") == lang


def test_german_from_the_link_and_a_switch_to_spanish_keeps_the_drawing(page, base_url):
    open_in(page, base_url, "de")
    assert page.text_content("label[for=lang]") == "Sprache"
    assert page.text_content("#plain-start li b") == "Punktzahlen"
    assert " ".join(page.text_content("#plain-start li").split()) == (
        "Punktzahlen: Das Netz gibt jeder Ziffer 0–9 eine Punktzahl, ihren logit."
    )
    assert page.text_content(".pad-card h3") == "1. Zeichne eine Ziffer"
    assert page.get_attribute("meta[name=description]", "content").startswith("Zeichne")
    assert page.title().startswith("Softmax Digits: wie")

    draw(page, THREE)
    drawn = values(page, "data-prob")
    assert None not in drawn
    page.select_option("#lang", "es")
    page.wait_for_url(lambda url: "lang=es" in url, timeout=30_000)
    page.wait_for_selector("html[data-py-state=ready]", timeout=READY_TIMEOUT_MS)
    page.wait_for_selector("#presets[data-state=ready]", timeout=30_000)
    page.wait_for_function("document.documentElement.dataset.idle === 'true'")
    assert page.get_attribute("html", "lang") == "es"
    assert page.input_value("#lang") == "es"
    assert page.text_content(".pad-card h3") == "1. Dibuja un dígito"
    # The drawing came along in the address, and reads as the same numbers.
    assert "ink" in parse_qs(urlsplit(page.url).query)
    assert values(page, "data-prob") == drawn
    assert page.is_hidden("#link-note")
    assert page.evaluate("localStorage.getItem('softmax-digits-lang')") == "es"


def test_the_english_page_fetches_no_other_catalogue(page, base_url):
    """Start-up pays only for the language shown."""
    open_in(page, base_url, "en")
    assert page.text_content(".pad-card h3") == "1. Draw a digit"


def test_a_missing_catalogue_is_said_and_the_page_works_in_english(
    page, base_url, hide_files, problems
):
    """With de.json gone (404), ?lang=de gives the English page, #lang-note says which file and
    why, and the lab still scores a drawing."""
    hide_files({"assets/i18n/de.json"})
    problems.expected = ("404",)  # Chromium logs the failed fetch itself
    goto_ready(page, base_url + "?lang=de")
    assert page.get_attribute("html", "lang") == "en"
    assert page.text_content(".pad-card h3") == "1. Draw a digit"
    note = page.inner_text("#lang-note")
    assert "Deutsch" in note and "de.json" in note and "404" in note
    draw(page, THREE)
    assert None not in values(page, "data-prob")
