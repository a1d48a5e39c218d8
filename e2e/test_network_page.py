"""The page runs the shipped network exactly as CPython does, on the learner's own pixels."""

import numpy as np

from conftest import ONE, SEVEN, ZERO, canvas_rgba, draw, values
from network import load_network
from preprocess import preprocess


def test_page_logits_equal_cpython_logits_for_the_same_pixels(ready_page, site_dir):
    """Several mouse-drawn digits: Pyodide's logits match CPython's within 1e-4."""
    page = ready_page
    network = load_network(str(site_dir / "assets" / "model.npz"))
    for strokes in (SEVEN, ONE, ZERO):
        page.click("#clear")
        draw(page, strokes)
        rgba = np.frombuffer(canvas_rgba(page), np.uint8).reshape(280, 280, 4)
        expected = network.logits(preprocess(rgba))
        shown = np.array(values(page, "data-logit"))
        assert np.max(np.abs(shown - expected)) < 1e-4
