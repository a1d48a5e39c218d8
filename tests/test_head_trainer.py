"""head_trainer.py: teaching the network a drawing in the page, undo, forget, saved learning, and
the Learn panel's calls as the worker glue makes them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

import head_trainer
import network
from digit_sets import load_digit_set
from drawings import bar
from lab_state import LabState
from learn_panel import LearnPanel

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "assets" / "model.npz"
DIGITS = ROOT / "assets" / "digits"


@pytest.fixture(scope="module")
def sets():
    replay = load_digit_set((DIGITS / "mnist-replay.npz").read_bytes(), "mnist-replay")
    check = load_digit_set((DIGITS / "mnist-test.npz").read_bytes(), "mnist-test")
    return replay, check


@pytest.fixture
def trainer(sets) -> head_trainer.HeadTrainer:
    taught = head_trainer.HeadTrainer(network.load_network(MODEL))
    taught.attach(*sets)
    return taught


@pytest.fixture(scope="module")
def three(sets) -> np.ndarray:
    """A held-out MNIST 3 the shipped network reads as 3: (784,) float32."""
    _, check = sets
    x = check.inputs(np.flatnonzero(check.labels == 3)[:1])[0]
    assert network.load_network(MODEL).logits(x).argmax() == 3
    return x


def fresh_logits(x) -> np.ndarray:
    return network.load_network(MODEL).logits(x)


def test_teaching_a_wrong_label_moves_the_drawing_towards_it(trainer, three):
    """10 steps with label 8: the loss falls step by step until 8 is the guess (below log 2) and
    stays there (the replay digits in each step may nudge it by a little once it is learned),
    p(8) rises, and 8 becomes the guess."""
    result = trainer.learn(three, 8, 10)
    steps = result["steps"]
    assert len(steps) == 11  # before, then after each step
    assert result["loss_before"] == pytest.approx(-np.log(steps[0]["probs"][8]))
    losses = [s["loss"] for s in steps]
    learned = next(i for i, loss in enumerate(losses) if loss < np.log(2))
    assert learned >= 3  # visibly step by step, not in one jump
    descent = losses[: learned + 1]
    assert all(b < a for a, b in zip(descent, descent[1:], strict=False))
    assert max(losses[learned:]) < np.log(2)
    assert steps[-1]["p_y"] > steps[0]["p_y"]
    assert result["loss_after"] < np.log(2)
    assert np.argmax(trainer.network.logits(three)) == 8
    assert trainer.examples == 1


def test_each_step_is_minus_step_size_times_the_gradient(trainer, three):
    """One step changes dense2 by exactly -STEP_SIZE times the gradient of the mixed loss."""
    before = {n: trainer.network.params[n].copy() for n in head_trainer.LEARNED}
    state = trainer.rng.bit_generator.state
    trainer.learn(three, 8, 1)
    trainer.rng.bit_generator.state = state  # replay the same random batch
    pick = trainer.rng.choice(
        len(trainer.replay[1]), size=head_trainer.REPLAY_PER_STEP, replace=False
    )
    params = {**trainer.network.params, **before}
    drawing = network.features(params, three.reshape(1, 784))
    batch = np.concatenate([drawing, trainer.replay[0][pick]])
    target = np.concatenate([[8], trainer.replay[1][pick]])
    weights = np.full(len(target), (1 - head_trainer.DRAWING_SHARE) / head_trainer.REPLAY_PER_STEP)
    weights[0] = head_trainer.DRAWING_SHARE
    _, grads = network.head_loss_and_grads(params, batch, target, head_trainer.LAYERS, weights)
    for name in head_trainer.LEARNED:
        expected = before[name] - np.float32(head_trainer.STEP_SIZE) * grads[name]
        np.testing.assert_array_equal(trainer.network.params[name], expected)


def test_forget_gives_a_fresh_load_bit_for_bit(trainer, three):
    """After teaching and forgetting, all ten logits equal a fresh load's exactly."""
    trainer.learn(three, 8, 20)
    assert not np.array_equal(trainer.network.logits(three), fresh_logits(three))
    trainer.forget()
    np.testing.assert_array_equal(trainer.network.logits(three), fresh_logits(three))
    assert trainer.examples == 0 and trainer.saved() is None


def test_undo_takes_back_only_the_last_press(trainer, three):
    """Undo restores the weights and count of before the last press; a second undo does nothing."""
    trainer.learn(three, 3, 5)
    after_first = trainer.network.logits(three)
    trainer.learn(three, 8, 5)
    assert trainer.undo() is True
    np.testing.assert_array_equal(trainer.network.logits(three), after_first)
    assert trainer.examples == 1
    assert trainer.undo() is False


def test_replay_keeps_the_other_digits(trainer, three):
    """Teaching a drawing its right label for 50 steps costs the check digits under a point."""
    before = trainer.check_accuracy()
    result = trainer.learn(three, 3, head_trainer.MAX_STEPS)
    assert result["check_before"] == before
    assert result["check_after"] >= before - 0.01
    assert result["check_count"] == 1000


def test_saved_learning_restores_exactly(trainer, three):
    """saved() then restore() on a fresh network gives the taught logits exactly."""
    trainer.learn(three, 8, 7)
    trainer.learn(three, 8, 3)
    text = trainer.saved()
    other = head_trainer.HeadTrainer(network.load_network(MODEL))
    assert other.restore(text) is None
    np.testing.assert_array_equal(other.network.logits(three), trainer.network.logits(three))
    assert other.examples == 2
    assert len(text) < 10_000  # dense2 only: small enough for the browser's storage


def corrupt(text: str, how: str) -> str:
    data = json.loads(text)
    first = head_trainer.LEARNED[0]
    raw = base64.b64decode(data["arrays"][first])
    if how == "truncated":
        return text[: len(text) // 2]
    if how == "wrong shape":
        data["arrays"][first] = base64.b64encode(raw[:-4]).decode()
    elif how == "nan":
        bad = np.frombuffer(raw, np.float32).copy()
        bad[3] = np.nan
        bad[7] = -np.inf
        data["arrays"][first] = base64.b64encode(bad.tobytes()).decode()
    elif how == "not base64":
        data["arrays"][first] = "%%%"
    elif how == "other version":
        data["version"] = head_trainer.VERSION + 1
    elif how == "other weights":
        data["shipped"] = "0" * 16
    elif how == "missing array":
        del data["arrays"][first]
    elif how == "extra array":
        data["arrays"]["conv1_w"] = data["arrays"][first]
    elif how == "no examples":
        data["examples"] = 0
    elif how == "not an object":
        return "[1, 2]"
    return json.dumps(data)


# Each kind of damage, and the problem the notice must name (dense2_w is (128, 10) float32).
NOTICE = "Saved learning could not be used ({}); the shipped weights are in use."
PROBLEMS = {
    "truncated": "it is not valid JSON, perhaps cut short",
    "wrong shape": "dense2_w has 5116 bytes, expected 5120 for shape (128, 10)",
    "nan": "dense2_w holds 2 NaN or infinite values",
    "not base64": "dense2_w is not base64",
    "other version": "it is version 2; this page reads 1",
    "other weights": "it was taught to other shipped weights",
    "missing array": "dense2_w is missing",
    "extra array": "it holds arrays this page does not learn: conv1_w",
    "no examples": "the number of examples must be a whole number of at least 1, got 0",
    "not an object": "it is not this page's saved learning",
}


@pytest.mark.parametrize("how", PROBLEMS)
def test_corrupt_saved_learning_is_discarded_with_a_notice(trainer, three, how):
    """Unusable saved learning gives a notice naming the problem and leaves the shipped weights."""
    trainer.learn(three, 8, 5)
    bad = corrupt(trainer.saved(), how)
    other = head_trainer.HeadTrainer(network.load_network(MODEL))
    assert other.restore(bad) == NOTICE.format(PROBLEMS[how])
    np.testing.assert_array_equal(other.network.logits(three), fresh_logits(three))
    assert other.examples == 0


def test_nothing_saved_is_no_notice(trainer):
    """No saved learning (None) restores nothing and says nothing."""
    assert trainer.restore(None) is None
    assert trainer.examples == 0


def test_learning_needs_digits_and_a_step_count(sets, three):
    """learn() before attach(), or with 0 or too many steps, raises ValueError."""
    bare = head_trainer.HeadTrainer(network.load_network(MODEL))
    with pytest.raises(ValueError, match="attach"):
        bare.learn(three, 3, 1)
    bare.attach(*sets)
    for steps in (0, head_trainer.MAX_STEPS + 1):
        with pytest.raises(ValueError, match="steps"):
            bare.learn(three, 3, steps)


# ------------------------------------------------ LearnPanel: the page's Learn, Undo, Forget


@pytest.fixture
def lab() -> LabState:
    return LabState(str(MODEL))


@pytest.fixture
def panel(lab) -> LearnPanel:
    return LearnPanel(lab)


def digit_file(name: str) -> bytes:
    return (ROOT / "assets" / "digits" / name).read_bytes()


def test_learning_needs_a_drawing_a_label_and_the_digits(lab, panel):
    """learn() explains what is missing instead of raising: drawing, label, then the digit sets."""
    assert "Draw a digit first" in panel.learn(5)["error"]
    lab.draw(bar())
    assert "true digit" in panel.learn(5)["error"]
    lab.set_controls({"label": "7"})
    assert "not loaded" in panel.learn(5)["error"]
    assert panel.start(b"junk", digit_file("mnist-test.npz"))["error"]
    assert panel.start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz")) == {
        "error": None
    }
    for bad in (0, 51, 2.5, "3"):
        assert "whole number from 1 to 50" in panel.learn(bad)["error"]


def test_learning_rescores_the_drawing_and_forget_restores_it(lab, panel):
    """A press changes the drawing's logits in the lab view; forget gives the shipped ones back."""
    lab.draw(bar())
    lab.set_controls({"label": "7"})
    shipped = lab.view()["lab"]["network_logits"]
    panel.start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    taught = panel.learn(10)
    assert taught["error"] is None and taught["view"]["learned"] == 1
    assert taught["result"]["loss_after"] < taught["result"]["loss_before"]
    assert taught["view"]["lab"]["network_logits"] != shipped
    assert taught["saved"] is not None
    forgot = panel.forget()
    assert forgot["view"]["lab"]["network_logits"] == shipped
    assert forgot["view"]["learned"] == 0 and forgot["saved"] is None


def test_saved_learning_survives_a_new_session(lab, panel):
    """The saved text restores the taught weights in a fresh session; junk gives a notice."""
    lab.draw(bar())
    lab.set_controls({"label": "7"})
    panel.start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    saved = panel.learn(5)["saved"]
    again = LabState(str(MODEL))
    again.draw(bar())
    again.set_controls({"label": "7"})
    restored = LearnPanel(again).restore(saved)
    assert restored["notice"] is None and restored["view"]["learned"] == 1
    assert restored["view"]["lab"]["network_logits"] == lab.view()["lab"]["network_logits"]
    junk = LearnPanel(LabState(str(MODEL))).restore('{"format": 1')
    assert "could not be used" in junk["notice"] and junk["view"]["learned"] == 0


def test_the_view_names_the_weights_in_force(lab, panel):
    """weights_id: "shipped", a fingerprint once taught, the same one again after an undo back
    to it, and "shipped" after Forget or an undo of the first press."""
    assert lab.view()["weights_id"] == "shipped"
    lab.draw(bar())
    lab.set_controls({"label": "7"})
    panel.start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    once = panel.learn(5)["view"]["weights_id"]
    assert once != "shipped"
    twice = panel.learn(5)["view"]["weights_id"]
    assert twice not in ("shipped", once)
    assert panel.undo()["view"]["weights_id"] == once
    assert panel.forget()["view"]["weights_id"] == "shipped"
    panel.learn(5)
    assert panel.undo()["view"]["weights_id"] == "shipped"
    # Refused presses and unusable saved learning change nothing.
    panel.learn(5)
    taught = lab.view()["weights_id"]
    assert panel.learn(0)["error"] and lab.view()["weights_id"] == taught
    assert panel.restore("junk")["view"]["weights_id"] == taught


def test_attach_computes_features_in_chunks_and_teaches_exactly_as_all_at_once(sets, three):
    """attach() computes the digit sets' features FEATURE_CHUNK digits at a time (a browser
    worker's memory never shrinks): the features, and the weights a press teaches with them,
    equal those from features of the whole sets at once bit for bit (each digit's features
    depend on that digit alone), also for a chunk that does not divide the set."""
    replay, check = sets
    assert head_trainer.FEATURE_CHUNK < len(check)
    chunked = head_trainer.HeadTrainer(network.load_network(MODEL))
    chunked.attach(*sets)
    whole = head_trainer.HeadTrainer(network.load_network(MODEL))
    params = whole.network.params
    whole.replay = (network.features(params, replay.inputs()), replay.labels)
    whole.check = (network.features(params, check.inputs()), check.labels)
    np.testing.assert_array_equal(chunked.replay[0], whole.replay[0])
    np.testing.assert_array_equal(chunked.check[0], whole.check[0])
    odd = head_trainer.chunked_features(params, check, chunk=7)
    assert odd.dtype == np.float32
    np.testing.assert_array_equal(odd, whole.check[0])
    taught, reference = chunked.learn(three, 8, 10), whole.learn(three, 8, 10)
    for name in head_trainer.LEARNED:
        np.testing.assert_array_equal(chunked.network.params[name], params[name])
    assert taught["steps"] == reference["steps"]
    assert taught["check_after"] == reference["check_after"]


def test_learn_says_when_the_same_drawing_is_taught_again(lab, panel):
    """Issue 32.10: four presses on one drawing said "4 examples taught" and nothing else; the
    status now says the label and, from the second press on one drawing, how often it was
    taught. A new drawing, Undo or Forget start the count again."""
    lab.draw(bar())
    lab.set_controls({"label": "7"})
    panel.start(digit_file("mnist-replay.npz"), digit_file("mnist-test.npz"))
    first = panel.learn(3)["status"]
    assert first == "Taught this drawing as a 7 (3 steps)."
    assert "taught 2 times" in panel.learn(1)["status"]
    third = panel.learn(1)["status"]
    assert "(1 step)" in third and "taught 3 times" in third
    lab.draw(bar().transpose(1, 0, 2).copy())  # another drawing: the bar lying down
    assert "times" not in panel.learn(2)["status"]
    assert "taught 2 times" in panel.learn(2)["status"]
    panel.undo()
    assert "times" not in panel.learn(2)["status"]
