"""What the published site is made of, how to build it, and a static server for it.

One list (SITE_ENTRIES) decides what is public, with the quiz's question file of each language
beside questions.json (QUESTION_FILES, questions.<lang>.json): the local server serves only these
paths, and the GitHub Pages artefact is exactly these paths copied. Standard library only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

try:  # imported as scripts.site.website, or as website beside it (build_site.py, serve.py)
    from . import markdown_html
except ImportError:
    import markdown_html

ROOT = Path(__file__).resolve().parents[2]
SITE_ENTRIES = ("index.html", "sw.js", "questions.json", "assets", "py", "docs")
# The quiz in another language (docs/quiz.md): published as it is added, no list to edit.
QUESTION_FILES = re.compile(r"questions\.[a-z]{2,3}(?:-[A-Za-z0-9]+)?\.json")
# PyScript chunks the page loads; the rest of its dist (editor, terminal, TOML, ...) stays out
# of the artefact so nothing unused is published or precached.
PYSCRIPT_USED = (
    "core.",
    "core-",
    "deprecations-manager-",
    "donkey-",
    "error-",
    "py-editor-",
    "py-game-",
    "py-terminal-",
)
# Browsers refuse module scripts and streaming wasm compilation with the wrong types.
MIME_TYPES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".py": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",  # docs/, shown as text (as GitHub Pages serves it)
    ".npz": "application/octet-stream",
    ".whl": "application/octet-stream",
    ".zip": "application/zip",
}


# The guides published as HTML pages too (markdown_html.py), beside their Markdown.
GUIDES = ("teachers.md", "lesson.md")
REPOSITORY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")
NO_REPOSITORY = (
    "(its address was not known when this site was built: it is the GitHub repository "
    "this site was published from; ask whoever sent you the site's link)"
)

# Pyodide's fixed files beside pyodide.mjs; the package wheels come from its lock file.
PYODIDE_CORE = ("pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
PYODIDE_DIR = Path("assets/vendor/pyodide")
I18N_DIR = Path("assets/i18n")  # one catalogue per language (assets/js/i18n.js)
# What GitHub Pages sends with every file: a browser may reuse it for 10 minutes unasked. The
# browser tests serve the site so, to see what a learner sees within 10 minutes of a deploy.
PAGES_CACHE_CONTROL = "max-age=600"
# Local development revalidates every time: a stale py/ module is a confusing bug.
DEV_CACHE_CONTROL = "no-cache"


class BuildError(RuntimeError):
    """The site cannot be built as asked: the message says why, and nothing was deleted."""


def build(out: Path, source: Path = ROOT, repository: str | None = None) -> Path:
    """Copy the site into `out` (replacing it): the exact artefact GitHub Pages serves.
    `repository` ("owner/name", else $GITHUB_REPOSITORY) is where the guides link to."""
    missing = [e for e in SITE_ENTRIES if not (source / e).exists()]
    if missing:
        raise FileNotFoundError(f"site entries missing from {source}: {missing}")
    if not (source / "assets" / "vendor" / "MANIFEST.json").exists():
        raise FileNotFoundError(
            "assets/vendor/ is not assembled: run scripts/site/vendor_runtime.py"
        )
    if not (source / "assets" / "vendor-codemirror" / "MANIFEST.json").exists():
        raise FileNotFoundError(
            "assets/vendor-codemirror/ is not assembled: run scripts/site/vendor_editor.py"
        )
    _check_replaceable(out, source)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for entry in (*SITE_ENTRIES, *question_files(source)):
        src = source / entry
        if src.is_dir():
            shutil.copytree(src, out / entry, ignore=_not_published)
        else:
            shutil.copy2(src, out / entry)
    (out / ".nojekyll").touch()  # Pages must not run Jekyll over the runtime files
    publish_guides(out, repository_url(repository))
    _stamp(
        out / "assets" / "js" / "engine.js",
        r"const PYODIDE_FILES = \[\];",
        f"const PYODIDE_FILES = {json.dumps(runtime_files(out / PYODIDE_DIR))};",
    )
    _stamp(
        out / "assets" / "js" / "i18n.js",
        r"export const LANGUAGE_NAMES = \{[^}\n]*\};",
        "export const LANGUAGE_NAMES = "
        f"{json.dumps(language_names(out / I18N_DIR), ensure_ascii=False)};",
    )
    _stamp_service_worker(out)  # last: it hashes every other file
    return out


def language_names(i18n_dir: Path) -> dict[str, str]:
    """The site's languages: each catalogue assets/i18n/<code>.json by code, named by its own
    "lang.name"; English first, then by code. A new catalogue file is a new language."""
    names = {
        path.stem: json.loads(path.read_text("utf-8"))["lang.name"]
        for path in sorted(i18n_dir.glob("*.json"))
    }
    return {"en": names.pop("en"), **names} if "en" in names else names


def question_files(source: Path) -> list[str]:
    """The question files of other languages in `source` (questions.de.json, ...)."""
    return sorted(p.name for p in source.iterdir() if QUESTION_FILES.fullmatch(p.name))


def _check_replaceable(out: Path, source: Path) -> None:
    """Refuse an output folder whose deletion would lose anything but an earlier build."""
    out, source = out.resolve(), source.resolve()
    if out == source or out in source.parents:
        raise BuildError(f"refusing to build into {out}: it holds the source {source}")
    if any(out == source / e or source / e in out.parents for e in SITE_ENTRIES):
        raise BuildError(f"refusing to build into {out}: it is part of the site's source")
    if out.is_file() or (out.is_dir() and any(out.iterdir()) and not (out / ".nojekyll").is_file()):
        raise BuildError(f"refusing to replace {out}: it is not empty and not an earlier build")


def repository_url(repository: str | None = None) -> str | None:
    """The GitHub address of the repository the site is built from: `repository`, else
    $GITHUB_REPOSITORY (GitHub Actions sets it to "owner/name"); None when neither is known."""
    name = (repository or os.environ.get("GITHUB_REPOSITORY") or "").strip()
    if not REPOSITORY_NAME.fullmatch(name):
        return None
    return f"https://github.com/{name}"


def guide_link(href: str, repository: str | None) -> str | None:
    """Where a guide's link goes on the site: "../" (the repository's top, as GitHub shows
    the Markdown) to the repository's address (None: the text alone, with the fallback note),
    a guide's .md to its HTML page; everything else as written."""
    if href == "../":
        return repository
    if href in GUIDES:
        return href.removesuffix(".md") + ".html"
    return href


def publish_guides(out: Path, repository: str | None) -> None:
    """Each guide in docs/ also as an HTML page (utf-8 declared in the page): the footer's
    teacher guide and the lesson sheet read as pages, not as raw Markdown."""
    for name in GUIDES:
        if not (out / "docs" / name).is_file():
            continue  # a fork may drop a guide: the rest of the site builds as before
        text = (out / "docs" / name).read_text("utf-8")
        if repository is None:
            text = text.replace("](../)", "](../) " + NO_REPOSITORY, 1)
        page = markdown_html.page(text, lambda href: guide_link(href, repository))
        (out / "docs" / name.removesuffix(".md")).with_suffix(".html").write_text(page, "utf-8")


def runtime_files(pyodide_dir: Path) -> list[str]:
    """The files Pyodide fetches from the folder of pyodide.mjs: its fixed core files and the
    wheel of every package in the assembled lock (so a runtime upgrade needs no edit here)."""
    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text())
    files = [*PYODIDE_CORE, *sorted(pkg["file_name"] for pkg in lock["packages"].values())]
    missing = [name for name in files if not (pyodide_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{pyodide_dir} lacks {missing}: run scripts/site/vendor_runtime.py"
        )
    return files


def _stamp(path: Path, pattern: str, replacement: str) -> None:
    """Replace the one placeholder matching `pattern` in `path`; a moved or duplicated
    placeholder stops the build instead of shipping an unstamped file."""
    text, count = re.subn(pattern, lambda _: replacement, path.read_text())
    if count != 1:
        raise BuildError(f"{path.name}: expected one placeholder {pattern!r}, found {count}")
    path.write_text(text)


def _not_published(folder: str, names: list[str]) -> set[str]:
    skip = {
        n
        for n in names
        if n in ("__pycache__", "MANIFEST.json", "model.json")  # model.json: docs, not loaded
        or n == "pyodide-stock"  # the published runtime files, before compiling: benchmarks only
        or n.startswith(".vendor-")
        or n.endswith((".pyc", ".pyi"))
    }
    if Path(folder).name == "pyscript":
        skip |= {n for n in names if not n.startswith(PYSCRIPT_USED)}
    return skip


def _stamp_service_worker(out: Path) -> None:
    """Write the file list and a content hash into sw.js: a new build is a new cache."""
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name not in ("sw.js", ".nojekyll")
    )
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode() + b"\0" + (out / rel).read_bytes())
    sw = out / "sw.js"
    _stamp(sw, r'const VERSION = "dev";', f'const VERSION = "{digest.hexdigest()[:16]}";')
    _stamp(sw, r"const FILES = \[\];", f"const FILES = {json.dumps(files)};")


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves each site folder under its prefix, only `entries`, minus `hidden` (for error
    tests), with `cache_control` on every answer."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def __init__(
        self,
        *args,
        sites: dict[str, Path],
        hidden: set[str],
        entries: tuple[str, ...],
        cache_control: str,
        **kwargs,
    ):
        self.sites = sites
        self.hidden = hidden
        self.entries = entries
        self.cache_control = cache_control
        super().__init__(*args, **kwargs)

    def _route(self) -> bool:
        """Map the URL onto a site, or answer 301/404 here; True when the file may be sent."""
        path = unquote(urlsplit(self.path).path)
        rel = None
        for prefix, directory in self.sites.items():
            if path == prefix.rstrip("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", prefix)
                self.end_headers()
                return False
            if path.startswith(prefix):
                rel = path[len(prefix) :] or "index.html"
                self.directory = str(directory)
                break
        if (
            rel is None
            or (rel.split("/")[0] not in self.entries and not QUESTION_FILES.fullmatch(rel))
            or rel in self.hidden
            or ".." in rel.split("/")
        ):
            self.send_error(HTTPStatus.NOT_FOUND)
            return False
        self.path = "/" + rel
        return True

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        if self._route():
            super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802
        if self._route():
            super().do_HEAD()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", self.cache_control)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def copyfile(self, source, outputfile) -> None:
        with self.server.lock:
            self.server.bytes_sent += os.fstat(source.fileno()).st_size
            self.server.files_sent.append(source.name)
        super().copyfile(source, outputfile)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    bytes_sent = 0  # response bodies, for the start-up benchmark
    files_sent: list[str]  # the paths of those bodies, in order (set per server below)
    lock = threading.Lock()

    def handle_error(self, request, client_address) -> None:
        pass  # a browser closing a connection early (navigation, test teardown) is not news


def make_server(
    directory: Path,
    port: int = 0,
    prefix: str = "/",
    hidden: set[str] | None = None,
    entries: tuple[str, ...] = SITE_ENTRIES,
    cache_control: str = DEV_CACHE_CONTROL,
    copies: dict[str, Path] | None = None,
) -> SiteServer:
    """A loopback server; port 0 picks a free one (read it from server.server_address).
    `copies` serves further site folders under their own prefixes on the same origin, as
    GitHub Pages serves a fork (user.github.io/softmax-digits-fr/) beside the original."""
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    sites = {prefix: directory}
    for other, folder in (copies or {}).items():
        sites[other if other.endswith("/") else other + "/"] = folder
    # The longest prefix first, so a nested site is not served by the one around it.
    sites = dict(sorted(sites.items(), key=lambda item: -len(item[0])))
    hidden = hidden if hidden is not None else set()
    handler = functools.partial(
        SiteHandler, sites=sites, hidden=hidden, entries=entries, cache_control=cache_control
    )
    server = SiteServer(("127.0.0.1", port), handler)
    server.files_sent = []
    server.prefix = prefix
    server.hidden = hidden  # shared with every handler: edit it to 404 files during a test
    return server


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def served_site(prefix: str = "/softmax-digits/", site: Path | None = None):
    """Serve `site` (default: this checkout, built into a temporary folder) on loopback;
    yields its URL."""
    with tempfile.TemporaryDirectory() as tmp:
        server = make_server(site or build(Path(tmp) / "site"), prefix=prefix)
        serve_in_thread(server)
        host, port = server.server_address[:2]
        try:
            yield f"http://{host}:{port}{server.prefix}"
        finally:
            server.shutdown()
