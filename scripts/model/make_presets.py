#!/usr/bin/env python3
"""Fill in the MNIST presets of assets/presets.json from the shipped held-out digits.

    python scripts/model/make_presets.py           # rewrite assets/presets.json
    python scripts/model/make_presets.py --check   # exit 1 if the file is not what this would write

Everything in the file is written by hand except, for each preset with a `mnist_test_index`,
its `label` and `pixels`: those are copied from assets/digits/mnist-test.npz (the digit with that
official MNIST test index), so a preset is exactly the digit the calibration panel scores. The
file is then written in one layout (a pixel row per line, a stroke per line), so the same input
always gives the same bytes. Finally py/lab/presets.py must accept every preset.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402

use_page_modules()

from digit_sets import load_digit_set  # noqa: E402
from presets import encode_pixels, load_presets  # noqa: E402

PRESETS = ROOT / "assets" / "presets.json"
DIGITS = ROOT / "assets" / "digits" / "mnist-test.npz"


def fill(data: dict, digits) -> dict:
    """`data` with label and pixels of every MNIST preset copied from the digit set."""
    rows = {int(index): row for row, index in enumerate(digits.indices)}
    for preset in data["presets"]:
        if "mnist_test_index" in preset:
            row = rows[preset["mnist_test_index"]]  # KeyError: that digit is not shipped
            preset["label"] = int(digits.labels[row])
            preset["pixels"] = encode_pixels(digits.images[row].reshape(-1))
    return data


def dump(data: dict) -> str:
    """The file's text: a field per line, a pixel row or a stroke per line."""
    out = ["{"]
    for key, value in data.items():
        if key != "presets":
            out.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    out.append('  "presets": [')
    for n, preset in enumerate(data["presets"]):
        fields = []
        for key, value in preset.items():
            if key in ("pixels", "strokes"):
                inner = ",\n".join(f"        {json.dumps(v)}" for v in value)
                fields.append(f"      {json.dumps(key)}: [\n{inner}\n      ]")
            else:
                fields.append(f"      {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        comma = "," if n < len(data["presets"]) - 1 else ""
        out += ["    {", ",\n".join(fields), "    }" + comma]
    out += ["  ]", "}"]
    return "\n".join(out) + "\n"


def build(text: str) -> str:
    digits = load_digit_set(DIGITS.read_bytes(), DIGITS.stem)
    written = dump(fill(json.loads(text), digits))
    errors = load_presets(written)["errors"]
    if errors:
        raise SystemExit("\n".join(errors))
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the file is up to date")
    args = parser.parse_args(argv)
    current = PRESETS.read_text()
    written = build(current)
    if args.check:
        if written != current:
            print(f"{PRESETS.relative_to(ROOT)} is out of date: run scripts/model/make_presets.py")
            return 1
        print(f"OK: {PRESETS.relative_to(ROOT)}")
        return 0
    PRESETS.write_text(written)
    print(f"wrote {PRESETS.relative_to(ROOT)}: {len(json.loads(written)['presets'])} presets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
