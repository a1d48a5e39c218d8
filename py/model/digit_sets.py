"""Shipped digit sets: labelled 28x28 digits in a small .npz the page fetches when it needs them.

A set is what the network sees, already normalised (preprocess.normalise) and quantised to
uint8 grey levels (0 = no ink, 255 = full ink), so the page feeds it to the network as is:

    images  uint8 (N, 28, 28)   the network inputs, times 255
    labels  uint8 (N,)          the true digit, 0..9
    indices int   (N,)          where each digit comes from in its source (e.g. MNIST test index)
    source  str   ()            one line: where the digits come from and how they were made

The loader takes bytes (the browser fetches the file; CPython reads it from disk) and checks
everything, so a truncated or wrong file fails with one clear DigitSetError (its message in the
language shown, py/lab/catalogue.py), not deep in numpy.
numpy only: this module runs under Pyodide.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import numpy as np

import catalogue

SIDE = 28
REQUIRED = ("images", "labels", "indices", "source")


class DigitSetError(ValueError):
    """A digit set file is unreadable or does not hold what a digit set must."""


@dataclass(frozen=True)
class DigitSet:
    name: str
    images: np.ndarray  # (N, 28, 28) uint8
    labels: np.ndarray  # (N,) int64
    indices: np.ndarray  # (N,) int64
    source: str

    def __len__(self) -> int:
        return len(self.labels)

    def inputs(self, rows: slice | np.ndarray = slice(None)) -> np.ndarray:
        """Network inputs of the chosen digits: (n, 784) float32 in [0, 1]."""
        return to_inputs(self.images[rows].reshape(-1, SIDE * SIDE))


def to_inputs(grey: np.ndarray) -> np.ndarray:
    """uint8 grey levels (..., 784) -> float32 network inputs in [0, 1] (the one conversion, so a
    digit loaded into the lab and the same digit scored in a batch get identical logits)."""
    grey = np.asarray(grey)
    if grey.shape[-1] != SIDE * SIDE:
        raise DigitSetError(catalogue.t("lab.digits.pixels", n=SIDE * SIDE, shape=grey.shape))
    if grey.dtype != np.uint8:
        if not np.all((grey >= 0) & (grey <= 255) & (grey == np.round(grey))):
            raise DigitSetError(catalogue.t("lab.digits.grey"))
        grey = grey.astype(np.uint8)
    return grey.astype(np.float32) / np.float32(255)


def _arrays(data: bytes, name: str) -> dict[str, np.ndarray]:
    try:
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as npz:
            return {key: npz[key] for key in npz.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as err:
        raise DigitSetError(catalogue.t("lab.digits.unreadable", name=repr(name), why=err)) from err


def load_digit_set(data: bytes, name: str) -> DigitSet:
    """The digit set in `data` (the bytes of its .npz), checked. Raises DigitSetError."""
    arrays = _arrays(data, name)
    missing = [key for key in REQUIRED if key not in arrays]
    if missing:
        raise DigitSetError(
            catalogue.t("lab.digits.lacks", name=repr(name), missing=", ".join(missing))
        )
    images, labels, indices = arrays["images"], arrays["labels"], arrays["indices"]
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
        raise DigitSetError(
            catalogue.t("lab.digits.images", name=repr(name), got=f"{images.dtype} {images.shape}")
        )
    n = images.shape[0]
    if n == 0:
        raise DigitSetError(catalogue.t("lab.digits.empty", name=repr(name)))
    for key, array in (("labels", labels), ("indices", indices)):
        if array.shape != (n,) or not np.issubdtype(array.dtype, np.integer):
            raise DigitSetError(
                catalogue.t(
                    "lab.digits.integers",
                    name=repr(name),
                    field=key,
                    n=n,
                    got=f"{array.dtype} {array.shape}",
                )
            )
    if labels.min() < 0 or labels.max() > 9:
        raise DigitSetError(catalogue.t("lab.digits.labels", name=repr(name)))
    if arrays["source"].shape != () or arrays["source"].dtype.kind != "U":
        raise DigitSetError(catalogue.t("lab.digits.source", name=repr(name)))
    return DigitSet(
        name=name,
        images=images,
        labels=labels.astype(np.int64),
        indices=indices.astype(np.int64),
        source=str(arrays["source"]),
    )


def encode_digit_set(
    images: np.ndarray, labels: np.ndarray, indices: np.ndarray, source: str
) -> bytes:
    """The .npz bytes of a digit set, byte for byte reproducible (np.savez stamps each member
    with the current time, which would change the committed file on every run)."""
    arrays = {
        "images": np.ascontiguousarray(images, dtype=np.uint8),
        "labels": np.ascontiguousarray(labels, dtype=np.uint8),
        "indices": np.ascontiguousarray(indices, dtype=np.int32),
        "source": np.array(source),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for key, array in arrays.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            zf.writestr(info, member.getvalue(), compresslevel=9)
    data = buf.getvalue()
    load_digit_set(data, "new set")  # never write a file the loader would refuse
    return data
