"""The quiz in Spanish and German: the shipped question files of those languages, the engine's
words from the catalogue, numbers read and written with the decimal comma."""

from __future__ import annotations

import pytest

import catalogue
import quiz_schema
import quiz_text
from drawings import MODEL, ROOT, bar
from lab_state import LabState
from quiz import Quiz
from quiz_flow import QuizFlow
from quiz_grade import parse_answer


def questions(name: str) -> list[quiz_schema.Question]:
    parsed, errors = quiz_schema.parse_questions((ROOT / name).read_text(encoding="utf-8"))
    assert errors == []
    return parsed


def at(game: Quiz, question_id: str) -> Quiz:
    game.current = [q.id for q in game.questions].index(question_id)
    return game


def test_german_numbers_with_a_decimal_comma_are_graded_and_answered_in_german():
    catalogue.use_file("de")
    game = at(Quiz(questions("questions.de.json"), seed=1), "softmax-by-hand")
    assert game.view()["progress"] == "Frage 2 von 10"
    assert game.check("0,844") is None
    view = game.view()
    assert view["status"] == "correct"
    assert view["feedback"] == (
        "Richtig! Die Antwort ist 0,844 (Antworten mit höchstens ±0,005 Abweichung zählen)."
    )
    assert view["explanation"].startswith("p₀ = e^3 / (e^3 + e^1 + e^0) = 20,086 /")
    assert view["next_label"] == "Weiter"


def test_a_german_answer_too_low_says_so_with_the_questions_own_advice():
    catalogue.use_file("de")
    game = at(Quiz(questions("questions.de.json"), seed=1), "loss-by-hand")
    assert game.check("0,5") is None
    assert game.view()["feedback"] == (
        "Nicht ganz: 0,5 ist zu niedrig. Die Seite misst den Verlust in nats, mit dem "
        "natürlichen Logarithmus ln: −log₁₀ 0,25 ≈ 0,602 verwendet die Basis 10. "
        "Versuch es noch einmal oder nutze den Hinweis."
    )
    game.retry()
    game.check("3")
    assert game.view()["feedback"].endswith(
        "Die Antwort: 1,386 nats (Antworten mit höchstens ±0,005 Abweichung zählen)."
    )


@pytest.mark.parametrize(
    ("lang", "typed", "message"),
    [
        (
            "de",
            "0,5x",
            "„0,5x“ ist keine Zahl: Gib eine Dezimalzahl wie 0,665 oder -2,5 ein "
            "(mit Komma oder Punkt).",
        ),
        (
            "es",
            "1,2,3",
            "«1,2,3» no es un número: escribe un número decimal como 0,665 o -2,5 "
            "(con coma o punto decimal).",
        ),
        ("de", "", "Gib zuerst eine Zahl ein."),
    ],
)
def test_a_refused_number_states_the_rule_in_the_learners_language(lang, typed, message):
    catalogue.use_file(lang)
    assert parse_answer(typed) == (None, message)


def test_spanish_accepts_the_decimal_comma_and_the_point_alike():
    catalogue.use_file("es")
    for typed in ("1,386", "1.386", " 1,39 "):
        game = at(Quiz(questions("questions.es.json"), seed=2), "loss-by-hand")
        assert game.check(typed) is None
        assert game.view()["feedback"].startswith("¡Correcto! La respuesta es 1,386 nats"), typed
    assert parse_answer("0,5") == (0.5, None)


def test_german_notices_summary_and_labels():
    catalogue.use_file("de")
    game = Quiz(questions("questions.de.json"), seed=3)
    assert game.check() == "Wähle zuerst eine Option."
    assert quiz_text.observe_label("scale", "0.5") == "α = 0,5"
    assert quiz_text.observe_label("cross-entropy", "7") == "wahre Ziffer 7"
    assert quiz_text.summary_text({"correct": 8, "total": 10, "first_try": 6}, 2, [1], [1]) == (
        "Du hast 8 von 10 Fragen richtig beantwortet (6 im ersten Versuch). Benutzte Hinweise: 2. "
        "Wiederhole die verfehlten Fragen, um sie zu üben."
    )
    fresh, notice = Quiz.restore("{broken", game.questions, seed=1)
    assert notice == "Der gespeicherte Quiz-Fortschritt war nicht lesbar und wurde zurückgesetzt."


def test_a_german_prediction_is_described_in_german_with_decimal_commas():
    catalogue.use_file("de")
    lab = LabState(str(MODEL))
    flow = QuizFlow(lab)
    text = (ROOT / "questions.de.json").read_text(encoding="utf-8")
    flow.start(text, "", None, 4, "questions.de.json")
    at(flow.quiz, "predict-sharpen")
    flow.action("select", flow.quiz.correct_display_index())
    assert flow.action("check")["observe"]["label"] == "α = 5"
    lab.set_controls({"scale": "5"})
    empty = flow.action("observed")["observation"]
    assert empty.startswith("Das Labor wendet jetzt α = 5 an. Zeichne eine Ziffer")
    flow.action("next")
    at(flow.quiz, "predict-negative-logits")
    lab.set_controls({"scale": "1"})
    lab.draw(bar())
    flow.action("select", flow.quiz.correct_display_index())
    flow.action("check")
    lab.set_controls({"shift": "-50"})
    observed = flow.action("observed")["observation"]
    assert observed.startswith("Was passiert ist: Das Labor wendet jetzt c = -50 auf die Logits ")
    assert "; Entropie " in observed and "Σ p = 1,000." in observed
    assert observed.endswith("„Regler zurücksetzen“ im Labor macht es rückgängig.")


def test_a_missing_language_file_is_named_in_the_learners_language():
    catalogue.use_file("de")
    flow = QuizFlow(LabState(str(MODEL)))
    state = flow.start(None, "HTTP 404", None, 1, "questions.de.json")
    assert state["errors"] == ["questions.de.json konnte nicht geladen werden: HTTP 404."]
    assert flow.quiz is None  # nothing started: the page then falls back to questions.json
