"""Calibration maths against plain-loop references, temperature fitting, and the held-out run."""

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import calibration
import heldout
from calibration_panel import CalibrationPanel
from digit_sets import load_digit_set
from lab_state import LabState
from learn_panel import LearnPanel
from network import load_network

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "assets" / "digits" / "mnist-test.npz"
MODEL = ROOT / "assets" / "model.npz"


# ------------------------------------------------------------------ plain-loop references


def ref_softmax_row(z, t=1.0):
    top = max(z)
    e = [math.exp((v - top) / t) for v in z]
    s = math.fsum(e)
    return [v / s for v in e]


def ref_log_softmax_row(z, t=1.0):
    top = max(v / t for v in z)
    lse = top + math.log(math.fsum(math.exp(v / t - top) for v in z))
    return [v / t - lse for v in z]


def ref_bins(confidence, correct, n_bins):
    """Bin b holds b/n <= c < (b+1)/n, the last also c = 1: [count, mean conf, accuracy]."""
    bins = [[0, [], []] for _ in range(n_bins)]
    for c, ok in zip(confidence, correct, strict=True):
        b = 0
        while b < n_bins - 1 and c >= (b + 1) / n_bins:
            b += 1
        bins[b][0] += 1
        bins[b][1].append(c)
        bins[b][2].append(1.0 if ok else 0.0)
    out = []
    for count, confs, oks in bins:
        if count:
            out.append((count, math.fsum(confs) / count, math.fsum(oks) / count))
        else:
            out.append((0, None, None))
    return out


def ref_ece(confidence, correct, n_bins):
    n = len(confidence)
    return math.fsum(
        count / n * abs(acc - conf)
        for count, conf, acc in ref_bins(confidence, correct, n_bins)
        if count
    )


def ref_nll(logits, labels, t=1.0):
    losses = [-ref_log_softmax_row(list(z), t)[y] for z, y in zip(logits, labels, strict=True)]
    return math.fsum(losses) / len(losses)


def ref_confidence_and_correct(logits, labels, t=1.0):
    conf, correct = [], []
    for z, y in zip(logits, labels, strict=True):
        p = ref_softmax_row(list(z), t)
        best = max(range(len(p)), key=lambda k: p[k])
        conf.append(p[best])
        correct.append(best == y)
    return conf, correct


def synthetic(n=400, sharpness=3.0, noise=0.35, seed=0):
    """Logits of a fake 10-class classifier: right about 1 - noise of the time."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    logits = rng.normal(0, 1, (n, 10))
    hit = rng.random(n) > noise
    logits[np.arange(n), np.where(hit, labels, rng.integers(0, 10, n))] += sharpness
    return logits, labels


# ------------------------------------------------------------------------------ the maths


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.2, 8), st.sampled_from([5, 10, 15]))
def test_reliability_bins_and_ece_equal_the_plain_loop(seed, t, n_bins):
    """Counts, mean confidence, accuracy per bin and the ECE match a loop, for any T and bins."""
    logits, labels = synthetic(200, seed=seed)
    conf, correct = calibration.confidence_and_correct(logits, labels, t)
    ref_conf, ref_correct = ref_confidence_and_correct(logits, labels, t)
    np.testing.assert_allclose(conf, ref_conf, rtol=1e-12)
    assert correct.tolist() == ref_correct
    bins = calibration.reliability(conf, correct, n_bins)
    for b, (count, mean_conf, acc) in enumerate(ref_bins(conf.tolist(), ref_correct, n_bins)):
        assert bins["count"][b] == count
        if count:
            assert bins["confidence"][b] == pytest.approx(mean_conf, rel=1e-12)
            assert bins["accuracy"][b] == pytest.approx(acc, rel=1e-12)
        else:
            assert math.isnan(bins["confidence"][b]) and math.isnan(bins["accuracy"][b])
    ece = calibration.expected_calibration_error(conf, correct, n_bins)
    assert ece == pytest.approx(ref_ece(conf.tolist(), ref_correct, n_bins), rel=1e-9, abs=1e-15)


def test_confidences_on_bin_edges_go_up_and_one_goes_in_the_last_bin():
    """0.3 is in bin [0.3, 0.4), 1.0 in the last bin: the same rule as the loop."""
    conf = np.array([0.3, 0.5, 0.999, 1.0, 0.1])
    ok = np.array([True, False, True, True, False])
    bins = calibration.reliability(conf, ok, 10)
    assert bins["count"].tolist() == [c for c, _, _ in ref_bins(conf.tolist(), ok.tolist(), 10)]
    assert bins["count"].tolist() == [0, 1, 0, 1, 0, 1, 0, 0, 0, 2]


def test_a_calibrated_toy_has_zero_ece():
    """3 of 4 right at 75 % confidence: ECE 0; all 4 right at 75 %: ECE 0.25."""
    conf = np.full(4, 0.75)
    assert calibration.expected_calibration_error(conf, np.array([1, 1, 1, 0], bool)) == 0
    assert calibration.expected_calibration_error(conf, np.ones(4, bool)) == pytest.approx(0.25)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.05, 20))
def test_nll_equals_the_plain_loop(seed, t):
    """Mean -log softmax(z / T)_y matches a math-module loop to 1e-12 (relative)."""
    logits, labels = synthetic(150, seed=seed)
    assert calibration.nll(logits, labels, t) == pytest.approx(
        ref_nll(logits, labels, t), rel=1e-12
    )


def test_nll_stays_finite_for_a_hopeless_digit():
    """p_y = e^-2000 underflows, yet the NLL is 2000, not inf (log_softmax)."""
    logits = np.array([[2000.0] + [0.0] * 9])
    assert calibration.nll(logits, np.array([1])) == pytest.approx(2000)


@pytest.mark.parametrize(("sharpness", "noise"), [(6.0, 0.3), (1.5, 0.05), (3.0, 0.2)])
def test_fitted_temperature_minimises_the_nll(sharpness, noise):
    """NLL(T*) <= NLL at T* x (1 +- 1e-3) and at every point of a dense grid over the range."""
    logits, labels = synthetic(500, sharpness, noise)
    t = calibration.fit_temperature(logits, labels)
    best = calibration.nll(logits, labels, t)
    for factor in (1 - 1e-3, 1 + 1e-3):
        assert best <= calibration.nll(logits, labels, t * factor)
    grid = np.exp(np.linspace(math.log(0.01), math.log(100), 2001))
    assert best <= min(calibration.nll(logits, labels, g) for g in grid) + 1e-12


def test_temperature_direction_follows_over_and_underconfidence():
    """Overconfident logits (sharp but often wrong) get T* > 1, timid ones T* < 1."""
    over, over_y = synthetic(500, sharpness=8.0, noise=0.4)
    under, under_y = synthetic(500, sharpness=1.0, noise=0.0)
    under[np.arange(500), under_y] += 1.0  # always right, but with modest margins
    assert calibration.fit_temperature(over, over_y) > 1
    assert calibration.fit_temperature(under, under_y) < 1


def test_fitted_temperature_stays_in_the_lab_range():
    """Perfectly separable logits push T* down to the end of its range, never past it."""
    labels = np.arange(10)
    logits = np.eye(10) * 5
    t = calibration.fit_temperature(logits, labels)
    assert calibration.T_MIN <= t <= calibration.T_MIN * 1.001


# ------------------------------------------------------------------------ the held-out run


def ref_worst(logits, labels, count):
    rows = []
    for i, (z, y) in enumerate(zip(logits, labels, strict=True)):
        if max(range(10), key=lambda k: z[k]) != y:
            rows.append((-ref_log_softmax_row(list(z))[y], i))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [i for _, i in rows[:count]]


def test_worst_mistakes_equal_the_plain_loop():
    """Only wrong predictions, highest cross-entropy first, ties by position."""
    logits, labels = synthetic(300, noise=0.3)
    got = heldout.worst_mistakes(logits, labels, 12)
    assert got.tolist() == ref_worst(logits, labels, 12)
    assert all(logits[i].argmax() != labels[i] for i in got)


def test_halves_are_disjoint_and_class_balanced_on_the_shipped_set():
    """Even and odd positions: 500 + 500, 50 of each digit in each half."""
    digits = load_digit_set(SHIPPED.read_bytes(), "mnist-test")
    fit, held = heldout.split_halves(len(digits))
    assert not set(fit) & set(held) and len(fit) + len(held) == len(digits)
    for half in (fit, held):
        assert np.bincount(digits.labels[half], minlength=10).tolist() == [50] * 10


@pytest.fixture(scope="module")
def report():
    digits = load_digit_set(SHIPPED.read_bytes(), "mnist-test")
    run = heldout.HeldOutRun(digits, load_network(MODEL))
    steps = []
    while not run.done:
        steps.append(run.step())
    return run, steps, run.report()


def test_the_run_scores_in_chunks_what_one_batch_gives(report):
    """Ten steps of 100 digits; the logits equal the network on the whole set in one batch."""
    run, steps, _ = report
    assert [s["scored"] for s in steps] == list(range(100, 1001, 100))
    whole = run.network.logits(run.digits.inputs())
    np.testing.assert_allclose(run.logits, whole, atol=1e-4)


def test_the_report_is_computed_from_the_halves(report):
    """T* is fit on the fit half; before/after are the evaluation half at T = 1 and T = T*."""
    run, _, r = report
    z, y = run.logits, run.digits.labels
    fit, held = heldout.split_halves(len(y))
    assert r["temperature"] == pytest.approx(calibration.fit_temperature(z[fit], y[fit]))
    assert r["alpha"] == 1 / r["temperature"]
    assert r["before"]["nll"] == pytest.approx(ref_nll(z[held], y[held]), rel=1e-9)
    assert r["after"]["nll"] == pytest.approx(ref_nll(z[held], y[held], r["temperature"]), 1e-9)
    conf, ok = ref_confidence_and_correct(z[held], y[held], r["temperature"])
    assert r["after"]["ece"] == pytest.approx(ref_ece(conf, ok, 10), rel=1e-9)
    assert [b["count"] for b in r["before"]["bins"]] == [
        c for c, _, _ in ref_bins(*ref_confidence_and_correct(z[held], y[held]), 10)
    ]
    assert r["predictions_changed"] == 0
    assert r["before"]["accuracy"] == r["after"]["accuracy"]


def test_the_gallery_holds_wrong_predictions_with_their_pixels(report):
    """Each mistake: predicted != label, the network's argmax, its 784 grey levels and index."""
    run, _, r = report
    assert 0 < len(r["mistakes"]) <= heldout.MISTAKES
    for m in r["mistakes"]:
        i = m["index"]
        assert m["predicted"] != m["label"] == run.digits.labels[i]
        assert m["predicted"] == int(run.logits[i].argmax())
        assert m["pixels"] == run.digits.images[i].reshape(-1).tolist()
        assert m["source_index"] == run.digits.indices[i]
    losses = [m["loss"] for m in r["mistakes"]]
    assert losses == sorted(losses, reverse=True)


def test_the_confusion_matrix_counts_every_digit_once(report):
    """Rows true, columns read, by a plain loop; the cells sum to the 1,000 digits, the diagonal
    to the right ones; each class's accuracy is its diagonal over its row; every wrongly read
    digit is listed once, in its cell."""
    run, _, r = report
    counts = [[0] * 10 for _ in range(10)]
    for z, y in zip(run.logits, run.digits.labels, strict=True):
        counts[int(y)][int(np.argmax(z))] += 1
    assert r["confusion"] == counts
    assert sum(map(sum, r["confusion"])) == len(run.digits) == 1000
    assert sum(counts[k][k] for k in range(10)) == round(r["accuracy"] * 1000)
    for k in range(10):
        assert r["class_accuracy"][k] == pytest.approx(counts[k][k] / sum(counts[k]))
    cells = {}
    for m in r["confused"]:
        cells[(m["label"], m["predicted"])] = cells.get((m["label"], m["predicted"]), 0) + 1
    assert len(r["confused"]) == r["error_count"]
    assert all(counts[i][j] == n for (i, j), n in cells.items())
    assert len({m["index"] for m in r["confused"]}) == r["error_count"]


def test_the_gallery_states_each_confidence_without_rounding_to_100(report):
    """Each mistake's confidence text is the lab's: within its rounding of the plain-loop
    softmax, and near 1 as the distance below 100 % (the shipped set's worst mistake holds
    99.97 %, which one decimal would print as "100.0 %")."""
    run, _, r = report
    near_one = 0
    for m in r["mistakes"]:
        p = ref_softmax_row([float(v) for v in run.logits[m["index"]]])
        rest = 100 * math.fsum(v for k, v in enumerate(p) if k != m["predicted"])
        text = m["confidence_text"]
        if text.startswith("100 % − "):
            near_one += 1
            assert float(text.removeprefix("100 % − ").removesuffix(" %")) == pytest.approx(
                rest, rel=0.05
            )
        else:
            assert float(text.removesuffix(" %")) == pytest.approx(100 - rest, abs=0.05 + 1e-9)
        assert text != "100.0 %"
    assert near_one >= 1


# ------------------------------------------------ the lab and the panels, as the worker calls them


def test_the_lab_loads_a_digit_exactly_as_the_run_scored_it(report):
    """update_digit(grey levels, label) gives, bit for bit, the network's logits on exactly
    those 784 grey levels / 255; the run's batched logits agree to float32 rounding."""
    run, _, r = report
    lab = LabState(str(MODEL))
    m = r["mistakes"][0]
    view = lab.update_digit(np.array(m["pixels"]), {"label": str(m["label"])})
    shown = np.array(view["lab"]["network_logits"])
    # The test's own conversion (float64 division, then float32: equal to the page's float32
    # division for all 256 grey levels) and a freshly loaded network on that one digit.
    inputs = (np.array(m["pixels"], np.float64) / 255).astype(np.float32)
    np.testing.assert_array_equal(shown, load_network(MODEL).logits(inputs))
    # The run scores 100 digits per call. BLAS picks its float32 kernel and blocking by the
    # number of rows, so a 100-row product adds the same products in another order than a
    # 1-row one: the logits then differ by float32 rounding, not by bits. Measured on all
    # 1,000 shipped digits: under 4 * eps32 * max|z|; 16 leaves room for another BLAS.
    scored = run.logits[m["index"]]
    assert np.abs(shown - scored).max() <= 16 * np.finfo(np.float32).eps * np.abs(scored).max()
    assert view["lab"]["prediction"] == m["predicted"]
    assert view["controls"]["label"] == m["label"]
    assert view["lab"]["cross_entropy"]["confidently_wrong"] == (m["confidence"] >= 0.5)


def test_the_calibration_panel_steps_to_a_report_and_reports_a_bad_file():
    """start + steps give the report with the last chunk; a corrupt file gives an error."""
    panel = CalibrationPanel(LabState(str(MODEL)))
    bad = panel.start(b"garbage", "mnist-test")
    assert list(bad) == ["error"] and "not a readable .npz" in bad["error"]
    start = panel.start(SHIPPED.read_bytes(), "mnist-test")
    assert start == {"scored": 0, "total": 1000}
    progress = panel.step()
    while "report" not in progress:
        assert progress["scored"] < 1000
        progress = panel.step()
    assert progress["scored"] == 1000 and progress["report"]["total"] == 1000


def run_to_report(learning: LearnPanel, between=None) -> dict:
    """A whole calibration run of the learning's lab; between(k) runs after the k-th chunk."""
    panel = CalibrationPanel(learning.lab)
    panel.start(SHIPPED.read_bytes(), "mnist-test")
    progress, k = panel.step(), 1
    while "report" not in progress:
        if between:
            between(k)
        progress, k = panel.step(), k + 1
    return progress["report"]


def taught_learning() -> LearnPanel:
    lab = LabState(str(MODEL))
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[40:240, 130:150] = (17, 17, 17, 255)  # a bar, taught as a 7: the weights move a lot
    lab.draw(rgba)
    lab.set_controls({"label": "7"})
    learning = LearnPanel(lab)
    replay = (ROOT / "assets" / "digits" / "mnist-replay.npz").read_bytes()
    learning.start(replay, SHIPPED.read_bytes())
    return learning


def test_learning_between_chunks_leaves_the_run_on_its_weights(report):
    """A Learn, Undo or Forget between chunks changes the lab, not the running report: it equals
    a run on the shipped weights with nothing in between, and says it is for them (26.6)."""
    _, _, shipped = report
    learning = taught_learning()

    before = learning.lab.view()["lab"]["network_logits"]

    def meddle(k):
        if k == 3:
            assert learning.learn(30)["view"]["lab"]["network_logits"] != before
        if k == 6:
            learning.learn(30)
            learning.undo()

    during = run_to_report(learning, meddle)
    assert {k: v for k, v in during.items() if k not in ("weights_id", "learned")} == shipped
    assert during["weights_id"] == "shipped" and during["learned"] == 0
    assert learning.lab.view()["weights_id"] != "shipped"  # the lab did learn meanwhile


def test_a_run_after_learning_scores_the_taught_weights(report):
    """Started after a press: the report is for the taught weights, named by the view's id,
    and its accuracy is the taught network's on every digit (not the shipped one's)."""
    run, _, shipped = report
    learning = taught_learning()
    taught = learning.learn(30)["view"]
    after = run_to_report(learning)
    predicted = learning.lab.network.logits(run.digits.inputs()).argmax(axis=1)
    assert after["accuracy"] == np.mean(predicted == run.digits.labels)
    assert after["before"]["nll"] != shipped["before"]["nll"]
    assert after["weights_id"] == taught["weights_id"] != "shipped" and after["learned"] == 1
    # Forget: a new run is the shipped run again, bit for bit.
    learning.forget()
    again = run_to_report(learning)
    assert again["weights_id"] == "shipped"
    assert {k: v for k, v in again.items() if k not in ("weights_id", "learned")} == shipped
