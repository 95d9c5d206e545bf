"""Render the whole site in memory: {path: content} for each language and the shared root.

Nothing here touches the disk; build.py writes what this returns."""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Optional

import hashlib
import re
import json

import jinja2
from markupsafe import Markup

from .. import i18n
from ..config import SiteConfig
from ..corpus import DEFAULT_TASK, Board, Corpus
from ..model import LANGS, PaperFile
from . import bibtex, charts, data, svg
from .text import json_for_script, markdown, yaml_string
from .views import Helpers

TEMPLATES = Path(__file__).parent / "templates"
CJK = re.compile(r"[\u3400-\u9fff]")

DATA_FILES = (
    ("papers.bib", "data.bib"),
    ("papers.json", "data.json"),
    ("results.csv", "data.csv"),
    ("papers.csl.json", "data.csl"),
    ("paper.schema.json", "data.schema"),
)


@dataclass(frozen=True)
class Chart:
    """A figure, and the file beside its page that holds it for the interactive chart."""

    figure: dict
    src: str  # file name, relative to the page


class DuplicateOutput(Exception):
    pass


class Output:
    """Files to write, by path relative to the build tree. Refuses to write one path twice (as Pelican does)."""

    def __init__(self) -> None:
        self.files: dict[str, str | bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise DuplicateOutput(f"two outputs for {path}")
        self.files[path] = content


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # a paper's notes and abstract reach several pages (its own, its year, its topics) in two languages:
    # convert each distinct text once per environment (the output only depends on the text)
    env.globals.update(markdown=functools.lru_cache(maxsize=None)(markdown), json=json_for_script, yaml_string=yaml_string)

    def svg_chart(fig: dict, label: str) -> Markup:
        ident = "c" + hashlib.sha1(json_for_script(fig).encode("utf-8")).hexdigest()[:10]
        return Markup(env.get_template("_chart.svg.j2").render(d=svg.draw(fig, label), id=ident))

    env.globals["svg_chart"] = svg_chart
    return env


@dataclass(frozen=True)
class CompareCell:
    score: Decimal
    extra: bool


@dataclass(frozen=True)
class CompareRow:
    paper: PaperFile
    cells: tuple[Optional[CompareCell], ...]


def compare_table(corpus: Corpus, min_papers: int = 2) -> tuple[tuple[Board, ...], tuple[CompareRow, ...]]:
    """One row per method, one column per semantic-segmentation benchmark; each cell the paper's best there."""
    columns = tuple(b for b in corpus.boards if b.task == DEFAULT_TASK and b.ranked and len({r.paper.id for r in b.ranked}) >= min_papers)
    best: dict[str, dict[int, CompareCell]] = defaultdict(dict)
    for ci, board in enumerate(columns):
        for row in board.ranked:  # ranked best first: the first row of a paper is its best
            best[row.paper.id].setdefault(ci, CompareCell(row.score, row.extra))
    rows = tuple(
        CompareRow(pf, tuple(best[pf.id].get(ci) for ci in range(len(columns))))
        for pf in sorted((corpus.by_id[pid] for pid in best), key=lambda p: (p.paper.year, p.paper.label.casefold()))
    )
    return columns, rows


class SiteRenderer:
    def __init__(self, corpus: Corpus, config: SiteConfig):
        self.corpus = corpus
        self.config = config
        self.env = environment()
        self.keys = bibtex.keys(corpus)
        self.entries = {e.key: e for e in bibtex.paper_entries(corpus.papers, corpus, self.keys)}
        self.out = Output()
        self.compare = compare_table(corpus)
        self._bibs: dict[tuple[str, ...], str] = {}

    def bib(self, papers) -> str:
        # the same selection is written for both languages, and a paper's entry twice per language
        ids = tuple(pf.id for pf in papers)
        text = self._bibs.get(ids)
        if text is None:
            text = self._bibs[ids] = bibtex.write(self.entries[self.keys[i]] for i in ids)
        return text

    def chart(self, lang: str, page_dir: str, name: str, figure: dict | None) -> Chart | None:
        if figure is None:
            return None
        self.out.add(f"{lang}/{page_dir}{name}", json.dumps(figure, ensure_ascii=False, separators=(",", ":")))
        return Chart(figure, name)

    def page(self, lang: str, page_dir: str, template: str, **context) -> None:
        h = Helpers(self.corpus, lang, page_dir, self.config.repo_url, self.config.branch)
        text = self.env.get_template(template).render(h=h, **context)
        self.out.add(f"{lang}/{page_dir}index.md", text)

    def render(self) -> Output:
        c = self.corpus
        for files in _render_languages(self, LANGS):
            for path, content in files.items():
                self.out.add(path, content)
        # shared files at the site root, once for both languages
        self.out.add("root/data/papers.bib", self.bib(c.papers))
        self.out.add("root/data/papers.json", data.papers_json(c.papers))
        self.out.add("root/data/results.csv", data.results_csv(c.papers, c))
        self.out.add("root/data/papers.csl.json", data.csl_json(c.papers, c, self.keys))
        self.out.add("root/data/paper.schema.json", data.schema_json(self.config.site_url))
        return self.out

    def render_lang(self, lang: str) -> None:
        c = self.corpus
        boards_with_best = tuple(b for b in c.boards if b.best and b.split != "unspecified" and len(b.papers) >= 3)[:8]
        self.page(lang, "", "home.md.j2",
                  counts={"papers": len(c.papers), "results": c.result_count, "boards": len(c.boards), "years": len(c.by_year)},
                  best=boards_with_best, newest=c.newest_first[:10])
        groups = tuple((task, tuple(b for b in c.boards if b.task == task)) for task in c.tasks_used)
        self.page(lang, "leaderboards/", "boards.md.j2", groups=groups)
        for board in c.boards:
            d = f"leaderboards/{board.slug}/"
            h = Helpers(c, lang, d, self.config.repo_url, self.config.branch)
            tags = tuple(sorted({t for r in board.rows for t in r.tags}, key=lambda t: (t.casefold(), t)))
            cols = {
                "backbone": any(r.result.backbone for r in board.rows),
                "input_size": any(r.result.input_size for r in board.rows),
                "hardware": any(r.result.hardware for r in board.rows),
            }
            self.page(lang, d, "board.md.j2", board=board, dataset=c.registries.datasets[board.dataset],
                      figure=self.chart(lang, d, "chart.json", charts.board_figure(h, c, board)), tags=tags, cols=cols, bib_file="board.bib")
            self.out.add(f"{lang}/{d}board.bib", self.bib(board.papers))
        self.page(lang, "years/", "years.md.j2", years=tuple(c.by_year.items()))
        for year, papers in c.by_year.items():
            d = f"years/{year}/"
            self.page(lang, d, "year.md.j2", year=year, papers=papers, bib_file=f"{year}.bib")
            self.out.add(f"{lang}/{d}{year}.bib", self.bib(papers))
        topics = tuple((slug, papers) for slug, papers in c.by_topic.items() if papers)
        self.page(lang, "topics/", "topics.md.j2", topics=topics)
        for slug, papers in topics:
            d = f"topics/{slug}/"
            self.page(lang, d, "topic.md.j2", slug=slug, topic=c.registries.topics[slug], papers=papers,
                      bib_file=f"{slug}.bib")
            self.out.add(f"{lang}/{d}{slug}.bib", self.bib(papers))
        h = Helpers(c, lang, "timeline/", self.config.repo_url, self.config.branch)
        self.page(lang, "timeline/", "timeline.md.j2", figure=self.chart(lang, "timeline/", "timeline.json",
                  charts.timeline_figure(h, c)), papers=c.newest_first)
        h = Helpers(c, lang, "compare/", self.config.repo_url, self.config.branch)
        columns, rows = self.compare
        pareto = tuple(
            (board, cost, self.chart(lang, "compare/", f"pareto-{board.slug.replace('/', '-')}-{cost}.json", fig), front)
            for board, cost, fig, front in charts.pareto_figures(h, c))
        self.page(lang, "compare/", "compare.md.j2", columns=columns, rows=rows, pareto=pareto)
        self.page(lang, "data/", "data.md.j2", files=DATA_FILES)
        extended_by: dict[str, list[PaperFile]] = defaultdict(list)
        for pf in c.papers:
            for other in pf.paper.builds_on:
                extended_by[other].append(pf)
        board_order = {b.slug: i for i, b in enumerate(c.boards)}
        for pf in c.papers:
            d = f"papers/{pf.id}/"
            # in the order of the leaderboards (main benchmarks first), then best rank first
            results = tuple(sorted((c.ranks_of[(pf.id, i)] for i in range(len(pf.paper.results))),
                                   key=lambda br: (board_order[br[0].slug], br[1].rank or 10**9, br[1].index)))
            self.page(lang, d, "paper.md.j2", pf=pf, results=results, bibtex=self.bib([pf]).strip(),
                      bib_file=f"{pf.id}.bib", report=bool(self.config.repo_url),
                      topics=pf.paper.topics, builds_on=tuple(c.by_id[o] for o in pf.paper.builds_on),
                      extended_by=tuple(extended_by[pf.id]),
                      abstract_lang="zh" if pf.paper.abstract and CJK.search(pf.paper.abstract) else "en")
            self.out.add(f"{lang}/{d}{pf.id}.bib", self.bib([pf]))


_FORKED: Optional[SiteRenderer] = None  # the renderer a forked worker inherits


def _render_one(lang: str) -> dict[str, str | bytes]:
    renderer = _FORKED
    assert renderer is not None
    renderer.out = Output()
    renderer.render_lang(lang)
    return renderer.out.files


def _render_languages(renderer: SiteRenderer, langs: tuple[str, ...]) -> list[dict[str, str | bytes]]:
    """Each language's pages, in order. The languages are independent, so with two CPUs each is rendered in
    a forked worker (it inherits the corpus; only the finished files travel back). Forking is skipped where
    it is not safe or not worth it (other threads running, one CPU); any failure there is re-raised by
    rendering in this process, so errors are the same either way."""
    def serial() -> list[dict[str, str | bytes]]:
        out = []
        for lang in langs:
            renderer.out, keep = Output(), renderer.out
            try:
                renderer.render_lang(lang)
                out.append(renderer.out.files)
            finally:
                renderer.out = keep
        return out

    if (len(langs) < 2 or (os.cpu_count() or 1) < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return serial()
    global _FORKED
    _FORKED = renderer
    try:
        with ProcessPoolExecutor(max_workers=len(langs), mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_render_one, langs))
    except Exception:
        return serial()
    finally:
        _FORKED = None


def render_site(corpus: Corpus, config: SiteConfig) -> Output:
    return SiteRenderer(corpus, config).render()


def nav(lang: str, corpus: Corpus) -> list:
    """The navigation of one language: index pages only (paper pages stay out of nav)."""
    t = lambda key: i18n.t(lang, key)  # noqa: E731
    return [
        {t("nav.home"): "index.md"},
        {t("nav.leaderboards"): "leaderboards/index.md"},
        {t("nav.compare"): "compare/index.md"},
        {t("nav.years"): "years/index.md"},
        {t("nav.topics"): "topics/index.md"},
        {t("nav.timeline"): "timeline/index.md"},
        {t("nav.data"): "data/index.md"},
        {t("nav.contributing"): "contributing/index.md"},
    ]
