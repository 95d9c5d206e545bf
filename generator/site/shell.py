"""The theme rendered once for many pages: a paper page's HTML differs from another's only in its title,
description, address and body, so the theme's template (material's base.html, most of MkDocs' time per
page) is rendered once per kind of page with markers in those places, and each page is that shell filled.

A kind of page (`kind`) is what the theme's output may depend on besides those values: the page's depth,
its front-matter keys and its table of contents (the sections it has). A shell is made from one page of its
kind, rendered with the markers in place of its values; it is kept only if

- every marker came through as it was given (the theme neither escaped, cut nor tested it), and
- that page's own output, rendered by the theme as usual, is the shell filled with its values, byte for
  byte.

Otherwise pages of that kind are rendered by the theme one by one, as MkDocs would. hooks.py does the
MkDocs side: it picks the pages (`body: html`) and gives each the filled shell in place of the theme's render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

# Each marker holds the characters a template would change if it escaped, cut or encoded the value.
_TITLE = "\x00ss-shell:title<&\"'>\x00"
_DESCRIPTION = "\x00ss-shell:description<&\"'>\x00"
_CANONICAL = "\x00ss-shell:canonical<&\"'>\x00"
_NAME = "ssshellname0a1b2c"  # the last segment of the page's URL: a path segment, where MkDocs computes links


@dataclass(frozen=True)
class Values:
    """What a page of a kind has of its own."""

    title: str
    description: str
    url: str  # "papers/fcn/": MkDocs' page.url
    canonical_url: str

    @staticmethod
    def of(page) -> Values:
        return Values(
            str(page.meta.get("title", "")), str(page.meta.get("description", "")), page.url, page.canonical_url or ""
        )


def _name(url: str) -> tuple[str, str]:
    """The URL's folder above its last segment, and that segment ("papers/", "fcn" for "papers/fcn/")."""
    head, _, name = url.rstrip("/").rpartition("/")
    return (head + "/" if head else ""), name


class Marked:
    """A page as the theme sees it, with markers in place of its own values; anything else is the page's."""

    def __init__(self, page, url: str):
        self._page = page
        self.title = _TITLE
        self.meta = {**page.meta, "title": _TITLE, "description": _DESCRIPTION}
        self.url = url
        self.canonical_url = _CANONICAL

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def kind(page) -> tuple:
    """What the theme's output may depend on, besides the values a shell fills in."""
    head, _ = _name(page.url)
    meta = tuple(sorted((k, repr(v)) for k, v in page.meta.items() if k not in ("title", "description")))
    return (head, meta, _toc(page.toc))


def _toc(items) -> tuple:
    return tuple((i.level, i.id, i.title, _toc(i.children)) for i in items)


@dataclass(frozen=True)
class Shell:
    parts: tuple[str, ...]  # the output cut at each marker
    fields: tuple[str, ...]  # the field of Values each cut stands for ("name": the URL's last segment)

    def fill(self, values: Values) -> str:
        _, name = _name(values.url)
        got = {
            "title": values.title,
            "description": values.description,
            "name": name,
            "canonical_url": values.canonical_url,
        }
        out = [self.parts[0]]
        for field, part in zip(self.fields, self.parts[1:], strict=True):
            out += [got[field], part]
        return "".join(out)


_MARKERS = {_TITLE: "title", _DESCRIPTION: "description", _NAME: "name", _CANONICAL: "canonical_url"}


_MARKER = re.compile("(" + "|".join(re.escape(m) for m in _MARKERS) + ")")


def _cut(output: str) -> Shell | None:
    pieces = _MARKER.split(output)  # the text between markers, and each marker (the pattern's group) between
    if "ss-shell:" in "".join(pieces[0::2]):
        return None  # a marker the theme changed (escaped, cut): its value cannot simply be put in its place
    return Shell(tuple(pieces[0::2]), tuple(_MARKERS[m] for m in pieces[1::2]))


def make(page, render: Callable[[Any], str], context: Mapping[str, Any]) -> Shell | None:
    """The shell of `page`'s kind, or None if the theme does more with a page's values than show them.
    `render(context)` renders the theme's template; `context` is `page`'s own."""
    head, _ = _name(page.url)
    marked = Marked(page, head + _NAME + "/")
    shell = _cut(render({**context, "page": marked}))
    if shell is None or shell.fill(Values.of(page)) != render(context):
        return None
    return shell
