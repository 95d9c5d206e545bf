"""MkDocs hooks (`hooks:` in each build/mkdocs.<lang>.yml): what the site's pages get inside MkDocs' own build.

MkDocs calls these in its build (mkdocs/commands/build.py), once:
    on_nav             every page is an _HtmlBodyPage: one whose body is HTML is not converted at all
                       (MkDocs made a Python-Markdown instance with every extension for it, to convert
                       nothing), and its elements' ids are its anchors, so links to them are checked
and for each page:
    on_page_markdown   a page whose body is HTML (front matter `body: html`: the paper pages) gives
                       Python-Markdown nothing; its table of contents is read from its headings, its ids
                       (tree.html_toc). On other pages, large HTML blocks the renderer wrote are set aside
                       (tree.set_aside): Python-Markdown then sees a small placeholder instead of parsing them
    (Markdown -> HTML)
    on_page_content   the HTML body's table of contents, and its place (tree.BODY)
    on_page_context   a page with an HTML body is its kind's shell filled with its title, description and
                      address (shell.py): the theme's template is rendered once per kind of page, not per page
    (the theme renders the page: for those pages, shell.html writes out the filled shell)
    on_post_page       the HTML body, or the set-aside blocks, back in place byte for byte, then the
                       Content-Security-Policy; the page as the search index reads it (site/search.py)
                       written beside the language's folder
MkDocs converts every page before it renders the first one, so neither a body nor the blocks are kept
from one event to the other (they are most of the site: 5,000 papers' worth held at once): on_post_page
reads the page's source again.
and once:
    on_env             the theme's templates, for the shells
    on_post_template   the policy on the theme's 404.html
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import YAML_RE, get_data
from pymdownx import slugs

from generator import i18n
from generator.site import shell
from generator.site.finish import with_csp
from generator.site.search import write_source
from generator.site.tree import BODY, TreeError, html_toc, is_html, put_back, put_body, set_aside

_aside: set[str] = set()  # the pages whose blocks went aside, from on_page_markdown to on_post_page
# an HTML body's table of contents and ids, from on_page_markdown to on_page_content
_html: dict[str, tuple[list[dict], set[str]]] = {}
_env: list = []  # the theme's Jinja environment (on_env)
_shells: dict[tuple, shell.Shell | None] = {}  # each kind of page's shell, None if the theme cannot have one
_template: dict[str, str | None] = {}  # the template a page filled from a shell had (front matter `template`)
_filled: list[int] = [0]  # pages filled from a shell in this build
SHELL_TEMPLATE = "shell.html"  # overrides/shell.html: writes out the `shell_output` of the context


def _lang(config) -> str:
    return config["theme"]["language"]


_unicode_slug = slugs.slugify(case="lower")


def slugify(text: str, sep: str) -> str:
    """A heading's anchor in its own script: Python-Markdown's default drops every letter that is not
    ASCII (a Chinese heading's anchor is #_1, then #_2, which change when a heading is added above).
    Separators are collapsed as the default does, so an ASCII heading keeps the anchor it had."""
    return re.sub(f"{re.escape(sep)}{{2,}}", sep, _unicode_slug(text, sep)).strip(sep)


def on_config(config):
    """Headings' anchors in their own script, and their permalinks' title in the page's language (toc's
    default is English)."""
    toc = config["mdx_configs"].get("toc")
    if toc is not None:
        toc.setdefault("slugify", slugify)  # a configuration's own slugify stays
        toc["permalink_title"] = i18n.t(_lang(config), "site.permalink")
    return config


def on_pre_build(config) -> None:
    # serve runs many builds in one process (and a build's nav, in every shell, may differ from the last)
    _aside.clear()
    _html.clear()
    _shells.clear()
    _template.clear()
    _filled[0] = 0


def _shells_on(config) -> bool:
    return bool(config["extra"].get("shell", True))  # tree.lang_config; a test turns it off to compare


class _HtmlBodyPage(Page):
    """A page whose body may be HTML (front matter `body: html`): MkDocs makes a Python-Markdown instance
    with every extension for each page it renders (most of a paper page's time in MkDocs), to convert
    the empty text on_page_markdown gives it."""

    def render(self, config, files) -> None:
        if not is_html(self.meta):
            return super().render(config, files)
        self.content = ""
        self.toc = get_toc([])  # on_page_content gives the body's
        self._title_from_render = None
        self.present_anchor_ids = _html[self.file.src_uri][1]  # so that other pages' links to it are checked
        self.links_to_anchors = None


_ID = re.compile(r'\sid="([^"]+)"')  # the ids of an HTML body's elements


def on_nav(nav, config, files):
    for file in files.documentation_pages():
        if type(file.page) is Page:
            file.page.__class__ = _HtmlBodyPage
    return nav


def on_env(env, config, files):
    _env[:] = [env]
    return env


def on_page_markdown(markdown: str, page, config, files) -> str:
    if is_html(page.meta):
        _html[page.file.src_uri] = (html_toc(markdown), set(_ID.findall(markdown)))
        if _shells_on(config):
            _template[page.file.src_uri] = page.meta.get("template")
            page.meta["template"] = SHELL_TEMPLATE  # MkDocs picks the template from it
        return ""
    text, blocks = set_aside(f"{_lang(config)}/{page.file.src_uri}", markdown)
    if blocks:
        _aside.add(page.file.src_uri)
    return text


def on_page_content(html: str, page, config, files) -> str:
    made = _html.pop(page.file.src_uri, None)
    if made is None:
        return html
    page.toc = get_toc(made[0])  # type: ignore[arg-type]  # the toc extension's tokens, as MkDocs takes them
    return BODY


def on_page_context(context, page, config, nav):
    if page.file.src_uri not in _template:
        return context
    original = _template.pop(page.file.src_uri)
    if original is None:
        del page.meta["template"]
    else:
        page.meta["template"] = original
    template = _env[0].get_template(original or "main.html")
    key = shell.kind(page)
    if key not in _shells:
        _shells[key] = shell.make(page, template.render, context)
    made = _shells[key]
    if made is not None:
        context["shell_output"] = made.fill(shell.Values.of(page))
        _filled[0] += 1
    else:
        context["shell_output"] = template.render(context)
    return context


def _source(page) -> str:
    """The page's source after its front matter, as MkDocs read it (Page.read_source)."""
    text = page.file.content_string
    if is_html(page.meta):  # its front matter was read as YAML: only cut it off (parsing it took as long again)
        return text[YAML_RE.match(text).end() :].lstrip("\n")  # type: ignore[union-attr]
    return get_data(text)[0]


def on_post_page(output: str, page, config) -> str:
    where = page.file.src_uri
    try:
        if is_html(page.meta):
            html = put_body(output, _source(page), where)
        elif where in _aside:
            _aside.discard(where)
            html = put_back(output, set_aside(f"{_lang(config)}/{where}", _source(page))[1], where)
        else:
            html = output
        html = with_csp(html)
    except TreeError as exc:
        raise PluginError(str(exc)) from None  # MkDocs reports it and fails the build
    # the page as the search index reads it, written here, in this language's own process, while the
    # other language builds too (it was a pass over every built page after both)
    site_dir = Path(config["site_dir"])
    write_source(site_dir.parent, site_dir.name, page.file.dest_uri, html)
    return html


def on_post_build(config) -> None:
    if _shells:
        kept = sum(s is not None for s in _shells.values())
        logging.getLogger("mkdocs").info(
            f"{_filled[0]} pages filled from the theme's shell ({kept} of {len(_shells)} kinds of page had one)"
        )


def on_post_template(output_content: str, template_name: str, config) -> str:
    return with_csp(output_content) if template_name.endswith(".html") else output_content
