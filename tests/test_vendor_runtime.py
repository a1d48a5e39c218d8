"""The runtime assembly script: checksums, clear failures, and no network work when in place."""

import json

import pytest

from scripts.site import vendor_runtime as vr


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


STOCK_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
WHEEL = "numpy-2.0.2-1-cp312-cp312-pyodide_2024_0_wasm32.whl"  # compiled (build tag 1)


def fake_assembly(vendor):
    """A complete assembly with stand-in bytes and its manifest, as a first run leaves it."""
    for folder, names, wheel in (
        ("pyodide", vr.PYODIDE_FILES, WHEEL),
        (vr.STOCK, vr.COMPILED_FILES, STOCK_WHEEL),
    ):
        (vendor / folder).mkdir(parents=True)
        for name in (*names, wheel):
            (vendor / folder / name).write_text(folder + name)
        lock = {"info": {}, "packages": {"numpy": {"file_name": wheel, "sha256": "ab" * 32}}}
        (vendor / folder / "pyodide-lock.json").write_text(json.dumps(lock))
    (vendor / "pyscript").mkdir()
    for name in ("core.js", "core.css", "core-abc123.js"):
        (vendor / "pyscript" / name).write_text(name)
    vr.write_manifest(vendor)


def test_second_run_verifies_the_manifest_and_fetches_nothing(sandbox, monkeypatch):
    """With every file matching the manifest, main() returns at once without any download."""
    fake_assembly(vr.VENDOR)

    def no_network(*args, **kwargs):
        raise AssertionError("network work on a second run")

    monkeypatch.setattr(vr, "run", no_network)
    monkeypatch.setattr(vr.urllib.request, "urlopen", no_network)
    assert vr.main() == 0
    (vr.VENDOR / "pyodide" / "pyodide.asm.js").write_text("changed")
    assert not vr.manifest_is_valid()  # a tampered file triggers a rebuild


@pytest.mark.parametrize(
    "manifest",
    [{"files": {}}, {"pins": None, "files": {}}, {}, [], "x"],
    ids=["no-files-no-pins", "no-files", "empty", "list", "string"],
)
def test_a_manifest_that_only_checks_itself_is_not_an_assembly(sandbox, manifest):
    """A manifest listing no files, or without the pins, does not pass for a runtime."""
    vr.VENDOR.mkdir(parents=True)
    vr.MANIFEST.write_text(json.dumps(manifest))
    assert not vr.manifest_is_valid()


@pytest.mark.parametrize(
    "pin",
    [
        ("PYODIDE", ("pyodide", "0.28.0", "pyodide-0.28.0.tgz", "0" * 64)),
        ("PYSCRIPT", ("@pyscript/core", "0.6.61", "pyscript-core-0.6.61.tgz", "0" * 64)),
        ("OFFICIAL_LOCK_SHA256", "1" * 64),
        ("PYODIDE_FILES", (*vr.PYODIDE_FILES, "pyodide.js")),
        ("COMPILED_IMPORTS", (*vr.COMPILED_IMPORTS, "statistics")),
        ("COMPILE_RECIPE", vr.COMPILE_RECIPE + 1),
    ],
    ids=lambda pin: pin[0] if isinstance(pin, tuple) else None,
)
def test_a_changed_pin_means_the_runtime_is_assembled_again(sandbox, monkeypatch, pin):
    """After a pinned version or file list changes, main() assembles again instead of
    trusting the old files."""
    fake_assembly(vr.VENDOR)
    assert vr.manifest_is_valid()
    monkeypatch.setattr(vr, *pin)
    assert not vr.manifest_is_valid()
    calls = []

    def assemble(staging):
        calls.append(staging)
        raise vr.RuntimeAssemblyError("stopped by the test")

    monkeypatch.setattr(vr, "assemble", assemble)
    assert vr.main() == 1
    assert len(calls) == 1
    assert (vr.VENDOR / "pyodide" / WHEEL).is_file(), "a failed run keeps the old runtime"


@pytest.mark.parametrize(
    "damage",
    [
        "missing-stdlib",
        "missing-wheel",
        "missing-stock-stdlib",
        "missing-stock-wheel",
        "missing-core-js",
        "extra-file",
        "extra-in-manifest",
    ],
)
def test_an_assembly_without_the_expected_files_is_not_valid(sandbox, damage):
    """A file the runtime needs missing (even from a self-consistent manifest), or a file on
    disk the manifest does not list, means the runtime is assembled again."""
    fake_assembly(vr.VENDOR)
    pyodide = vr.VENDOR / "pyodide"
    if damage == "extra-file":
        (pyodide / "stray.whl").write_text("?")
    elif damage == "extra-in-manifest":
        (pyodide / "stray.whl").write_text("?")
        vr.write_manifest(vr.VENDOR)
    else:
        gone = {
            "missing-stdlib": pyodide / "python_stdlib.zip",
            "missing-wheel": pyodide / WHEEL,
            "missing-stock-stdlib": vr.VENDOR / vr.STOCK / "python_stdlib.zip",
            "missing-stock-wheel": vr.VENDOR / vr.STOCK / STOCK_WHEEL,
            "missing-core-js": vr.VENDOR / "pyscript" / "core.js",
        }[damage]
        gone.unlink()
        vr.write_manifest(vr.VENDOR)  # the manifest agrees with what is there
    assert not vr.manifest_is_valid()


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


def test_the_compiled_wheel_carries_a_build_tag_beside_the_published_name():
    """PEP 427's build tag: the rewritten wheel is never taken for numpy's published file."""
    assert vr.compiled_wheel_name(STOCK_WHEEL) == WHEEL


def test_without_node_the_compile_step_stops_with_a_clear_message(sandbox, monkeypatch):
    """Compiling needs Node (it comes with the npm setup.sh installs when missing); without it
    the assembly names what it could not do."""
    fake_assembly(sandbox / "staging")
    monkeypatch.setenv("PATH", str(sandbox / "empty-bin"))
    with pytest.raises(vr.RuntimeAssemblyError, match="cannot compile .*'node' is not installed"):
        vr.compile_python(sandbox / "staging")
