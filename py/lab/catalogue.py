"""The page's words in the language shown: one catalogue per language, assets/i18n/<lang>.json,
the same file the page's JavaScript reads (assets/js/i18n.js). Flat keys to texts with {name}
placeholders.

In the browser the worker receives the catalogue of the language shown (worker.set_language)
before any other call; under CPython (tests, scripts) English is read from the repository on
first use. No other module holds a text the learner sees.
"""

from __future__ import annotations

import json
from pathlib import Path

I18N = Path(__file__).resolve().parents[2] / "assets" / "i18n"

_texts: dict[str, str] = {}
_lang = ""


def use(lang: str, texts: dict[str, str]) -> None:
    """Show the page in `lang` from now on, with its catalogue's texts."""
    global _lang, _texts
    _lang, _texts = lang, dict(texts)


def use_file(lang: str, folder: Path = I18N) -> None:
    """Read `lang`'s catalogue from disk (CPython: tests, scripts)."""
    use(lang, json.loads((folder / f"{lang}.json").read_text(encoding="utf-8")))


def _catalogue() -> dict[str, str]:
    if not _lang:
        use_file("en")
    return _texts


def lang() -> str:
    """The language shown ("en", "es", "de")."""
    _catalogue()
    return _lang


def t(key: str, **values: object) -> str:
    """The text for key, its {name} placeholders filled from values. A key the catalogue lacks
    raises KeyError: tests/test_i18n.py keeps every catalogue complete."""
    return _catalogue()[key].format(**values)


def decimal(text: str) -> str:
    """A number as a person reads it in this language ("99,9" in German): the first "." of
    `text` becomes the language's decimal separator. Never for data-value attributes."""
    return text.replace(".", _catalogue().get("number.decimal", "."), 1)
