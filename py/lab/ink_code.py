"""A drawing in a link (`?ink=`): the pad's pen strokes as a short URL-safe text.

The pad records its points on a grid of 1/GRID canvas pixel (assets/js/pad.js), so a drawing
fits the link exactly and replays to the very same pixels. The text is

    "1" (the format's version), then base64url without padding of a byte string of varints:
    the number of strokes, then per stroke its number of points and each point as the
    zigzag-varint steps (dx, dy) from the point before (the first from (0, 0)), in grid units.

A pen path moves a few pixels between points, so most steps take one byte: a digit of ~150
points is a few hundred characters. MAX_CHARS caps the link; decode() refuses anything that is
not exactly such a text (a message saying why, in the language shown: py/lab/catalogue.py) and
never returns a point outside the pad.
Pure Python: CPython and Pyodide alike.
"""

from __future__ import annotations

import base64
import math
import re

import catalogue

VERSION = "1"
GRID = 4  # grid steps per canvas pixel: points are kept to 1/4 px
PAD = 280  # the pad's side in canvas pixels (presets.PAD)
LIMIT = PAD * GRID  # the largest coordinate in grid units
MAX_CHARS = 8000
MAX_POINTS = 2000  # as for an example's strokes (presets.MAX_POINTS)
TEXT = re.compile(r"[A-Za-z0-9_-]*")


def _zigzag(n: int) -> int:
    return 2 * n if n >= 0 else -2 * n - 1


def _unzigzag(z: int) -> int:
    return z // 2 if z % 2 == 0 else -(z + 1) // 2


def _varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    out.append(n)


def quantise(v: float) -> int:
    """A canvas coordinate -> grid units (the pad already rounds to the grid: exact there)."""
    return round(v * GRID)


def encode(strokes) -> str:
    """[[[x, y], ...], ...] in canvas pixels -> the link's text; ValueError when the strokes are
    not a drawing on the pad, or too many points, or the text would pass MAX_CHARS."""
    if not isinstance(strokes, list) or not strokes:
        raise ValueError(catalogue.t("lab.ink.no_strokes"))
    out = bytearray()
    _varint(len(strokes), out)
    points, last = 0, (0, 0)
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            raise ValueError(catalogue.t("lab.ink.stroke"))
        _varint(len(stroke), out)
        for point in stroke:
            if not (isinstance(point, list | tuple) and len(point) == 2):
                raise ValueError(catalogue.t("lab.ink.point"))
            if not all(isinstance(v, int | float) and math.isfinite(v) for v in point):
                raise ValueError(catalogue.t("lab.ink.finite"))
            # Clamped to the pad: a pen dragged past the edge draws nothing out there anyway.
            x, y = (min(LIMIT, max(0, quantise(v))) for v in point)
            _varint(_zigzag(x - last[0]), out)
            _varint(_zigzag(y - last[1]), out)
            last = (x, y)
        points += len(stroke)
    if points > MAX_POINTS:
        raise ValueError(catalogue.t("lab.ink.too_many_points", n=points, max=MAX_POINTS))
    text = VERSION + base64.urlsafe_b64encode(bytes(out)).decode("ascii").rstrip("=")
    if len(text) > MAX_CHARS:
        raise ValueError(catalogue.t("lab.ink.too_long", n=len(text), max=MAX_CHARS))
    return text


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def varint(self) -> int:
        n = shift = 0
        while True:
            if self.at >= len(self.data):
                raise ValueError(catalogue.t("lab.ink.cut"))
            byte = self.data[self.at]
            self.at += 1
            n |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return n
            shift += 7
            if shift > 21:  # no count or step of a 1120-unit pad needs more than 3 bytes
                raise ValueError(catalogue.t("lab.ink.large"))


def decode(text: str) -> list[list[list[float]]]:
    """The link's text -> strokes in canvas pixels (on the 1/GRID grid); ValueError saying why
    it is not a drawing."""
    if not isinstance(text, str) or not text:
        raise ValueError(catalogue.t("lab.ink.empty"))
    if len(text) > MAX_CHARS:
        raise ValueError(catalogue.t("lab.ink.chars", n=len(text), max=MAX_CHARS))
    if text[0] != VERSION:
        raise ValueError(catalogue.t("lab.ink.version", version=VERSION))
    body = text[1:]
    if not TEXT.fullmatch(body) or len(body) % 4 == 1:
        raise ValueError(catalogue.t("lab.ink.characters"))
    data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    reader = _Reader(data)
    count = reader.varint()
    if not 1 <= count <= MAX_POINTS:
        raise ValueError(catalogue.t("lab.ink.strokes", n=count))
    strokes, points, x, y = [], 0, 0, 0
    for _ in range(count):
        length = reader.varint()
        points += length
        if length < 1 or points > MAX_POINTS:
            raise ValueError(catalogue.t("lab.ink.stroke_points", n=length, max=MAX_POINTS))
        stroke = []
        for _ in range(length):
            x += _unzigzag(reader.varint())
            y += _unzigzag(reader.varint())
            if not (0 <= x <= LIMIT and 0 <= y <= LIMIT):
                raise ValueError(catalogue.t("lab.ink.outside", pad=PAD))
            stroke.append([x / GRID, y / GRID])
        strokes.append(stroke)
    if reader.at != len(data):
        raise ValueError(catalogue.t("lab.ink.left_over"))
    return strokes
