"""The catalogues (assets/i18n/<lang>.json): complete, and consistent with each other."""

import json
import re
from pathlib import Path

import pytest

import catalogue

I18N = Path(__file__).resolve().parent.parent / "assets" / "i18n"
LANGS = ("en", "es", "de")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def texts(lang: str) -> dict[str, str]:
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS[1:])
def test_every_language_has_exactly_englishs_keys(lang):
    assert set(texts(lang)) ^ set(texts("en")) == set()


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_is_empty_and_placeholders_match_english(lang):
    english = texts("en")
    for key, text in texts(lang).items():
        if key.endswith("."):  # a section's heading
            continue
        assert isinstance(text, str), key
        assert text.strip() or key == "end.", f"{lang}: {key} is empty"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), (
            f"{lang}: {key} has other placeholders than English"
        )


def test_python_reads_the_language_it_is_given():
    try:
        catalogue.use_file("de")
        assert catalogue.lang() == "de"
        assert catalogue.decimal("99.9") == "99,9"
        catalogue.use_file("en")
        assert catalogue.decimal("99.9") == "99.9"
    finally:
        catalogue.use_file("en")
