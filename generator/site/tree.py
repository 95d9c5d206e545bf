"""The Markdown tree MkDocs builds: build/<lang>/ (pages, assets, contributing), build/mkdocs.<lang>.yml,
the writer that puts rendered files there one by one, and what MkDocs' hooks (hooks.py) do around each
page's Markdown conversion: large HTML blocks set aside, HTML bodies kept from it.

Layout of the build folder:
    build/en/, build/zh/       the docs_dir of each language's MkDocs build
    build/mkdocs.en.yml, …     each language's config (INHERITs the project's mkdocs.yml, adds hooks.py)
Files under "root/" (data files shared by both languages) go straight into the site being assembled."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any, Mapping

import yaml

from generator import i18n
from generator.config import ROOT, SiteConfig
from generator.config import LANGS
from generator.render import routes
from generator.render.pages import DuplicateOutput, nav

VENDOR = {  # file in node_modules -> name under assets/vendor/
    "plotly.js-basic-dist-min/plotly-basic.min.js": "plotly-basic.min.js",
    "tablesort/dist/tablesort.min.js": "tablesort.min.js",
    "tablesort/dist/sorts/tablesort.number.min.js": "tablesort.number.min.js",
}

CONTRIBUTING = {"en": "CONTRIBUTING.md", "zh": "CONTRIBUTING.zh.md"}  # one source for GitHub and the site

LANG_NAMES = {"en": "English", "zh": "中文"}

HOOKS = Path(__file__).with_name("hooks.py")
PREVIEW_ONLY = ("reload.js",)  # docs/assets/ files that only serve's preview carries


class TreeError(Exception):
    """Something the tree needs is missing (node_modules), or a set-aside block did not come back."""


def lang_config(lang: str, config: SiteConfig, docs_dir: Path, site_dir: Path) -> dict:
    base = config.site_url
    cfg: dict[str, Any] = {
        "INHERIT": str(config.base_config),
        "site_name": config.survey.name[lang],
        "site_description": config.survey.description[lang],
        "site_url": f"{base}{lang}/",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"language": lang, "custom_dir": str(ROOT / "overrides")},
        "plugins": [],  # no material search: Pagefind indexes the built site (site/search.py)
        "hooks": [str(HOOKS)],
        "nav": nav(lang),
        "copyright": i18n.t(lang, "site.copyright"),
        "extra": {
            # the search box's texts (overrides/partials/header.html, assets/search.js)
            "search": {
                k.removeprefix("search."): v for k, v in i18n.catalogue(lang).items() if k.startswith("search.")
            },
            "generator": False,  # material's "Made with" line is English on every page; the copyright line says it in both
            "alternate": [
                # "path": the language's home on the reader's own server (no scheme or host), for the 404 page,
                # which is served at any depth; every other page links the other language relatively
                {
                    "name": LANG_NAMES[other],
                    "link": f"{base}{other}/",
                    "path": f"{urlsplit(base).path or '/'}{other}/",
                    "lang": other,
                }
                for other in LANGS
            ],
        },
    }
    cfg["theme"].update(
        _translated(lang, yaml.safe_load(config.base_config.read_text(encoding="utf-8")) or {}).get("theme", {})
    )
    if config.repo_url:
        # a plain footer link: material's repo_url would call the GitHub API from every reader's browser
        cfg["extra"]["social"] = [
            {"icon": "fontawesome/brands/github", "link": config.repo_url, "name": i18n.t(lang, "site.repository")}
        ]
    return cfg


def _translated(lang: str, base: dict) -> dict:
    """The palette toggles' names in this language: the base configuration names keys of the language's
    catalogue (a list replaces the base's under INHERIT, so the palette is given whole). The headings'
    permalinks are translated where toc is configured for each build (hooks.on_config)."""
    palette = (base.get("theme") or {}).get("palette")
    if not isinstance(palette, list):
        return {}
    return {
        "theme": {
            "palette": [
                {**scheme, "toggle": {**scheme["toggle"], "name": i18n.t(lang, scheme["toggle"]["name"])}}
                if isinstance(scheme.get("toggle"), dict) and i18n.has(scheme["toggle"].get("name", ""))
                else scheme
                for scheme in palette
            ]
        }
    }


def config_text(lang: str, config: SiteConfig, docs_dir: Path, site_dir: Path) -> str:
    return yaml.safe_dump(lang_config(lang, config, docs_dir, site_dir), allow_unicode=True, sort_keys=False)


def write_static(
    build_dir: Path, config: SiteConfig, site_dir: Path, langs: tuple[str, ...] = LANGS, preview: bool = False
) -> None:
    """What every build tree has besides the rendered pages: assets, vendored scripts, the contributing
    page and each language's MkDocs config. Fails before anything is rendered if node_modules is missing."""
    node_modules = ROOT / "node_modules"
    for src in VENDOR:
        if not (node_modules / src).is_file():
            raise TreeError(f"{node_modules / src} is missing: run `npm ci` (make site does)")
    ignore = None if preview else shutil.ignore_patterns(*PREVIEW_ONLY)
    for lang in langs:
        docs = build_dir / lang
        own_pages = (
            config.survey_file.parent / "docs" / lang
        )  # a survey's own hand-written pages, beside its survey.yml
        shutil.copytree(own_pages if own_pages.is_dir() else config.docs / lang, docs, dirs_exist_ok=True)
        own = config.survey_file.parent / CONTRIBUTING[lang]  # a survey's own, beside its survey.yml
        text = (own if own.is_file() else ROOT / CONTRIBUTING[lang]).read_text(encoding="utf-8")
        text = re.sub(
            r"^\*\[.*?\]\(CONTRIBUTING[^)]*\)\*\n", "", text, flags=re.M
        )  # the other language is one click away in the header
        (docs / routes.page("contributing")).mkdir(parents=True, exist_ok=True)
        (docs / routes.page("contributing") / "index.md").write_text(text, encoding="utf-8")
        shutil.copytree(config.docs / "assets", docs / "assets", dirs_exist_ok=True, ignore=ignore)
        vendor = docs / "assets" / "vendor"
        vendor.mkdir(parents=True, exist_ok=True)
        for src, name in VENDOR.items():
            shutil.copyfile(node_modules / src, vendor / name)
        (build_dir / f"mkdocs.{lang}.yml").write_text(
            config_text(lang, config, docs, site_dir / lang), encoding="utf-8"
        )


# Generated HTML that needs no Markdown -------------------------------------------------------------
# The pages that list papers or results (leaderboards, years, topics, timeline, compare) are mostly large
# blocks of HTML the renderer wrote. Python-Markdown would parse each block twice (MkDocs' anchor scan,
# md_in_html), only to pass it through unchanged: most of the MkDocs
# time of a large corpus. hooks.on_page_markdown sets such a block aside and leaves a placeholder;
# hooks.on_post_page puts it back into the built page, byte for byte. A block is one whole element (a table wrapper, a list of papers,
# a chart) that starts a line and ends a run of lines (a blank line or the end follows).
# A paper page (most of the site's pages) is HTML from end to end (front matter `body: html`): its headings
# are written as Python-Markdown's toc extension would write them (render/templates/_macros.j2 `heading`),
# Python-Markdown gets nothing of it, and its table of contents is read from those headings (html_toc).
# Search indexes the built pages (site/search.py), blocks back in place.
LISTING_PAGES = routes.LISTING_PAGES  # boards, years, topics, timeline, compare (render/routes.py)
_ASIDE_START = re.compile(r'(?:^|(?<=\n))<(div|ul|figure) class="(?:ss-table-wrap|ss-papers|ss-chart)\b')
_ASIDE_MIN = 4096  # bytes; small blocks are not worth it
_HEADING = re.compile(r'<h([2-6]) id="([^"]+)"[^>]*>(.*?)<a class="headerlink" href="#\2"', re.S)
BODY = '<h1 data-ss-body="html"></h1>'  # a body's place in the built page: material adds no title of its own


def is_html(meta: Mapping[str, Any]) -> bool:
    """Whether a page's body (after its front matter) is HTML that goes into the built page as it is."""
    return meta.get("body") == "html"


def html_toc(body: str) -> list[dict]:
    """The table of contents of an HTML body, from its headings (levels 2 to 6) in order: the tokens that
    Python-Markdown's toc extension gives MkDocs (mkdocs.structure.toc.get_toc), each heading under the
    last one of a higher level."""
    tokens: list[dict] = []
    stack: list[dict] = []
    for m in _HEADING.finditer(body):
        token: dict[str, Any] = {"level": int(m[1]), "id": m[2], "name": m[3], "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens


def put_body(html: str, body: str, where: object) -> str:
    """The built page with its HTML body in the place MkDocs gave BODY."""
    at = html.find(BODY)
    if at < 0 or html.find(BODY, at + 1) >= 0:
        raise TreeError(f"{where}: the place of the page's HTML body is missing or repeated")
    return html[:at] + body + html[at + len(BODY) :]


def element_end(text: str, start: int, tag: str) -> int:
    """Where the element opened at `start` closes (just after its closing tag), or -1."""
    depth = 0
    for m in re.compile(rf"<(/?){tag}[\s>]").finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return text.index(">", m.end() - 1) + 1
    return -1


def _opening(n: int) -> str:
    return f'<div data-ss-aside="{n}">'


def _placeholder(n: int) -> str:
    return f"{_opening(n)}</div>"


def _set_aside(text: str, blocks: list[str], starts: re.Pattern = _ASIDE_START, least: int = _ASIDE_MIN) -> str:
    """Every element that `starts` opens at the start of a line and that closes at the end of one (what
    Python-Markdown takes as a raw HTML block) goes aside, if at least `least` long. What follows it on
    the next line does not matter: the placeholder is a block of the same kind."""
    out, at = [], 0
    for m in starts.finditer(text):
        if m.start() < at:
            continue  # inside a block already set aside
        end = element_end(text, m.start(), m.group(1))
        if end < 0 or end - m.start() < least or not (end == len(text) or text[end] == "\n"):
            continue
        out += [text[at : m.start()], _placeholder(len(blocks))]
        blocks.append(text[m.start() : end])
        at = end
    return "".join(out) + text[at:]


def set_aside(rel: str, text: str) -> tuple[str, list[str]]:
    """The Markdown MkDocs gets for the page at `rel` ("en/leaderboards/x/index.md"), and the blocks set aside."""
    blocks: list[str] = []
    if rel.endswith("index.md") and LISTING_PAGES.fullmatch(rel.partition("/")[2].removesuffix("index.md")):
        text = _set_aside(text, blocks)
    return text, blocks


def put_back(html: str, blocks: list[str], where: object) -> str:
    out, at = [], 0
    for n, block in enumerate(blocks):
        # the placeholder (an empty div)
        start = html.find(_opening(n), at)
        end = html.find("</div>", start) + len("</div>") if start >= 0 else -1
        if start < 0 or html.find(_opening(n), end) >= 0:
            raise TreeError(f"{where}: the placeholder of a set-aside block is missing or repeated")
        out += [html[at:start], block]
        at = end
    return "".join(out) + html[at:]


class TreeWriter:
    """An Output that writes each file as it is added, never keeping it: the renderer's during a build,
    and serve's for the files that changed; "root/…" files go to `root_dir`. Refuses to write one path twice."""

    def __init__(self, build_dir: Path, root_dir: Path):
        self.build_dir = build_dir
        self.root_dir = root_dir
        self.written: set[str] = set()
        self._dirs: set[Path] = set()

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.written:
            raise DuplicateOutput(f"two outputs for {path}")
        self.written.add(path)
        if path.startswith("root/"):
            target = self.root_dir / path.removeprefix("root/")
        else:
            target = self.build_dir / path
        if target.parent not in self._dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(target.parent)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def fresh(build_dir: Path) -> None:
    if build_dir.exists():
        shutil.rmtree(build_dir)
    build_dir.mkdir(parents=True)
