#!/usr/bin/env python3
"""Assemble the code editor (CodeMirror 6) into assets/vendor-codemirror/, from npm, pinned.

Standard library only, like scripts/site/vendor_runtime.py (whose checksum and npm helpers it uses).

Each package below is fetched with `npm pack name@version` and refused unless its tarball has the
pinned sha256. Its ES module entry (one file per package) is copied as `<flat name>.js`, with its
import specifiers rewritten from package names ('@codemirror/state') to the sibling file
('./codemirror-state.js'): the browser then loads the modules as they are, without a bundler or
an import map (which the page's Content-Security-Policy would have to allow inline). Nothing else
is changed. Each package's LICENSE is copied beside it. A second run verifies the files against
the manifest (which also records the pins, so a changed pin list reassembles) and does no network
work.

The page loads these files only when the learner opens the code panel.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vendor_runtime import (  # noqa: E402
    CACHE,
    ROOT,
    RuntimeAssemblyError,
    cached_npm_tarball,
    sha256_of,
)

OUT = ROOT / "assets" / "vendor-codemirror"
MANIFEST = OUT / "MANIFEST.json"

# (package, version, sha256 of the npm tarball): one consistent set, as npm resolves
# @codemirror/{view,state,commands,language,lang-python} (lang-python needs autocomplete).
_PINNED = """
@codemirror/autocomplete 6.20.4 40b9657b137284426bcd829cdee7dc78a748337de997a12b10b5c725f67aa0d0
@codemirror/commands 6.11.1 f477f46d8c00278e1b387baebd53bd6556fd5f3c7401ebe2a05543600fcbff0f
@codemirror/lang-python 6.2.1 022a075ece066c3015dce4fbddd4d8b6f597679e756d50e697ec16cd3e5b59ca
@codemirror/language 6.13.1 e711ec28da046f6c163e777c5466d8ac805ee9ef5f51c511e8729c6789be7f83
@codemirror/state 6.7.6 91d75acc955ceeaf86af9396c11cda7694fe6222aac8427fa033d89eff5ac839
@codemirror/streamparser 6.0.0 b4888c5ab40350e7a1747d765948a8fa45cfd127c479dd4cdef8097046efe14a
@codemirror/view 6.43.15 f0d5921406f841d211fa0887aabf10626c47676bfc63a4abed2a4d207e27c5ac
@lezer/common 1.5.5 ed93cee36403124f51eae638b8a032d6694914c19704de7610db7f2a9441c963
@lezer/highlight 1.2.5 e349eec1ff4382439c1e6286ae937e0203a8349c5192e2e133863391775ac7ff
@lezer/lr 1.4.12 64382ee7f144221e4c655f2034393c6be9cecaf5ea2ec1c1edeb99424defb272
@lezer/python 1.1.19 0e00a32717366099c01b38a19ceb73315cd1dd9b335d98b49fea50ab7c5c2a98
@marijn/find-cluster-break 1.0.4 5d12b770b64d46632c84fcd18e1d4c09f195ed0f5dbc71f94a41f0af333eaeae
crelt 1.0.7 3542299c0278fdc26aceb2b13d31bffbcb89d7367706bbc457130e3fd103c03e
style-mod 4.1.5 c4a44844213a141da55c51a2f81d701acdb9944465328b4a2a6b9626c6d9fc39
w3c-keyname 2.2.8 05d21484026d1f2dd842c843181e391e66d60f1d5dff292d562c3f40302dab36
"""
PACKAGES = tuple(tuple(line.split()) for line in _PINNED.strip().splitlines())

# A static import or re-export statement (`import {a} from 'x'`, `export * from "x"`, possibly
# over several lines) or a bare `import 'x'`: group "spec" is the module specifier.
_STATEMENT = re.compile(
    r"""(?m)^(?P<head>\s*(?:import|export)\b[^'";]*?\bfrom\s*|\s*import\s*)"""
    r"""(?P<quote>['"])(?P<spec>[^'"]+)(?P=quote)"""
)


def flat_name(package: str) -> str:
    """'@codemirror/view' -> 'codemirror-view.js': the file the package becomes."""
    return package.lstrip("@").replace("/", "-") + ".js"


def tarball_name(package: str, version: str) -> str:
    """The file `npm pack` writes: '@lezer/lr', '1.4.12' -> 'lezer-lr-1.4.12.tgz'."""
    return f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"


def rewrite_imports(source: str, known: set[str], where: str) -> str:
    """Point every package-name import at its sibling file; refuse relative or unknown ones
    (the entry must be one self-contained file, and every dependency must be pinned here)."""

    def replace(match: re.Match) -> str:
        spec = match["spec"]
        if spec not in known:
            raise RuntimeAssemblyError(f"{where} imports {spec!r}, which is not pinned here")
        return f"{match['head']}{match['quote']}./{flat_name(spec)}{match['quote']}"

    return _STATEMENT.sub(replace, source)


def _entry_point(package_json: dict) -> str:
    exports = package_json.get("exports")
    if isinstance(exports, dict) and isinstance(exports.get("import"), str):
        return exports["import"]
    if isinstance(package_json.get("module"), str):
        return package_json["module"]
    raise RuntimeAssemblyError(f"{package_json.get('name')} has no ES module entry")


def assemble(staging: Path) -> dict[str, str]:
    CACHE.mkdir(parents=True, exist_ok=True)
    known = {name for name, _, _ in PACKAGES}
    (staging / "LICENSES").mkdir()
    for name, version, sha in PACKAGES:
        tgz = cached_npm_tarball(name, version, tarball_name(name, version), sha)
        with tarfile.open(tgz) as tar:
            package_json = json.loads(tar.extractfile("package/package.json").read())
            entry = "package/" + _entry_point(package_json).removeprefix("./")
            try:
                source = tar.extractfile(entry).read().decode("utf-8")
                license_text = tar.extractfile("package/LICENSE").read()
            except KeyError as err:
                raise RuntimeAssemblyError(f"{tgz.name} lacks {err.args[0]}") from err
        out = staging / flat_name(name)
        out.write_text(rewrite_imports(source, known, f"{name}@{version}"), encoding="utf-8")
        (staging / "LICENSES" / (flat_name(name)[:-3] + ".txt")).write_bytes(license_text)
    return {
        p.relative_to(staging).as_posix(): sha256_of(p)
        for p in sorted(staging.rglob("*"))
        if p.is_file()
    }


def pins() -> list[str]:
    return [f"{name}@{version} {sha}" for name, version, sha in PACKAGES]


def manifest_is_valid() -> bool:
    try:
        manifest = json.loads(MANIFEST.read_text())
        files, pinned = manifest["files"], manifest["pins"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return pinned == pins() and all(
        (OUT / rel).is_file() and sha256_of(OUT / rel) == sha for rel, sha in files.items()
    )


def main() -> int:
    if manifest_is_valid():
        print(f"code editor already assembled and verified in {OUT.relative_to(ROOT)}/")
        return 0
    print(f"assembling the code editor (CodeMirror) into {OUT.relative_to(ROOT)}/")
    with tempfile.TemporaryDirectory(dir=OUT.parent, prefix=".vendor-") as tmp:
        staging = Path(tmp) / "editor"
        staging.mkdir()
        try:
            files = assemble(staging)
        except RuntimeAssemblyError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        manifest = {"pins": pins(), "files": files}
        (staging / MANIFEST.name).write_text(json.dumps(manifest, indent=1) + "\n")
        shutil.rmtree(OUT, ignore_errors=True)  # swapped in whole: never half-updated
        staging.rename(OUT)
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"code editor ready: {total / 1e6:.1f} MB in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
