"""A tiny Markdown to HTML converter for the guides the site publishes (docs/teachers.md,
docs/lesson.md), so a teacher reads a page, not raw Markdown in monospace.

It knows what those guides use, nothing more: `#` headings, paragraphs, `-` and `1.` lists
(items may hold indented paragraphs and code blocks), fenced code blocks, `inline code`,
**bold**, *italics* and [links](url). Everything else is text, escaped: no raw HTML passes.
Standard library only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

# A link's target -> the href to publish (None: show the text alone), e.g. the repository.
LinkRewrite = Callable[[str], str | None]

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BULLET = re.compile(r"^- ")
NUMBERED = re.compile(r"^\d+\. ")
FENCE = re.compile(r"^```\s*([\w-]*)\s*$")
INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\*(?P<em>[^*\s][^*]*?)\*"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
)


def inline(text: str, rewrite: LinkRewrite) -> str:
    """Escape `text` and turn its inline marks into HTML."""
    out, end = [], 0
    for match in INLINE.finditer(text):
        out.append(html.escape(text[end : match.start()], quote=False))
        end = match.end()
        if match["code"] is not None:
            out.append(f"<code>{html.escape(match['code'], quote=False)}</code>")
        elif match["bold"] is not None:
            out.append(f"<strong>{inline(match['bold'], rewrite)}</strong>")
        elif match["em"] is not None:
            out.append(f"<em>{inline(match['em'], rewrite)}</em>")
        else:
            label = inline(match["text"], rewrite)
            href = rewrite(match["href"])
            out.append(label if href is None else f'<a href="{html.escape(href)}">{label}</a>')
    out.append(html.escape(text[end:], quote=False))
    return "".join(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _starts_block(line: str) -> bool:
    text = line.strip()
    return bool(
        BULLET.match(text) or NUMBERED.match(text) or HEADING.match(text) or FENCE.match(text)
    )


def _list_item_lines(lines: list[str], start: int, marker: int) -> tuple[list[str], int]:
    """The lines of the item starting at `start` (its marker `marker` characters wide),
    dedented, and the index after it. A blank line belongs to it when indented text follows;
    a less indented line right after text continues its paragraph (a lazy continuation)."""
    body = [lines[start][marker:]]
    i = start + 1
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            following = next((x for x in lines[i:] if x.strip()), "")
            if _indent(following) < marker:
                break
            body.append("")
        elif _indent(line) >= marker:
            body.append(line[marker:])
        elif body[-1].strip() and not _starts_block(line):
            body.append(line.strip())
        else:
            break
        i += 1
    return body, i


def blocks(lines: list[str], rewrite: LinkRewrite, tight: bool = False) -> str:
    """Block-level HTML of `lines`; `tight`: a lone paragraph (a list item) gets no <p>."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "":
            i += 1
            continue
        if heading := HEADING.match(line):
            level = len(heading[1])
            out.append(f"<h{level}>{inline(heading[2].strip(), rewrite)}</h{level}>")
            i += 1
            continue
        if fence := FENCE.match(line.strip()):
            end = next(
                (j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), len(lines)
            )
            code = html.escape("\n".join(lines[i + 1 : end]), quote=False)
            lang = f' class="language-{fence[1]}"' if fence[1] else ""
            out.append(f"<pre><code{lang}>{code}</code></pre>")
            i = end + 1
            continue
        kind = "ul" if BULLET.match(line) else "ol" if NUMBERED.match(line) else None
        if kind:
            pattern = BULLET if kind == "ul" else NUMBERED
            items = []
            while i < len(lines) and pattern.match(lines[i]):
                marker = pattern.match(lines[i]).end()
                body, i = _list_item_lines(lines, i, marker)
                items.append(f"<li>{blocks(body, rewrite, tight=True)}</li>")
                while i < len(lines) and lines[i].strip() == "" and i + 1 < len(lines):
                    if not pattern.match(lines[i + 1]):
                        break
                    i += 1
            out.append(f"<{kind}>" + "".join(items) + f"</{kind}>")
            continue
        paragraph = []
        while i < len(lines) and lines[i].strip():
            if paragraph and (
                HEADING.match(lines[i])
                or FENCE.match(lines[i].strip())
                or BULLET.match(lines[i])
                or NUMBERED.match(lines[i])
            ):
                break
            paragraph.append(lines[i].strip())
            i += 1
        out.append(f"<p>{inline(' '.join(paragraph), rewrite)}</p>")
    if tight and len(out) == 1 and out[0].startswith("<p>"):
        return out[0][3:-4]
    return "\n".join(out)


def title_of(markdown: str) -> str:
    """The first heading's text, plain (the page's <title>)."""
    for line in markdown.splitlines():
        if heading := HEADING.match(line):
            return re.sub(r"[`*]", "", heading[2]).strip()
    return "Softmax Digits"


STYLE = """
:root { color-scheme: light dark; --ink: #1d1d1f; --bg: #fff; --muted: #555; --code: #f2f2f5; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #ececf0; --bg: #16161a; --muted: #b0b0b8; --code: #26262c; }
  a { color: #8ab4ff; }
}
body { font: 17px/1.55 system-ui, sans-serif; color: var(--ink); background: var(--bg);
  max-width: 46rem; margin: 0 auto; padding: 16px; overflow-wrap: anywhere; }
pre { background: var(--code); padding: 10px 12px; border-radius: 8px; white-space: pre-wrap; }
code { background: var(--code); padding: 0 3px; border-radius: 4px; font-size: 0.92em; }
pre code { padding: 0; }  /* pre-wrap: long lines wrap, no scrolling box */
nav { font-size: 0.95rem; color: var(--muted); }
"""


def page(markdown: str, rewrite: LinkRewrite = lambda href: href) -> str:
    """A whole HTML page (utf-8, declared in the page itself, so any server shows → and Σ)."""
    body = blocks(markdown.splitlines(), rewrite)
    title = html.escape(title_of(markdown))
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} · Softmax Digits</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<nav><a href="../">← Softmax Digits</a></nav>\n<main>\n'
        f"{body}\n</main>\n</body>\n</html>\n"
    )
