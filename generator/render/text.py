"""Turning untrusted contributor text into safe output for each context it reaches."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markupsafe import Markup

SAFE_SCHEMES = ("http", "https")


def safe_url(url: str) -> bool:
    """http(s) absolute URLs and plain relative references; nothing that a browser would run."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    scheme = urlsplit(cleaned).scheme.lower()
    if scheme:
        return scheme in SAFE_SCHEMES
    return not cleaned.startswith("//") and ":" not in cleaned.split("/", 1)[0]


def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # no third-party images (privacy, CSP); the alt text stays as text
    md.validateLink = safe_url  # type: ignore[method-assign]
    return md


_MD = _md()


def _external_links(html_text: str) -> str:
    return html_text.replace("<a href=", '<a rel="nofollow noopener" href=')


def markdown(text: str) -> Markup:
    """Contributor Markdown (notes, abstracts) as HTML: raw HTML shown as text, unsafe links dropped."""
    return Markup(_external_links(_MD.render(text)).strip())


def json_for_script(value: object) -> Markup:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&' survive."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def yaml_string(text: str) -> Markup:
    """A front-matter value: HTML-escaped (MkDocs puts page titles into HTML unescaped) and JSON-quoted (valid YAML)."""
    return Markup(json.dumps(html.escape(text, quote=True), ensure_ascii=False))


def plotly_text(text: str) -> str:
    """Plotly renders a subset of HTML in hover and label text: keep contributor text literal."""
    return html.escape(text, quote=False)
