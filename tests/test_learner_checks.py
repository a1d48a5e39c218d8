"""The code panel's Python: the learner's code run, checked against the lesson, used by the lab."""

import json
from pathlib import Path

import numpy as np
import pytest

import lab
import learner_checks as lc
from softmax import softmax

EXERCISE = Path(__file__).resolve().parent.parent / "py" / "learner_code" / "exercise"
STARTER = (EXERCISE / "starter.py").read_text()
SOLUTION = (EXERCISE / "solution.py").read_text()
CONTROLS = {"shift": 0.0, "scale": 1.0, "label": 3, "zero_logits": False}
Z = [1.5, -2.0, 0.25, 3.0, 0.0, -1.0, 2.0, 0.5, -0.5, 1.0]


def outcome(code: str) -> dict[str, bool]:
    return {c["id"]: c["passed"] for c in lc.run_checks(code)["checks"]}


def detail(code: str, check_id: str) -> str:
    return next(c["detail"] for c in lc.run_checks(code)["checks"] if c["id"] == check_id)


def test_starter_softmax_fails_exactly_the_large_logits_check_with_nan():
    """The naive e^z / Σe^z passes every softmax claim but large logits, shown as nan."""
    result = outcome(STARTER)
    softmax_checks = {k: v for k, v in result.items() if k != "gradient"}
    assert [k for k, ok in softmax_checks.items() if not ok] == ["large"]
    text = detail(STARTER, "large")
    assert "softmax([1000, 0, 0, 0, 0, 0, 0, 0, 0, 0]) returned [nan" in text
    assert "overflow" in text


def test_starter_gradient_is_reported_as_not_written_yet():
    """The gradient stub raises NotImplementedError: its check says so, without a traceback."""
    check = lc.run_checks(STARTER)["checks"][-1]
    assert check["id"] == "gradient" and not check["passed"]
    assert "not written yet" in check["detail"] and check["traceback"] == ""


def test_solution_passes_every_check():
    """The max-subtracted softmax and p - y pass all seven checks."""
    result = lc.run_checks(SOLUTION)
    assert result["passed"] == len(lc.CHECKS) == 7
    assert result["error"] == ""


def test_checks_list_the_lessons_claims_in_order():
    """One check per claim, with stable ids the page renders as data-check."""
    ids = [c["id"] for c in lc.run_checks(SOLUTION)["checks"]]
    assert ids == ["distribution", "shift", "scale", "uniform", "large", "batch", "gradient"]


def test_a_sum_over_the_whole_batch_fails_only_the_batch_check():
    """e / e.sum() without axis: rows of a batch do not sum to 1, and the row is shown."""
    code = "import numpy as np\ndef softmax(z):\n    e = np.exp(z)\n    return e / e.sum()\n"
    result = outcome(code)
    assert not result["batch"] and result["distribution"] and result["shift"]
    assert "row 0 of softmax(Z)" in detail(code, "batch") and "axis=-1" in detail(code, "batch")


def test_returning_the_logits_fails_with_a_counter_example():
    """softmax(z) = z breaks non-negativity; the message shows the vector it returned."""
    code = "def softmax(z):\n    return z\n"
    assert "a negative probability p[0] = -2" in detail(code, "distribution")
    assert not outcome(code)["uniform"]


def test_a_fixed_k_of_ten_fails_the_uniform_check_at_k_3():
    """1/10 hard-coded is wrong for three classes: the counter-example has three zeros."""
    code = "import numpy as np\ndef softmax(z):\n    return np.full(np.shape(z), 0.1)\n"
    text = detail(code, "uniform")
    assert text.startswith("softmax([0, 0, 0]) returned [0.1, 0.1, 0.1]; expected 1/3 each")


def test_a_wrong_gradient_is_compared_with_finite_differences():
    """p alone (no - y) differs from the finite differences of the cross-entropy."""
    code = SOLUTION.replace("return p - y", "return p")
    assert outcome(code) == {**outcome(SOLUTION), "gradient": False}
    assert "finite differences give" in detail(code, "gradient")


def test_syntax_error_shows_the_learners_line_and_no_page_file():
    """A syntax error names the line of the learner's code; every check says the code did not
    run."""
    result = lc.run_checks("import numpy as np\n\ndef softmax(z)\n    return z\n")
    assert not result["ran"]
    assert "line 3" in result["error"] and "SyntaxError" in result["error"]
    assert "learner_checks" not in result["error"] and ".py" not in result["error"]
    assert all(not c["passed"] for c in result["checks"])


def test_an_exception_shows_only_the_learners_frames():
    """A ZeroDivisionError inside their helper: their two frames, their line numbers."""
    code = "def helper(z):\n    return 1 / 0\n\ndef softmax(z):\n    return helper(z)\n"
    result = lc.run_checks(code)
    tb = result["error"]
    assert "line 5, in softmax" in tb and "line 2, in helper" in tb
    assert "return 1 / 0" in tb and tb.endswith("ZeroDivisionError: division by zero")
    assert "learner_checks" not in tb and "File" not in tb
    check = result["checks"][0]
    assert "raised ZeroDivisionError" in check["detail"]


def test_runaway_recursion_keeps_a_short_traceback():
    """RecursionError: the first and last calls, not a thousand lines."""
    tb = lc.run_checks("def softmax(z):\n    return softmax(z)\n")["error"]
    assert "more calls in your code" in tb and tb.count("\n") < 20
    assert "RecursionError" in tb


def test_code_that_exits_or_fails_on_import_is_reported():
    """sys.exit() and a bad import in the learner's code are errors on the page, not crashes."""
    assert "SystemExit" in lc.run_checks("import sys\nsys.exit(3)\n")["error"]
    error = lc.run_checks("import not_a_module\n")["error"]
    assert "line 1" in error and "ModuleNotFoundError" in error


def test_a_huge_allocation_is_an_ordinary_error():
    """np.ones of 80 GB raises MemoryError in the learner's code, reported with its line."""
    code = "import numpy as np\ndef softmax(z):\n    b = np.ones((100000, 100000))\n    return z\n"
    result = lc.run_checks(code)
    assert "line 3, in softmax" in result["error"] and "MemoryError" in result["error"]


def test_learner_code_changing_its_input_does_not_corrupt_the_checks():
    """z -= z.max() in place: each call gets a copy, so the checks see their own vectors."""
    code = SOLUTION.replace(
        "    z = np.asarray(z, dtype=float)\n", "    z = np.asarray(z, dtype=float)\n    z -= 1\n"
    )
    before = [c.copy() for c in lc.CASES]
    assert lc.run_checks(code)["passed"] == 7
    assert all(np.array_equal(a, b) for a, b in zip(before, lc.CASES, strict=True))


def test_print_output_is_kept_and_capped():
    """print() in the learner's code is returned to the page, at most STDOUT_LIMIT characters."""
    result = lc.run_checks("print('hello')\n" + SOLUTION)
    assert result["stdout"] == "hello\n"
    flood = lc.run_checks("for i in range(10000):\n    print('x' * 80)\n")
    assert len(flood["stdout"]) == lc.STDOUT_LIMIT


def test_the_lab_with_a_correct_softmax_equals_the_builtin_view():
    """A correct softmax and gradient give the built-in lab view, probabilities bit for bit."""
    lc.use_code(SOLUTION)
    result = json.loads(lc.lab_json(json.dumps(Z), json.dumps(CONTROLS)))
    assert result["source"] == "mine"
    builtin = lab.lab_view(np.array(Z), lab.Controls(**CONTROLS))
    assert result["lab"]["probs"] == builtin["probs"]
    assert result["lab"]["cross_entropy"]["grad"] == pytest.approx(
        builtin["cross_entropy"]["grad"], abs=1e-15
    )
    assert result["notes"]["gradient"] == "your cross_entropy_grad"


def test_the_lab_falls_back_when_the_softmax_returns_nonsense():
    """softmax = z is not a distribution: source builtin, and the reason names the values."""
    lc.use_code("def softmax(z):\n    return z\n")
    result = lc.learner_lab(lc.current(), Z, CONTROLS)
    assert result["source"] == "builtin"
    assert result["problem"].startswith("your softmax returned [1.5, -2, 0.25")
    assert "lab" not in result


def test_the_lab_falls_back_on_nan_for_large_shifts_only():
    """The naive softmax is used at c = 0 and refused at c = 1000 (nan): the lesson, live."""
    lc.use_code(STARTER)
    assert lc.learner_lab(lc.current(), Z, CONTROLS)["source"] == "mine"
    shifted = lc.learner_lab(lc.current(), Z, {**CONTROLS, "shift": 1000.0})
    assert shifted["source"] == "builtin" and "nan" in shifted["problem"]


def test_the_lab_uses_their_p_minus_y_until_the_learner_writes_a_gradient():
    """The stub's NotImplementedError: probabilities are theirs, p - y from their p, said so."""
    lc.use_code(STARTER)
    result = lc.learner_lab(lc.current(), Z, CONTROLS)
    assert result["source"] == "mine"
    assert result["notes"]["gradient"] == "your p minus y (cross_entropy_grad: not written yet)"
    assert result["lab"]["cross_entropy"]["grad"] == pytest.approx(
        list(softmax(Z) - np.eye(10)[3]), abs=1e-15
    )


def test_the_lab_reports_a_raising_softmax_with_its_traceback():
    """An exception in their softmax: builtin source, their traceback, the call that raised."""
    lc.use_code("def softmax(z):\n    raise ValueError('no')\n")
    result = lc.learner_lab(lc.current(), Z, CONTROLS)
    assert result["source"] == "builtin" and "raised ValueError: no" in result["problem"]
    assert "line 2, in softmax" in result["traceback"]


def test_the_lab_ignores_control_fields_it_does_not_know():
    """A newer page may send more controls: the learner's lab still computes."""
    lc.use_code(SOLUTION)
    result = lc.learner_lab(lc.current(), Z, {**CONTROLS, "calibration": True})
    assert result["source"] == "mine"


def test_use_code_says_what_the_code_defines():
    """use_code reports a failed run and which functions exist."""
    assert lc.use_code(SOLUTION) == {
        "ran": True,
        "error": "",
        "has_softmax": True,
        "has_grad": True,
        "stdout": "",
        "changed": [],
    }
    failed = lc.use_code("1/0\n")
    assert not failed["ran"] and "ZeroDivisionError" in failed["error"]
    assert lc.learner_lab(lc.current(), Z, CONTROLS)["source"] == "builtin"


# --- Each run from the same state ---------------------------------------------------------------

PATCH_EXP = "import numpy as np\nnp.exp = lambda x: np.ones_like(np.asarray(x, dtype=float))\n"
UNIFORM = (
    "import numpy as np\n\ndef softmax(z):\n    z = np.asarray(z, dtype=float)\n"
    "    return np.full(z.shape, 1 / z.shape[-1])\n"
)
UNIFORM_PASSES = {"distribution", "shift", "uniform", "batch"}  # true of any uniform output


def passing(code: str) -> set[str]:
    return {k for k, ok in outcome(code).items() if ok}


def test_numpy_patched_and_seterr_in_one_run_change_nothing_in_the_next():
    """np.exp replaced and np.seterr(all="raise") in one run: the next run's solution passes
    all seven checks, a uniform "softmax" only what any uniform output passes, and numpy is
    the original again."""
    exp = np.exp
    lc.run_checks(PATCH_EXP + "np.seterr(all='raise')\n")
    assert np.exp is exp and np.geterr()["over"] == "warn"
    assert lc.run_checks(SOLUTION)["passed"] == 7
    lc.run_checks(PATCH_EXP + "np.seterr(all='raise')\n")
    assert passing(UNIFORM) == UNIFORM_PASSES


def test_the_learners_changes_hold_for_their_own_code_during_their_run():
    """Their np.exp replacement is what their softmax calls in the same run (the naive
    softmax then gives 1/K: scale fails); their seterr makes their own overflow raise. The run
    names both changes."""
    result = lc.run_checks(PATCH_EXP + STARTER)
    assert result["changed"] == ["numpy.exp"]
    assert {c["id"] for c in result["checks"] if c["passed"]} == UNIFORM_PASSES
    strict = lc.run_checks("import numpy as np\nnp.seterr(all='raise')\n" + STARTER)
    assert "raised FloatingPointError" in detail_of(strict, "large")
    assert strict["changed"] == ["numpy's error state (np.seterr)"]
    assert lc.run_checks(STARTER)["changed"] == []


def detail_of(result: dict, check_id: str) -> str:
    return next(c["detail"] for c in result["checks"] if c["id"] == check_id)


def test_changes_made_inside_the_learners_functions_are_undone_before_the_checks_look():
    """A softmax that replaces np.allclose, np.isfinite and builtins.abs on every call still
    fails the checks a uniform output fails; afterwards all three are the originals."""
    cheat = UNIFORM.replace(
        "def softmax(z):\n",
        "import builtins\n\ndef softmax(z):\n"
        "    np.allclose = lambda *a, **k: True\n"
        "    np.isfinite = lambda a: np.ones(np.shape(a), bool)\n"
        "    builtins.abs = lambda x: 0\n",
    )
    originals = (np.allclose, np.isfinite, abs)
    assert passing(cheat) == UNIFORM_PASSES
    assert (np.allclose, np.isfinite, abs) == originals


def test_writes_into_module_dicts_and_sys_modules_are_undone_too():
    """Straight into numpy's __dict__, into this module's tolerance, into sys.modules: the
    next run imports the real numpy and the uniform output still fails."""
    code = (
        "import sys, numpy as np, learner_checks\n"
        "vars(np)['exp'] = np.sin\n"
        "learner_checks.ATOL = 10.0\n"
        "sys.modules['numpy'] = None\n"
    )
    changed = lc.run_checks(code + UNIFORM.replace("import numpy as np\n", ""))["changed"]
    assert changed == ["learner_checks.ATOL", "numpy.exp", "sys.modules['numpy']"]
    assert passing(UNIFORM) == UNIFORM_PASSES and lc.ATOL == 1e-9
    assert lc.run_checks(SOLUTION)["passed"] == 7


def test_each_run_starts_with_the_same_random_state():
    """np.random.seed in one run does not decide the numbers the next run draws."""
    draw = "import numpy as np\nprint(np.random.rand())\n"
    first = lc.run_checks(draw)["stdout"]
    lc.run_checks("import numpy as np\nnp.random.seed(5)\n")
    assert lc.run_checks(draw)["stdout"] == first
    assert lc.run_checks(draw)["stdout"] == first


def test_the_checks_constants_and_references_cannot_be_changed_in_place():
    """The logit vectors and the reference values are read-only for good."""
    code = "import learner_checks as lc\nlc.LARGE[0][0] = 0.0\n"
    assert "read-only" in lc.run_checks(code)["error"]
    for array in (*lc.CASES, *lc.LARGE, *lc.REFERENCE_LARGE, *lc.REFERENCE_GRADS):
        with pytest.raises(ValueError):
            array.flags.writeable = True
