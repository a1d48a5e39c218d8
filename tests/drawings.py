"""Shared helpers for the tests that drive the page's Python: the shipped weights, drawings."""

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "assets" / "model.npz"
DIGITS = ROOT / "assets" / "digits"


def blank(size: int = 280) -> np.ndarray:
    return np.zeros((size, size, 4), np.uint8)


def bar(size: int = 280) -> np.ndarray:
    rgba = blank(size)
    rgba[40:240, 130:150] = (17, 17, 17, 255)  # a vertical stroke
    return rgba
