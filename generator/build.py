"""Write the generated tree, run the two MkDocs builds (en ∥ zh), assemble site/ and swap it in.

Gather, then write: the renderer's output is complete before this module writes a byte.
The new site is assembled in a temporary folder beside site/ and exchanged with it in one
step, so a build that fails or is killed leaves the previous site/ whole."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Optional

import yaml

from . import i18n
from .config import ROOT, SiteConfig
from .corpus import Corpus
from .model import LANGS
from .render.site import Output, nav, render_site

VENDOR = {  # file in node_modules -> name under assets/vendor/
    "plotly.js-basic-dist-min/plotly-basic.min.js": "plotly-basic.min.js",
    "tablesort/dist/tablesort.min.js": "tablesort.min.js",
    "tablesort/dist/sorts/tablesort.number.min.js": "tablesort.number.min.js",
}

CONTRIBUTING = {"en": "CONTRIBUTING.md", "zh": "CONTRIBUTING.zh.md"}  # one source for GitHub and the site

LANG_NAMES = {"en": "English", "zh": "中文"}


class BuildError(Exception):
    pass


def lang_config(lang: str, config: SiteConfig, corpus: Corpus, docs_dir: Path, site_dir: Path) -> dict:
    base = config.site_url
    search = {"lang": lang}
    if lang == "zh":
        # jieba segments Chinese at build time with U+200B; the separator must split on it
        search = {"lang": ["zh", "en"], "separator": r"[\s\u200b\-_,:!=\[\]()\"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])"}
    cfg = {
        "INHERIT": str(config.base_config),
        "site_name": i18n.t(lang, "site.name"),
        "site_description": i18n.t(lang, "home.lead"),
        "site_url": f"{base}{lang}/",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "theme": {"language": lang, "custom_dir": str(ROOT / "overrides")},
        "plugins": [{"search": search}],
        "nav": nav(lang, corpus),
        "copyright": i18n.t(lang, "site.copyright"),
        "extra": {
            "generator": False,  # material's "Made with" line is English on every page; the copyright line says it in both
            "alternate": [
                {"name": LANG_NAMES[other], "link": f"{base}{other}/", "lang": other} for other in LANGS
            ],
        },
    }
    if config.repo_url:
        # a plain footer link: material's repo_url would call the GitHub API from every reader's browser
        cfg["extra"]["social"] = [{"icon": "fontawesome/brands/github", "link": config.repo_url,
                                   "name": i18n.t(lang, "site.repository")}]
    return cfg


# Generated HTML that needs no Markdown -------------------------------------------------------------
# The pages that list papers or results (leaderboards, years, topics, timeline, compare) are mostly large
# blocks of HTML the renderer wrote. Python-Markdown would parse each block three times (MkDocs' anchor
# scan, md_in_html, the search plugin) only to pass it through unchanged: most of the MkDocs time of a
# large corpus. With `aside`, write_tree sets such a block aside and leaves a placeholder; put_back()
# returns it into the built page, byte for byte. A block is one whole element (a table wrapper, a list of papers, a chart) that starts a line and ends a
# run of lines (a blank line or the end follows). Paper pages stay whole (their head is what search indexes).
_ASIDE_START = re.compile(r'(?:^|(?<=\n))<(div|ul|figure) class="(?:ss-table-wrap|ss-papers|ss-chart)\b')
_ASIDE_MIN = 4096  # bytes; small blocks are not worth it
# on a paper page: its abstract, results table and BibTeX, which the search index leaves out anyway
_PAPER_ASIDE_START = re.compile(r'(?:^|(?<=\n))<(div) class="(?:ss-abstract|ss-table-wrap|ss-bibtex)\b')
_PAPER_PAGE = re.compile(r"papers/[^/]+/")


def _one_element(body: str, tag: str) -> bool:
    """The block is one element: its first tag closes exactly at the end."""
    depth = 0
    for m in re.finditer(rf"<(/?){tag}[\s>]", body):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end() == len(body)
    return False


def _set_aside(text: str, blocks: list[str], starts: re.Pattern = _ASIDE_START, least: int = _ASIDE_MIN) -> str:
    chunks = text.split("\n\n")
    for i, chunk in enumerate(chunks):
        if len(chunk) < least:
            continue
        body = chunk.rstrip("\n")
        for m in starts.finditer(body):
            start = m.start()
            if len(body) - start >= least and _one_element(body[start:], m.group(1)):
                chunks[i] = body[:start] + f'<div data-ss-aside="{len(blocks)}"></div>' + chunk[len(body):]
                blocks.append(body[start:])
                break
    return "\n\n".join(chunks)


def put_back(site_lang: Path, lang: str, aside: dict[str, list[str]]) -> None:
    for rel, blocks in aside.items():
        if not rel.startswith(f"{lang}/"):
            continue
        path = site_lang / rel.removeprefix(f"{lang}/").removesuffix("index.md") / "index.html"
        html = path.read_text(encoding="utf-8")
        for n, block in enumerate(blocks):
            placeholder = f'<div data-ss-aside="{n}"></div>'
            if html.count(placeholder) != 1:
                raise BuildError(f"{path}: the placeholder of a set-aside block is missing or repeated")
            html = html.replace(placeholder, block)
        path.write_text(html, encoding="utf-8")


def write_tree(out: Output, build_dir: Path, config: SiteConfig, corpus: Corpus, site_tmp: Path,
               aside: Optional[dict[str, list[str]]] = None) -> None:
    """Write the generated tree. With `aside` (a dict to fill), large HTML blocks of the listing pages are
    set aside for put_back() after MkDocs (see above)."""
    if build_dir.exists():
        shutil.rmtree(build_dir)
    build_dir.mkdir(parents=True)
    for rel, content in out.files.items():
        path = build_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            page = rel.partition("/")[2].removesuffix("index.md")
            if aside is not None and rel.endswith("index.md"):
                blocks: list[str] = []
                if _LISTING_PAGES.fullmatch(page):
                    content = _set_aside(content, blocks)
                elif _PAPER_PAGE.fullmatch(page):
                    content = _set_aside(content, blocks, _PAPER_ASIDE_START, 0)
                if blocks:
                    aside[rel] = blocks
            path.write_text(content, encoding="utf-8")
    node_modules = ROOT / "node_modules"
    for lang in LANGS:
        docs = build_dir / lang
        shutil.copytree(config.docs / lang, docs, dirs_exist_ok=True)
        contributing = ROOT / CONTRIBUTING[lang]
        (docs / "contributing").mkdir(parents=True, exist_ok=True)
        text = contributing.read_text(encoding="utf-8")
        text = re.sub(r"^\*\[.*?\]\(CONTRIBUTING[^)]*\)\*\n", "", text, flags=re.M)  # the other language is one click away in the header
        (docs / "contributing" / "index.md").write_text(text, encoding="utf-8")
        shutil.copytree(config.docs / "assets", docs / "assets", dirs_exist_ok=True)
        vendor = docs / "assets" / "vendor"
        vendor.mkdir(parents=True, exist_ok=True)
        for src, name in VENDOR.items():
            path = node_modules / src
            if not path.is_file():
                raise BuildError(f"{path} is missing: run `npm ci` (make site does)")
            shutil.copyfile(path, vendor / name)
        cfg = lang_config(lang, config, corpus, docs, site_tmp / lang)
        (build_dir / f"mkdocs.{lang}.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")


MKDOCS_WITHOUT_JIEBA = "import sys; sys.modules['jieba'] = None; from mkdocs.__main__ import cli; cli()"


def run_mkdocs(build_dir: Path, quiet: bool = True, after: Optional[Callable[[str], None]] = None) -> None:
    """Both languages at once; `after(lang)` runs as soon as that language's build succeeds, while the
    other may still be building (so post-processing overlaps the slower build)."""
    def one(lang: str) -> tuple[str, subprocess.CompletedProcess]:
        # material's search segments any Chinese with jieba when it can import it; only the zh site needs
        # that (the en pages carry Chinese only in the language menu and marked zh-only notes), and
        # jieba's dictionary costs the en process time and ~100 MB
        launcher = MKDOCS_WITHOUT_JIEBA if lang != "zh" else "from mkdocs.__main__ import cli; cli()"
        cmd = [sys.executable, "-c", launcher, "build", "--strict", "-f", str(build_dir / f"mkdocs.{lang}.yml")]
        if quiet:
            cmd.append("-q")
        env = dict(os.environ, PYTHONHASHSEED="0")
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if done.returncode == 0 and after is not None:
            after(lang)
        return lang, done

    with ThreadPoolExecutor(max_workers=len(LANGS)) as pool:
        results = list(pool.map(one, LANGS))
    failed = [(lang, p) for lang, p in results if p.returncode != 0]
    if failed:
        details = "\n".join(f"[{lang}] {p.stderr.strip() or p.stdout.strip()}" for lang, p in failed)
        raise BuildError(f"mkdocs failed:\n{details}")


@functools.cache
def _libc():
    """glibc on Linux (renameat2, malloc_trim), else None."""
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name and sys.platform.startswith("linux") else None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    fn = getattr(_libc(), "renameat2", None)
    if fn is None:
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    rc = fn(AT_FDCWD, os.fsencode(str(a)), AT_FDCWD, os.fsencode(str(b)), RENAME_EXCHANGE)
    return rc == 0


def swap_in(new: Path, site_dir: Path) -> None:
    if site_dir.exists() and _exchange(new, site_dir):
        shutil.rmtree(new)  # `new` now holds the previous site
        return
    if site_dir.exists():
        old = site_dir.with_name(site_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        os.replace(site_dir, old)
        os.replace(new, site_dir)
        shutil.rmtree(old)
    else:
        os.replace(new, site_dir)


REDIRECT = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Semantic segmentation survey · 语义分割文献综述</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="An open, bilingual survey of semantic segmentation: leaderboards, papers, BibTeX. 开放的双语语义分割文献综述。">
<link rel="alternate" hreflang="en" href="en/">
<link rel="alternate" hreflang="zh" href="zh/">
<script src="lang.js"></script>
<style>body{font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem;line-height:1.6;padding:0 1rem}a{font-size:1.25rem}</style>
</head>
<body>
<h1>Semantic segmentation survey · 语义分割文献综述</h1>
<p><a href="en/" hreflang="en" lang="en">English</a></p>
<p><a href="zh/" hreflang="zh" lang="zh">中文（简体）</a></p>
</body>
</html>
"""

LANG_JS = """// Send the reader to the language their browser prefers; the page links both for readers without JavaScript.
(function () {
  var langs = navigator.languages || [navigator.language || "en"];
  for (var i = 0; i < langs.length; i++) {
    var l = String(langs[i]).toLowerCase();
    if (l.indexOf("zh") === 0) { location.replace("zh/"); return; }
    if (l.indexOf("en") === 0) { location.replace("en/"); return; }
  }
  location.replace("en/");
})();
"""


# Content-Security-Policy ---------------------------------------------------------------------
# Material's templates carry a few small inline scripts (palette, scope, config JSON). They are
# allowed by hash, one by one; nothing else inline runs, and no inline event handler runs.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
_THEME_SCRIPT = re.compile(
    r"^(__md_scope=new URL\(|var palette=__md_get\(|var target=document\.getElementById\(location\.hash\.slice\(1\)\);)"
)


_HAS_CSP = '<meta http-equiv="Content-Security-Policy"'


def csp_for(html: str) -> str:
    hashes = set()
    for attrs, body in _INLINE_SCRIPT.findall(html):
        if "application/json" in attrs:
            continue  # data, never executed
        if _THEME_SCRIPT.match(body.strip()):
            hashes.add("'sha256-" + _b64sha256(body) + "'")
    script_src = " ".join(["'self'", *sorted(hashes)])
    return (
        "default-src 'self'; "
        f"script-src {script_src}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self' https://github.com"
    )


def _b64sha256(text: str) -> str:
    import base64

    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def add_csp(site: Path, skip: tuple[str, ...] = ()) -> None:
    """Give every HTML page under `site` its policy, except in the top-level folders named in `skip`."""
    for folder, dirs, files in os.walk(site):
        if folder == str(site):
            dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            if not name.endswith(".html"):
                continue
            add_csp_file(Path(folder, name))


def add_csp_file(path: Path) -> None:
    """Put the page's policy right after its charset, unless it has one (the root 404.html copies en's)."""
    html = path.read_text(encoding="utf-8")
    if _HAS_CSP in html:
        return
    meta = f'{_HAS_CSP} content="{csp_for(html)}">'
    html = re.sub(r"(<meta charset=\"utf-8\">)", lambda m: m.group(1) + "\n    " + meta, html, count=1, flags=re.I)
    path.write_text(html, encoding="utf-8")


# Search index --------------------------------------------------------------------------------
# material's search fetches search/search_index.json whole on the first visit of any page and builds its
# lunr index in the browser, so the index is part of every page's weight. At thousands of papers the full
# text of every page is megabytes per language. The index keeps what readers look for: every page's title
# and opening paragraph, each paper's head (title, authors, venue, year, ids, links, topics) and notes. It
# leaves out what is long and reachable otherwise: abstracts, result tables (the leaderboards show them),
# BibTeX, and the rows of the pages that list papers or results (leaderboards, years, topics, timeline,
# compare), whose every paper has its own entry.
_LISTING_PAGES = re.compile(r"(leaderboards|years|topics)/.+/|timeline/|compare/")
_FIRST_PARAGRAPH = re.compile(r".{0,300}?</p>|.{0,300}", re.S)


def trim_search_index(site_lang: Path, lang: str) -> None:
    path = site_lang / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    left_out = {i18n.t(lang, "paper.abstract"), i18n.t(lang, "paper.results"), "BibTeX"}
    docs = []
    for entry in index["docs"]:
        page, _, anchor = entry["location"].partition("#")
        if page.startswith("papers/"):
            if anchor and entry["title"].replace("\u200b", "") in left_out:
                continue
        elif _LISTING_PAGES.fullmatch(page):
            if anchor:
                continue
            entry = dict(entry, text=_FIRST_PARAGRAPH.match(entry["text"]).group(0))
        docs.append(entry)
    index["docs"] = docs
    path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")  # as material writes it


def assemble_root(out: Output, site_tmp: Path) -> None:
    for rel, content in out.files.items():
        if rel.startswith("root/"):
            path = site_tmp / rel.removeprefix("root/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (site_tmp / "index.html").write_text(REDIRECT, encoding="utf-8")
    (site_tmp / "lang.js").write_text(LANG_JS, encoding="utf-8")
    (site_tmp / ".nojekyll").write_text("", encoding="utf-8")
    en404 = site_tmp / "en" / "404.html"
    if en404.is_file():
        shutil.copyfile(en404, site_tmp / "404.html")


def _release_pages(out: Output) -> None:
    """Forget the written pages (only the root files are still needed) and hand the freed memory back."""
    out.files = {rel: content for rel, content in out.files.items() if rel.startswith("root/")}
    gc.collect()
    trim = getattr(_libc(), "malloc_trim", None)  # glibc
    if trim is not None:
        trim(0)


def build_site(corpus: Corpus, config: SiteConfig, quiet: bool = True) -> Path:
    out = render_site(corpus, config)  # everything rendered before anything is written
    config.site_dir.parent.mkdir(parents=True, exist_ok=True)
    site_tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=config.site_dir.parent))
    try:
        aside: dict[str, list[str]] = {}
        write_tree(out, config.build_dir, config, corpus, site_tmp, aside)
        _release_pages(out)  # before the two MkDocs processes start: the peak memory is the sum of the three
        def finish(lang: str) -> None:  # runs while the other language may still be building
            put_back(site_tmp / lang, lang, aside)
            trim_search_index(site_tmp / lang, lang)
            add_csp(site_tmp / lang)

        run_mkdocs(config.build_dir, quiet=quiet, after=finish)
        assemble_root(out, site_tmp)
        add_csp(site_tmp, skip=LANGS)  # the root pages; the language folders already have their policy
        os.chmod(site_tmp, 0o755)
        swap_in(site_tmp, config.site_dir)
    except BaseException:
        shutil.rmtree(site_tmp, ignore_errors=True)
        raise
    return config.site_dir
