"""The code panel's Python in the learner's language: the checks' names, counter-examples,
hints, tracebacks and the lab's notes come from the catalogue shown (py/lab/catalogue.py), and
the learner's code cannot change them."""

import json
import re
from pathlib import Path

import catalogue
import learner_checks as lc

ROOT = Path(__file__).resolve().parent.parent
STARTER = (ROOT / "py" / "learner_code" / "exercise" / "starter.py").read_text()
SOLUTION = (ROOT / "py" / "learner_code" / "exercise" / "solution.py").read_text()
CONTROLS = {"shift": 0.0, "scale": 1.0, "label": 3, "zero_logits": False}
Z = [1.5, -2.0, 0.25, 3.0, 0.0, -1.0, 2.0, 0.5, -0.5, 1.0]
SUMS_TO_09 = "import numpy as np\ndef softmax(z):\n    return np.full(np.shape(z), 0.09)\n"


def checks(code: str) -> dict[str, dict]:
    return {c["id"]: c for c in lc.run_checks(code)["checks"]}


def test_the_starters_results_read_in_german():
    catalogue.use_file("de")
    result = checks(STARTER)
    assert result["large"]["title"] == "Große Logits (±1000) ergeben endliche, richtige Ergebnisse"
    large = result["large"]["detail"]
    assert large.startswith("softmax([1000, 0, 0, 0, 0, 0, 0, 0, 0, 0]) gab [nan")
    assert "; erwartet war [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]" in large
    assert large.endswith(
        ". e^1000 läuft in float64 zu inf über, und inf / inf ist nan. Die Verschiebungsinvarianz "
        "hilft: softmax(z) = softmax(z − max z), deren größter Exponentialwert e^0 = 1 ist."
    )
    assert result["gradient"]["detail"] == (
        "noch nicht geschrieben: cross_entropy_grad löst NotImplementedError aus"
    )
    assert checks(SOLUTION)["shift"]["detail"] == "bestanden"


def test_a_number_in_a_sentence_has_the_decimal_comma_an_array_keeps_pythons_point():
    catalogue.use_file("de")
    detail = checks(SUMS_TO_09)["distribution"]["detail"]
    assert detail == (
        "softmax([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5]) gab "
        "[0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09] zurück: "
        "Wahrscheinlichkeiten mit der Summe 0,9 statt 1"
    )
    catalogue.use_file("es")
    assert checks(SUMS_TO_09)["distribution"]["detail"].endswith(
        ": probabilidades que suman 0,9, no 1"
    )
    catalogue.use_file("en")
    assert checks(SUMS_TO_09)["distribution"]["detail"].endswith(
        ": probabilities summing to 0.9, not 1"
    )


def test_the_learners_traceback_is_headed_in_german():
    catalogue.use_file("de")
    code = "def softmax(z):\n    return 1 / 0\n"
    result = lc.run_checks(code)
    assert result["error"].splitlines()[:3] == [
        "Traceback (dein Code):",
        "  Zeile 2, in softmax",
        "    return 1 / 0",
    ]
    first = result["checks"][0]["detail"]
    assert first.endswith(") löste ZeroDivisionError: division by zero aus")


def test_the_labs_notes_in_spanish():
    catalogue.use_file("es")
    lc.use_code(STARTER)
    answer = json.loads(lc.lab_json(json.dumps(Z), json.dumps(CONTROLS)))
    assert answer["source"] == "mine"
    assert answer["notes"]["softmax"] == "tu softmax"
    assert answer["notes"]["gradient"] == "tu p menos y (cross_entropy_grad: aún sin escribir)"
    assert answer["notes"]["loss"] == "−log p_y de tu p"


def test_set_language_gives_the_sandbox_the_pages_catalogue():
    """What sandbox-worker.js calls first, with the catalogue the page fetched."""
    german = (ROOT / "assets" / "i18n" / "de.json").read_text(encoding="utf-8")
    lc.set_language("de", german)
    assert catalogue.lang() == "de"
    assert (
        checks(SOLUTION)["batch"]["title"]
        == "Ein Stapel (N, K) wird entlang der letzten Achse berechnet"
    )


def test_learner_code_cannot_change_the_checks_language_or_texts():
    """Code that swaps the catalogue, empties it or replaces catalogue.t, at its top level and
    inside softmax: the checks still speak German, and so does the catalogue afterwards."""
    catalogue.use_file("de")
    code = (
        "import numpy as np\n"
        "import catalogue\n"
        "catalogue.use('en', {'code.title.large': 'hacked'})\n"
        "def softmax(z):\n"
        "    catalogue._texts['code.hint.overflow'] = 'hacked'\n"
        "    catalogue.t = lambda key, **values: 'hacked'\n"
        "    catalogue.decimal = lambda text: 'hacked'\n"
        "    e = np.exp(z)\n"
        "    return e / e.sum(axis=-1, keepdims=True)\n"
    )
    result = checks(code)
    assert result["large"]["title"] == "Große Logits (±1000) ergeben endliche, richtige Ergebnisse"
    assert "Die Verschiebungsinvarianz hilft" in result["large"]["detail"]
    assert result["shift"]["detail"] == "bestanden"
    assert not any("hacked" in c["title"] + c["detail"] for c in result.values())
    assert catalogue.lang() == "de"
    assert catalogue.t("code.title.large").startswith("Große Logits")
    assert catalogue.decimal("0.5") == "0,5"
    lc.use_code(code)
    answer = json.loads(lc.lab_json(json.dumps(Z), json.dumps(CONTROLS)))
    assert answer["notes"]["softmax"] == "deine softmax"


DOCSTRING = re.compile(r'^( *)"""(.*?)"""', re.M | re.S)


def docstrings(text: str) -> list[str]:
    """Each docstring's body with its indentation removed (as code-panel.js puts it back)."""
    bodies = []
    for match in DOCSTRING.finditer(text):
        lines = match[2].split("\n")
        bodies.append("\n".join(x.removeprefix(match[1]) if i else x for i, x in enumerate(lines)))
    return bodies


def test_the_exercise_docstrings_in_english_are_the_files_own():
    """code-panel.js shows starter.py and solution.py with the n-th docstring replaced by
    code.<file>.<n> of the language shown: English must be exactly the files' docstrings."""
    english = json.loads((ROOT / "assets" / "i18n" / "en.json").read_text(encoding="utf-8"))
    for name, text in (("starter", STARTER), ("solution", SOLUTION)):
        found = docstrings(text)
        assert found == [english[f"code.{name}.{n + 1}"] for n in range(len(found))]
        assert f"code.{name}.{len(found) + 1}" not in english
