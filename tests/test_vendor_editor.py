"""The code editor's assembly: imports rewritten to sibling files, pins enforced, no network."""

import json

import pytest

from scripts.site import vendor_editor as ve

KNOWN = {"@codemirror/state", "style-mod", "@lezer/common"}


def test_package_imports_become_sibling_files():
    """import/export ... from 'pkg' (one or several lines) points at ./<flat name>.js."""
    source = (
        "import { EditorState,\n  Facet } from '@codemirror/state';\n"
        'import { StyleModule } from "style-mod";\n'
        "export { Tree } from '@lezer/common';\n"
        "const text = 'from here';\n"
    )
    out = ve.rewrite_imports(source, KNOWN, "test")
    assert "from './codemirror-state.js'" in out
    assert 'from "./style-mod.js"' in out
    assert "export { Tree } from './lezer-common.js'" in out
    assert "const text = 'from here';" in out


@pytest.mark.parametrize("spec", ["./other.js", "@codemirror/search"])
def test_relative_or_unpinned_imports_are_refused(spec):
    """An entry that is not self-contained, or needs an unpinned package, stops the assembly."""
    with pytest.raises(ve.RuntimeAssemblyError, match="not pinned"):
        ve.rewrite_imports(f"import {{ x }} from '{spec}';\n", KNOWN, "pkg@1")


def test_names_of_files_and_tarballs():
    """Scoped names are flattened the way npm pack and the page expect."""
    assert ve.flat_name("@codemirror/view") == "codemirror-view.js"
    assert ve.flat_name("crelt") == "crelt.js"
    assert ve.tarball_name("@lezer/lr", "1.4.12") == "lezer-lr-1.4.12.tgz"


def test_every_pinned_dependency_is_itself_pinned():
    """One copy of each package, each with a sha256."""
    names = [name for name, _, _ in ve.PACKAGES]
    assert len(names) == len(set(names))
    assert all(len(sha) == 64 for _, _, sha in ve.PACKAGES)


def test_a_changed_pin_list_means_reassembly(tmp_path, monkeypatch):
    """The manifest records the pins: the same files under other pins are not 'in place'."""
    monkeypatch.setattr(ve, "OUT", tmp_path)
    monkeypatch.setattr(ve, "MANIFEST", tmp_path / "MANIFEST.json")
    (tmp_path / "a.js").write_text("x")
    files = {"a.js": ve.sha256_of(tmp_path / "a.js")}
    ve.MANIFEST.write_text(json.dumps({"pins": ve.pins(), "files": files}))
    assert ve.manifest_is_valid()
    ve.MANIFEST.write_text(json.dumps({"pins": ve.pins()[1:], "files": files}))
    assert not ve.manifest_is_valid()
    ve.MANIFEST.write_text("not json")
    assert not ve.manifest_is_valid()


def test_assembled_editor_is_in_place_without_network(monkeypatch, capsys):
    """With assets/vendor-codemirror/ assembled, a run verifies it and runs no npm."""
    if not ve.manifest_is_valid():
        pytest.skip("the editor is not assembled here (scripts/site/vendor_editor.py)")
    monkeypatch.setattr(ve, "cached_npm_tarball", lambda *a: pytest.fail("npm was called"))
    assert ve.main() == 0
    assert "already assembled" in capsys.readouterr().out
