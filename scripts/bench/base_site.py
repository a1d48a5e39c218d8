"""Another commit of the site, built beside this one, for before/after benchmarks in one run.

    site = build_at("main", Path(tmp))   # git archive of the ref, this checkout's runtime

The runtime folders (assets/vendor/, assets/vendor-codemirror/) are not in git: the base uses
this checkout's, so only the committed code differs (a base from before the compiled runtime
gets Pyodide's files as published, as it shipped then: stock_vendor). The base is built by its
own build script (today's stamps files an older page may not have). Standard library only.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from scripts.site.vendor_runtime import STOCK, VENDOR
from scripts.site.website import ROOT

UNTRACKED = ("assets/vendor", "assets/vendor-codemirror")

# bench_memory.py reads the lab worker's WebAssembly memory through py/worker.py's memory_mb();
# a base from before that hook gets the same few lines appended, and nothing else changes.
MEMORY_HOOK = """

def memory_mb() -> float:
    import pyodide_js

    return pyodide_js._module.HEAP8.buffer.byteLength / 2**20


__export__.append("memory_mb")
"""


def _source_only(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's safe "data" filter, minus the local tool folders (a commit of main once held
    .venv and node_modules as symlinks to absolute paths, which that filter refuses)."""
    if member.name.split("/")[0] in (".venv", "node_modules"):
        return None
    return tarfile.data_filter(member, path)


def short_commit(ref: str) -> str:
    """`ref` as an abbreviated commit, to print beside the figures (a branch moves)."""
    out = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", ref], capture_output=True, check=False
    )
    return out.stdout.decode().strip() or ref


def stock_runtime(dest: Path) -> Path:
    """A Pyodide folder at `dest` as Pyodide publishes it: this checkout's pyodide.mjs, .asm.js
    and .asm.wasm with the standard library, numpy wheel and lock before compiling
    (assets/vendor/pyodide-stock/, scripts/site/vendor_runtime.py)."""
    dest.mkdir(parents=True)
    for path in (*(VENDOR / "pyodide").glob("pyodide.*"), *(VENDOR / STOCK).iterdir()):
        shutil.copy2(path, dest / path.name)
    return dest


def stock_vendor(dest: Path) -> Path:
    """An assets/vendor/ folder like this checkout's, with stock_runtime() as its pyodide/."""
    dest.mkdir(parents=True)
    for path in VENDOR.iterdir():
        if path.name not in ("pyodide", STOCK):
            (dest / path.name).symlink_to(path, target_is_directory=path.is_dir())
    stock_runtime(dest / "pyodide")
    return dest


def build_at(ref: str, tmp: Path, memory_hook: bool = False) -> Path:
    """Build the site as committed at `ref` into tmp/site (from a source tree in tmp/src)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref],
        capture_output=True,
        check=False,
    )
    if archive.returncode:
        raise SystemExit(f"git archive {ref}: {archive.stderr.decode().strip()}")
    source = tmp / "src"
    source.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(source, filter=_source_only)
    vendor_script = source / "scripts" / "site" / "vendor_runtime.py"
    compiled = vendor_script.exists() and STOCK in vendor_script.read_text()
    for folder in UNTRACKED:
        if folder == "assets/vendor" and not compiled:
            stock_vendor(source / folder)
        else:
            (source / folder).symlink_to(ROOT / folder, target_is_directory=True)
    worker = source / "py" / "worker.py"
    if memory_hook and "def memory_mb" not in worker.read_text():
        worker.write_text(worker.read_text() + MEMORY_HOOK)
    # Where the build script lived before and after the layout work (issue 27).
    script = next(
        s for s in ("scripts/site/build_site.py", "scripts/build_site.py") if (source / s).exists()
    )
    out = tmp / "site"
    built = subprocess.run(
        [sys.executable, script, "--out", str(out)], cwd=source, capture_output=True, check=False
    )
    if built.returncode:
        raise SystemExit(f"building {ref}: {built.stderr.decode().strip()}")
    return out
