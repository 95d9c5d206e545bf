"""The site's search index: Pagefind (PyPI `pagefind[extended]`, its binary in the wheel), run over each
language's built pages once MkDocs has written them.

`index_site(site_dir)` writes `<site_dir>/<lang>/pagefind/` for each language: one index per language
(each page's `<html lang>`; Chinese indexed character by character, see below), split into chunks so that a
query fetches only the chunks its words fall in, plus `pagefind.js` and its WebAssembly. The search box
(docs/assets/search.js, overrides/partials/header.html) loads them when the reader opens it.

What is indexed of a page is its article (`article.md-content__inner`: not the header, navigation or
footer), less its scripts (a paper's JSON-LD) and what the templates mark `data-pagefind-ignore` (abstracts,
result tables and how each result was obtained, BibTeX, lineage, badges, the rows of
the pages that list papers or results, whose every paper has its own page). A paper page is found by its
title, method name (`data-pagefind-index-attrs` on its title), authors and notes.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from generator.config import LANGS
from generator.site.tree import element_end

ROOT_SELECTOR = "article.md-content__inner"
OUTPUT = "pagefind"  # under each language's folder
_NEW, _OLD = ".pagefind-new", ".pagefind-old"
# Pagefind writes three search interfaces beside its index; the site has its own (assets/search.js)
_UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


class SearchError(Exception):
    """Pagefind is missing or failed; the message says which and what it printed."""


class SearchInterrupted(SearchError):
    """Pagefind was stopped by a signal (Ctrl-C, a stop of the preview): not a failure of the index."""


def executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise SearchError("Pagefind is not installed: pip install -r requirements.txt (pagefind[extended])") from None
    return get_executable()


# Chinese ------------------------------------------------------------------------------------------
# Pagefind segments Chinese twice, in two different ways: at build time with jieba (its extended binary),
# in the browser with the browser's Intl.Segmenter, whose dictionary differs (Debian's Chromium splits
# 实时 into 实 + 时, where jieba keeps 实时). A query segmented otherwise than the page finds nothing:
# measured, 实时 found neither the ENet page nor the real-time topic. So Han characters are indexed one by
# one (each followed by a thin space in the copy Pagefind reads), and assets/search.js asks for a Han run
# as the phrase of its characters: 实时 finds every page with 实 followed by 时, inside any longer run,
# like a substring search, in any browser. search.js removes the thin spaces from what it shows.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SEPARATOR = "\u2009"  # thin space: whitespace to Pagefind's tokenizer, never written by the site itself
_BETWEEN_HAN = re.compile(f"(?<=[{HAN}])(?=[{HAN}])")
_TEXT = re.compile(r">([^<]+)<")
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">.*?</article>', re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')


_IGNORED = re.compile(r"<(div|ul|dl|p|figure|table|details|section|h[1-6])\b[^>]*\sdata-pagefind-ignore[\s>=]")


def _unignored(article: str) -> str:
    """The article without the elements marked data-pagefind-ignore (tables, charts, BibTeX: no meta or
    filter inside any), which Pagefind would parse only to skip: the copies of the 5,000-paper bench's
    pages were 208 MB in Chinese, and Pagefind held 1 GB to read them."""
    out, at = [], 0
    for m in _IGNORED.finditer(article):
        if m.start() < at:
            continue
        end = element_end(article, m.start(), m.group(1))
        if end < 0:
            continue
        out.append(article[at : m.start()])
        at = end
    return "".join(out) + article[at:]


def for_index(html: str) -> str | None:
    """The page as Pagefind reads it: its language and article, Han characters apart; None if it has no article."""
    article = _ARTICLE.search(html)
    if not article:
        return None
    lang = _LANG.search(html)
    kept = _unignored(_SCRIPT.sub("", article.group(0)))
    body = _TEXT.sub(lambda m: ">" + _BETWEEN_HAN.sub(SEPARATOR, m.group(1)) + "<", kept)
    return (
        f'<!doctype html><html lang="{lang.group(1) if lang else "en"}"><head><meta charset="utf-8"></head>'
        f"<body>{body}</body></html>"
    )


def sources_dir(site_dir: Path, lang: str) -> Path:
    """Where the pages as Pagefind reads them are written while MkDocs builds `lang` (hooks.on_post_page):
    beside the language's folder, never inside what is published (index_site removes it from a build)."""
    return site_dir / f".pagefind-src-{lang}"


def _indexed(rel: str) -> bool:
    """Whether the built file at `rel` (below a language's folder) is a page the index reads."""
    return rel.endswith("index.html") and rel.split("/")[0] not in (OUTPUT, _NEW, _OLD)


def _write_for_index(out: Path, html: str) -> None:
    text = for_index(html)
    if text is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def write_source(site_dir: Path, lang: str, dest_uri: str, html: str) -> None:
    """One built page as Pagefind reads it (see for_index), written as MkDocs writes the page."""
    if _indexed(dest_uri):
        _write_for_index(sources_dir(site_dir, lang) / dest_uri, html)


def _copy_for_index(folder: Path, dest: Path) -> None:
    """The same for every page already built in `folder` (when no hook prepared them)."""
    for page in folder.rglob("index.html"):
        rel = page.relative_to(folder).as_posix()
        if _indexed(rel):
            _write_for_index(dest / rel, page.read_text(encoding="utf-8"))


def _prepared(site_dir: Path, lang: str) -> Path | None:
    """The pages MkDocs' hook prepared for `lang`, less those whose page is gone (a preview's dirty builds
    keep the folder from one build to the next); None when there are none (then they are made here)."""
    src = sources_dir(site_dir, lang)
    if not src.is_dir():
        return None
    for copy in src.rglob("index.html"):
        if not (site_dir / lang / copy.relative_to(src)).is_file():
            copy.unlink()
    return src


class Indexing:
    """Pagefind over one language's pages, started as soon as they are built; `finish()` waits for it."""

    def __init__(self, site_dir: Path, lang: str, keep_sources: bool = False, background: bool = False):
        self.site_dir, self.lang, self.keep = site_dir, lang, keep_sources
        self._said: str | None = None
        exe = str(executable())
        folder = site_dir / lang
        shutil.rmtree(folder / _NEW, ignore_errors=True)
        # ignore_cleanup_errors: a preview stopped while Pagefind writes here ends without a traceback
        self._tmp = tempfile.TemporaryDirectory(prefix="pagefind-", ignore_cleanup_errors=True)
        src = _prepared(site_dir, lang)
        if src is None:
            src = Path(self._tmp.name) / lang
            _copy_for_index(folder, src)
        # the preview's index runs after each rebuild, in the background: at a lower priority, so that the
        # next rebuild (a change the contributor waits to see) gets the cores first
        nice = ["nice", "-n", "10"] if background and shutil.which("nice") else []
        self.proc = subprocess.Popen(
            [
                *nice,
                exe,
                "--site",
                str(src),
                "--output-path",
                str(folder / _NEW),
                "--root-selector",
                ROOT_SELECTOR,
                "--exclude-selectors",
                ".headerlink",
                "--glob",
                "**/index.html",
                "--quiet",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait(self) -> str | None:
        """None when Pagefind succeeded, else what it said (waited for once; later calls give the same)."""
        if self._said is None:
            self._said = self.proc.communicate()[0].strip()
            self._tmp.cleanup()
            if not self.keep:
                shutil.rmtree(sources_dir(self.site_dir, self.lang), ignore_errors=True)
        return (
            None
            if self.proc.returncode == 0
            else f"[{self.lang}] pagefind exit status {self.proc.returncode}: {self._said}"
        )

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.wait()


def finish(site_dir: Path, runs: list[Indexing]) -> None:
    """Wait for every language's run; each new index then takes the place of the old one, all or none."""
    failed = [f for f in (run.wait() for run in runs) if f]
    langs = [run.lang for run in runs]
    if failed:
        for lang in langs:
            shutil.rmtree(site_dir / lang / _NEW, ignore_errors=True)
        stopped = all(run.proc.returncode in (-signal.SIGINT, -signal.SIGTERM) for run in runs if run.proc.returncode)
        raise (SearchInterrupted if stopped else SearchError)("the search index failed:\n" + "\n".join(failed))
    for lang in langs:
        folder = site_dir / lang
        for name in _UNUSED:
            (folder / _NEW / name).unlink(missing_ok=True)
        shutil.rmtree(folder / _OLD, ignore_errors=True)
        if (folder / OUTPUT).exists():
            (folder / OUTPUT).rename(folder / _OLD)
        (folder / _NEW).rename(folder / OUTPUT)
        shutil.rmtree(folder / _OLD, ignore_errors=True)


def index_site(
    site_dir: Path, langs: tuple[str, ...] = LANGS, keep_sources: bool = False, background: bool = False
) -> None:
    """Index each language's pages under `site_dir` (both languages at once, one process each). Each new
    index is written beside the old one and takes its place when both are done (a preview stays searchable
    while it indexes again)."""
    runs: list[Indexing] = []
    try:
        for lang in langs:
            runs.append(Indexing(site_dir, lang, keep_sources, background))
    except BaseException:
        for run in runs:
            run.kill()
        raise
    finish(site_dir, runs)
