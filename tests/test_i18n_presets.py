"""The examples' titles and prompts in the catalogues (presets.<name>.title / .prompt).

assets/presets.json holds the English; the page (assets/js/presets-view.js) shows the
catalogue's text for the language shown. So every shipped example needs both keys in every
catalogue, and English must stay exactly what presets.json says (one source, no drift).
"""

import json
import re
from pathlib import Path

import pytest

import presets

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "es", "de")
FIELDS = ("title", "prompt")
DECIMAL_POINT = re.compile(r"\d\.\d")


def texts(lang: str) -> dict[str, str]:
    return json.loads((ROOT / "assets" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def shipped() -> list[dict]:
    """The presets as the page gets them (py/lab/presets.py's checks, texts trimmed)."""
    loaded = presets.load_presets((ROOT / "assets" / "presets.json").read_text(encoding="utf-8"))
    assert loaded["errors"] == [] and loaded["presets"]
    return loaded["presets"]


def preset_keys(lang: str) -> set[str]:
    return {key for key in texts(lang) if key.startswith("presets.") and key != "presets."}


@pytest.mark.parametrize("lang", LANGS)
def test_every_example_has_a_title_and_a_prompt_and_no_other_key(lang):
    wanted = {f"presets.{p['name']}.{field}" for p in shipped() for field in FIELDS}
    assert preset_keys(lang) == wanted  # none missing, none left over from a removed example


def test_english_is_exactly_presets_json():
    english = texts("en")
    for preset in shipped():
        for field in FIELDS:
            assert english[f"presets.{preset['name']}.{field}"] == preset[field], preset["name"]


@pytest.mark.parametrize("lang", LANGS[1:])
def test_spanish_and_german_are_translated_with_decimal_commas(lang):
    english, other = texts("en"), texts(lang)
    for key in preset_keys(lang):
        if key.endswith(".prompt"):
            assert other[key] != english[key], key
        assert not DECIMAL_POINT.search(other[key]), other[key]
    # The α prompt asks for a value below 1: written the language's way.
    assert "0,1" in other["presets.mnist-4.prompt"]
