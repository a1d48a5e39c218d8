"""The guides published as HTML (issue 32, point 9): the tiny Markdown converter
(scripts/site/markdown_html.py), the pages the build writes, the repository link and the
lesson sheet's prompts."""

import re
from urllib.parse import urlsplit

import pytest
from test_website import source  # noqa: F401 - the small site source fixture

import presets
from scripts.site import markdown_html, website
from scripts.site.website import ROOT, build

SHIPPED_PRESETS = (ROOT / "assets" / "presets.json").read_text()


def html_of(markdown: str, rewrite=lambda href: href) -> str:
    return markdown_html.blocks(markdown.splitlines(), rewrite)


def test_headings_paragraphs_and_inline_marks():
    out = html_of("# Title\n\nOne *two* **three** `four <b>`\nstill the paragraph.\n\n## Next")
    assert out == (
        "<h1>Title</h1>\n"
        "<p>One <em>two</em> <strong>three</strong> <code>four &lt;b&gt;</code> "
        "still the paragraph.</p>\n<h2>Next</h2>"
    )


def test_raw_html_is_text_never_markup():
    out = html_of('<script>alert("x")</script> & <i>not italic</i>')
    assert "<script>" not in out and "<i>" not in out
    assert "&lt;script&gt;" in out and "&amp;" in out


def test_lists_hold_indented_paragraphs_and_code_blocks():
    markdown = (
        "1. First step,\n   continued.\n2. Second.\n\n"
        "- **Item** with code:\n\n  ```sh\n  make test   # <all>\n  ```\n\n- Plain item\n"
    )
    out = html_of(markdown)
    assert out.startswith("<ol><li>First step, continued.</li><li>Second.</li></ol>\n<ul>")
    assert (
        "<li><p><strong>Item</strong> with code:</p>\n"
        '<pre><code class="language-sh">make test   # &lt;all&gt;</code></pre></li>'
    ) in out
    assert out.endswith("<li>Plain item</li></ul>")


def test_links_go_through_the_rewrite_and_none_leaves_the_text():
    rewrite = {"a.md": "a.html", "gone": None}.get
    out = html_of("[A](a.md), [B](gone) and [C](c.md)", lambda h: rewrite(h, h))
    assert out == '<p><a href="a.html">A</a>, B and <a href="c.md">C</a></p>'


def test_a_page_declares_utf8_and_takes_its_title_from_the_first_heading():
    page = markdown_html.page("Intro\n\n# Guide → Σ p = 1\n")
    assert '<meta charset="utf-8">' in page.split("<title>")[0]
    assert "<title>Guide → Σ p = 1 · Softmax Digits</title>" in page
    assert '<html lang="en">' in page and 'name="viewport"' in page


@pytest.fixture
def site_source(source):  # noqa: F811 - the fixture, extended with the real guides
    for name in website.GUIDES:
        (source / "docs" / name).write_text((ROOT / "docs" / name).read_text("utf-8"), "utf-8")
    return source


def test_the_build_publishes_each_guide_as_a_page_with_the_repository_link(
    site_source, tmp_path, monkeypatch
):
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    out = build(tmp_path / "site", site_source, repository="teacher/softmax-digits")
    teachers = (out / "docs" / "teachers.html").read_bytes().decode("utf-8")
    assert teachers.startswith("<!doctype html>") and '<meta charset="utf-8">' in teachers
    assert "<h1>Teacher guide" in teachers and "Settings → Pages" in teachers
    assert '<a href="https://github.com/teacher/softmax-digits">open this repository</a>' in (
        teachers
    )
    assert '<a href="lesson.html">lesson sheet</a>' in teachers
    assert "# Teacher guide" not in teachers  # no raw Markdown left
    lesson = (out / "docs" / "lesson.html").read_text("utf-8")
    assert "<h1>Lesson sheet" in lesson and "<h2>Timing</h2>" in lesson
    assert (out / "docs" / "teachers.md").is_file()  # the Markdown stays, for GitHub
    # The new pages are part of the site: the service worker caches them for offline use.
    files = re.search(r"const FILES = (\[.*?\]);", (out / "sw.js").read_text())[1]
    assert '"docs/teachers.html"' in files and '"docs/lesson.html"' in files


def test_the_repository_comes_from_github_actions_else_a_clear_fallback(
    site_source, tmp_path, monkeypatch
):
    monkeypatch.setenv("GITHUB_REPOSITORY", "a-school/softmax-fr")
    out = build(tmp_path / "site", site_source)
    teachers = (out / "docs" / "teachers.html").read_text("utf-8")
    assert '<a href="https://github.com/a-school/softmax-fr">open this repository</a>' in teachers
    for unknown in ("", "not a repository"):
        monkeypatch.setenv("GITHUB_REPOSITORY", unknown)
        out = build(tmp_path / "site", site_source)
        teachers = (out / "docs" / "teachers.html").read_text("utf-8")
        assert "open this repository (its address was not known when this site was built" in (
            teachers
        )
        assert "github.com/a-school" not in teachers and 'href="../">open' not in teachers


def test_the_lesson_sheets_links_open_real_examples_with_nothing_ignored():
    """Every prompt link in docs/lesson.md passes the page's own link check (py/lab/presets.py)
    against the shipped examples: a class following the sheet sees no "ignored" note."""
    text = (ROOT / "docs" / "lesson.md").read_text("utf-8")
    links = re.findall(r"\]\(\.\./(\?[^)]+)\)", text)
    assert len(links) >= 5
    names = [p["name"] for p in presets.load_presets(SHIPPED_PRESETS)["presets"]]
    for query in links:
        link = presets.read_link(urlsplit(query).query, names)
        assert link["ignored"] == [] and link["sample"] in names, query
