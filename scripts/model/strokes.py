"""Hand-written stroke templates for each digit and a browser-like canvas renderer.

The renderer draws polylines the way a 2-D canvas does with lineCap = lineJoin = "round": every
pixel's coverage is clip(width/2 + 0.5 - d, 0, 1), where d is the distance from the pixel centre to
the nearest segment. The result is what getImageData returns for dark strokes on a transparent
canvas: RGBA uint8 (H, W, 4), RGB = ink colour, alpha = coverage * 255.

Templates are in a unit box: x to the right, y down, the digit about 1 tall and 0.6 wide.
"""

from __future__ import annotations

import numpy as np

INK_RGB = (17, 17, 17)
CANVAS = 280

Stroke = np.ndarray  # (P, 2) points (x, y)


def arc(cx, cy, rx, ry, start_deg, end_deg, n=24) -> Stroke:
    """Points along an elliptical arc; angles in degrees, 0 = right, 90 = down (screen coords)."""
    t = np.deg2rad(np.linspace(start_deg, end_deg, n))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def line(*points) -> Stroke:
    return np.array(points, dtype=float)


def bezier(p0, p1, p2, n=12) -> Stroke:
    """Points along a quadratic Bezier curve from p0 to p2, pulled towards p1."""
    t = np.linspace(0, 1, n)[:, None]
    p0, p1, p2 = (np.asarray(p, dtype=float) for p in (p0, p1, p2))
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * p1 + t**2 * p2


def join(*parts: Stroke) -> Stroke:
    """One continuous stroke made of several pieces."""
    return np.concatenate(parts, axis=0)


def figure_eight(n=60) -> Stroke:
    t = np.linspace(0, 2 * np.pi, n)
    return np.stack([0.5 + 0.3 * np.sin(2 * t), 0.5 - 0.5 * np.cos(t)], axis=1)


# Each digit: several templates; each template: a list of strokes (pen lifts between them).
TEMPLATES: dict[int, list[list[Stroke]]] = {
    0: [
        [arc(0.5, 0.5, 0.3, 0.48, -90, 270, 40)],
        [arc(0.5, 0.5, 0.26, 0.47, -100, 275, 40)],  # slight overlap at the top
        [arc(0.5, 0.5, 0.33, 0.45, -60, 300, 40)],  # started at the upper right
    ],
    1: [
        [line((0.5, 0.0), (0.5, 1.0))],
        [line((0.3, 0.2), (0.52, 0.0), (0.52, 1.0))],  # with a flag
        [line((0.32, 0.18), (0.52, 0.0), (0.52, 1.0)), line((0.3, 1.0), (0.74, 1.0))],  # flag+base
    ],
    2: [
        [
            join(
                arc(0.5, 0.3, 0.3, 0.28, 190, 360, 16),
                arc(0.5, 0.3, 0.3, 0.3, 0, 60, 6),
                line((0.58, 0.57), (0.18, 1.0), (0.85, 1.0)),
            )
        ],
        [
            join(
                arc(0.48, 0.28, 0.3, 0.26, 200, 380, 18),
                line((0.72, 0.42), (0.2, 1.0), (0.82, 0.98)),
            )
        ],
        # curly 2 with a small loop at the bottom
        [
            join(
                arc(0.5, 0.3, 0.3, 0.28, 190, 400, 20),
                line((0.6, 0.58), (0.22, 0.95)),
                arc(0.3, 0.88, 0.1, 0.08, 90, 360, 10),
                line((0.4, 0.9), (0.85, 0.98)),
            )
        ],
    ],
    3: [
        [
            join(
                arc(0.48, 0.26, 0.28, 0.24, 200, 450, 20), arc(0.48, 0.73, 0.32, 0.26, -90, 150, 22)
            )
        ],
        [
            join(
                line((0.2, 0.02), (0.78, 0.02), (0.42, 0.42)),
                arc(0.46, 0.7, 0.32, 0.28, -80, 150, 20),
            )
        ],  # flat-top 3
        [join(arc(0.45, 0.25, 0.3, 0.25, 210, 440, 20), arc(0.45, 0.74, 0.34, 0.26, -85, 160, 22))],
    ],
    4: [
        [line((0.55, 0.0), (0.1, 0.68), (0.9, 0.68)), line((0.68, 0.3), (0.68, 1.0))],  # closed
        [line((0.2, 0.0), (0.15, 0.55), (0.85, 0.55)), line((0.7, 0.0), (0.7, 1.0))],  # open
        [line((0.6, 0.0), (0.08, 0.65), (0.88, 0.65)), line((0.6, 0.0), (0.6, 1.0))],
    ],
    5: [
        [
            line((0.8, 0.0), (0.25, 0.0)),
            join(line((0.25, 0.0), (0.2, 0.42)), arc(0.47, 0.68, 0.32, 0.3, -120, 150, 22)),
        ],
        [
            join(line((0.22, 0.02), (0.18, 0.45)), arc(0.45, 0.7, 0.33, 0.29, -130, 155, 22)),
            line((0.22, 0.02), (0.82, 0.02)),
        ],
        [
            join(
                line((0.82, 0.0), (0.28, 0.0), (0.22, 0.44)),
                arc(0.47, 0.7, 0.3, 0.3, -125, 150, 22),
            )
        ],
    ],
    6: [
        [join(arc(0.9, 0.55, 0.6, 0.55, 235, 180, 14), arc(0.52, 0.72, 0.22, 0.28, 180, -180, 30))],
        [join(line((0.72, 0.0), (0.3, 0.45)), arc(0.5, 0.7, 0.27, 0.29, 215, -145, 30))],
        [join(arc(0.8, 0.5, 0.5, 0.5, 240, 180, 12), arc(0.52, 0.7, 0.22, 0.3, 180, -165, 30))],
    ],
    7: [
        [line((0.15, 0.0), (0.85, 0.0), (0.38, 1.0))],
        [line((0.15, 0.0), (0.85, 0.0), (0.38, 1.0)), line((0.38, 0.52), (0.8, 0.52))],  # with bar
        [line((0.12, 0.12), (0.15, 0.0), (0.85, 0.0), (0.55, 0.5), (0.45, 1.0))],
    ],
    8: [
        [figure_eight()],  # one stroke
        [arc(0.5, 0.25, 0.24, 0.25, 0, 360, 30), arc(0.5, 0.74, 0.3, 0.26, -90, 270, 30)],
        [
            join(
                arc(0.5, 0.25, 0.22, 0.25, 60, 400, 30),
                line((0.62, 0.45), (0.2, 0.75)),
                arc(0.5, 0.75, 0.3, 0.25, 180, -90, 20),
                line((0.5, 0.5), (0.35, 0.45)),
            )
        ],
    ],
    9: [
        [join(arc(0.48, 0.27, 0.28, 0.27, 0, -360, 30), line((0.76, 0.27), (0.72, 1.0)))],
        [join(arc(0.45, 0.28, 0.3, 0.28, 20, -340, 30), arc(-0.1, 0.3, 0.85, 0.7, 0, 80, 10))],
        [join(arc(0.46, 0.25, 0.27, 0.25, 10, -350, 30), line((0.73, 0.3), (0.55, 1.0)))],
    ],
}


# Names of TEMPLATES, in order. TEMPLATES itself is kept exactly as it was: the drawn set of
# scripts/model/eval_drawn.py picks from it by index, and the shipped weights are scored on that
# set.
STYLE_NAMES: dict[int, list[str]] = {
    0: ["oval", "overlap at top", "from upper right"],
    1: ["stick", "short flag", "short flag + base"],
    2: ["round", "Z-like", "curly"],
    3: ["round", "flat top", "wide"],
    4: ["closed", "open", "closed, stem from the tip"],
    5: ["bar first", "bar last", "one stroke"],
    6: ["long curve", "straight back", "short curve"],
    7: ["plain", "crossbar", "serif, bent stem"],
    8: ["one stroke", "two loops", "crossing strokes"],
    9: ["straight stem", "curved stem", "slanted stem"],
}

# More ways people draw digits, those MNIST (written in the US) hardly has: the European "1" with a
# long upstroke from about a third of the way down, 7s with a crossbar, open 4s and open 9s.
EXTRA: dict[int, dict[str, list[Stroke]]] = {
    0: {},
    1: {
        "long flag": [line((0.16, 0.36), (0.56, 0.0), (0.56, 1.0))],
        "long flag + base": [
            line((0.18, 0.32), (0.55, 0.0), (0.55, 1.0)),
            line((0.3, 1.0), (0.8, 1.0)),
        ],
        "long flag, steep": [line((0.3, 0.42), (0.58, 0.0), (0.58, 1.0))],
        "long flag, curved": [
            join(bezier((0.16, 0.38), (0.42, 0.28), (0.57, 0.0)), line((0.57, 0.0), (0.55, 1.0)))
        ],
    },
    2: {},
    3: {},
    4: {
        "open, slanted": [
            line((0.28, 0.0), (0.1, 0.6), (0.9, 0.6)),
            line((0.72, 0.12), (0.64, 1.0)),
        ],
        "open, tall stem": [
            line((0.3, 0.14), (0.2, 0.62), (0.86, 0.62)),
            line((0.66, 0.0), (0.66, 1.0)),
        ],
    },
    5: {},
    6: {},
    7: {
        "crossbar, hooked top": [
            line((0.1, 0.16), (0.16, 0.0), (0.86, 0.0), (0.42, 1.0)),
            line((0.3, 0.52), (0.78, 0.5)),
        ],
        "crossbar, curved stem": [
            join(line((0.14, 0.02), (0.84, 0.0)), bezier((0.84, 0.0), (0.66, 0.55), (0.36, 1.0))),
            line((0.34, 0.5), (0.82, 0.48)),
        ],
        "crossbar, wide": [
            line((0.18, 0.0), (0.88, 0.0), (0.46, 1.0)),
            line((0.24, 0.56), (0.9, 0.54)),
        ],
    },
    8: {},
    9: {
        "open loop": [
            join(arc(0.46, 0.28, 0.3, 0.28, 95, 360, 26), line((0.76, 0.28), (0.72, 1.0)))
        ],
        "open loop, two strokes": [
            arc(0.45, 0.28, 0.29, 0.28, -15, -265, 26),
            line((0.74, 0.06), (0.72, 1.0)),
        ],
    },
}

# Style families the issue names, scored on their own: (digit, member styles).
FAMILIES: dict[str, tuple[int, tuple[str, ...]]] = {
    "long-flag 1": (1, ("long flag", "long flag + base", "long flag, steep", "long flag, curved")),
    "crossbar 7": (
        7,
        ("crossbar", "crossbar, hooked top", "crossbar, curved stem", "crossbar, wide"),
    ),
    "open 4": (4, ("open", "open, slanted", "open, tall stem")),
    "open 9": (9, ("open loop", "open loop, two strokes")),
}


def coverage(strokes: list[Stroke], width: float, size: int = CANVAS) -> np.ndarray:
    """Pen coverage in [0, 1] of polylines in pixel coordinates: float32 (size, size).

    Round caps and joins with anti-aliasing: clip(width/2 + 0.5 - distance, 0, 1), evaluated at
    pixel centres, combined by max (one opaque colour, so overlaps don't darken).
    """
    cov = np.zeros((size, size), dtype=np.float32)
    reach = width / 2 + 1
    for stroke in strokes:
        pts = np.asarray(stroke, dtype=np.float64)
        if len(pts) == 1:
            pts = np.vstack([pts, pts])
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            # Only the pixels near this segment can be touched by it.
            x0 = max(int(np.floor(min(a[0], b[0]) - reach)), 0)
            x1 = min(int(np.ceil(max(a[0], b[0]) + reach)) + 1, size)
            y0 = max(int(np.floor(min(a[1], b[1]) - reach)), 0)
            y1 = min(int(np.ceil(max(a[1], b[1]) + reach)) + 1, size)
            if x0 >= x1 or y0 >= y1:
                continue
            px = np.arange(x0, x1) + 0.5  # (w,) pixel centres
            py = np.arange(y0, y1)[:, None] + 0.5  # (h, 1)
            ab = b - a
            len2 = float(ab @ ab)
            t = 0.0
            if len2 > 0:  # closest point on the segment, as a fraction along it: (h, w)
                t = np.clip(((px - a[0]) * ab[0] + (py - a[1]) * ab[1]) / len2, 0.0, 1.0)
            d = np.hypot(px - (a[0] + t * ab[0]), py - (a[1] + t * ab[1]))  # (h, w)
            c = np.clip(width / 2 + 0.5 - d, 0.0, 1.0)
            np.maximum(cov[y0:y1, x0:x1], c, out=cov[y0:y1, x0:x1])
    return cov


def render(strokes: list[Stroke], width: float, size: int = CANVAS) -> np.ndarray:
    """Draw polylines like a canvas with dark ink -> RGBA uint8 (size, size, 4) (getImageData)."""
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    rgba[..., :3] = INK_RGB
    rgba[..., 3] = np.round(coverage(strokes, width, size) * 255).astype(np.uint8)
    return rgba


def _smooth_noise(n: int, rng: np.random.Generator, scale: float) -> np.ndarray:
    """Slowly varying 2-D jitter along a stroke of n points: (n, 2)."""
    knots = rng.normal(0, scale, size=(4, 2))
    t = np.linspace(0, 3, n)
    return np.stack([np.interp(t, np.arange(4), knots[:, i]) for i in range(2)], axis=1)


def random_digit(digit: int, rng: np.random.Generator, size: int = CANVAS):
    """A randomly drawn `digit` (template, pen, size, place, slant, rotation, jitter).

    Draws from the original TEMPLATES only, with the "varied" pen: the 400-digit set of
    scripts/model/eval_drawn.py is made this way and stays exactly as it was.
    Returns (rgba (size, size, 4) uint8, description dict).
    """
    templates = TEMPLATES[digit]
    which = int(rng.integers(len(templates)))
    rgba, info = draw(templates[which], rng, size)
    info.update(digit=digit, template=which, style=STYLE_NAMES[digit][which])
    return rgba, info


def styled_digit(
    digit: int, style: str, rng: np.random.Generator, pen: str = "varied", size: int = CANVAS
):
    """`digit` drawn in a named style (see styles()) with one of the PENS -> (rgba, info)."""
    rgba, info = draw(styles(digit)[style], rng, size, pen)
    info.update(digit=digit, style=style)
    return rgba, info


def draw(
    template: list[Stroke],
    rng: np.random.Generator,
    size: int = CANVAS,
    pen: str = "varied",
    max_rotation: float = 10.0,
):
    """Draw unit-box strokes like a person would on the canvas -> (rgba, info).

    Random height, aspect, pen width, slant, rotation (up to max_rotation degrees) and smooth
    jitter, then a random place on the canvas where the whole drawing fits (see place()). Sizes
    are those of a 280 px pad, scaled to `size` (a smaller canvas renders faster and, after
    preprocessing, looks the same).
    """
    strokes, width, info = place(template, rng, pen, max_rotation)
    scale = size / CANVAS  # exactly 1.0 on the 280 px pad
    return render([s * scale for s in strokes], width * scale, size), info


def place(
    template: list[Stroke], rng: np.random.Generator, pen: str = "varied", max_rotation=10.0
) -> tuple[list[Stroke], float, dict]:
    """Where a person's pen would go: unit-box strokes -> (polylines in 280 px pad pixels, pen
    width, info). `pen` picks how height, width and place vary (PENS); "varied" draws random
    numbers in exactly the order the original random_digit did."""
    if pen not in PENS:
        raise ValueError(f"unknown pen {pen!r}: one of {sorted(PENS)}")
    if pen == "varied":
        height = rng.uniform(0.3, 0.88) * CANVAS
        aspect = np.exp(rng.uniform(-0.2, 0.2))
        width = rng.uniform(8, 28)
        width = float(np.clip(width, 8, max(8.0, height / 5)))  # a fat pen on a tiny digit: blob
    else:
        lo_h, hi_h, lo_w, hi_w, max_ratio = PENS[pen]
        height = rng.uniform(lo_h, hi_h) * CANVAS
        aspect = np.exp(rng.uniform(-0.2, 0.2))
        width = float(min(rng.uniform(lo_w, hi_w), height / max_ratio))
    slant = rng.uniform(-0.3, 0.3)  # x shifts by -slant * (y - 0.5): positive leans right
    angle = np.deg2rad(rng.uniform(-max_rotation, max_rotation))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])

    strokes = []
    for stroke in template:
        p = stroke + _smooth_noise(len(stroke), rng, 0.025)
        p = p - 0.5  # centre the unit box on the origin
        p[:, 0] = p[:, 0] * aspect - slant * p[:, 1]
        p = p @ rot.T * height
        strokes.append(p)
    allp = np.concatenate(strokes)
    lo, hi = allp.min(0) - width / 2, allp.max(0) + width / 2
    room = np.maximum(CANVAS - (hi - lo), 0)
    if pen == "off-centre":  # pushed into a corner, a few pixels from the edges
        where = rng.integers(0, 2, size=2) * (1 - 0.06) + rng.uniform(0, 0.06, 2)
    else:  # anywhere on the canvas where the whole drawing fits
        where = rng.uniform(0, 1, 2)
    origin = -lo + where * room
    up = rot @ [slant, -1.0]  # the template's upright axis, drawn (y grows downwards)
    lean = float(np.degrees(np.arctan2(up[0], -up[1])))  # > 0: the top leans right
    info = {"pen": pen, "width": width, "height": height, "lean": lean}
    return [s + origin for s in strokes], width, info


# How people's pens and drawings vary (the page's own pen is 18 px on a 280 px pad, assets/js/
# pad.js; other apps, styluses and fingers differ). Per kind: height as a fraction of the canvas
# (low, high), pen width in px of a 280 px canvas (low, high), and the pen is at most height /
# max_ratio wide. "varied" (the original spread: 30-88 % tall, 8-28 px, at most a fifth of the
# height) is special-cased in draw() to keep its old random sequence.
PENS: dict[str, tuple[float, float, float, float, float] | None] = {
    "varied": None,
    "page": (0.3, 0.88, 18.0, 18.0, 2.5),  # the pad's fixed 18 px pen
    "thin": (0.4, 0.92, 1.5, 4.0, 10.0),  # an even, thin computer pen (1.5-4 px)
    "felt": (0.55, 0.95, 28.0, 44.0, 4.0),  # a thick felt pen
    "small": (0.13, 0.3, 4.0, 18.0, 4.0),  # a small digit (36-84 px tall)
    "off-centre": (0.3, 0.6, 8.0, 24.0, 5.0),  # pushed into a corner of the pad
}


def styles(digit: int) -> dict[str, list[Stroke]]:
    """Every named way of drawing `digit`: the original TEMPLATES, then the EXTRA styles."""
    named = dict(zip(STYLE_NAMES[digit], TEMPLATES[digit], strict=True))
    named.update(EXTRA[digit])
    return named


def family(digit: int, style: str) -> str | None:
    """The FAMILIES entry a style belongs to ("long-flag 1", "crossbar 7", ...), or None."""
    for name, (d, members) in FAMILIES.items():
        if d == digit and style in members:
            return name
    return None


def save_sheet(inputs: np.ndarray, path, columns: int) -> None:
    """Network inputs (N, 784) as a PNG of 28x28 tiles, `columns` to a row, dark ink on white,
    each tile framed in grey and shown 3x (needs Pillow)."""
    from PIL import Image

    rows = -(-len(inputs) // columns)
    grid = np.zeros((rows * columns, 784), dtype=np.float32)
    grid[: len(inputs)] = inputs
    tiles = (255 - grid.reshape(rows, columns, 28, 28) * 255).astype(np.uint8)
    tiles = np.pad(tiles, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=128)
    sheet = tiles.transpose(0, 2, 1, 3).reshape(rows * 30, columns * 30)
    Image.fromarray(sheet).resize((columns * 90, rows * 90), Image.NEAREST).save(path)
