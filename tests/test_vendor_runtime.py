"""The runtime assembly script: checksums, clear failures, and no network work when in place."""

import json

import pytest

from scripts import vendor_runtime as vr


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Point the script at an empty vendor folder and download cache."""
    monkeypatch.setattr(vr, "VENDOR", tmp_path / "assets" / "vendor")
    monkeypatch.setattr(vr, "MANIFEST", tmp_path / "assets" / "vendor" / "MANIFEST.json")
    monkeypatch.setattr(vr, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(vr, "ROOT", tmp_path)
    return tmp_path


def test_checksum_mismatch_names_the_file_and_the_expected_hash(tmp_path):
    """A wrong sha256 stops with the file's name, the expected and the actual hash."""
    path = tmp_path / "pyodide.asm.wasm"
    path.write_bytes(b"not the real runtime")
    with pytest.raises(vr.RuntimeAssemblyError) as err:
        vr.check_sha256(path, "0" * 64)
    assert "pyodide.asm.wasm" in str(err.value) and "0" * 64 in str(err.value)


def test_a_missing_source_tool_stops_with_a_clear_message(sandbox, monkeypatch, capsys):
    """Without npm on PATH the run fails, says what it could not fetch, and leaves nothing."""
    monkeypatch.setenv("PATH", str(sandbox / "empty-bin"))
    assert vr.main() == 1
    message = capsys.readouterr().err
    assert "@pyscript/core@0.6.60" in message and "'npm' is not installed" in message
    assert not vr.VENDOR.exists(), "a failed run must not leave a half-built runtime"


def test_a_tampered_cached_tarball_is_refused(sandbox):
    """A cached npm tarball whose bytes differ from the pinned hash is not used."""
    vr.CACHE.mkdir(parents=True)
    (vr.CACHE / vr.PYSCRIPT[2]).write_bytes(b"tampered")
    with pytest.raises(vr.RuntimeAssemblyError, match="checksum mismatch for pyscript-core"):
        vr.cached_npm_tarball(*vr.PYSCRIPT)


def test_second_run_verifies_the_manifest_and_fetches_nothing(sandbox, monkeypatch):
    """With every file matching the manifest, main() returns at once without any download."""
    vr.VENDOR.mkdir(parents=True)
    (vr.VENDOR / "a.js").write_text("x")
    files = {"a.js": vr.sha256_of(vr.VENDOR / "a.js")}
    vr.MANIFEST.write_text(json.dumps({"files": files}))

    def no_network(*args, **kwargs):
        raise AssertionError("network work on a second run")

    monkeypatch.setattr(vr, "run", no_network)
    monkeypatch.setattr(vr.urllib.request, "urlopen", no_network)
    assert vr.main() == 0
    (vr.VENDOR / "a.js").write_text("changed")
    assert not vr.manifest_is_valid()  # a tampered file triggers a rebuild


def test_the_lock_is_trimmed_to_numpy_with_its_hash_untouched():
    """Only numpy stays in the shipped lock, with the official entry copied verbatim."""
    official = {
        "info": {"version": "0.27.7"},
        "packages": {"numpy": {"sha256": "ab" * 32}, "scipy": {"sha256": "cd" * 32}},
    }
    assert vr.trimmed_lock(official) == {
        "info": {"version": "0.27.7"},
        "packages": {"numpy": {"sha256": "ab" * 32}},
    }
