"""The site build: what it stamps into the artefact, and what it refuses to delete."""

import json
import re
import shutil
import urllib.error
import urllib.request

import pytest

from scripts.site import website
from scripts.site.website import ROOT, BuildError, build

WHEEL = "numpy-9.9.9-cp399-cp399-pyodide_2099_0_wasm32.whl"  # a runtime upgrade's new wheel


@pytest.fixture
def source(tmp_path):
    """A small site source: the real engine.js and sw.js, and a fake assembled runtime whose
    lock names a numpy wheel engine.js has never heard of."""
    src = tmp_path / "source"
    (src / "py").mkdir(parents=True)
    (src / "py" / "worker.py").write_text("")
    (src / "index.html").write_text("<!doctype html>")
    (src / "questions.json").write_text("{}")
    (src / "assets" / "js").mkdir(parents=True)
    shutil.copy(ROOT / "assets" / "js" / "engine.js", src / "assets" / "js")
    shutil.copy(ROOT / "assets" / "js" / "i18n.js", src / "assets" / "js")
    shutil.copytree(ROOT / "assets" / "i18n", src / "assets" / "i18n")
    shutil.copy(ROOT / "sw.js", src)
    pyodide = src / website.PYODIDE_DIR
    pyodide.mkdir(parents=True)
    for name in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", WHEEL):
        (pyodide / name).write_bytes(b"x")
    lock = {"info": {}, "packages": {"numpy": {"file_name": WHEEL, "sha256": "ab" * 32}}}
    (pyodide / "pyodide-lock.json").write_text(json.dumps(lock))
    (src / "assets" / "vendor" / "MANIFEST.json").write_text("{}")
    (src / "assets" / "vendor-codemirror").mkdir()
    (src / "assets" / "vendor-codemirror" / "MANIFEST.json").write_text("{}")
    for entry in website.SITE_ENTRIES:  # any other published folder (docs/, ...) may be empty
        if not (src / entry).exists():
            (src / entry).mkdir()
    return src


def stamped_list(path, name: str) -> list[str]:
    match = re.search(rf"const {name} = (\[.*?\]);", path.read_text())
    assert match, f"no {name} in {path.name}"
    return json.loads(match.group(1))


def test_engine_js_checks_the_files_named_by_the_assembled_lock(source, tmp_path):
    """The built engine.js lists Pyodide's core files and the wheel the lock names, not a
    hard-coded one: a runtime upgrade reaches the file check without editing engine.js."""
    out = build(tmp_path / "site", source)
    files = stamped_list(out / "assets" / "js" / "engine.js", "PYODIDE_FILES")
    assert files == [*website.PYODIDE_CORE, WHEEL]
    assert not any(name.startswith("numpy-2.0.2") for name in files)


def test_i18n_js_lists_every_catalogue_by_its_own_name(source, tmp_path):
    """Adding a language is adding a catalogue file: the build writes the list into i18n.js."""
    catalogue = json.loads((source / "assets" / "i18n" / "de.json").read_text("utf-8"))
    catalogue["lang.name"] = "Français"
    (source / "assets" / "i18n" / "fr.json").write_text(json.dumps(catalogue), "utf-8")
    out = build(tmp_path / "site", source)
    text = (out / "assets" / "js" / "i18n.js").read_text("utf-8")
    [listed] = re.findall(r"export const LANGUAGE_NAMES = (\{.*\});", text)
    assert json.loads(listed) == {
        "en": "English",
        "de": "Deutsch",
        "es": "Español",
        "fr": "Français",
    }
    assert list(json.loads(listed)) == ["en", "de", "es", "fr"]


def test_a_wheel_named_by_the_lock_but_not_assembled_stops_the_build(source, tmp_path):
    """A lock naming a wheel that is not in assets/vendor/pyodide/ fails the build, naming it."""
    (source / website.PYODIDE_DIR / WHEEL).unlink()
    with pytest.raises(FileNotFoundError, match=re.escape(WHEEL)):
        build(tmp_path / "site", source)


def test_the_service_worker_gets_a_version_and_every_file(source, tmp_path):
    """The built sw.js has a content-hash VERSION and lists every published file but itself."""
    out = build(tmp_path / "site", source)
    text = (out / "sw.js").read_text()
    assert 'const VERSION = "dev"' not in text
    files = stamped_list(out / "sw.js", "FILES")
    assert "index.html" in files and f"assets/vendor/pyodide/{WHEEL}" in files
    assert "sw.js" not in files and "assets/vendor/MANIFEST.json" not in files


@pytest.mark.parametrize(
    ("file", "placeholder"),
    [("sw.js", "const FILES = [];"), ("sw.js", 'const VERSION = "dev";'),
     ("assets/js/engine.js", "const PYODIDE_FILES = [];")],
)  # fmt: skip
def test_a_moved_placeholder_stops_the_build(source, tmp_path, file, placeholder):
    """A placeholder the build cannot find fails it, naming the file, instead of shipping an
    unstamped file."""
    path = source / file
    path.write_text(path.read_text().replace(placeholder, placeholder.replace(" = ", " =  ")))
    with pytest.raises(BuildError, match=re.escape(path.name)):
        build(tmp_path / "site", source)


@pytest.mark.parametrize("where", ["source", "parent", "inside"])
def test_build_refuses_to_delete_the_source_or_a_folder_holding_it(source, where):
    """--out pointing at the checkout, a folder above it or one of its site folders is
    refused, and nothing is deleted."""
    out = {"source": source, "parent": source.parent, "inside": source / "py"}[where]
    before = sorted(p for p in source.rglob("*"))
    with pytest.raises(BuildError, match="refusing to build into"):
        build(out, source)
    assert sorted(p for p in source.rglob("*")) == before


def test_build_refuses_a_folder_that_is_not_an_earlier_build(source, tmp_path):
    """A non-empty folder without the build's marker is left alone; an earlier build is
    replaced."""
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.tex").write_text("years of work")
    with pytest.raises(BuildError, match="not an earlier build"):
        build(other, source)
    assert (other / "thesis.tex").read_text() == "years of work"
    site = build(tmp_path / "site", source)
    (site / "stale.txt").write_text("from the last build")
    build(site, source)
    assert not (site / "stale.txt").exists()


def fetch(url: str) -> tuple[int, str, str]:
    """Status, Cache-Control and body of a GET, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url) as response:
            return response.status, response.headers["Cache-Control"], response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Cache-Control"], ""


@pytest.fixture
def serving():
    """serving(server): serve it on loopback for this test; its origin."""
    servers = []

    def start(server):
        servers.append(server)
        website.serve_in_thread(server)
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    yield start
    for server in servers:
        server.shutdown()


def test_the_server_sends_the_cache_policy_it_is_given(source, tmp_path, serving):
    """Development revalidates every time; the browser tests ask for what GitHub Pages sends."""
    site = build(tmp_path / "site", source)
    dev = serving(website.make_server(site, prefix="/sd/"))
    pages = serving(
        website.make_server(site, prefix="/sd/", cache_control=website.PAGES_CACHE_CONTROL)
    )
    assert fetch(dev + "/sd/questions.json")[:2] == (200, "no-cache")
    assert fetch(pages + "/sd/questions.json")[:2] == (200, "max-age=600")


def test_copies_of_the_site_are_served_side_by_side_on_one_origin(source, tmp_path, serving):
    """A fork under /softmax-digits-fr/ beside /softmax-digits/: each prefix serves its own
    folder (a shared start of the name does not mix them), and each bare prefix redirects."""
    original = build(tmp_path / "original", source)
    (source / "questions.json").write_text('{"fork": true}')
    fork = build(tmp_path / "fork", source)
    origin = serving(
        website.make_server(
            original, prefix="/softmax-digits/", copies={"/softmax-digits-fr": fork}
        )
    )
    assert fetch(origin + "/softmax-digits/questions.json")[::2] == (200, "{}")
    assert fetch(origin + "/softmax-digits-fr/questions.json")[::2] == (200, '{"fork": true}')
    assert fetch(origin + "/softmax-digits-fr")[0] == 301
    assert fetch(origin + "/softmax-digits-de/questions.json")[0] == 404


def test_every_languages_question_file_is_published_and_served(source, tmp_path, serving):
    """questions.<lang>.json beside questions.json is part of the site as soon as it is added
    (docs/quiz.md); other files at the top of the source stay private."""
    (source / "questions.de.json").write_text('{"de": true}')
    (source / "questions.draft.json.bak").write_text("{}")
    (source / "notes.json").write_text("{}")
    site = build(tmp_path / "site", source)
    assert (site / "questions.de.json").read_text() == '{"de": true}'
    assert not (site / "questions.draft.json.bak").exists() and not (site / "notes.json").exists()
    origin = serving(website.make_server(source, prefix="/sd/"))
    assert fetch(origin + "/sd/questions.de.json")[::2] == (200, '{"de": true}')
    assert fetch(origin + "/sd/notes.json")[0] == 404
    assert fetch(origin + "/sd/questions.draft.json.bak")[0] == 404
