"""The Pages artefact is self-contained: served under a sub-path, every URL resolves inside it."""

from pathlib import Path
from urllib.parse import urlsplit

from conftest import PREFIX, goto_ready


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
    assert top == sorted(
        [".nojekyll", "assets", "docs", "index.html", "py", "questions.json", "sw.js"]
    )
    assert not list(site_dir.rglob("__pycache__"))
