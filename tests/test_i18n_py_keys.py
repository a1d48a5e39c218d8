"""Python's texts in every language: a few key texts and numbers read as written in German and
Spanish (py/lab/catalogue.py). tests/test_i18n_keys.py checks every key py/ asks for exists."""

import numpy as np
import pytest

import catalogue
import lab
import number_rule
import presets
from learn_panel import taught_status
from prob_text import Shown


def clear_digit_texts() -> list[str]:
    return Shown.from_logits(np.array([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 30])).texts()


def test_probability_texts_take_the_decimal_comma_in_german_and_spanish():
    english = clear_digit_texts()
    assert english[0] == "9.4e-12 %" and english[9] == "100 % − 4.4e-8 %"
    for lang in ("de", "es"):
        catalogue.use_file(lang)
        shown = clear_digit_texts()
        assert shown[0] == "9,4e-12 %" and shown[9] == "100 % − 4,4e-8 %"
        assert Shown.from_logits(np.zeros(10)).texts() == ["10,0 %"] * 10
        assert Shown.from_logits(np.zeros(10)).strip_texts() == ["10,0"] * 10


def test_underflow_and_a_learners_exact_zero_in_german():
    catalogue.use_file("de")
    z = 100 * np.array([0.0, 1, 2, 3, 4, 5, 6, 7, 8, 30])
    assert Shown.from_logits(z).text(0) == "0 (Unterlauf: log₁₀ p = -1302,9)"
    learner = Shown.from_learner(np.array([0.0] * 9 + [1.0]))
    assert learner.text(0) == "genau 0 aus deiner Softmax"
    catalogue.use_file("es")
    assert learner.text(0) == "exactamente 0 según tu softmax"


@pytest.mark.parametrize("lang", ["de", "es"])
@pytest.mark.parametrize(("text", "value"), [("0,5", 0.5), ("0.5", 0.5), ("-2,25", -2.25)])
def test_german_and_spanish_fields_take_the_comma_and_the_point(lang, text, value):
    catalogue.use_file(lang)
    assert lab.parse_scale(text.lstrip("-")) == (abs(value), None)
    assert lab.parse_shift(text) == (value, None)


def test_the_german_message_states_the_rule_in_german():
    catalogue.use_file("de")
    value, error = lab.parse_shift("abc")
    assert value is None
    assert error == (
        "Verschiebung: Gib eine Zahl wie 0,5 oder 0.5, -1 oder 1e-2, mit Dezimalkomma oder -punkt "
        "und ohne Tausendertrennzeichen ein; eingegeben wurde „abc“."
    )


def test_a_thousands_separator_is_never_read():
    """The language's own decimal mark is always one; the other mark, followed by exactly three
    digits after a whole part of 1-3 digits, is refused as ambiguous, naming both readings."""
    assert lab.parse_shift("1.000") == (1.0, None)  # English: as before
    assert lab.parse_shift("2,5") == (2.5, None)  # a comma that cannot group
    assert lab.parse_shift("0,125") == (0.125, None)  # a group never starts with 0
    value, error = lab.parse_shift("1,000")
    assert value is None and "could mean 1000 or 1." in error
    catalogue.use_file("de")
    assert lab.parse_shift("1,000") == (1.0, None)
    value, error = lab.parse_shift("1.500")
    assert value is None and "könnte 1500 oder 1,5 bedeuten" in error


def test_english_messages_are_unchanged():
    """The English texts as they were before the catalogue, word for word."""
    assert lab.parse_shift("abc")[1] == (
        "Shift must be a plain decimal number such as 2.5, -1 or 1e-2 (got “abc”)."
    )
    assert lab.parse_scale("1e999")[1] == "Scale must be a finite number."
    assert lab.parse_scale("500")[1] == "Scale must lie between 0.01 and 100."
    assert lab.parse_shift("2000")[1] == "Shift must lie between -1000 and 1000."
    controls, _ = lab.apply_control_text(lab.Controls(), {"scale": "0.5"})
    _, errors = lab.apply_control_text(controls, {"scale": "x"})
    assert errors["scale"].endswith(" Still in force: α = 0.5.")
    chip = lab.pad_in_force(lab.Controls(scale=0.5), 1, True, True)
    assert chip["text"] == (
        "In force: α = 0.5 · your softmax · the nudged input, not your drawing · "
        "taught weights (1 example)"
    )
    assert taught_status(3, 1, 2) == (
        "Taught this drawing as a 3 (1 step). The same drawing, taught 2 times: each press "
        "counts as one more example; a new drawing teaches the network more."
    )
    assert number_rule.rule() == "a plain decimal number such as 2.5, -1 or 1e-2"


def test_german_lab_texts_and_numbers():
    catalogue.use_file("de")
    controls, errors = lab.apply_control_text(lab.Controls(), {"scale": "0,5", "shift": "x"})
    assert controls.scale == 0.5
    assert errors["shift"].endswith(" Weiterhin gilt: c = 0.")
    assert lab.in_force(controls) == ["α = 0,5"]
    assert lab.parse_scale("500")[1] == "Die Skalierung muss zwischen 0,01 und 100 liegen."
    chip = lab.pad_in_force(controls, 2, False)
    assert chip["text"] == "Es gilt: α = 0,5 · beigebrachte Gewichte (2 Beispiele)"
    assert taught_status(7, 3, 1) == "Diese Zeichnung wurde als 7 beigebracht (3 Schritte)."


def test_link_notes_and_examples_in_spanish():
    catalogue.use_file("es")
    read = presets.read_link("?alpha=0,5&sample=nothing&foo=1", ["dot"])
    assert read["controls"] == {"scale": "0.5"}  # the link's own text stays plain
    why = {item["param"]: item["why"] for item in read["ignored"]}
    assert why["sample"] == "ningún ejemplo se llama «nothing»."
    assert why["foo"].startswith("no es un parámetro de enlace (conocidos: sample,")
    loaded = presets.load_presets('{"presets": [{"name": "x"}]}')
    assert loaded["errors"] == [
        'Ejemplo 1 ("x"): indica exactamente uno de "strokes" y "pixels"; se omite.'
    ]
