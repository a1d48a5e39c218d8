"""The Pages artefact is self-contained: served under a sub-path, every URL resolves inside it."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from conftest import PREFIX, goto_ready

ROOT = Path(__file__).resolve().parent.parent


def test_every_request_resolves_inside_the_artefact(page, base_url, site_dir: Path):
    """Each URL the page loads is under the sub-path, answered 200, and a file in the build."""
    responses = []
    page.on("response", lambda r: responses.append((r.url, r.status)))
    goto_ready(page, base_url)
    # The worker's requests are seen by the page's network events too.
    assert any(url.endswith("pyodide.asm.wasm") for url, _ in responses)
    for url, status in responses:
        if url.startswith(("data:", "blob:")):
            continue
        path = urlsplit(url).path
        assert path.startswith(PREFIX), url
        assert status in (200, 304), (url, status)
        rel = path[len(PREFIX) :] or "index.html"
        assert (site_dir / rel).is_file(), f"{rel} is not in the artefact"


def test_artefact_holds_only_the_public_site(site_dir: Path):
    """No tests, scripts, caches or git data leak into what Pages publishes."""
    top = sorted(p.name for p in site_dir.iterdir())
    # Each language's question file sits beside questions.json (docs/quiz.md).
    quizzes = [p.name for p in ROOT.glob("questions.*.json")]
    assert len(quizzes) >= 2
    assert top == sorted(
        [".nojekyll", "assets", "docs", "index.html", "py", "questions.json", "sw.js", *quizzes]
    )
    assert not list(site_dir.rglob("__pycache__"))


def test_the_file_check_covers_every_pyodide_file_the_page_loads(page, base_url, site_dir: Path):
    """The runtime file list the build wrote into engine.js names every file the page loads
    from Pyodide's folder, and each is in the artefact: a missing one would be diagnosed."""
    paths = set()
    page.on("response", lambda r: paths.add(urlsplit(r.url).path))
    goto_ready(page, base_url)
    folder = f"{PREFIX}assets/vendor/pyodide/"
    loaded = {path[len(folder) :] for path in paths if path.startswith(folder)}
    engine = (site_dir / "assets" / "js" / "engine.js").read_text()
    checked = set(json.loads(re.search(r"const PYODIDE_FILES = (\[.*?\]);", engine).group(1)))
    checked.add("pyodide.mjs")  # checked by engine.js beside the stamped list
    assert any(name.endswith(".whl") for name in loaded)
    assert loaded <= checked, loaded - checked
    assert all((site_dir / "assets" / "vendor" / "pyodide" / name).is_file() for name in checked)
