"""Canvas pixels -> one MNIST-style 28x28 input for the network.

MNIST digits were made this way: the ink's bounding box is scaled (anti-aliased) to fit a 20x20 box,
keeping its aspect ratio, and the result is placed in a 28x28 field so that the ink's centre of mass
sits on the field's centre. Doing the same to a drawing makes it look like the training digits, no
matter where or how big it was drawn.

numpy only: this module runs in the browser under Pyodide.
"""

from __future__ import annotations

import math

import numpy as np

SIDE = 28  # output field is SIDE x SIDE (MNIST)
BOX = 20  # the ink's bounding box is scaled to fit BOX x BOX
# MNIST puts the centre of mass on pixel (14, 14): in continuous coordinates, where pixel i spans
# [i, i+1), that is the point 14.5 (measured on the training digits: mean 14.49 / 14.50).
CENTRE = 14.5

# Ink fainter than this is ignored: anti-aliasing haze, off-white backgrounds, stray alpha.
INK_FLOOR = 0.05
# Empty-canvas rule: if the total ink (sum of intensities in [0, 1]) is below this fraction of the
# canvas area, there is no digit to read and preprocess returns None. On a 280x280 canvas that is
# 78.4 "fully inked pixels": a click with a pen up to ~10 px wide is a speck, not a digit.
MIN_INK_FRACTION = 0.001
# A dot is no digit either: if the ink's bounding box spans less than this fraction of the canvas's
# longer side in both directions (on a 280x280 pad: under 34 px, about two pen widths), a click or
# a tap would otherwise be stretched to fill the 20x20 box and read as a confident "0".
MIN_EXTENT_FRACTION = 0.12
# Why a drawing gave no input, for the page to say so.
EMPTY, TOO_SMALL = "empty", "too_small"

# Rec. 601 luma weights, the usual RGB -> grey.
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def ink_from_rgba(rgba: np.ndarray) -> np.ndarray:
    """Ink intensity in [0, 1] of each pixel: composite over white, then invert.

    A dark stroke on a transparent or a white canvas is ink; white or transparent is not.
    """
    f = np.asarray(rgba).astype(np.float32)  # (H, W, 4)
    # Channel by channel, not rgb @ _LUMA: a strided matmul is ~2-4x slower (same result).
    luma = f[..., 0] * _LUMA[0] + f[..., 1] * _LUMA[1] + f[..., 2] * _LUMA[2]  # (H, W)
    darkness = 1.0 - luma * (1 / 255)  # 0 = white, 1 = black
    return darkness * (f[..., 3] * (1 / 255))  # (H, W)


def _as_image(rgba: np.ndarray, size: int | tuple[int, int] | None) -> np.ndarray:
    """Accept (H, W, 4) or a flat RGBA buffer (like ImageData.data) of a square or sized canvas."""
    rgba = np.asarray(rgba)
    if rgba.ndim == 3 and rgba.shape[2] == 4:
        return rgba
    if rgba.ndim != 1 or rgba.size % 4:
        raise ValueError(f"expected (H, W, 4) or a flat RGBA array, got shape {rgba.shape}")
    pixels = rgba.size // 4
    if size is None:
        side = math.isqrt(pixels)
        if side * side != pixels:
            raise ValueError(f"flat array of {pixels} pixels is not square: pass size=(H, W)")
        size = (side, side)
    elif isinstance(size, int):
        size = (size, size)
    h, w = size
    if h * w != pixels:
        raise ValueError(f"size {h}x{w} does not match {pixels} pixels")
    return rgba.reshape(h, w, 4)


def _area_weights(n_in: int, scale: float, offset: float) -> np.ndarray:
    """Exact area-averaging resample matrix along one axis: (SIDE, n_in).

    Input pixel i covers [offset + scale*i, offset + scale*(i+1)) in output coordinates; its
    weight for output pixel j is the length of overlap with [j, j+1). Each output pixel is thus
    the area-weighted mean of the ink that falls inside it (anti-aliased, no per-pixel loops).
    """
    edges = offset + scale * np.arange(n_in + 1, dtype=np.float64)  # (n_in+1,)
    lo, hi = edges[:-1], edges[1:]  # (n_in,)
    j = np.arange(SIDE, dtype=np.float64)[:, None]  # (SIDE, 1)
    overlap = np.minimum(hi, j + 1) - np.maximum(lo, j)  # (SIDE, n_in)
    return np.clip(overlap, 0.0, None)


def normalise(ink: np.ndarray) -> np.ndarray | None:
    """Ink image of any size -> MNIST-style float32 (784,) in [0, 1], or None if no digit."""
    return examine(ink)[0]


def examine(ink: np.ndarray) -> tuple[np.ndarray | None, str | None]:
    """Ink image -> (input, None), or (None, EMPTY / TOO_SMALL) when there is no digit to read.

    Crops to the ink's bounding box, scales it to fit BOX x BOX keeping the aspect ratio, places it
    so its centre of mass is at the centre of the 28x28 field, and stretches the contrast so the
    darkest pixel is 1 (a light or thin pen reads like a dark one).
    """
    ink = np.asarray(ink, dtype=np.float32)  # (H, W)
    ink = np.where(ink >= INK_FLOOR, ink, 0.0)
    if ink.sum() < MIN_INK_FRACTION * ink.size:
        return None, EMPTY

    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]  # (H, W) -> (h, w)
    h, w = crop.shape
    if max(h, w) < MIN_EXTENT_FRACTION * max(ink.shape):
        return None, TOO_SMALL
    scale = BOX / max(h, w)  # output pixels per input pixel, same on both axes (keeps aspect)

    # Centre of mass of the crop, in continuous pixel coordinates (pixel i spans [i, i+1)).
    mass = float(crop.sum())
    cy = float(crop.sum(axis=1) @ (np.arange(h) + 0.5)) / mass
    cx = float(crop.sum(axis=0) @ (np.arange(w) + 0.5)) / mass

    # Choose the offsets so the scaled centre of mass lands on CENTRE.
    wy = _area_weights(h, scale, CENTRE - scale * cy)  # (28, h)
    wx = _area_weights(w, scale, CENTRE - scale * cx)  # (28, w)
    out = wy @ crop.astype(np.float64) @ wx.T  # (28, h) @ (h, w) @ (w, 28) -> (28, 28)
    peak = out.max()
    if peak <= 0:
        return None, EMPTY
    return np.clip(out / peak, 0.0, 1.0).astype(np.float32).reshape(SIDE * SIDE), None  # (784,)


def preprocess(rgba: np.ndarray, size: int | tuple[int, int] | None = None) -> np.ndarray | None:
    """Canvas RGBA pixels -> float32 (784,) network input in [0, 1], or None for no digit.

    rgba: uint8 (H, W, 4), or a flat buffer of H*W*4 values (square unless size=(H, W) is given).
    """
    return examine_rgba(rgba, size)[0]


def examine_rgba(
    rgba: np.ndarray, size: int | tuple[int, int] | None = None
) -> tuple[np.ndarray | None, str | None]:
    """Like preprocess, but also says why there is no input: (None, EMPTY or TOO_SMALL)."""
    return examine(ink_from_rgba(_as_image(rgba, size)))  # (H, W, 4) -> (H, W) -> (784,)
