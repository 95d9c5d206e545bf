"""MkDocs hooks (`hooks:` in each build/mkdocs.<lang>.yml): what the site's pages get inside MkDocs' own build.

MkDocs calls these in its build (mkdocs/commands/build.py), for each page:
    on_page_markdown   large HTML blocks the renderer wrote are set aside (tree.set_aside): Python-Markdown
                       then sees a small placeholder instead of parsing them
    (Markdown -> HTML, the theme renders it)
    on_post_page       the blocks back in place, byte for byte, then the Content-Security-Policy; the page
                       as the search index reads it (site/search.py) written beside the language's folder
MkDocs converts every page before it renders the first one, so the blocks are not kept from one event to
the other (they are most of the site: 5,000 papers' worth held at once): on_post_page sets the page's
source aside again, which gives the same blocks.
and once:
    on_post_template   the policy on the theme's 404.html
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

from generator.site.finish import with_csp
from generator.site.search import write_source
from generator.site.tree import TreeError, put_back, set_aside

_aside: set[str] = set()  # the pages whose blocks went aside, from on_page_markdown to on_post_page


def _lang(config) -> str:
    return config["theme"]["language"]


def on_pre_build(config) -> None:
    _aside.clear()  # serve runs many builds in one process


def on_page_markdown(markdown: str, page, config, files) -> str:
    text, blocks = set_aside(f"{_lang(config)}/{page.file.src_uri}", markdown)
    if blocks:
        _aside.add(page.file.src_uri)
    return text


def _blocks(page, config) -> list[str] | None:
    """The blocks on_page_markdown set aside: the page's source, as MkDocs read it, set aside again."""
    if page.file.src_uri not in _aside:
        return None
    _aside.discard(page.file.src_uri)
    markdown, _ = get_data(page.file.content_string)  # as Page.read_source reads it
    return set_aside(f"{_lang(config)}/{page.file.src_uri}", markdown)[1]


def on_post_page(output: str, page, config) -> str:
    blocks = _blocks(page, config)
    try:
        html = with_csp(put_back(output, blocks, page.file.src_uri) if blocks else output)
    except TreeError as exc:
        raise PluginError(str(exc)) from None  # MkDocs reports it and fails the build
    # the page as the search index reads it, written here, in this language's own process, while the
    # other language builds too (it was a pass over every built page after both)
    site_dir = Path(config["site_dir"])
    write_source(site_dir.parent, site_dir.name, page.file.dest_uri, html)
    return html


def on_post_template(output_content: str, template_name: str, config) -> str:
    return with_csp(output_content) if template_name.endswith(".html") else output_content
