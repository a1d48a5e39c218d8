"""Every catalogue key the page's JavaScript and Python name exists in every catalogue.

A key missing from a catalogue shows the learner the key itself (i18n.js's t() falls back to
it), so this reads assets/js/*.js as text: each t("<key>") call, and each string literal that
names a key of a catalogue section (keys kept in tables, e.g. {empty: "js.lab.no_ink"}), must be
a key of en.json, es.json and de.json.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "assets" / "js"
LANGS = ("en", "es", "de")
T_CALL = re.compile(r"""\bt\(\s*(["'])([^"'\n]+)\1""")
LITERAL = re.compile(r"""(["'])([a-z][\w.]*)\1""")
FILE_ENDINGS = (".js", ".json", ".py", ".html", ".css", ".npz", ".wasm", ".txt")


def catalogue(lang: str) -> dict[str, str]:
    return json.loads((ROOT / "assets" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))


def sections() -> tuple[str, ...]:
    """The catalogue's section prefixes ("js.", "quiz.", ...): its heading keys."""
    return tuple(key for key in catalogue("en") if key.endswith(".") and key != "end.")


def keys_named_in_js() -> dict[str, set[str]]:
    """{key: {file names}} for every key the JavaScript names."""
    prefixes = sections()
    named: dict[str, set[str]] = {}
    for path in sorted(JS.glob("*.js")):
        text = path.read_text(encoding="utf-8")
        keys = {m.group(2) for m in T_CALL.finditer(text)}
        keys |= {
            m.group(2)
            for m in LITERAL.finditer(text)
            if m.group(2).startswith(prefixes)
            and not m.group(2).endswith(".")
            and not m.group(2).endswith(FILE_ENDINGS)
        }
        for key in keys:
            named.setdefault(key, set()).add(path.name)
    return named


def test_the_javascript_names_keys_at_all():
    # The scan finds this slice's own keys: a broken pattern cannot pass by finding nothing.
    named = keys_named_in_js()
    assert "js.lab.say_guess" in named and "js.engine.ready" in named


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_named_in_javascript_is_in_the_catalogue(lang):
    texts = catalogue(lang)
    missing = {key: sorted(files) for key, files in keys_named_in_js().items() if key not in texts}
    assert missing == {}, f"{lang}.json lacks keys used in assets/js: {missing}"


# A literal key passed to t(...) in py/: catalogue.t("lab.x", ...), t("quiz.y"), ...
PY_KEY_CALL = re.compile(r"""\bt\(\s*["']([\w.-]+)["']""")


def keys_used_in_py() -> dict[str, str]:
    """Every literal key a py/ module passes to t(), with one file that uses it."""
    used = {}
    for path in (ROOT / "py").rglob("*.py"):
        for key in PY_KEY_CALL.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(ROOT)))
    return used


def test_python_uses_some_keys():
    """The static check below finds the calls (a broken pattern would pass vacuously)."""
    used = keys_used_in_py()
    assert "lab.prob.exact_zero" in used and "lab.number.rule" in used


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_python_asks_for_is_in_the_catalogue(lang):
    texts = catalogue(lang)
    missing = {key: where for key, where in keys_used_in_py().items() if key not in texts}
    assert missing == {}, f"{lang}.json lacks keys py/ uses: {missing}"
